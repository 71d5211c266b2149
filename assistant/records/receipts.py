"""Receipt numbers citizens can read out at a counter: `2026-BR-000123`."""

from __future__ import annotations

import re

KIND_CODES: dict[str, str] = {
    "birth_registration": "BR",
    "move_in": "MI",
    "resident_certificate": "RC",
}

RECEIPT_PATTERN = re.compile(r"^(\d{4})-([A-Z]{2})-(\d{6,})$")


def format_receipt_number(kind: str, year: int, sequence: int) -> str:
    """Receipt number for the `sequence`-th application (database id) of a kind.

    Raises:
        KeyError: for an unknown application kind.
    """
    return f"{year:04d}-{KIND_CODES[kind]}-{sequence:06d}"


def is_receipt_number(text: str) -> bool:
    """Whether `text` has the shape of a receipt number."""
    return bool(RECEIPT_PATTERN.match(text.strip().upper()))
