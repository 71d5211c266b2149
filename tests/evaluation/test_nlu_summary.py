"""Summary of an NLU cross-validation run, from files shaped like the ones Rasa writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.nlu_summary import (
    headline_rows,
    intent_rows,
    language_of,
    macro_f1,
    pipeline_summary,
    to_markdown,
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("등본 떼고 싶어요", "ko"),
        ("여권 renew 하고 싶어요", "ko"),
        ("ㅇㅇ", "ko"),
        ("I need a resident certificate", "en"),
        ("010-1234-5678", "other"),
        ("👍", "other"),
    ],
)
def test_language_of(text: str, language: str) -> None:
    assert language_of(text) == language


def test_macro_f1_averages_over_gold_labels_only() -> None:
    # greet: P 1/1, R 1/2 -> F1 2/3; bye: P 1/1, R 1/1 -> F1 1; nlu_fallback is only predicted.
    pairs = [("greet", "greet"), ("greet", "nlu_fallback"), ("bye", "bye")]

    assert macro_f1(pairs) == pytest.approx((2 / 3 + 1) / 2)
    assert macro_f1([]) == 0.0


def write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def prediction(text: str, intent: str, predicted: str) -> dict[str, object]:
    return {"text": text, "intent": intent, "intent_prediction": {"name": predicted, "confidence": 0.9}}


@pytest.fixture()
def pipeline_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    write_json(
        folder / "intent_successes.json",
        [prediction("안녕하세요", "greet", "greet"), prediction("hello", "greet", "greet"), prediction("bye", "bye", "bye")],
    )
    write_json(folder / "intent_errors.json", [prediction("안녕히 가세요", "bye", "greet")])
    row = {"precision": 0.5, "recall": 1.0, "f1-score": 0.667, "support": 2, "confused_with": {}}
    write_json(
        folder / "intent_report.json",
        {
            "greet": row,
            "bye": {**row, "precision": 1.0, "recall": 0.5},
            "accuracy": 0.75,
            "macro avg": {**row, "f1-score": 0.667},
            "weighted avg": {**row, "f1-score": 0.667},
            "micro avg": {**row, "f1-score": 0.75},
        },
    )
    write_json(
        folder / "DIETClassifier_report.json",
        {"document_type": {**row, "f1-score": 0.8}, "micro avg": {**row, "f1-score": 0.8}, "macro avg": row},
    )
    (folder / "intent_confusion_matrix.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return folder


def test_pipeline_summary_reads_rasa_files(pipeline_dir: Path) -> None:
    summary = pipeline_summary(pipeline_dir)

    assert summary["test_examples"] == 4
    assert set(summary["intent"]["per_intent"]) == {"greet", "bye"}
    assert summary["intent"]["macro_f1"] == 0.667
    # Korean: greet right, bye predicted as greet -> greet F1 2/3, bye F1 0.
    assert summary["by_language"]["ko"] == {"examples": 2, "accuracy": 0.5, "macro_f1": pytest.approx(1 / 3)}
    assert summary["by_language"]["en"]["macro_f1"] == 1.0
    assert summary["entities"]["DIETClassifier"]["per_entity"]["document_type"]["f1"] == 0.8
    assert summary["top_confusions"] == [{"intent": "bye", "predicted": "greet", "count": 1, "examples": ["안녕히 가세요"]}]
    assert summary["files"]["intent_confusion_matrix"].endswith("intent_confusion_matrix.png")
    assert summary["files"]["intent_errors"].endswith("intent_errors.json")


def test_side_by_side_rows_and_markdown(pipeline_dir: Path) -> None:
    one = {**pipeline_summary(pipeline_dir), "config": "config.yml", "fold_train_seconds": [10.0, 20.0], "wall_seconds": 40.0}
    summary = {
        "data": "nlu_data/nlu", "folds": 2, "seed": 42, "epochs": None, "identical_folds": True,
        "examples": {"total": 4, "ko": 2, "en": 2, "other": 0},
        "data_issues": {"texts_under_several_intents": [{"text": "네", "intents": ["affirm", "inform"]}]},
        "pipelines": {"project": one, "stock": one},
    }

    headline = dict(headline_rows(summary))
    assert headline["intent macro-F1"] == ["0.667", "0.667"]
    assert headline["macro-F1 ko (2 ex.)"] == ["0.333", "0.333"]
    assert headline["train s / fold (mean)"] == ["15", "15"]
    assert [label for label, _ in intent_rows(summary)] == ["bye (2)", "greet (2)"]
    markdown = to_markdown(summary)
    assert "| greet (2) | 0.500 | 1.000 | 0.667 | 0.500 | 1.000 | 0.667 |" in markdown
    assert "`네`: affirm, inform" in markdown
