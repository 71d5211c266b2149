"""Grouping unanswered questions: paraphrases together, different topics apart; the 200-miss figure."""

from __future__ import annotations

from collections import Counter

import pytest

from assistant.staff.grouping import group_texts, ngram_vectors
from tests.staff.seeded_misses import seeded_misses


def test_spacing_variants_and_paraphrases_group_together() -> None:
    texts = ["여권 사진 규격 알려주세요", "여권사진 규격 알려 주세요", "구청 주차장 무료인가요", "구청주차장 무료에요?"]
    assert sorted(sorted(g) for g in group_texts(texts)) == [[0, 1], [2, 3]]


def test_vectors_are_unit_length_and_stable() -> None:
    a, b = ngram_vectors(["출생신고", "출생신고"])
    assert abs(float(a @ a) - 1.0) < 1e-5 and (a == b).all()


def test_no_texts_no_groups() -> None:
    assert group_texts([]) == []


def _purity(groups: list[list[int]], topics: list[str]) -> float:
    agreeing = sum(Counter(topics[i] for i in g).most_common(1)[0][1] for g in groups)
    return agreeing / len(topics)


def test_200_seeded_misses_collapse_into_few_pure_groups() -> None:
    pairs = seeded_misses()
    assert len(pairs) == 200 and len({t for _, t in pairs}) == 200
    topics, texts = [p[0] for p in pairs], [p[1] for p in pairs]
    groups = group_texts(texts)
    purity = _purity(groups, topics)
    print(f"\nGROUPS (character n-grams): 200 misses -> {len(groups)} groups, purity {purity:.2f}, "
          f"largest {[len(g) for g in groups[:10]]}")
    assert len(groups) <= 30 and purity >= 0.95


@pytest.mark.slow
def test_200_seeded_misses_with_the_retrieval_embedder() -> None:
    from assistant.retrieval.embedder import Embedder
    from assistant.settings import get_settings

    settings = get_settings()
    embedder = Embedder(settings.embedding_model, cache_dir=settings.model_cache_dir)
    embedder.load()
    pairs = seeded_misses()
    topics, texts = [p[0] for p in pairs], [p[1] for p in pairs]
    groups = group_texts(texts, lambda batch: embedder.encode_queries(list(batch)))
    purity = _purity(groups, topics)
    print(f"\nGROUPS (e5 embeddings): 200 misses -> {len(groups)} groups, purity {purity:.2f}, "
          f"largest {[len(g) for g in groups[:10]]}")
    assert len(groups) <= 15 and purity >= 0.95
