"""Submitting applications to the records store and telling citizens their status."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import RecordsClient, citizen_ref_of
from actions.i18n import KIND_NAMES, STATUS_NAMES, lang_of, say

BIRTH_SLOTS = ("child_name", "child_birth_date", "birth_registration_confirmed")
RECEIPT_IN_TEXT = re.compile(r"\b(\d{4}-[A-Za-z]{2}-\d{6,})\b")


def form_run_key(tracker: Tracker, form: str) -> str:
    """Identifies one run of a form: the sender plus the time the form was activated.

    A retried or double-clicked submission of the same run gets the same key and therefore the
    same application; a new run of the form gets a new one.
    """
    started = 0.0
    for event in tracker.events:
        if event.get("event") == "active_loop" and event.get("name") == form:
            started = float(event.get("timestamp") or 0.0)
    return f"{tracker.sender_id}:{form}:{started:.6f}"


class ActionSubmitBirthRegistration(Action):
    """Files the confirmed birth registration and gives the receipt number."""

    def __init__(self, records: RecordsClient | None = None) -> None:
        self.records = records or RecordsClient()

    def name(self) -> str:
        return "action_submit_birth_registration"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = lang_of(tracker)
        reset = [SlotSet(slot, None) for slot in BIRTH_SLOTS]
        if tracker.get_slot("birth_registration_confirmed") is not True:
            dispatcher.utter_message(text=say("not_submitted", lang))
            return reset
        payload = {"child_name": tracker.get_slot("child_name"), "child_birth_date": tracker.get_slot("child_birth_date")}
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        try:
            receipt = await self.records.submit(
                "birth_registration", citizen_ref_of(tracker.sender_id, metadata), payload,
                form_run_key(tracker, "birth_registration_form"),
            )
        except Exception:  # noqa: BLE001 - the citizen must hear that nothing was filed
            dispatcher.utter_message(text=say("submit_failed", lang))
            return []
        dispatcher.utter_message(
            text=say("submitted", lang, receipt_number=receipt),
            json_message={"receipt": {"receipt_number": receipt, "kind": "birth_registration"}},
        )
        return reset


class ActionCheckApplicationStatus(Action):
    """Lists the citizen's applications, or the one whose receipt number they gave."""

    def __init__(self, records: RecordsClient | None = None) -> None:
        self.records = records or RecordsClient()

    def name(self) -> str:
        return "action_check_application_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = lang_of(tracker)
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        citizen = citizen_ref_of(tracker.sender_id, metadata)
        match = RECEIPT_IN_TEXT.search((tracker.latest_message or {}).get("text") or "")
        if match:
            found = await self.records.find(match.group(1), citizen)
            if found is None:
                dispatcher.utter_message(text=say("status_not_found", lang, receipt_number=match.group(1).upper()))
                return []
            applications = [found]
        else:
            applications = await self.records.list_for(citizen)
        if not applications:
            dispatcher.utter_message(text=say("status_none", lang))
            return []
        lines = [say("status_header", lang)] + [
            say("status_line", lang, receipt_number=a["receipt_number"],
                kind=KIND_NAMES.get(a["kind"], {}).get(lang, a["kind"]),
                status=STATUS_NAMES.get(a["status"], {}).get(lang, a["status"]))
            for a in applications
        ]
        dispatcher.utter_message(text="\n".join(lines))
        return []
