"""BM25 terms and the morpheme pairs of the second lexical channel."""

from __future__ import annotations

from assistant.language.korean import search_terms
from assistant.retrieval.lexical import LexicalIndex, term_pairs


def test_term_pairs_join_adjacent_terms_in_order() -> None:
    assert term_pairs(["청년", "월세", "지원"]) == ["청년_월세", "월세_지원"]
    assert term_pairs(["등본"]) == [] and term_pairs([]) == []


def test_pairs_leave_conversational_endings_out() -> None:
    # The endings are not terms, so "얼마예요" and "하나요" never form a pair of their own.
    pairs = term_pairs(search_terms("등본 발급 수수료 얼마예요?"))
    assert pairs == ["등본_발급", "발급_수수료", "수수료_얼마"]


def test_a_pair_index_scores_the_phrase_not_just_its_words() -> None:
    texts = ["청년 월세 지원을 신청합니다", "월세를 내는 청년에게 주거 지원을 합니다"]
    index = LexicalIndex([term_pairs(search_terms(t)) for t in texts])
    scores = index.scores(term_pairs(search_terms("청년 월세 지원 대상")))
    assert scores[0] > 0 and scores[1] == 0
