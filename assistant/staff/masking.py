"""Masking personal data in question texts before they are stored for staff."""

from __future__ import annotations

import re

from assistant.language.entity_patterns import find_phones, find_rrns

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Long digit runs that are neither (card or account numbers) are masked too.
_LONG_DIGITS = re.compile(r"\d[\d -]{9,}\d")


def mask_personal_data(text: str) -> str:
    """`text` with registration numbers (`900101-1******`), phone numbers (`010-****-****`),
    e-mail addresses and other long digit runs masked."""
    spans: list[tuple[int, int, str]] = []
    for match in find_rrns(text):
        spans.append((match.start, match.end, match.value))
    for match in find_phones(text):
        area = match.value.split("-")[0]
        spans.append((match.start, match.end, f"{area}-****-****"))
    masked = text
    for start, end, value in sorted(_without_overlaps(spans), reverse=True):
        masked = masked[:start] + value + masked[end:]
    masked = _EMAIL.sub("***@***", masked)
    return _LONG_DIGITS.sub(lambda m: "*" * len(m.group()) if "*" not in m.group() else m.group(), masked)


def _without_overlaps(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept
