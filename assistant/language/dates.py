"""Reading dates the way citizens write them, in Korean and English, resolved against today.

Handles 2026-03-05, 2026.3.5, 2026/3/5, 3/5, 2026년 3월 5일, 3월 5일, 5일, 오늘, 어제, 그저께,
3일 전, 지난주 화요일, March 5th 2026, 5 March, yesterday, last Tuesday. Standard library only
(the Rasa side uses it too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

MONTHS = {
    m: i for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1)
    for m in names
}
KO_WEEKDAYS = {"월": 0, "화": 1, "수": 2, "목": 3, "금": 4, "토": 5, "일": 6}
EN_WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
RELATIVE_DAYS = {
    "오늘": 0, "금일": 0, "today": 0, "어제": -1, "어저께": -1, "yesterday": -1,
    "그저께": -2, "그제": -2, "엊그제": -2, "the day before yesterday": -2,
}
KO_NUMBERS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7}

_ISO = re.compile(r"(?<!\d)(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})(?!\d)")
_KO_FULL = re.compile(r"(?:(\d{2,4})\s*년\s*)?(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_KO_DAY_ONLY = re.compile(r"(?<![\d월])(\d{1,2})\s*일(?:날|에|이요|요)?(?!\s*(?:전|후|동안|간))")
_SLASH = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])")
_EN_MONTH_FIRST = re.compile(r"\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(\d{4}))?\b")
_EN_DAY_FIRST = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\.?(?:,?\s*(\d{4}))?\b")
_DAYS_AGO = re.compile(r"(\d{1,3}|하루|이틀|사흘|나흘|닷새|엿새|이레)\s*(?:일)?\s*전|(\d{1,3})\s*days?\s+ago")
_KO_LAST_WEEKDAY = re.compile(r"(지난\s*주|저번\s*주|이번\s*주)\s*([월화수목금토일])요일")
_EN_LAST_WEEKDAY = re.compile(r"\b(last|this)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")


class ImpossibleDate(ValueError):
    """The text names a date that does not exist (2월 30일, 13/45)."""


@dataclass(frozen=True)
class DateMatch:
    """A date found in text, with its character span."""

    value: date
    start: int
    end: int
    text: str


def find_date(text: str, today: Optional[date] = None) -> Optional[DateMatch]:
    """The first date written in `text`, or None.

    Raises:
        ImpossibleDate: a date-shaped phrase names no real day.
    """
    today = today or date.today()
    lowered = text.lower()
    for finder in (_find_iso, _find_ko_full, _find_relative, _find_weekday, _find_english, _find_slash, _find_ko_day):
        found = finder(lowered, today)
        if found is not None:
            value, start, end = found
            return DateMatch(value, start, end, text[start:end])
    return None


def parse_date(text: str, today: Optional[date] = None) -> Optional[date]:
    """`find_date(text).value`, or None."""
    match = find_date(text, today)
    return match.value if match else None


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ImpossibleDate(f"{year}-{month:02d}-{day:02d} is not a real date") from exc


def _year(raw: Optional[str], today: date, month: int, day: int) -> int:
    if raw:
        year = int(raw)
        return year + 2000 if year < 100 else year
    # A date without a year is the most recent one: citizens report past events.
    try:
        candidate = date(today.year, month, day)
    except ValueError:
        return today.year
    return today.year if candidate <= today else today.year - 1


def _find_iso(text: str, today: date):
    m = _ISO.search(text)
    if not m:
        return None
    return _make(int(m.group(1)), int(m.group(2)), int(m.group(3))), m.start(), m.end()


def _find_ko_full(text: str, today: date):
    m = _KO_FULL.search(text)
    if not m:
        return None
    month, day = int(m.group(2)), int(m.group(3))
    return _make(_year(m.group(1), today, month, day), month, day), m.start(), m.end()


def _find_ko_day(text: str, today: date):
    m = _KO_DAY_ONLY.search(text)
    if not m:
        return None
    day = int(m.group(1))
    year, month = today.year, today.month
    if day > today.day:  # "20일" on the 5th means last month's 20th
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return _make(year, month, day), m.start(), m.end()


def _find_slash(text: str, today: date):
    m = _SLASH.search(text)
    if not m:
        return None
    month, day = int(m.group(1)), int(m.group(2))
    return _make(_year(None, today, month, day), month, day), m.start(), m.end()


def _find_relative(text: str, today: date):
    best = None
    for phrase, offset in RELATIVE_DAYS.items():
        position = text.find(phrase)
        if position >= 0 and (best is None or position < best[1] or len(phrase) > best[2] - best[1] and position == best[1]):
            best = (today + timedelta(days=offset), position, position + len(phrase))
    m = _DAYS_AGO.search(text)
    if m and (best is None or m.start() < best[1]):
        raw = m.group(1) or m.group(2)
        days = KO_NUMBERS.get(raw) or int(raw)
        best = (today - timedelta(days=days), m.start(), m.end())
    return best


def _find_weekday(text: str, today: date):
    m = _KO_LAST_WEEKDAY.search(text)
    if m:
        weekday = KO_WEEKDAYS[m.group(2)]
        this_week = today - timedelta(days=today.weekday()) + timedelta(days=weekday)
        value = this_week if m.group(1).replace(" ", "") == "이번주" else this_week - timedelta(days=7)
        return value, m.start(), m.end()
    m = _EN_LAST_WEEKDAY.search(text)
    if m:
        weekday = EN_WEEKDAYS[m.group(2)]
        this_week = today - timedelta(days=today.weekday()) + timedelta(days=weekday)
        if m.group(1) == "last":
            # "last Tuesday" is the most recent Tuesday before today.
            delta = (today.weekday() - weekday) % 7 or 7
            return today - timedelta(days=delta), m.start(), m.end()
        return this_week, m.start(), m.end()
    return None


def _find_english(text: str, today: date):
    for pattern, month_group, day_group in ((_EN_MONTH_FIRST, 1, 2), (_EN_DAY_FIRST, 2, 1)):
        for m in pattern.finditer(text):
            month = MONTHS.get(m.group(month_group))
            if month is None:
                continue
            day = int(m.group(day_group))
            return _make(_year(m.group(3), today, month, day), month, day), m.start(), m.end()
    return None
