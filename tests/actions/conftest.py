"""Helpers to run actions the way rasa-sdk does: a Tracker from a dict, the real domain.yml."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.conftest import REPO_ROOT


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The real domain, as Rasa sends it to the action server."""
    return yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))


def make_tracker(
    text: str = "",
    slots: dict[str, Any] | None = None,
    intent: str = "inform",
    entities: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    requested_slot: str | None = None,
    lang: str = "ko",
    events: list[dict[str, Any]] | None = None,
    sender_id: str = "test-sender",
):  # type: ignore[no-untyped-def]
    """A rasa-sdk Tracker in the state Rasa would send."""
    from rasa_sdk import Tracker

    all_slots = {"language": lang, "requested_slot": requested_slot, **(slots or {})}
    return Tracker.from_dict(
        {
            "sender_id": sender_id,
            "slots": all_slots,
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 0.99},
                "entities": entities or [],
                "metadata": {"lang": lang, "channel": "web"},
            },
            "events": events or [],
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": "action_listen",
        }
    )
