"""Korean morphological analysis with Kiwi, loaded once per process on first use.

Used by the retrieval index (BM25 terms) in `.venv` and by the Rasa tokenizer in `.venv-rasa`,
so it imports nothing but the standard library and kiwipiepy.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, List, Optional

# Tags that carry meaning for search: nouns, numerals, verb/adjective stems, roots, foreign words.
CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "NP", "VV", "VA", "XR", "SL", "SN", "SH", "MAG"})
ENGLISH_STOPWORDS = frozenset(
    "a an the and or of to in on for with is are was were be been am do does did i my me you your "
    "we our it its this that what how can could should would will please".split()
)

_kiwi: Optional[Any] = None
_lock = threading.Lock()


@dataclass(frozen=True)
class Morpheme:
    """A morpheme with its tag and character span in the analysed text."""

    form: str
    tag: str
    start: int
    end: int


def kiwi() -> Any:
    """The process-wide Kiwi analyser (its model loads in about a second)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


def analyse(text: str) -> List[Morpheme]:
    """Morphemes of `text` with character offsets into `text`."""
    if not text.strip():
        return []
    return [Morpheme(t.form, t.tag, t.start, t.start + t.len) for t in kiwi().tokenize(text)]


def analyse_many(texts: List[str]) -> List[List[Morpheme]]:
    """Batched `analyse` (Kiwi runs several texts faster together)."""
    results: List[List[Morpheme]] = []
    for text, tokens in zip(texts, kiwi().tokenize(texts)):
        results.append([Morpheme(t.form, t.tag, t.start, t.start + t.len) for t in tokens])
    return results


def content_terms(morphemes: List[Morpheme]) -> List[str]:
    """Search terms: content morphemes, English lower-cased without stop words."""
    terms: List[str] = []
    for m in morphemes:
        if m.tag not in CONTENT_TAGS:
            continue
        form = m.form.lower()
        if m.tag == "SL" and (form in ENGLISH_STOPWORDS or len(form) < 2):
            continue
        terms.append(form)
    return terms


def search_terms(text: str) -> List[str]:
    """`content_terms(analyse(text))`."""
    return content_terms(analyse(text))
