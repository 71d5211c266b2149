"""A Rasa tokenizer for Korean backed by Kiwi's morphological analysis.

Whitespace splitting fails Korean: particles and endings glue to words (등본을, 등본이, 떼려고) and
citizens' spacing is unreliable (출생신고하고싶어요). Kiwi splits at morpheme boundaries; morphemes
that share characters (했 = 하 + 었) are merged into one token so every token is a real span of the
text, which entity annotations and extractors rely on.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, NamedTuple, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.spacy_tokenizer import POS_TAG_KEY
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

# Punctuation carries no meaning for intents and must not split entity spans into odd tokens.
PUNCTUATION_TAGS = frozenset({"SF", "SP", "SS", "SSO", "SSC", "SE", "SO"})
LATIN_TAGS = frozenset({"SL", "SN"})
LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019\-][A-Za-z0-9]+)*")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class KiwiTokenizer(Tokenizer):
    """Tokens at Kiwi morpheme boundaries; each token's lemma is its morphemes joined by '+'."""

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        """Korean, and the English and mixed text Korean citizens write."""
        return None

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Base tokenizer keys plus nothing Kiwi-specific yet."""
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        """Kiwi and its bundled model."""
        return ["kiwipiepy"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "KiwiTokenizer":
        """Creates the tokenizer; Kiwi itself loads on first use."""
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        """Tokens of the attribute's text, in order, with character offsets."""
        from assistant.language.korean import analyse

        text = message.get(attribute) or ""
        tokens = merge_morphemes(text, analyse(text))
        return self._apply_token_pattern(tokens)


class _Piece(NamedTuple):
    """A morpheme-like span: Kiwi's tokens have the same four fields."""

    form: str
    tag: str
    start: int
    end: int


def split_glued_copula(morphemes: List[Any]) -> List[Any]:
    """Splits a copula 이 that Kiwi glued to an unknown name (임채원이요 -> 임채원 + 이 + 요).

    Names are open-class: Kiwi often reads "<name>이" followed by an ending or particle as one
    noun, which puts a token boundary inside the annotated name. Only nouns of four or more
    syllables are split, so real nouns ending in 이 (어린이, 아이) stay whole.
    """
    result: List[Any] = []
    for position, morpheme in enumerate(morphemes):
        following = morphemes[position + 1] if position + 1 < len(morphemes) else None
        if (
            morpheme.tag.startswith("NN")
            and len(morpheme.form) >= 4
            and morpheme.form.endswith("이")
            and morpheme.end - morpheme.start == len(morpheme.form)
            and all("\uac00" <= ch <= "\ud7a3" for ch in morpheme.form)
            and following is not None
            and following.start == morpheme.end
            and following.tag[:1] in ("E", "J", "V")
        ):
            result.append(_Piece(morpheme.form[:-1], morpheme.tag, morpheme.start, morpheme.end - 1))
            result.append(_Piece("이", "VCP", morpheme.end - 1, morpheme.end))
        else:
            result.append(morpheme)
    return result


def merge_morphemes(text: str, morphemes: List[Any]) -> List[Token]:
    """Tokens from morphemes: overlapping or zero-width morphemes join their neighbour's token."""
    groups: List[List[Any]] = []
    end = -1
    for morpheme in split_glued_copula(list(morphemes)):
        if morpheme.tag in PUNCTUATION_TAGS:
            continue
        if groups and (morpheme.start < end or morpheme.end <= morpheme.start):
            groups[-1].append(morpheme)
            end = max(end, morpheme.end)
        else:
            groups.append([morpheme])
            end = morpheme.end
    tokens: List[Token] = []
    latin_start = latin_end = -1
    for group in groups:
        # A zero-width morpheme (an implied copula) marks no characters: it must not stretch its
        # neighbour's span over the following space ("바우처 " from 바우처 + 이 at the next word).
        spanning = [m for m in group if m.end > m.start] or group
        start = min(m.start for m in spanning)
        stop = max(m.end for m in spanning)
        if stop <= start:
            continue
        if all(m.tag in LATIN_TAGS for m in group):
            # Kiwi glues sentence punctuation to Latin words ("birth.") and sometimes cuts one
            # word in two ("bi" + "rth."): collect touching Latin runs and split them into words.
            if latin_end == start:
                latin_end = stop
            else:
                tokens.extend(_latin_words(text, latin_start, latin_end))
                latin_start, latin_end = start, stop
            continue
        tokens.extend(_latin_words(text, latin_start, latin_end))
        latin_start = latin_end = -1
        lemma = "+".join(m.form for m in group)
        # Kiwi's tags ride along as the token's part of speech ("NNP+JKS"): the CRF entity
        # extractor reads them, and a proper noun (NNP) is the best clue to a person's name.
        tags = "+".join(m.tag for m in group)
        tokens.append(Token(text[start:stop], start, stop, data={POS_TAG_KEY: tags}, lemma=lemma.lower()))
    tokens.extend(_latin_words(text, latin_start, latin_end))
    return tokens


def _latin_words(text: str, start: int, end: int) -> List[Token]:
    if start < 0 or end <= start:
        return []
    return [
        Token(m.group(), start + m.start(), start + m.end(), data={POS_TAG_KEY: "SL"}, lemma=m.group().lower())
        for m in LATIN_WORD.finditer(text[start:end])
    ]
