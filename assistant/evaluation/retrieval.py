"""Retrieval metrics: recall@k and MRR@10 at service level."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

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


def query_vectors(index: KnowledgeIndex, cases: Sequence[Case]) -> list[Any]:
    """Embeddings of every question, batched (much faster than one at a time)."""
    if index.embedder is None:
        return [None] * len(cases)
    return list(index.embedder.encode_queries([c.question for c in cases]))


def evaluate(
    index: KnowledgeIndex, cases: Sequence[Case], mode: str = "hybrid", lang: str | None = None,
    vectors: Sequence[Any] | None = None,
) -> RetrievalMetrics:
    """Metrics of one retrieval mode."""
    hits1 = hits5 = 0
    reciprocal = 0.0
    vectors = vectors if vectors is not None else query_vectors(index, cases)
    for case, vector in zip(cases, vectors):
        ranked = [h.service_id for h in index.search(
            case.question, k=10, lang=lang or case.lang, mode=mode, query_vector=vector)]
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
    """Metrics of several modes on the same questions (each question embedded once)."""
    vectors = query_vectors(index, cases)
    return {mode: evaluate(index, cases, mode, lang, vectors) for mode in modes}


def lexical_weight_sweep(
    index: KnowledgeIndex, cases: Sequence[Case], lexical_weights: Sequence[float]
) -> dict[float, RetrievalMetrics]:
    """Hybrid metrics for each BM25 share in the fused score (each question embedded once).

    This is how a fine-tuned model's `fusion.json` weight is chosen: on questions its training did
    not see, never on the held-out half that is reported. The index's own weights are restored.
    """
    vectors = query_vectors(index, cases)
    original = index.weights
    try:
        results: dict[float, RetrievalMetrics] = {}
        for weight in lexical_weights:
            index.weights = replace(original, lexical=weight)
            results[weight] = evaluate(index, cases, "hybrid", vectors=vectors)
        return results
    finally:
        index.weights = original



def split_rows(
    rows: Sequence[dict[str, str]], label: str, holdout: float = 0.5, seed: int = 13
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Split labelled questions per service into a tuning part and a held-out part.

    Every service with two or more questions keeps at least one on each side, so held-out
    questions are new wordings of services the tuning part has seen (as in real use).
    """
    import random

    rng = random.Random(seed)
    tune: list[dict[str, str]] = []
    held: list[dict[str, str]] = []
    for group in _shuffled_by_service(rows, label, rng):
        n_held = min(len(group) - 1, max(1, round(len(group) * holdout))) if len(group) > 1 else 0
        held.extend(group[:n_held])
        tune.extend(group[n_held:])
    return tune, held


def fold_rows(
    rows: Sequence[dict[str, str]], label: str, folds: int = 3, seed: int = 13
) -> list[list[dict[str, str]]]:
    """Deal labelled questions into `folds` parts of nearly equal size (they differ by one at most).

    Each service's questions are shuffled and dealt in turn, continuing from where the previous
    service stopped, so a service's questions spread over the folds and the folds stay balanced.
    Cross-fitting with them (tune on the other folds, measure on this one) lets every question be
    measured by a model that never saw it while each model trains on most of the questions.
    """
    import random

    if folds < 2:
        raise ValueError("needs at least 2 folds")
    parts: list[list[dict[str, str]]] = [[] for _ in range(folds)]
    dealt = 0
    for group in _shuffled_by_service(rows, label, random.Random(seed)):
        for row in group:
            parts[dealt % folds].append(row)
            dealt += 1
    return parts


def _shuffled_by_service(
    rows: Sequence[dict[str, str]], label: str, rng: Any
) -> list[list[dict[str, str]]]:
    """Each service's questions, services in sorted order, each group shuffled by `rng` in turn
    (so the same seed gives the same groups)."""
    by_service: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_service.setdefault(row[label], []).append(row)
    groups = []
    for service in sorted(by_service):
        group = list(by_service[service])
        rng.shuffle(group)
        groups.append(group)
    return groups


def pooled(results: Sequence[RetrievalMetrics]) -> RetrievalMetrics:
    """Metrics over the union of disjoint question sets (each set weighted by its size)."""
    total = sum(r.count for r in results)
    if total == 0:
        return RetrievalMetrics(0.0, 0.0, 0.0, 0)
    return RetrievalMetrics(
        sum(r.recall_at_1 * r.count for r in results) / total,
        sum(r.recall_at_5 * r.count for r in results) / total,
        sum(r.mrr_at_10 * r.count for r in results) / total,
        total,
    )


def save_results(
    path: Path, results: dict[str, RetrievalMetrics], *, questions: Path, kb: Path, model: str | None
) -> None:
    """Write the figures of one evaluation run as JSON (what `load_results` reads back)."""
    import json

    payload = {
        "questions_file": str(questions), "kb": str(kb), "embedding_model": model,
        "modes": {mode: asdict(metrics) for mode, metrics in results.items()},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


def load_results(path: Path) -> dict[str, RetrievalMetrics]:
    """The figures saved by `save_results`.

    Raises:
        ValueError: the file is not such a JSON file.
    """
    import json

    try:
        modes = json.loads(path.read_text(encoding="utf-8"))["modes"]
        return {mode: RetrievalMetrics(**figures) for mode, figures in modes.items()}
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a file written by `assistant evaluate retrieval --save`") from exc


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a question CSV."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(rows: Sequence[dict[str, str]], path: Path) -> None:
    """Write rows with the columns of the first row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["question", "service"])
        writer.writeheader()
        writer.writerows(rows)
