"""KiwiTokenizer, tested the way Rasa tests its tokenizers: (text, tokens, offsets) tables.

Runs in `.venv-rasa` (it imports Rasa)."""

from __future__ import annotations

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.spacy_tokenizer import POS_TAG_KEY
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.nlu.kiwi_tokenizer import KiwiTokenizer


@pytest.fixture(scope="module")
def tokenizer() -> KiwiTokenizer:
    return KiwiTokenizer(KiwiTokenizer.get_default_config())


@pytest.mark.parametrize(
    ("text", "expected_tokens", "expected_offsets"),
    [
        ("등본을 떼려고요", ["등본", "을", "떼", "려고", "요"], [(0, 2), (2, 3), (4, 5), (5, 7), (7, 8)]),
        ("출생신고하고싶어요", ["출생", "신고", "하", "고", "싶", "어요"], [(0, 2), (2, 4), (4, 5), (5, 6), (6, 7), (7, 9)]),
        # 했 = 하 + 었 share one character: one token, never two overlapping ones.
        ("신고했어요", ["신고", "했", "어요"], [(0, 2), (2, 3), (3, 5)]),
        ("이름은 박지우입니다", ["이름", "은", "박지우", "입니다"], [(0, 2), (2, 3), (4, 7), (7, 10)]),
        ("I want to register a birth", ["I", "want", "to", "register", "a", "birth"],
         [(0, 1), (2, 6), (7, 9), (10, 18), (19, 20), (21, 26)]),
        ("여권 renew 하고 싶어요!", ["여권", "renew", "하", "고", "싶", "어요"],
         [(0, 2), (3, 8), (9, 10), (10, 11), (12, 13), (13, 15)]),
        ("ㅇㅇ", ["ㅇㅇ"], [(0, 2)]),
        # Sentence punctuation glued to an English word by Kiwi is split off.
        ("register a birth.", ["register", "a", "birth"], [(0, 8), (9, 10), (11, 16)]),
        ("born March 5th.", ["born", "March", "5th"], [(0, 4), (5, 10), (11, 14)]),
        ("2026년 3월", ["2026", "년", "3", "월"], [(0, 4), (4, 5), (6, 7), (7, 8)]),
        ("010-1234-5678", ["010-1234-5678"], [(0, 13)]),
        # A name Kiwi does not know, glued to the copula: the name stays one token on its own.
        ("이름은 임채원이요", ["이름", "은", "임채원", "이", "요"], [(0, 2), (2, 3), (4, 7), (7, 8), (8, 9)]),
        ("아빠 이름은 이준혁이고요", ["아빠", "이름", "은", "이준혁", "이", "고", "요"],
         [(0, 2), (3, 5), (5, 6), (7, 10), (10, 11), (11, 12), (12, 13)]),
        # An implied copula never stretches a token over the following space.
        ("에너지바우처 건이요", ["에너지", "바우처", "건", "이요"], [(0, 3), (3, 6), (7, 8), (8, 10)]),
    ],
)
def test_kiwi_tokens_and_offsets(
    tokenizer: KiwiTokenizer, text: str, expected_tokens: list[str], expected_offsets: list[tuple[int, int]]
) -> None:
    tokens = tokenizer.tokenize(Message(data={TEXT: text}), attribute=TEXT)
    assert [t.text for t in tokens] == expected_tokens
    assert [(t.start, t.end) for t in tokens] == expected_offsets
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_lemmas_are_normalised_morphemes(tokenizer: KiwiTokenizer) -> None:
    tokens = tokenizer.tokenize(Message(data={TEXT: "했어요"}), attribute=TEXT)
    assert [t.lemma for t in tokens] == ["하+었", "어요"]


def test_tokens_carry_kiwis_part_of_speech_tags(tokenizer: KiwiTokenizer) -> None:
    """The CRF entity extractor reads them from the token's `pos` (Rasa's POS_TAG_KEY)."""
    tokens = tokenizer.tokenize(Message(data={TEXT: "이름은 박지우입니다 call me"}), attribute=TEXT)
    tags = {t.text: t.get(POS_TAG_KEY) for t in tokens}
    assert tags["박지우"] == "NNP"
    assert tags["은"].startswith("J")
    assert tags["call"] == tags["me"] == "SL"
    assert tokenizer.tokenize(Message(data={TEXT: "했어요"}), attribute=TEXT)[0].get(POS_TAG_KEY) == "VV+EP"


def test_punctuation_and_empty_text(tokenizer: KiwiTokenizer) -> None:
    assert tokenizer.tokenize(Message(data={TEXT: ""}), attribute=TEXT) == []
    assert [t.text for t in tokenizer.tokenize(Message(data={TEXT: "네!!"}), attribute=TEXT)] == ["네"]


def test_training_data_gets_tokens_for_text_and_intent(tokenizer: KiwiTokenizer) -> None:
    message = Message(data={TEXT: "출생신고 할게요", INTENT: "apply_birth_registration"})
    tokenizer.process_training_data(TrainingData([message]))
    assert [t.text for t in message.get(TOKENS_NAMES[TEXT])][:2] == ["출생", "신고"]
    assert [t.text for t in message.get(TOKENS_NAMES[INTENT])] == ["apply_birth_registration"]
