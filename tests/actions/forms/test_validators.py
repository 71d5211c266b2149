"""Shared validators of the form answers: values normalised, reasons named."""

from __future__ import annotations

from datetime import date

import pytest

from actions.forms import validators as v


@pytest.mark.parametrize(("text", "expected"), [
    ("여자", "F"), ("딸이에요", "F"), ("girl", "F"), ("female", "F"), ("남자아이요", "M"), ("아들", "M"), ("boy", "M"),
    ("male", "M"), ("모르겠어요", None), ("남자 여자", None),
])
def test_sex(text: str, expected: str | None) -> None:
    assert v.validate_sex(text)[0] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("오후 3시 20분", "15:20"), ("새벽 2시 반", "02:30"), ("15:20", "15:20"), ("3:20 pm", "15:20"), ("10 am", "10:00"),
    ("밤 11시 40분쯤이요", "23:40"), ("at 2:15 in the morning", "02:15"), ("25시", None), ("몰라요", None),
])
def test_birth_time(text: str, expected: str | None) -> None:
    assert v.validate_birth_time(text)[0] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("서울대학교병원", "서울대학교병원"), ("서울대학교병원에서 태어났어요", "서울대학교병원"), ("집에서 낳았어요", "자택"),
    ("at home", "자택"), ("Seoul National University Hospital", "Seoul National University Hospital"), ("a", None),
])
def test_birth_place(text: str, expected: str | None) -> None:
    assert v.validate_birth_place(text)[0] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("아버지입니다", "father"), ("엄마예요", "mother"), ("I'm the father", "father"), ("할머니요", "other"), ("몰라", None),
])
def test_reporter_relation(text: str, expected: str | None) -> None:
    assert v.validate_reporter_relation(text)[0] == expected


@pytest.mark.parametrize(("text", "ok"), [
    ("서울특별시 마포구 월드컵로 240 101동 1001호", True), ("부산광역시 연제구 중앙대로 1001", True),
    ("240 World Cup-ro, Mapo-gu, Seoul", True), ("마포구 어딘가", False), ("서울특별시 종로구 평창동 123", False),
])
def test_road_name_address(text: str, ok: bool) -> None:
    value, problem = v.validate_road_address(text)
    assert (value is not None, problem) == (ok, None if ok else "address_invalid")


def test_move_date_is_never_in_the_future() -> None:
    today = date(2026, 11, 27)
    assert v.validate_move_date("어제", today) == (date(2026, 11, 26), None)
    assert v.validate_move_date("2026-12-01", today) == (None, "move_in_future")
    assert v.validate_move_date("언젠가", today) == (None, "date_unreadable")


HOUSEHOLD = [{"name": "이서연", "relation": "spouse"}, {"name": "김하린", "relation": "child"}]


@pytest.mark.parametrize(("text", "expected"), [
    ("모두", ["김민준", "이서연", "김하린"]), ("everyone", ["김민준", "이서연", "김하린"]), ("본인만", ["김민준"]),
    ("just me", ["김민준"]), ("저랑 아내", ["김민준", "이서연"]), ("김민준, 김하린", ["김민준", "김하린"]),
    ("me and my wife", ["김민준", "이서연"]), ("글쎄요", None),
])
def test_moving_members(text: str, expected: list[str] | None) -> None:
    assert v.validate_moving_members(text, "김민준", HOUSEHOLD)[0] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("주민등록등본", "등본"), ("초본이요", "초본"), ("abstract", "초본"), ("copy of resident registration", "등본"), ("여권", None),
])
def test_certificate_type(text: str, expected: str | None) -> None:
    assert v.validate_certificate_type(text)[0] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("3부", (3, None)), ("세 통", (3, None)), ("3 copies", (3, None)), ("2", (2, None)), ("11부", (None, "copies_range")),
    ("0부", (None, "copies_range")), ("많이", (None, "copies_invalid")),
])
def test_copies(text: str, expected: tuple) -> None:  # type: ignore[type-arg]
    assert v.validate_copies(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("기본으로 해 주세요", "standard"), ("과거 주소 포함해 주세요", "with_history"), ("뒷자리 보이게 해 주세요", "show_digits"),
    ("둘 다 포함해 주세요", "with_history_show_digits"), ("과거 주소는 빼 주세요", "standard"), ("뒷자리 가려 주세요", "standard"),
    ("include past addresses", "with_history"), ("show the back digits", "show_digits"), ("default", "standard"),
    ("음", None),
])
def test_certificate_options(text: str, expected: str | None) -> None:
    assert v.validate_certificate_options(text)[0] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("PDF로 받을게요", "pdf"), ("키오스크에서 출력할게요", "kiosk_print"), ("print it here", "kiosk_print"), ("글쎄", None),
])
def test_delivery(text: str, expected: str | None) -> None:
    assert v.validate_delivery(text)[0] == expected
