"""The signed-in citizen as the chat API attaches them to each message (masked prefill view)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def citizen_of(tracker: Tracker) -> dict[str, Any] | None:
    """The signed-in citizen of the latest message, or None when signed out."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    citizen = metadata.get("citizen")
    return citizen if isinstance(citizen, dict) and citizen.get("id") else None


def spouse_of(citizen: dict[str, Any]) -> dict[str, Any] | None:
    """The spouse in the citizen's household, if any."""
    return next((m for m in citizen.get("household") or [] if m.get("relation") == "spouse"), None)
