"""Dates as citizens write them, resolved against a fixed today."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.language.dates import ImpossibleDate, find_date, parse_date

TODAY = date(2026, 11, 27)  # a Friday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-05", date(2026, 3, 5)),
        ("2026.3.5", date(2026, 3, 5)),
        ("2026/03/05", date(2026, 3, 5)),
        ("2026년 3월 5일", date(2026, 3, 5)),
        ("3월 5일에 태어났어요", date(2026, 3, 5)),
        ("12월 25일", date(2025, 12, 25)),  # no year: the most recent one
        ("3/5", date(2026, 3, 5)),
        ("오늘", TODAY),
        ("어제요", date(2026, 11, 26)),
        ("그저께 낳았어요", date(2026, 11, 25)),
        ("3일 전", date(2026, 11, 24)),
        ("이틀 전", date(2026, 11, 25)),
        ("지난주 화요일", date(2026, 11, 17)),
        ("20일", date(2026, 11, 20)),
        ("March 5th", date(2026, 3, 5)),
        ("March 5th, 2025", date(2025, 3, 5)),
        ("5 March", date(2026, 3, 5)),
        ("yesterday", date(2026, 11, 26)),
        ("last Tuesday", date(2026, 11, 24)),
        ("김하늘", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["2월 30일", "2026-13-01", "2025.2.29"])
def test_impossible_dates_are_reported(text: str) -> None:
    with pytest.raises(ImpossibleDate):
        parse_date(text, TODAY)


def test_span_points_at_the_date() -> None:
    match = find_date("아기는 2026년 3월 5일에 태어났어요", TODAY)
    assert match is not None and match.text == "2026년 3월 5일"
