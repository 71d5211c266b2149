"""recall@k for k = 1..K per retrieval mode: the curve the evaluation report plots."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.evaluation.retrieval import Case, query_vectors
from assistant.retrieval.index import KnowledgeIndex


def recall_curve(
    index: KnowledgeIndex, cases: Sequence[Case], modes: Sequence[str], max_k: int = 10
) -> dict[str, list[float]]:
    """`{mode: [recall@1, ..., recall@max_k]}`; each question is embedded once for all modes."""
    vectors = query_vectors(index, cases)
    curves: dict[str, list[float]] = {}
    for mode in modes:
        ranks: list[int | None] = []
        for case, vector in zip(cases, vectors):
            ranked = [h.service_id for h in index.search(case.question, k=max_k, lang=case.lang, mode=mode,
                                                         query_vector=vector)]
            ranks.append(ranked.index(case.service_id) + 1 if case.service_id in ranked else None)
        n = max(len(cases), 1)
        curves[mode] = [sum(1 for r in ranks if r is not None and r <= k) / n for k in range(1, max_k + 1)]
    return curves
