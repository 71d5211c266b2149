"""The NLU cross-validation runner: seeded fold splits, fold recording, config copies.

Runs in `.venv-rasa` (it imports Rasa)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import read_yaml_file

from assistant.evaluation.nlu_cv_runner import (
    FoldRecord,
    fold_test_sets,
    instrumented,
    prepare_config,
    texts_under_several_intents,
)

STOCK_CONFIG = Path(__file__).resolve().parents[2] / "assistant" / "evaluation" / "stock_config.yml"


def training_data(texts_per_intent: dict[str, list[str]]) -> TrainingData:
    return TrainingData(
        [Message(data={TEXT: text, INTENT: intent}) for intent, texts in texts_per_intent.items() for text in texts]
    )


@pytest.fixture()
def data() -> TrainingData:
    return training_data(
        {
            "greet": [f"안녕하세요 {i}" for i in range(6)] + [f"hello {i}" for i in range(6)],
            "goodbye": [f"안녕히 계세요 {i}" for i in range(6)] + [f"bye {i}" for i in range(6)],
            "request_certificate": [f"등본 떼 주세요 {i}" for i in range(6)] + [f"certificate {i}" for i in range(6)],
        }
    )


def test_same_seed_gives_identical_test_sets(data: TrainingData) -> None:
    first = fold_test_sets(data, n_folds=3, seed=42)
    second = fold_test_sets(data, n_folds=3, seed=42)

    assert first == second
    # The test sets partition the data, each intent in every fold (stratified).
    assert sorted(pair for fold in first for pair in fold) == sorted(
        (m.get(TEXT), m.get(INTENT)) for m in data.intent_examples
    )
    assert all({intent for _, intent in fold} == {"greet", "goodbye", "request_certificate"} for fold in first)


def test_other_seed_gives_other_test_sets(data: TrainingData) -> None:
    assert fold_test_sets(data, n_folds=3, seed=42) != fold_test_sets(data, n_folds=3, seed=7)


def test_recording_inside_rasa_sees_the_same_folds(data: TrainingData) -> None:
    # `cross_validate` calls `rasa.nlu.test.generate_folds` through the module; the runner's
    # recorder wraps exactly that attribute and must pass the folds through unchanged.
    import numpy
    import rasa.nlu.test

    record = FoldRecord()
    with instrumented("project", 3, record):
        numpy.random.seed(42)
        folds = rasa.nlu.test.generate_folds(3, data)
        passed_through = [sorted(m.get(TEXT) for m in test.intent_examples) for _, test in folds]

    expected = fold_test_sets(data, n_folds=3, seed=42)
    assert record.test_sets == expected
    assert passed_through == [[text for text, _ in fold] for fold in expected]
    assert record.train_sizes == [24, 24, 24]
    assert len(set(record.fingerprints())) == 3


def test_prepare_config_overrides_only_diet_epochs(tmp_path: Path) -> None:
    original = STOCK_CONFIG.read_text(encoding="utf-8")

    copy = read_yaml_file(str(prepare_config(STOCK_CONFIG, tmp_path / "stock.yml", epochs=3)))

    diet = next(c for c in copy["pipeline"] if c["name"] == "DIETClassifier")
    assert diet["epochs"] == 3
    char_ngrams = next(c for c in copy["pipeline"] if c.get("analyzer") == "char_wb")
    assert (char_ngrams["min_ngram"], char_ngrams["max_ngram"]) == (1, 4)
    assert copy["language"] == "ko"
    assert STOCK_CONFIG.read_text(encoding="utf-8") == original


def test_prepare_config_keeps_epochs_without_override(tmp_path: Path) -> None:
    copy = read_yaml_file(str(prepare_config(STOCK_CONFIG, tmp_path / "stock.yml", epochs=None)))

    assert next(c for c in copy["pipeline"] if c["name"] == "DIETClassifier")["epochs"] == 100


def test_texts_under_several_intents_ignores_case_and_spacing() -> None:
    data = training_data({"affirm": ["네 맞아요", "Yes"], "inform": ["네  맞아요"], "greet": ["yes", "hi"]})

    issues = texts_under_several_intents(data)

    assert sorted(tuple(issue["intents"]) for issue in issues) == [("affirm", "greet"), ("affirm", "inform")]
