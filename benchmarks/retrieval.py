"""Retrieval benchmarks: index build time and search latency (query embedding included) at
1k, 10k and 100k chunks, and resident memory with each index loaded."""

from __future__ import annotations

import gc
import random
import time
from pathlib import Path
from typing import Any

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


def bench_index(guides: list[Any], embedder: Any, label: str, repeats: int = 60) -> dict[str, Any]:
    """Build an index over `guides`, then time hybrid searches one query at a time."""
    from assistant.retrieval.index import KnowledgeIndex

    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    index = KnowledgeIndex.build(guides, embedder)
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
    del index
    gc.collect()
    return result


def run(sizes: list[int], bokjiro: Path | None) -> dict[str, Any]:
    """All retrieval benchmarks."""
    from assistant.retrieval.builder import make_embedder
    from assistant.settings import get_settings

    embedder = make_embedder(get_settings())
    assert embedder is not None, "retrieval benchmarks need the embedding model"
    embedder.load()
    results: dict[str, Any] = {"embedding_model": embedder.model_id, "runs": []}
    samples = []
    for i in range(50):
        t0 = time.perf_counter()
        embedder.encode_queries([QUERIES[i % len(QUERIES)]])
        samples.append(time.perf_counter() - t0)
    results["query_embedding"] = summary_ms(samples)
    if bokjiro is not None and bokjiro.exists():
        from assistant.knowledge.importers.bokjiro import build_guides, read_chunks

        guides, _ = build_guides(read_chunks(bokjiro))
        results["runs"].append(bench_index(guides, embedder, "bokjiro (485 services)"))
    for size in sizes:
        results["runs"].append(bench_index(synthetic_guides(size), embedder, f"synthetic {size}"))
    return results
