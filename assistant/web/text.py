"""Chat text as the assistant takes it: no NUL or control characters, no lone surrogates.

JSON allows "\\ud800" (half of a UTF-16 pair) and "\\u0000"; neither can be stored as UTF-8 text
(SQLite, PostgreSQL, Rasa's tracker store), and control characters only hide or break what staff
read later. They are dropped (controls) or replaced with U+FFFD (lone surrogates) before anything
else sees the text; tabs and line breaks stay.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_chat_text(text: str) -> str:
    """`text` without control, zero-width-space and bidi-override characters (joiners stay: emoji need
    them), lone surrogates as U+FFFD."""
    return _CONTROLS.sub("", _LONE_SURROGATE.sub("\ufffd", text))
