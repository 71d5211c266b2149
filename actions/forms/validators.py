"""Validators shared by the forms: plain functions returning (value, reason-key)."""

from __future__ import annotations

import re
from datetime import date

from assistant.language.dates import ImpossibleDate, parse_date

HANGUL_NAME = re.compile(r"^[가-힣]{2,6}$")
# Endings citizens add around a name: "김하늘이요", "이름은 김하늘입니다", "김하늘로 해주세요".
_NAME_PREFIX = re.compile(r"^(?:(?:아기|아이|애기|우리\s*아기)?\s*이름은?\s*)")
_NAME_SUFFIX = re.compile(r"(?:이라고\s*해요|라고\s*해요|이라고요|라고요|입니다|이에요|예요|이요|으로요|로요|요|\.|!)+$")


def clean_name(text: str) -> str:
    """The bare name from an answer such as "이름은 김하늘이에요"."""
    name = _NAME_PREFIX.sub("", text.strip())
    name = _NAME_SUFFIX.sub("", name).strip()
    return name.replace(" ", "")


def validate_hangul_name(text: str) -> tuple[str | None, str | None]:
    """A Hangul name of 2 to 6 syllables (Korean naming rules), or the reason it is not."""
    name = clean_name(text)
    if HANGUL_NAME.match(name):
        return name, None
    return None, "name_invalid"


def validate_past_date(text: str, today: date | None = None) -> tuple[date | None, str | None]:
    """A date not after today, or the reason it is refused (unreadable, impossible, future)."""
    today = today or date.today()
    try:
        value = parse_date(text, today)
    except ImpossibleDate:
        return None, "date_impossible"
    if value is None:
        return None, "date_unreadable"
    if value > today:
        return None, "birth_in_future"
    return value, None
