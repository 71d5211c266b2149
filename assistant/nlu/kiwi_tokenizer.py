"""A Rasa tokenizer for Korean backed by Kiwi's morphological analysis.

Whitespace splitting fails Korean: particles and endings glue to words (등본을, 등본이, 떼려고) and
citizens' spacing is unreliable (출생신고하고싶어요). Kiwi splits at morpheme boundaries; morphemes
that share characters (했 = 하 + 었) are merged into one token so every token is a real span of the
text, which entity annotations and extractors rely on.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
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


def merge_morphemes(text: str, morphemes: List[Any]) -> List[Token]:
    """Tokens from morphemes: overlapping or zero-width morphemes join their neighbour's token."""
    groups: List[List[Any]] = []
    end = -1
    for morpheme in morphemes:
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
        start = min(m.start for m in group)
        stop = max(m.end for m in group)
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
        tokens.append(Token(text[start:stop], start, stop, lemma=lemma.lower()))
    tokens.extend(_latin_words(text, latin_start, latin_end))
    return tokens


def _latin_words(text: str, start: int, end: int) -> List[Token]:
    if start < 0 or end <= start:
        return []
    return [
        Token(m.group(), start + m.start(), start + m.end(), lemma=m.group().lower())
        for m in LATIN_WORD.finditer(text[start:end])
    ]
