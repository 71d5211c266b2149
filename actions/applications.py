"""Submitting applications to the records store and telling citizens their status."""

from __future__ import annotations

import re
from typing import Any

from abc import ABC, abstractmethod

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import CertificateClient, RecordsClient, citizen_ref_of
from actions.forms import birth_registration, move_in, resident_certificate
from actions.i18n import KIND_NAMES, STATUS_NAMES, lang_of, say

BIRTH_SLOTS = birth_registration.SLOTS
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


class SubmitApplicationAction(Action, ABC):
    """Files a confirmed form and gives the receipt number. Abstract: one subclass per form.

    A "no" at the summary files nothing. Every slot of the form is cleared either way, so the next
    run starts fresh (the signed-in citizen stays).
    """

    kind: str
    form: str
    confirm_slot: str
    slots: tuple[str, ...]
    documents: tuple[str, ...] = ()

    def __init__(self, records: RecordsClient | None = None) -> None:
        self.records = records or RecordsClient()

    @abstractmethod
    def payload(self, tracker: Tracker) -> dict[str, Any]:
        """What is filed."""

    async def after_submit(self, receipt: str, citizen_id: str | None, tracker: Tracker,
                           dispatcher: CollectingDispatcher, lang: str) -> None:
        """Tell the citizen the receipt number (forms that issue something override this)."""
        dispatcher.utter_message(
            text=say(self.submitted_message, lang, receipt_number=receipt),
            json_message={"receipt": {"receipt_number": receipt, "kind": self.kind}},
        )

    submitted_message = "submitted"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = lang_of(tracker)
        reset = [SlotSet(slot, None) for slot in self.slots]
        if tracker.get_slot(self.confirm_slot) is not True:
            dispatcher.utter_message(text=say("not_submitted", lang))
            return reset
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        if not metadata.get("citizen_id"):
            # Signed out between the summary and the "yes": nothing is filed in nobody's name.
            dispatcher.utter_message(text=say("not_signed_in_submit", lang))
            return reset
        attachments = [{"document": slot.removeprefix("doc_"), "upload_id": tracker.get_slot(slot)}
                       for slot in self.documents if tracker.get_slot(slot)]
        try:
            receipt = await self.records.submit(
                self.kind, citizen_ref_of(tracker.sender_id, metadata), self.payload(tracker),
                form_run_key(tracker, self.form), attachments,
            )
            await self.after_submit(receipt, metadata.get("citizen_id"), tracker, dispatcher, lang)
        except Exception:  # noqa: BLE001 - the citizen must hear that nothing was filed
            dispatcher.utter_message(text=say("submit_failed", lang))
            return []
        return reset


class ActionSubmitBirthRegistration(SubmitApplicationAction):
    """Files the confirmed birth registration."""

    kind, form, confirm_slot = "birth_registration", "birth_registration_form", "birth_registration_confirmed"
    slots = BIRTH_SLOTS
    documents = birth_registration.DOCUMENT_SLOTS

    def name(self) -> str:
        return "action_submit_birth_registration"

    def payload(self, tracker: Tracker) -> dict[str, Any]:
        keep = ("child_name", "child_sex", "child_birth_date", "child_birth_time", "birth_place",
                "father_name", "mother_name", "registration_base", "reporter_relation")
        return {slot: tracker.get_slot(slot) for slot in keep if tracker.get_slot(slot) is not None}


class ActionSubmitMoveIn(SubmitApplicationAction):
    """Files the confirmed move-in report."""

    kind, form, confirm_slot = "move_in", "move_in_form", "move_in_confirmed"
    slots = move_in.SLOTS
    documents = move_in.DOCUMENT_SLOTS
    submitted_message = "move_in_submitted"

    def name(self) -> str:
        return "action_submit_move_in"

    def payload(self, tracker: Tracker) -> dict[str, Any]:
        return {slot: tracker.get_slot(slot) for slot in ("previous_address", "new_address", "move_date", "moving_members")}


class ActionSubmitResidentCertificate(SubmitApplicationAction):
    """Files the certificate request and issues the sample PDF only this citizen can download."""

    kind, form, confirm_slot = "resident_certificate", "resident_certificate_form", "certificate_confirmed"
    slots = resident_certificate.SLOTS

    def __init__(self, records: RecordsClient | None = None, certificates: CertificateClient | None = None) -> None:
        super().__init__(records)
        self.certificates = certificates or CertificateClient()

    def name(self) -> str:
        return "action_submit_resident_certificate"

    def payload(self, tracker: Tracker) -> dict[str, Any]:
        return {
            "certificate_type": tracker.get_slot("certificate_type"),
            "options": tracker.get_slot("certificate_options"),
            "copies": int(tracker.get_slot("certificate_copies") or 1),
            "purpose": tracker.get_slot("certificate_purpose"),
            "delivery": tracker.get_slot("certificate_delivery"),
        }

    async def after_submit(self, receipt: str, citizen_id: str | None, tracker: Tracker,
                           dispatcher: CollectingDispatcher, lang: str) -> None:
        if citizen_id is None:
            raise LookupError("a certificate needs a signed-in citizen")
        payload = self.payload(tracker)
        url = await self.certificates.issue(receipt, citizen_id, payload)
        key = "certificate_issued_print" if payload["delivery"] == "kiosk_print" else "certificate_issued_pdf"
        dispatcher.utter_message(
            text=say(key, lang, receipt_number=receipt, url=url),
            json_message={"receipt": {"receipt_number": receipt, "kind": self.kind, "download_url": url,
                                      "delivery": payload["delivery"]}},
        )


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
