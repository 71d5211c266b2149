"""Reading times of day the way citizens say them: 오후 3시 20분, 새벽 2시 반, 15:20, 3:20 pm, 10 am.

Standard library only (the Rasa side may use it too).
"""

from __future__ import annotations

import re
from datetime import time
from typing import Optional

_KO = re.compile(
    r"(?P<part>오전|오후|새벽|아침|낮|점심|저녁|밤)?\s*(?P<hour>\d{1,2})\s*시\s*(?:(?P<minute>\d{1,2})\s*분|(?P<half>반))?"
)
_CLOCK = re.compile(r"(?<!\d)(?P<hour>\d{1,2})\s*:\s*(?P<minute>\d{2})(?!\d)\s*(?P<ampm>[ap]\.?\s?m\.?)?", re.I)
_EN = re.compile(r"\b(?P<hour>\d{1,2})\s*(?P<ampm>[ap]\.?\s?m\.?)", re.I)
_EN_PART = re.compile(
    r"\b(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s+(?:o'clock\s+)?(?:in the (?P<part>morning|afternoon|evening)|at (?P<night>night))",
    re.I,
)
_AFTERNOON_KO = {"오후", "저녁", "밤"}


def parse_time(text: str) -> Optional[time]:
    """The first time of day written in `text`, or None (also for impossible ones like 25시)."""
    lowered = text.lower()
    for finder in (_korean, _english_part, _clock, _english):
        found = finder(lowered)
        if found is not None:
            hour, minute = found
            if 0 <= hour <= 23 and 0 <= minute <= 59:
                return time(hour, minute)
            return None
    return None


def _korean(text: str) -> Optional[tuple[int, int]]:
    m = _KO.search(text)
    if not m:
        return None
    hour = int(m.group("hour"))
    minute = 30 if m.group("half") else int(m.group("minute") or 0)
    part = m.group("part")
    if part in _AFTERNOON_KO and hour < 12:
        hour += 12
    elif part in ("낮", "점심") and hour < 6:
        hour += 12  # 낮 1시 is 13:00
    elif part in ("오전", "새벽", "아침") and hour == 12:
        hour = 0
    elif part == "밤" and hour == 12:
        hour = 0
    return hour, minute


def _clock(text: str) -> Optional[tuple[int, int]]:
    m = _CLOCK.search(text)
    if not m:
        return None
    return _twelve_hour(int(m.group("hour")), m.group("ampm")), int(m.group("minute"))


def _english(text: str) -> Optional[tuple[int, int]]:
    m = _EN.search(text)
    if not m:
        return None
    return _twelve_hour(int(m.group("hour")), m.group("ampm")), 0


def _english_part(text: str) -> Optional[tuple[int, int]]:
    m = _EN_PART.search(text)
    if not m:
        return None
    hour, minute = int(m.group("hour")), int(m.group("minute") or 0)
    if m.group("part") in ("afternoon", "evening") and hour < 12:
        hour += 12
    if m.group("night") and 6 <= hour < 12:
        hour += 12
    return hour, minute


def _twelve_hour(hour: int, ampm: Optional[str]) -> int:
    if not ampm:
        return hour
    if hour > 12:
        return 99  # "15 pm" is not a time
    pm = ampm.startswith("p")
    if hour == 12:
        return 12 if pm else 0
    return hour + 12 if pm else hour
