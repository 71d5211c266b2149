"""Retrieval metrics: recall@k and MRR@10 at service level."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.retrieval.index import KnowledgeIndex


@dataclass(frozen=True)
class Case:
    """A question and the service that answers it."""

    question: str
    service_id: str
    lang: str = "ko"


@dataclass(frozen=True)
class RetrievalMetrics:
    """Service-level metrics over a question set."""

    recall_at_1: float
    recall_at_5: float
    mrr_at_10: float
    count: int


def read_questions(path: Path, index: KnowledgeIndex | None = None) -> list[Case]:
    """Questions from a CSV with `question` and `service_id` (or `service`, a title) columns.

    A `service` column holds service titles (as in the welfare QA set); they are mapped to ids of
    `index` by their Korean title.

    Raises:
        ValueError: the CSV lacks the columns, or names a service the index does not have.
    """
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or "question" not in rows[0]:
        raise ValueError(f"{path}: needs a 'question' column")
    by_title: dict[str, str] = {}
    if index is not None and "service_id" not in rows[0]:
        by_title = {index.service(sid).title_ko: sid for sid in index.service_ids()}  # type: ignore[union-attr]
    cases: list[Case] = []
    for number, row in enumerate(rows, start=2):
        if "service_id" in row:
            service_id = row["service_id"]
        elif "service" in row:
            if row["service"] not in by_title:
                raise ValueError(f"{path}:{number}: service '{row['service']}' is not in the knowledge base")
            service_id = by_title[row["service"]]
        else:
            raise ValueError(f"{path}: needs a 'service_id' or 'service' column")
        cases.append(Case(row["question"], service_id, row.get("lang") or "ko"))
    return cases


def evaluate(index: KnowledgeIndex, cases: Sequence[Case], mode: str = "hybrid", lang: str | None = None) -> RetrievalMetrics:
    """Metrics of one retrieval mode."""
    hits1 = hits5 = 0
    reciprocal = 0.0
    for case in cases:
        ranked = [h.service_id for h in index.search(case.question, k=10, lang=lang or case.lang, mode=mode)]
        if ranked[:1] == [case.service_id]:
            hits1 += 1
        if case.service_id in ranked[:5]:
            hits5 += 1
        if case.service_id in ranked:
            reciprocal += 1.0 / (ranked.index(case.service_id) + 1)
    n = max(len(cases), 1)
    return RetrievalMetrics(hits1 / n, hits5 / n, reciprocal / n, len(cases))


def evaluate_modes(
    index: KnowledgeIndex, cases: Sequence[Case], modes: Sequence[str], lang: str | None = None
) -> dict[str, RetrievalMetrics]:
    """Metrics of several modes on the same questions."""
    return {mode: evaluate(index, cases, mode, lang) for mode in modes}
