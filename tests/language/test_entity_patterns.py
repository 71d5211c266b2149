"""Rule-based entity patterns, tested as (text, expected matches) tables.

Standard library only: runs in `.venv` and `.venv-rasa`."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.language.entity_patterns import (
    EntityMatch,
    document_type_of,
    find_addresses,
    find_counts,
    find_dates,
    find_document_types,
    find_phones,
    find_rrns,
    find_rule_entities,
    is_valid_rrn,
    normalise_phone,
    redact_rrn_digits,
    resolve_overlaps,
)

TODAY = date(2026, 3, 10)  # a Tuesday


def surfaces(text: str, matches: list[EntityMatch]) -> list[tuple[str, str]]:
    """(matched text, value) pairs, checking every span is a real slice of `text`."""
    assert all(0 <= m.start < m.end <= len(text) for m in matches)
    return [(text[m.start : m.end], m.value) for m in matches]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("010-1234-5678", [("010-1234-5678", "010-1234-5678")]),
        ("01098765432", [("01098765432", "010-9876-5432")]),
        ("번호 010 3456 7890이요", [("010 3456 7890", "010-3456-7890")]),
        ("010.5678.9012", [("010.5678.9012", "010-5678-9012")]),
        ("집 전화 02-765-4321", [("02-765-4321", "02-765-4321")]),
        ("전화번호는 031-123-4567이에요", [("031-123-4567", "031-123-4567")]),
        ("(02) 123-4567", [("(02) 123-4567", "02-123-4567")]),
        ("070-1234-5678", [("070-1234-5678", "070-1234-5678")]),
        ("[+82 10 2222 3333]", [("+82 10 2222 3333", "010-2222-3333")]),
        ("call me at +82-10-3333-4444", [("+82-10-3333-4444", "010-3333-4444")]),
        ("+82 2 123 4567", [("+82 2 123 4567", "02-123-4567")]),
        ("my mobile is 010 8080 9090, or 02-111-2222", [("010 8080 9090", "010-8080-9090"), ("02-111-2222", "02-111-2222")]),
        # Not phones: a resident registration number, a date, a receipt number, too few digits.
        ("0503154234567", []),
        ("900101-1234567", []),
        ("2026-03-05", []),
        ("접수번호 2026-BR-000123", []),
        ("010-123-456", []),
    ],
)
def test_phones(text: str, expected: list[tuple[str, str]]) -> None:
    assert surfaces(text, find_phones(text)) == expected


def test_normalise_phone_accepts_only_a_whole_number() -> None:
    assert normalise_phone(" 01012345678 ") == "010-1234-5678"
    assert normalise_phone("010-1234-5678 please") is None
    assert normalise_phone("hello") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("900101-1234567", [("900101-1234567", "900101-1******")]),
        ("주민번호는 850315-2345678입니다", [("850315-2345678", "850315-2******")]),
        ("0503154234567", [("0503154234567", "050315-4******")]),  # 2005, no hyphen
        ("RRN 910417 - 1029384", [("910417 - 1029384", "910417-1******")]),
        ("000229-3123456", [("000229-3123456", "000229-3******")]),  # 29 Feb 2000 existed
        ("외국인 900101-5123456", [("900101-5123456", "900101-5******")]),
        # Invalid: 7th digit 9 or 0, month 13, 30 Feb, 29 Feb 1900, 14 digits, a phone number.
        ("900101-9234567", []),
        ("900101-0234567", []),
        ("901301-1234567", []),
        ("900230-1234567", []),
        ("000229-1234567", []),
        ("9001011234567 8", [("9001011234567", "900101-1******")]),
        ("90010112345678", []),
        ("010-1234-5678", []),
    ],
)
def test_rrns_are_validated_and_masked(text: str, expected: list[tuple[str, str]]) -> None:
    found = find_rrns(text)
    assert surfaces(text, found) == expected
    assert all(value.endswith("******") for _, value in expected)


def test_rrn_helpers() -> None:
    assert is_valid_rrn("900101", "1")
    assert not is_valid_rrn("900101", "9")
    assert redact_rrn_digits("900101-1234567") == "900101-1******"
    assert redact_rrn_digits("9001011234") == "9001011***"
    assert redact_rrn_digits("no digits") == "no digits"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2부요", [("2부", "2")]),
        ("등본2통", [("2통", "2")]),
        ("[한 통]이요", [("한 통", "1")]),
        ("세 통", [("세 통", "3")]),
        ("한 장만", [("한 장", "1")]),
        ("두 부요", [("두 부", "2")]),
        ("한 부면 돼요", [("한 부", "1")]),
        ("다섯 통", [("다섯 통", "5")]),
        ("열 부", [("열 부", "10")]),
        ("열두 장", [("열두 장", "12")]),
        ("등본 한 통이랑 초본 한 통이요", [("한 통", "1"), ("한 통", "1")]),
        ("두부요", [("두부", "2")]),  # unspaced, but a particle follows: an answer to 몇 부요?
        ("3 copies", [("3 copies", "3")]),
        ("two copies", [("two copies", "2")]),
        ("just One copy please", [("One copy", "1")]),
        # Words, not counts.
        ("세부 사항", []),
        ("부모급여", []),
        ("한 통화만 할게요", []),
        ("통장 사본", []),
        ("장애인 등록", []),
        ("한 장소에서", []),
        ("a copy of resident registration", []),
        ("2026년 3월 5일", []),
    ],
)
def test_counts(text: str, expected: list[tuple[str, str]]) -> None:
    assert surfaces(text, find_counts(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("등본 떼주세요", [("등본", "등본")]),
        ("주민등록등본 발급", [("주민등록등본", "등본")]),
        ("주민등록 등본", [("주민등록 등본", "등본")]),
        ("둥본 하나 떼줘", [("둥본", "등본")]),
        ("주민 등록 초본 떼 주세요", [("주민 등록 초본", "초본")]),
        ("가족관계증명서요", [("가족관계증명서", "가족관계증명서")]),
        ("출생증명서 있어요", [("출생증명서", "출생증명서")]),
        ("신분증이랑 인감증명서", [("신분증", "신분증"), ("인감증명서", "인감증명서")]),
        ("a Copy of Resident Registration please", [("Copy of Resident Registration", "등본")]),
        ("the abstract one", [("abstract", "초본")]),
        ("my ID card", [("ID card", "신분증")]),
        ("abstraction", []),
    ],
)
def test_document_types(text: str, expected: list[tuple[str, str]]) -> None:
    assert surfaces(text, find_document_types(text)) == expected


def test_document_type_of() -> None:
    assert document_type_of("주민등록  등본") == "등본"
    assert document_type_of("copy of my resident registration") == "등본"
    assert document_type_of("여권") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("서울특별시 종로구 세종대로 209", "서울특별시 종로구 세종대로 209"),
        ("부산 해운대구 센텀중앙로 79 101동 1203호요", "부산 해운대구 센텀중앙로 79 101동 1203호"),
        ("경기도 성남시 분당구 정자동 178-1", "경기도 성남시 분당구 정자동 178-1"),
        ("주소는 서울시 마포구 월드컵로 240입니다", "서울시 마포구 월드컵로 240"),
        ("세종특별자치시 한누리대로 2130", "세종특별자치시 한누리대로 2130"),
        ("전남 무안군 삼향읍 오룡길 1", "전남 무안군 삼향읍 오룡길 1"),
        ("서울 강남구 테헤란로 152 20층", "서울 강남구 테헤란로 152 20층"),
        ("서울특별시 노원구 상계동 701-1 주공아파트 305동 1102호", "서울특별시 노원구 상계동 701-1 주공아파트 305동 1102호"),
        ("경기도 고양시 일산동구 장항동 868", "경기도 고양시 일산동구 장항동 868"),
        ("서울 중구 세종대로 110로 전입신고", "서울 중구 세종대로 110"),
        ("my address is 209 Sejong-daero, Jongno-gu, Seoul", "209 Sejong-daero, Jongno-gu, Seoul"),
        ("101-1203, 79 Centum jungang-ro, Haeundae-gu, Busan", "101-1203, 79 Centum jungang-ro, Haeundae-gu, Busan"),
        ("I live at Seoul Mapo-gu World Cup-ro 240", "Seoul Mapo-gu World Cup-ro 240"),
        ("178-1 Jeongja-dong, Bundang-gu, Seongnam", "178-1 Jeongja-dong, Bundang-gu, Seongnam"),
    ],
)
def test_addresses(text: str, expected: str) -> None:
    assert surfaces(text, find_addresses(text)) == [(expected, expected)]


@pytest.mark.parametrize(
    "text", ["서울에 살아요", "부산 해운대구요", "강남구 테헤란로 152", "I live in Seoul", "세종대로 209"]
)
def test_not_addresses(text: str) -> None:
    assert find_addresses(text) == []


def test_address_value_collapses_whitespace() -> None:
    (match,) = find_addresses("서울  중구\t세종대로 110")
    assert match.value == "서울 중구 세종대로 110"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026년 3월 5일", [("2026년 3월 5일", "2026-03-05")]),
        ("출생일은 2026.3.5입니다", [("2026.3.5", "2026-03-05")]),
        ("어제요", [("어제", "2026-03-09")]),
        ("어제 새벽이요", [("어제 새벽", "2026-03-09")]),
        ("지난주 화요일", [("지난주 화요일", "2026-03-03")]),
        ("지난달 28일", [("지난달 28일", "2026-02-28")]),
        ("삼월 오일이요", [("삼월 오일", "2026-03-05")]),
        ("십이월 이십오일", [("십이월 이십오일", "2025-12-25")]),
        ("5일에 태어났어요", [("5일", "2026-03-05")]),
        ("3월 2일생이에요", [("3월 2일", "2026-03-02")]),
        ("two days ago", [("two days ago", "2026-03-08")]),
        ("일주일 전에", [("일주일 전", "2026-03-03")]),
        ("the 5th of March", [("5th of March", "2026-03-05")]),
        ("이사 날짜는 어제고 출생일은 2026-03-01", [("어제", "2026-03-09"), ("2026-03-01", "2026-03-01")]),
        ("3월 5일에 신청, 오늘 확인", [("3월 5일", "2026-03-05"), ("오늘", "2026-03-10")]),
        # A duration, an impossible day, a week (no single day): no dates.
        ("접수한 지 3일 됐는데", []),
        ("2월 30일", []),
        ("last week", []),
    ],
)
def test_dates(text: str, expected: list[tuple[str, str]]) -> None:
    assert surfaces(text, find_dates(text, TODAY)) == expected


def test_resolve_overlaps_prefers_longest_then_preference() -> None:
    spans = [("a", 0, 2, 0), ("b", 0, 5, 0), ("c", 4, 6, 1), ("d", 6, 8, 0), ("e", 6, 8, 1)]
    kept = resolve_overlaps(spans, span=lambda s: (s[1], s[2]), preference=lambda s: s[3])
    assert [s[0] for s in kept] == ["b", "e"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("이름 이서준 주민번호 900101-1234567",
         [("rrn", "900101-1234567", "900101-1******")]),
        ("김하늘, 2026년 3월 5일, 010-1234-5678",
         [("date", "2026년 3월 5일", "2026-03-05"), ("phone", "010-1234-5678", "010-1234-5678")]),
        ("등본 2부랑 초본 세 통, 어제 이사 온 서울 중구 세종대로 110",
         [("count", "2부", "2"), ("count", "세 통", "3"), ("date", "어제", "2026-03-09"),
          ("address", "서울 중구 세종대로 110", "서울 중구 세종대로 110")]),
        ("call 02-123-4567 about 3 copies by March 5th",
         [("phone", "02-123-4567", "02-123-4567"), ("count", "3 copies", "3"), ("date", "March 5th", "2026-03-05")]),
    ],
)
def test_rule_entities_combined(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = find_rule_entities(text, TODAY)
    assert [(m.entity, text[m.start : m.end], m.value) for m in found] == expected
