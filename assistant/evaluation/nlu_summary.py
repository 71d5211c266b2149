"""Summary of an NLU cross-validation run, built from the files Rasa's `cross_validate` writes.

Standard library only, and Python 3.10 compatible: the runner (`nlu_cv_runner`, in `.venv-rasa`)
builds the summary with it, and `assistant evaluate nlu` (in `.venv`) reads it back for its table.

Per pipeline folder, Rasa writes `intent_report.json`, `intent_successes.json`,
`intent_errors.json`, `intent_confusion_matrix.png` and, per entity extractor that predicted
anything, `<Extractor>_report.json`. Per-language scores are computed here from the successes and
errors, because Rasa's reports do not split by language.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")
LANGUAGES = ("ko", "en")
# Keys of a sklearn classification report that are averages, not labels.
AVERAGE_KEYS = {"accuracy", "micro avg", "macro avg", "weighted avg", "samples avg"}
NON_ENTITY_REPORTS = {"intent_report.json", "response_selection_report.json"}

# (gold intent, predicted intent, text)
Prediction = Tuple[str, str, str]


def language_of(text: str) -> str:
    """`ko` when the text contains Hangul, `en` when it has Latin letters only, else `other`."""
    if HANGUL.search(text):
        return "ko"
    if LATIN.search(text):
        return "en"
    return "other"


def macro_f1(pairs: Sequence[Tuple[str, str]]) -> float:
    """Unweighted mean F1 over the gold labels of `pairs` ((gold, predicted) tuples).

    Like Rasa's intent report, labels that are only predicted (such as `nlu_fallback`) are not
    averaged over; predicting them still costs the gold label its recall.
    """
    gold_labels = sorted({gold for gold, _ in pairs})
    if not gold_labels:
        return 0.0
    scores = []
    for label in gold_labels:
        true_positive = sum(1 for gold, predicted in pairs if gold == label and predicted == label)
        gold_count = sum(1 for gold, _ in pairs if gold == label)
        predicted_count = sum(1 for _, predicted in pairs if predicted == label)
        precision = true_positive / predicted_count if predicted_count else 0.0
        recall = true_positive / gold_count if gold_count else 0.0
        total = precision + recall
        scores.append(2 * precision * recall / total if total else 0.0)
    return sum(scores) / len(scores)


def read_predictions(pipeline_dir: Path) -> List[Prediction]:
    """Every test-fold prediction, from `intent_successes.json` plus `intent_errors.json`."""
    predictions: List[Prediction] = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = pipeline_dir / name
        if not path.exists():  # Rasa writes no file when the list would be empty.
            continue
        for row in json.loads(path.read_text(encoding="utf-8")):
            predicted = (row.get("intent_prediction") or {}).get("name") or "None"
            predictions.append((row["intent"], predicted, row["text"]))
    return predictions


def language_scores(predictions: Iterable[Prediction]) -> Dict[str, Dict[str, float]]:
    """Examples, accuracy and macro-F1 per language of the example text."""
    by_language: Dict[str, List[Tuple[str, str]]] = {}
    for gold, predicted, text in predictions:
        by_language.setdefault(language_of(text), []).append((gold, predicted))
    scores = {}
    for language in (*LANGUAGES, "other"):
        pairs = by_language.get(language, [])
        if not pairs and language == "other":
            continue
        correct = sum(1 for gold, predicted in pairs if gold == predicted)
        scores[language] = {
            "examples": len(pairs),
            "accuracy": correct / len(pairs) if pairs else 0.0,
            "macro_f1": macro_f1(pairs),
        }
    return scores


def _label_rows(report: Mapping[str, Any]) -> Dict[str, Dict[str, float]]:
    return {
        label: {
            "precision": values["precision"],
            "recall": values["recall"],
            "f1": values["f1-score"],
            "support": values["support"],
        }
        for label, values in report.items()
        if label not in AVERAGE_KEYS and isinstance(values, dict)
    }


def _average(report: Mapping[str, Any], key: str) -> Optional[float]:
    values = report.get(key)
    return values.get("f1-score") if isinstance(values, dict) else None


def intent_scores(pipeline_dir: Path) -> Dict[str, Any]:
    """Rasa's own intent report, reduced to per-intent P/R/F1 and the averages."""
    path = pipeline_dir / "intent_report.json"
    report = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {
        "accuracy": report.get("accuracy"),
        "macro_f1": _average(report, "macro avg"),
        "weighted_f1": _average(report, "weighted avg"),
        "per_intent": _label_rows(report),
    }


