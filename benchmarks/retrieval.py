"""Retrieval benchmarks: index build time and search latency (query embedding included) at
1k, 10k and 100k chunks, and resident memory with each index loaded.

Embedding passages is what a build spends its time on (about 30 chunks/s on 2 cores): 100k chunks
would take the better part of an hour. Corpora above `real_limit` chunks therefore embed their
first `real_limit` chunks for real, time that to get the throughput, and give every further chunk
a real vector of an earlier one plus a little noise. Everything else (chunking, BM25 over the real
texts, FAISS) is built at full size; searches embed each query for real. The report gives the
measured build time, the throughput, and the build time with every chunk embedded, extrapolated.
"""

from __future__ import annotations

import gc
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.stats import rss_mb, summary_ms

QUERIES = [
    "출생신고 기한이 언제까지인가요?", "여권 재발급 수수료 얼마예요", "전입신고 온라인으로 돼요?",
    "기초연금 받을 수 있는 나이", "실업급여 신청 방법 알려줘", "How do I renew my passport?",
    "what documents for birth registration", "청년 월세 지원 대상이 누구예요", "장애인 등록 어디서 해요",
    "자동차 명의 이전 기한", "반려견 등록 안 하면 과태료", "주민등록등본 무인발급기 수수료",
]


def synthetic_guides(n_chunks: int, seed: int = 7) -> list[Any]:
    """Guides built from recombined sentences of the real knowledge base (about 12 chunks each)."""
    from assistant.knowledge import load_guides
    from assistant.knowledge.schema import LocalizedText, Section, ServiceGuide
    from assistant.settings import get_settings

    base = load_guides(get_settings().knowledge_base_dir)
    sentences = [s for g in base for c in (g.summary, g.eligibility, g.fees, g.deadlines) if c
                 for s in c.ko.split(". ") if len(s) > 10]
    rng = random.Random(seed)
    guides = []
    per_guide = 12
    for number in range(max(1, n_chunks // per_guide)):
        sections = [
            Section(title=LocalizedText(ko=f"항목 {k}"), text=LocalizedText(ko=". ".join(rng.sample(sentences, 3))))
            for k in range(per_guide - 1)
        ]
        guides.append(ServiceGuide(
            id=f"synthetic-{number:06d}", names=LocalizedText(ko=f"가상 민원 {number}"),
            summary=LocalizedText(ko=". ".join(rng.sample(sentences, 2))), sections=sections,
        ))
    return guides


class ReusedVectorEmbedder:
    """The real embedder for queries and for the first `real_limit` passages; later passages get
    the vector of passage `i % real_limit` with Gaussian noise (renormalised). See the module doc."""

    def __init__(self, embedder: Any, real_limit: int, seed: int = 11) -> None:
        self.inner = embedder
        self.model_id = embedder.model_id
        self.real_limit = real_limit
        self.rng = np.random.default_rng(seed)
        self.real_s = 0.0
        self.real_count = 0

    @property
    def dim(self) -> int:
        return int(self.inner.dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: list[str], progress: Any = None) -> np.ndarray:
        started = time.perf_counter()
        real = self.inner.encode_passages(texts[: self.real_limit])
        self.real_s += time.perf_counter() - started
        self.real_count += len(real)
        if len(texts) <= len(real):
            return real
        picks = real[np.arange(len(real), len(texts)) % len(real)]
        noisy = picks + self.rng.normal(0.0, 0.01, picks.shape).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        return np.vstack([real, noisy.astype(np.float32)])


def bench_index(guides: list[Any], embedder: Any, label: str, repeats: int = 60,
                real_limit: int | None = None) -> dict[str, Any]:
    """Build an index over `guides`, then time hybrid searches one query at a time.

    With `real_limit`, only that many passages are embedded for real (see ReusedVectorEmbedder).
    """
    from assistant.retrieval.index import KnowledgeIndex

    wrapped = ReusedVectorEmbedder(embedder, real_limit) if real_limit else None
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    index = KnowledgeIndex.build(guides, wrapped or embedder)
    build_s = time.perf_counter() - started
    after = rss_mb()
    for query in QUERIES[:3]:  # warm caches
        index.search(query, k=10)
    samples = []
    for i in range(repeats):
        query = QUERIES[i % len(QUERIES)]
        t0 = time.perf_counter()
        index.search(query, k=10)
        samples.append(time.perf_counter() - t0)
    result = {
        "corpus": label, "chunks": index.size, "services": index.service_count,
        "build_s": round(build_s, 1), "rss_mb_after_build": after, "rss_mb_index_delta": round(after - before, 1),
        "search": summary_ms(samples),
    }
    if index.dense is not None:
        result["dense_index"] = index.dense.describe()
        if index.dense.approximate:
            result["dense_recall_vs_exact"] = dense_recall_vs_exact(index, embedder)
    if wrapped is not None and wrapped.real_count:
        per_s = wrapped.real_count / wrapped.real_s
        result.update({
            "passages_embedded_for_real": wrapped.real_count,
            "passage_embedding_per_s": round(per_s, 1),
            "build_s_all_embedded_extrapolated": round(build_s - wrapped.real_s + index.size / per_s, 1),
        })
    del index
    gc.collect()
    return result


def dense_recall_vs_exact(index: Any, embedder: Any, depths: tuple[int, ...] = (10, 300)) -> dict[str, float]:
    """Share of the exact scan's top chunks that the approximate FAISS index returns, per depth
    (300 is what a search asks FAISS for), averaged over the benchmark's questions."""
    ids, vectors = index.dense.contents()
    found: dict[int, list[float]] = {depth: [] for depth in depths}
    for query in QUERIES:
        vector = embedder.encode_queries([query])[0]
        exact = ids[np.argsort(-(vectors @ vector))]
        approximate = index.dense.search(vector, max(depths))[0]
        for depth in depths:
            found[depth].append(len(set(exact[:depth].tolist()) & set(approximate[:depth].tolist())) / depth)
    return {f"recall_at_{depth}": round(float(np.mean(values)), 4) for depth, values in found.items()}


def query_embedding_ms(embedder: Any, repeats: int = 100) -> dict[str, float]:
    """Latency of embedding one question at a time (after a warm-up round)."""
    for query in QUERIES:
        embedder.encode_queries([query])
    samples = []
    for i in range(repeats):
        t0 = time.perf_counter()
        embedder.encode_queries([QUERIES[i % len(QUERIES)]])
        samples.append(time.perf_counter() - t0)
    return summary_ms(samples)


def run(sizes: list[int], bokjiro: Path | None, real_limit: int = 10_000) -> dict[str, Any]:
    """All retrieval benchmarks; synthetic corpora above `real_limit` chunks reuse vectors."""
    from assistant.retrieval.builder import make_embedder
    from assistant.retrieval.embedder import Embedder
    from assistant.settings import get_settings

    settings = get_settings()
    embedder = make_embedder(settings)
    assert embedder is not None, "retrieval benchmarks need the embedding model"
    embedder.load()
    results: dict[str, Any] = {
        "embedding_model": embedder.model_id, "query_engine": embedder.active_query_engine, "runs": [],
    }
    results["query_embedding"] = query_embedding_ms(embedder)
    if bokjiro is not None and bokjiro.exists():
        from assistant.knowledge.importers.bokjiro import build_guides, read_chunks

        guides, _ = build_guides(read_chunks(bokjiro))
        results["runs"].append(bench_index(guides, embedder, "bokjiro (485 services)"))
    for size in sizes:
        results["runs"].append(bench_index(
            synthetic_guides(size), embedder, f"synthetic {size}", real_limit=real_limit if size > real_limit else None
        ))
    # Last, so the memory figures above are those of the service (which has no second model).
    if embedder.active_query_engine != "torch":
        # The PyTorch path, for the ratio: what a question cost before the ONNX engine.
        torch_path = Embedder(settings.embedding_model, settings.model_cache_dir, query_engine="torch").load()
        results["query_embedding_torch"] = query_embedding_ms(torch_path)
        results["query_embedding_speedup"] = round(
            results["query_embedding_torch"]["p50_ms"] / max(results["query_embedding"]["p50_ms"], 1e-6), 2
        )
        del torch_path
    return results
