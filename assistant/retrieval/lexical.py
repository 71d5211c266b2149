"""BM25 over Kiwi content morphemes, or over pairs of adjacent ones (bm25s keeps the scores in a
sparse matrix)."""

from __future__ import annotations

import numpy as np

from assistant.language.korean import analyse_many, content_terms


def terms_of(texts: list[str]) -> list[list[str]]:
    """Search terms of each text (batched Kiwi analysis)."""
    return [content_terms(morphemes) for morphemes in analyse_many(texts)]


def term_pairs(terms: list[str]) -> list[str]:
    """Adjacent content morphemes joined in pairs (["청년", "월세", "지원"] -> 청년_월세, 월세_지원).

    A pair keeps a little of the word order that single terms lose: "주거 급여" and "급여 주거
    지원" share both terms but not the pair. Endings and particles are already gone from the
    terms, so conversational endings ("얼마예요", "하나요") never form a pair.
    """
    return [f"{first}_{second}" for first, second in zip(terms, terms[1:])]


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
