"""BM25 over Kiwi content morphemes, or over syllable bigrams (bm25s keeps the scores in a sparse
matrix)."""

from __future__ import annotations

import re

import numpy as np

from assistant.language.korean import analyse_many, content_terms


def terms_of(texts: list[str]) -> list[list[str]]:
    """Search terms of each text (batched Kiwi analysis)."""
    return [content_terms(morphemes) for morphemes in analyse_many(texts)]


_WORD = re.compile(r"\w+")


def syllable_bigrams(text: str) -> list[str]:
    """Overlapping two-character pieces of every word, lower-cased ("내일저축계좌" -> 내일, 일저, 저축...).

    Korean retrieval has long indexed syllable bigrams beside morphemes: they match a compound noun
    however the analyser splits it or the citizen spaces it ("골밀도검사", "골밀도 검사"). A
    one-character word is kept whole.
    """
    pieces: list[str] = []
    for word in _WORD.findall(text.lower()):
        pieces.extend(word[i : i + 2] for i in range(max(1, len(word) - 1)))
    return pieces


class LexicalIndex:
    """BM25 scores for a list of chunk term lists; rebuilt from cached terms in well under a second
    per 10k chunks, so updates re-tokenise only the changed chunks."""

    def __init__(self, chunk_terms: list[list[str]]) -> None:
        import bm25s

        self._retriever = bm25s.BM25(k1=1.2, b=0.75)
        self.size = len(chunk_terms)
        if self.size:
            # An empty term list would make bm25s drop the document and shift every index after it.
            safe = [terms or ["\u2205"] for terms in chunk_terms]
            self._retriever.index(safe, show_progress=False)
            self._vocab: dict[str, int] = self._retriever.vocab_dict
        else:
            self._vocab = {}

    def scores(self, query_terms: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the query (zeros when no term is known)."""
        known = [t for t in query_terms if t in self._vocab]
        if not known or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(known), dtype=np.float32)