def entity_scores(pipeline_dir: Path) -> Dict[str, Dict[str, Any]]:
    """Per extractor: per-entity-type P/R/F1 and the micro/macro averages from Rasa's reports."""
    scores = {}
    for path in sorted(pipeline_dir.glob("*_report.json")):
        if path.name in NON_ENTITY_REPORTS:
            continue
        report = json.loads(path.read_text(encoding="utf-8"))
        scores[path.name[: -len("_report.json")]] = {
            "micro_f1": _average(report, "micro avg"),
            "macro_f1": _average(report, "macro avg"),
            "per_entity": _label_rows(report),
        }
    return scores


def top_confusions(predictions: Iterable[Prediction], limit: int = 15) -> List[Dict[str, Any]]:
    """The most frequent (gold, predicted) pairs among the errors, with up to 3 example texts."""
    counts: Counter = Counter()
    examples: Dict[Tuple[str, str], List[str]] = {}
    for gold, predicted, text in predictions:
        if gold != predicted:
            counts[(gold, predicted)] += 1
            examples.setdefault((gold, predicted), []).append(text)
    return [
        {"intent": gold, "predicted": predicted, "count": count, "examples": examples[(gold, predicted)][:3]}
        for (gold, predicted), count in counts.most_common(limit)
    ]


def output_files(pipeline_dir: Path) -> Dict[str, Any]:
    """Paths of the plots and per-example files Rasa wrote (only those that exist)."""

    def existing(name: str) -> Optional[str]:
        path = pipeline_dir / name
        return str(path) if path.exists() else None

    return {
        "intent_confusion_matrix": existing("intent_confusion_matrix.png"),
        "intent_histogram": existing("intent_histogram.png"),
        "intent_errors": existing("intent_errors.json"),
        "intent_successes": existing("intent_successes.json"),
        "entity_confusion_matrices": sorted(
            str(p) for p in pipeline_dir.glob("*_confusion_matrix.png") if p.name != "intent_confusion_matrix.png"
        ),
        "entity_errors": sorted(str(p) for p in pipeline_dir.glob("*_errors.json") if p.name != "intent_errors.json"),
    }


def pipeline_summary(pipeline_dir: Path) -> Dict[str, Any]:
    """Everything the summary holds for one pipeline, read from its output folder."""
    predictions = read_predictions(pipeline_dir)
    intents = intent_scores(pipeline_dir)
    intents["macro_f1_recomputed"] = macro_f1([(gold, predicted) for gold, predicted, _ in predictions])
    return {
        "output_dir": str(pipeline_dir),
        "test_examples": len(predictions),
        "intent": intents,
        "by_language": language_scores(predictions),
        "entities": entity_scores(pipeline_dir),
        "top_confusions": top_confusions(predictions),
        "files": output_files(pipeline_dir),
    }


