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
    citizen: dict[str, Any] | None = None,
    channel: str = "web",
):  # type: ignore[no-untyped-def]
    """A rasa-sdk Tracker in the state Rasa would send; `citizen` is the signed-in prefill view."""
    from rasa_sdk import Tracker

    all_slots = {"language": lang, "requested_slot": requested_slot, **(slots or {})}
    metadata: dict[str, Any] = {"lang": lang, "channel": channel}
    if citizen is not None:
        metadata.update(citizen_id=citizen["id"], citizen=citizen)
    return Tracker.from_dict(
        {
            "sender_id": sender_id,
            "slots": all_slots,
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 0.99},
                "entities": entities or [],
                "metadata": metadata,
            },
            "events": events or [],
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": "action_listen",
        }
    )


def citizen_view(citizen_id: str = "c-1001") -> dict[str, Any]:
    """The prefill view of a demo resident, as the chat API attaches it (needs the `settings` fixture)."""
    from assistant import services

    directory = services.citizen_directory()
    citizen = directory.get(citizen_id)
    assert citizen is not None
    return directory.prefill_view(citizen)


async def run_validation(action: Any, tracker: Any, domain: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run a FormValidationAction the way the webhook does; (events, messages)."""
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    return events, dispatcher.messages


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots the events set, by name."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
