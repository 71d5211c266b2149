"""Resident registration certificate (주민등록표 등본/초본) as a conversation.

The type and number of copies are taken from the request when given ("등본 2부 떼 주세요"); the
copies (1) and delivery (PDF on the web, print at a kiosk) default from the channel; all of it is
confirmed in one turn. Then the options, the purpose, a summary, and a sample PDF is issued.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.citizen import citizen_of
from actions.forms.base import ApplicationFormValidation, AskSlotAction, reason_or_value, yes_no_buttons
from actions.forms.corrections import Field
from actions.forms.messages import value_name
from actions.forms.validators import (
    CERTIFICATE_OPTIONS,
    validate_certificate_options,
    validate_certificate_type,
    validate_copies,
    validate_delivery,
    validate_purpose,
)
from actions.i18n import lang_of, say

FORM = "resident_certificate_form"
PREFILLED = ("certificate_type", "certificate_copies", "certificate_delivery")
SLOTS = (*PREFILLED, "certificate_prefill_confirmed", "certificate_options", "certificate_purpose",
         "certificate_confirmed")
FIELDS = [
    Field("certificate_copies", r"\d+\s*(?:부|통|장)|부수|cop(?:y|ies)", keep=True),
    Field("certificate_purpose", r"용도|purpose"),
    Field("certificate_delivery", r"받는\s*방법|수령|delivery|pdf|출력|print", keep=True),
    Field("certificate_options", r"옵션|포함\s*내용|과거\s*주소|뒷자리|options|past address|digits", keep=True),
    Field("certificate_type", r"등본|초본|종류|\btype\b|abstract", keep=True),
]
OPTION_PHRASES = {
    "standard": "기본으로 해 주세요", "with_history": "과거 주소 포함해 주세요",
    "show_digits": "뒷자리 보이게 해 주세요", "with_history_show_digits": "둘 다 포함해 주세요",
}
DELIVERY_PHRASES = {"pdf": "PDF로 받을게요", "kiosk_print": "키오스크에서 출력할게요"}
PURPOSE_CHOICES = {"ko": ["은행 제출용", "회사 제출용", "관공서 제출용"], "en": ["for the bank", "for my employer", "for a public office"]}


class ValidateResidentCertificateForm(ApplicationFormValidation):
    """Checks every answer of the certificate request."""

    form = FORM  # type: ignore[assignment]
    prefill_confirm_slot = "certificate_prefill_confirmed"  # type: ignore[assignment]
    final_confirm_slot = "certificate_confirmed"  # type: ignore[assignment]
    prefilled_slots = PREFILLED  # type: ignore[assignment]
    fields = FIELDS  # type: ignore[assignment]

    def prefill(self, citizen: dict[str, Any], tracker: Tracker) -> dict[str, Any]:
        """One copy; printed at a kiosk, a PDF elsewhere."""
        channel = ((tracker.latest_message or {}).get("metadata") or {}).get("channel")
        return {"certificate_copies": "1", "certificate_delivery": "kiosk_print" if channel == "kiosk" else "pdf"}

    def validate_certificate_type(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        """등본 or 초본."""
        return reason_or_value("certificate_type", validate_certificate_type(str(value)), dispatcher, tracker)

    def validate_certificate_copies(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        """1 to 10 (kept as text: the slot is a text slot)."""
        text = str(value)
        copies, problem = validate_copies(text if not text.isdigit() else f"{text}부")
        return reason_or_value("certificate_copies", (str(copies) if copies else None, problem), dispatcher, tracker)

    def validate_certificate_delivery(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> dict[str, Any]:
        """PDF or kiosk print."""
        return reason_or_value("certificate_delivery", validate_delivery(str(value)), dispatcher, tracker)

    def validate_certificate_prefill_confirmed(self, value: Any, dispatcher: CollectingDispatcher,
                                               tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        """Yes keeps type, copies and delivery; no asks for each."""
        return self.validate_prefill_confirmation(value)

    def validate_certificate_options(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        """Past addresses and back digits."""
        return reason_or_value("certificate_options", validate_certificate_options(str(value)), dispatcher, tracker)

    def validate_certificate_purpose(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        """Free text, 2 to 40 characters."""
        return reason_or_value("certificate_purpose", validate_purpose(str(value)), dispatcher, tracker)

    def validate_certificate_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        """Yes or no."""
        return self._validate_confirmation("certificate_confirmed", value)


class ActionAskCertificateType(AskSlotAction):
    """Asks 등본 or 초본."""

    slot = "certificate_type"  # type: ignore[assignment]

    def buttons(self, tracker: Tracker, lang: str) -> list[dict[str, str]]:
        return [{"title": value_name(v, lang), "payload": f"주민등록{v}"} for v in ("등본", "초본")]


class ActionAskCertificateCopies(AskSlotAction):
    """Asks how many copies."""

    slot = "certificate_copies"  # type: ignore[assignment]


class ActionAskCertificateDelivery(AskSlotAction):
    """Asks PDF or kiosk print."""

    slot = "certificate_delivery"  # type: ignore[assignment]

    def buttons(self, tracker: Tracker, lang: str) -> list[dict[str, str]]:
        return [{"title": value_name(v, lang), "payload": DELIVERY_PHRASES[v]} for v in ("pdf", "kiosk_print")]


class ActionAskCertificatePrefillConfirmed(Action):
    """Shows who it is for and the defaults, and asks for one confirmation."""

    def name(self) -> str:
        return "action_ask_certificate_prefill_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = lang_of(tracker)
        citizen = citizen_of(tracker) or {}
        details = say("certificate_prefill", lang, name=citizen.get("name", "-"),
                      rrn_masked=citizen.get("rrn_masked", "-"), address=citizen.get("address", "-"),
                      certificate_type=value_name(tracker.get_slot("certificate_type"), lang),
                      copies=tracker.get_slot("certificate_copies"),
                      delivery=value_name(tracker.get_slot("certificate_delivery"), lang))
        dispatcher.utter_message(
            text=f"{say('prefill_intro', lang)}\n{details}\n{say('prefill_question', lang)}",
            buttons=yes_no_buttons(lang, final=False),
        )
        return []


class ActionAskCertificateOptions(AskSlotAction):
    """Asks about past addresses and the back digits."""

    slot = "certificate_options"  # type: ignore[assignment]

    def buttons(self, tracker: Tracker, lang: str) -> list[dict[str, str]]:
        # Payloads are phrases the NLU knows as answers (a bare code could be read as another intent).
        return [{"title": value_name(v, lang), "payload": OPTION_PHRASES[v]} for v in CERTIFICATE_OPTIONS]


class ActionAskCertificatePurpose(AskSlotAction):
    """Asks what it is for."""

    slot = "certificate_purpose"  # type: ignore[assignment]

    def buttons(self, tracker: Tracker, lang: str) -> list[dict[str, str]]:
        return [{"title": p, "payload": p} for p in PURPOSE_CHOICES[lang]]


class ActionAskCertificateConfirmed(Action):
    """Shows the summary and asks for confirmation before anything is issued."""

    def name(self) -> str:
        return "action_ask_certificate_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = lang_of(tracker)
        slot = tracker.get_slot
        dispatcher.utter_message(
            text=say("certificate_summary", lang, certificate_type=value_name(slot("certificate_type"), lang),
                     options=value_name(slot("certificate_options"), lang), copies=slot("certificate_copies"),
                     purpose=slot("certificate_purpose"), delivery=value_name(slot("certificate_delivery"), lang)),
            buttons=yes_no_buttons(lang, final=True),
        )
        return []
