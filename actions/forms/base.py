"""What every application form shares: sign-in first, prefill confirmed in one turn, corrections at
the summary, and actions that ask for one slot in the citizen's language.

The classes here are abstract, so rasa-sdk does not register them as actions.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.citizen import citizen_of
from actions.forms.corrections import Field, find_correction
from actions.i18n import lang_of, say

# Intents that interrupt a form (rules answer them); a summary must not swallow them.
INTERRUPTIONS = frozenset({"cancel", "ask_service_info", "human_handoff", "change_language", "help",
                           "check_application_status", "bot_challenge"})


class ApplicationFormValidation(FormValidationAction, ABC):
    """Validation shared by the forms: the citizen slot triggers prefill; both confirmation slots
    take yes / no / "change X to Y"."""

    @property
    @abstractmethod
    def form(self) -> str:
        """The form's name in the domain."""

    @property
    @abstractmethod
    def prefill_confirm_slot(self) -> str:
        """The slot that holds the citizen's "yes, the prefilled values are right"."""

    @property
    @abstractmethod
    def final_confirm_slot(self) -> str:
        """The slot that holds the citizen's "yes, submit it"."""

    @property
    @abstractmethod
    def prefilled_slots(self) -> tuple[str, ...]:
        """Slots filled from the citizen record; asked one by one if the citizen says they are wrong."""

    @property
    @abstractmethod
    def fields(self) -> list[Field]:
        """The answers a citizen may change by name at a confirmation."""

    @abstractmethod
    def prefill(self, citizen: dict[str, Any], tracker: Tracker) -> dict[str, Any]:
        """Values known from the citizen record (only those the form may fill)."""

    def name(self) -> str:
        return f"validate_{self.form}"

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Besides the slot mappings: at a confirmation, "<field> <value>로 바꿔줘" sets that field."""
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        requested = tracker.get_slot("requested_slot")
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if requested == "citizen_id" and intent not in INTERRUPTIONS and citizen_of(tracker) is None:
            # Still signed out: ask again to sign in rather than fall back to "I didn't understand".
            return [*events, SlotSet("citizen_id", None)]
        if requested not in (self.prefill_confirm_slot, self.final_confirm_slot):
            return events
        if intent in ("affirm", "deny") or intent in INTERRUPTIONS:
            return events
        lang = lang_of(tracker)
        correction = find_correction((tracker.latest_message or {}).get("text") or "", self.fields)
        if correction is None:
            help_key = "confirm_help" if requested == self.final_confirm_slot else "prefill_help"
            dispatcher.utter_message(text=say(help_key, lang))
            # Setting the slot (to nothing) counts as an answer, so the form asks again instead of
            # rejecting the turn and falling back.
            return [*events, SlotSet(requested, None)]
        slot, value = correction
        return [*events, SlotSet(slot, value or None)]

    def validate_citizen_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Signed in: prefill from the citizen record (only slots still empty)."""
        citizen = citizen_of(tracker)
        if not value or citizen is None or citizen["id"] != value:
            return {"citizen_id": None}
        known = {slot: v for slot, v in self.prefill(citizen, tracker).items()
                 if v is not None and tracker.get_slot(slot) is None}
        return {"citizen_id": value, **known}

    def _validate_confirmation(self, slot: str, value: Any) -> dict[str, Any]:
        return {slot: None if value is None else bool(value)}

    def validate_prefill_confirmation(self, value: Any) -> dict[str, Any]:
        """Yes keeps the prefilled values; no clears them so each is asked."""
        if value is None:
            return {self.prefill_confirm_slot: None}
        if value is False:
            return {self.prefill_confirm_slot: False, **{slot: None for slot in self.prefilled_slots}}
        return {self.prefill_confirm_slot: True}


def reason_or_value(
    slot: str, result: tuple[Any, str | None], dispatcher: CollectingDispatcher, tracker: Tracker, **params: Any
) -> dict[str, Any]:
    """`{slot: value}`, or the reason said in the citizen's language and `{slot: None}`."""
    value, problem = result
    if problem:
        dispatcher.utter_message(text=say(problem, lang_of(tracker), **params))
        return {slot: None}
    return {slot: value}


class AskSlotAction(Action, ABC):
    """Asks for one slot in the citizen's language, with quick replies when `buttons` gives some."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot this action asks for."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def buttons(self, tracker: Tracker, lang: str) -> list[dict[str, str]]:
        """Quick replies; none by default."""
        return []

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = lang_of(tracker)
        dispatcher.utter_message(text=say(f"ask_{self.slot}", lang), buttons=self.buttons(tracker, lang))
        return []


class AskDocumentAction(AskSlotAction, ABC):
    """Asks for a document photo; the web page shows its upload button for `custom.upload`."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = lang_of(tracker)
        dispatcher.utter_message(
            text=say(f"ask_{self.slot}", lang),
            json_message={"upload": {"slot": self.slot, "accept": ["image/jpeg", "image/png", "application/pdf"]}},
        )
        return []


class ActionAskCitizenId(Action):
    """A form needs a signed-in citizen: ask them to sign in (the page shows its sign-in button)."""

    def name(self) -> str:
        return "action_ask_citizen_id"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=say("sign_in_first", lang_of(tracker)), json_message={"sign_in_required": True})
        return []


def yes_no_buttons(lang: str, final: bool) -> list[dict[str, str]]:
    """Quick replies of a confirmation."""
    yes, no = ("button_submit", "button_dont_submit") if final else ("button_correct", "button_incorrect")
    return [{"title": say(yes, lang), "payload": "/affirm"}, {"title": say(no, lang), "payload": "/deny"}]
