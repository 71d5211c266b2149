"""E5SentenceFeaturizer: real multilingual-e5-small sentence features for the intent classifier.

Runs in `.venv-rasa` (it imports Rasa)."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.nlu.e5_featurizer import E5SentenceFeaturizer


@pytest.fixture(scope="module")
def featurizer() -> E5SentenceFeaturizer:
    return E5SentenceFeaturizer(E5SentenceFeaturizer.get_default_config(), "e5")


def sentence_vector(featurizer: E5SentenceFeaturizer, text: str) -> np.ndarray:
    message = Message(data={TEXT: text})
    featurizer.process([message])
    _, sentence = message.get_dense_features(TEXT, [])
    assert sentence is not None
    return sentence.features[0]


def test_sets_one_normalised_384_dimensional_sentence_feature(featurizer: E5SentenceFeaturizer) -> None:
    message = Message(data={TEXT: "출생신고 하고 싶어요"})
    featurizer.process([message])
    sequence, sentence = message.get_dense_features(TEXT, [])
    assert sequence is None  # token features come from the sparse featurizers
    assert sentence is not None and sentence.type == FEATURE_TYPE_SENTENCE
    assert sentence.features.shape == (1, 384)
    assert np.linalg.norm(sentence.features[0]) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize(
    ("text", "paraphrase", "unrelated"),
    [
        ("아기가 태어났어요", "애기 낳았는데 신고하려고요", "오늘 날씨 어때요"),
        ("I want to register my baby's birth", "아기 출생신고 하고 싶어요", "what's the weather like?"),
        ("등본 한 통 떼주세요", "주민등록등본 발급해 주세요", "상담원 연결해 주세요"),
    ],
)
def test_paraphrases_and_translations_land_closer_than_unrelated_text(
    featurizer: E5SentenceFeaturizer, text: str, paraphrase: str, unrelated: str
) -> None:
    anchor = sentence_vector(featurizer, text)
    assert anchor @ sentence_vector(featurizer, paraphrase) > anchor @ sentence_vector(featurizer, unrelated)


def test_training_data_is_featurised_in_place_and_texts_without_words_are_skipped(
    featurizer: E5SentenceFeaturizer,
) -> None:
    examples = [
        Message(data={TEXT: "안녕하세요", INTENT: "greet"}),
        Message(data={TEXT: "goodbye", INTENT: "goodbye"}),
        Message(data={INTENT: "greet"}),  # an intent-only message (from stories) has no text
    ]
    featurizer.process_training_data(TrainingData(training_examples=examples))
    assert all(m.features_present(TEXT, []) for m in examples[:2])
    assert not examples[2].features


def test_same_text_same_vector(featurizer: E5SentenceFeaturizer) -> None:
    first = sentence_vector(featurizer, "여권 재발급 수수료 얼마예요?")
    again = sentence_vector(featurizer, "여권 재발급 수수료 얼마예요?")
    np.testing.assert_allclose(first, again)