def _number(value: Optional[float], digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _mean(values: Sequence[float]) -> Optional[float]:
    return sum(values) / len(values) if values else None


def headline_rows(summary: Mapping[str, Any]) -> List[Tuple[str, List[str]]]:
    """(metric, one value per pipeline) rows of the side-by-side overview."""
    pipelines = list(summary["pipelines"].values())
    extractors = sorted({extractor for p in pipelines for extractor in p["entities"]})

    def row(label: str, values: Iterable[Optional[float]], digits: int = 3) -> Tuple[str, List[str]]:
        return label, [_number(value, digits) for value in values]

    def language(p: Mapping[str, Any], code: str) -> Mapping[str, Any]:
        return p["by_language"].get(code) or {}

    rows = [
        row("intent macro-F1", (p["intent"]["macro_f1"] for p in pipelines)),
        row("intent weighted-F1", (p["intent"]["weighted_f1"] for p in pipelines)),
        row("intent accuracy", (p["intent"]["accuracy"] for p in pipelines)),
    ]
    for code in LANGUAGES:
        examples = max((language(p, code).get("examples", 0) for p in pipelines), default=0)
        rows.append(row(f"macro-F1 {code} ({examples} ex.)", (language(p, code).get("macro_f1") for p in pipelines)))
    for extractor in extractors:
        micro = ((p["entities"].get(extractor) or {}).get("micro_f1") for p in pipelines)
        rows.append(row(f"entity micro-F1 ({extractor})", micro))
    rows.append(row("train s / fold (mean)", (_mean(p.get("fold_train_seconds") or []) for p in pipelines), 0))
    rows.append(row("wall time (s)", (p.get("wall_seconds") for p in pipelines), 0))
    return rows


def intent_rows(summary: Mapping[str, Any]) -> List[Tuple[str, List[str]]]:
    """(intent, P/R/F1 per pipeline) rows, intents sorted by name."""
    pipelines = list(summary["pipelines"].values())
    intents = sorted({name for p in pipelines for name in p["intent"]["per_intent"]})
    rows = []
    for intent in intents:
        cells = []
        for p in pipelines:
            values = p["intent"]["per_intent"].get(intent)
            cells += [_number(values[k]) if values else "–" for k in ("precision", "recall", "f1")]
        support = max((p["intent"]["per_intent"].get(intent, {}).get("support", 0) for p in pipelines), default=0)
        rows.append((f"{intent} ({support})", cells))
    return rows


def entity_rows(summary: Mapping[str, Any]) -> List[Tuple[str, List[str]]]:
    """(extractor: entity, P/R/F1 per pipeline) rows."""
    pipelines = list(summary["pipelines"].values())
    keys = sorted({(ex, ent) for p in pipelines for ex, s in p["entities"].items() for ent in s["per_entity"]})
    rows = []
    for extractor, entity in keys:
        cells = []
        support = 0
        for p in pipelines:
            values = (p["entities"].get(extractor) or {}).get("per_entity", {}).get(entity)
            cells += [_number(values[k]) if values else "–" for k in ("precision", "recall", "f1")]
            support = max(support, values["support"] if values else 0)
        rows.append((f"{extractor}: {entity} ({support})", cells))
    return rows


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown_table(header: Sequence[str], rows: Iterable[Tuple[str, List[str]]]) -> List[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join([label, *cells]) + " |" for label, cells in rows]
    return lines


def to_markdown(summary: Mapping[str, Any]) -> str:
    """summary.md: overview, per-intent and per-entity tables side by side, files, data issues."""
    names = list(summary["pipelines"])
    prf = [f"{name} {m}" for name in names for m in ("P", "R", "F1")]
    lines = [
        f"# NLU cross-validation: {', '.join(names)}",
        "",
        f"{summary['folds']} folds, seed {summary['seed']}, data `{summary['data']}`, "
        f"{summary['examples']['total']} intent examples ({summary['examples'].get('ko', 0)} Korean, "
        f"{summary['examples'].get('en', 0)} English-only). Same folds for every pipeline: "
        f"{'yes' if summary['identical_folds'] else 'NO'}."
        + (f" DIET epochs overridden to {summary['epochs']}." if summary.get("epochs") else ""),
        "",
        "## Overview",
        "",
        *_markdown_table(["metric", *names], headline_rows(summary)),
        "",
        "## Intents (precision / recall / F1; support in brackets)",
        "",
        *_markdown_table(["intent", *prf], intent_rows(summary)),
        "",
        "## Entities (Rasa entity reports)",
        "",
        *_markdown_table(["extractor: entity", *prf], entity_rows(summary)),
        "",
        "## Files and timings",
        "",
    ]
    for name, p in summary["pipelines"].items():
        files = p["files"]
        seconds = ", ".join(f"{s:.0f}" for s in p.get("fold_train_seconds", []))
        lines += [
            f"- **{name}** (`{p.get('config', '')}`): confusion matrix `{files['intent_confusion_matrix']}`, "
            f"misclassified examples `{files['intent_errors']}`; training seconds per fold: {seconds}",
        ]
    issues = summary.get("data_issues", {}).get("texts_under_several_intents", [])
    if issues:
        lines += ["", "## Data issues: same text under several intents", ""]
        lines += [f"- `{issue['text']}`: {', '.join(issue['intents'])}" for issue in issues]
    for name, p in summary["pipelines"].items():
        if p["top_confusions"]:
            lines += ["", f"## Most frequent confusions: {name}", ""]
            lines += _markdown_table(
                ["intent → predicted", "count", "examples"],
                [
                    (f"{c['intent']} → {c['predicted']}", [str(c["count"]), _escape(" / ".join(c["examples"]))])
                    for c in p["top_confusions"]
                ],
            )
    return "\n".join(lines) + "\n"
