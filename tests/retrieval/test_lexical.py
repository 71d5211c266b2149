"""BM25 over morphemes and over syllable bigrams."""

from __future__ import annotations

from assistant.retrieval.lexical import LexicalIndex, syllable_bigrams, terms_of


def test_syllable_bigrams_are_overlapping_pieces_of_each_word() -> None:
    assert syllable_bigrams("내일저축계좌") == ["내일", "일저", "저축", "축계", "계좌"]
    # Lower-cased, split at spaces and punctuation, a one-character word kept whole.
    assert syllable_bigrams("Wee 센터, 집") == ["we", "ee", "센터", "집"]
    assert syllable_bigrams("?!") == []


def test_a_compound_matches_however_it_is_spaced() -> None:
    joined, spaced = syllable_bigrams("골밀도검사"), syllable_bigrams("골밀도 검사")
    # Only the piece across the space is lost.
    assert set(spaced) < set(joined) and set(joined) - set(spaced) == {"도검"}


def test_bigram_bm25_finds_the_section_sharing_the_compound() -> None:
    sections = [
        "국가건강검진. 만 54세와 66세 여성은 골밀도검사를 받습니다.",
        "의료급여. 저소득층의 진료비를 지원합니다.",
        "청년내일저축계좌. 일하는 청년의 저축에 정부가 더해 줍니다.",
    ]
    index = LexicalIndex([syllable_bigrams(text) for text in sections])
    assert int(index.scores(syllable_bigrams("골밀도 검사는 누가 받나요?")).argmax()) == 0
    assert int(index.scores(syllable_bigrams("내일 저축 계좌 신청")).argmax()) == 2


def test_morpheme_terms_drop_endings_and_particles() -> None:
    terms = terms_of(["여권을 재발급하고 싶어요"])[0]
    assert "여권" in terms and "을" not in terms
