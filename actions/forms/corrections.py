"""Changing one answer at a summary: "생년월일 3월 4일로 바꿔줘", "change the birth date to March 4".

A form lists its fields as `Field`s (slot + how citizens name it); `find_correction` says which slot
the citizen wants to change and the raw new value, which the form's own validator then checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CHANGE_KO = re.compile(r"바꿔|바꾸|바꿀|변경|수정|고쳐|고치|정정")
_CHANGE_EN = re.compile(r"\b(?:change|correct|update|fix|make it|should be|instead)\b", re.I)
# What follows the new value in Korean: "(으)로 바꿔 주세요", "로 수정해 줘".
_KO_TAIL = re.compile(r"\s*(?:(?:으로|로)\s*)?(?:(?:바꿔|바꾸|바꿀|변경|수정|고쳐|고치|정정)[가-힣\s]*)?[.!?]*$")
_KO_PARTICLE = re.compile(r"^(?:을|를|은|는|이|가|도)\s+|^(?:을|를|은|는)(?=\s|$)")
_EN_VALUE = re.compile(r"\b(?:to|should be|make it|is)\s+(?P<value>.+?)[.!?]*$", re.I)


@dataclass(frozen=True)
class Field:
    """One answer of a form, and the words (a regex) citizens use for it.

    `keep` means the words are part of the value ("3부" names both the field and the value).
    """

    slot: str
    words: str
    keep: bool = False

    def search(self, text: str) -> re.Match[str] | None:
        """Where the field is named in `text`."""
        return re.search(self.words, text, re.I)


def is_change_request(text: str) -> bool:
    """Whether the citizen asks to change something."""
    return bool(_CHANGE_KO.search(text) or _CHANGE_EN.search(text))


def find_correction(text: str, fields: list[Field]) -> tuple[str, str] | None:
    """(slot, raw new value) for "<field> <value>로 바꿔줘" / "change <field> to <value>", else None.

    The value is "" when the field is named without one ("생년월일 바꿔줘"): the form asks again.
    `fields` are tried in order, so list specific ones ("아버지 이름") before general ones ("이름").
    """
    text = " ".join(text.strip().split())
    if not is_change_request(text):
        return None
    for field in fields:
        found = field.search(text)
        if found is None:
            continue
        return field.slot, _value(text, found, field.keep)
    return None


def _value(text: str, found: re.Match[str], keep: bool) -> str:
    english = _EN_VALUE.search(text[found.start():] if not keep else text)
    if english and text.isascii() or (english and _CHANGE_EN.search(text) and not _CHANGE_KO.search(text)):
        value = english.group("value")
    else:
        value = text[found.start():] if keep else text[found.end():]
        value = _KO_PARTICLE.sub("", value.strip())
        value = _KO_TAIL.sub("", value)
    return value.strip(" ,.")
