"""Birth registration (출생신고) as a conversation: name, birth date, confirmation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date, timedelta
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms.validators import validate_hangul_name, validate_past_date
from actions.i18n import lang_of, say

FORM = "birth_registration_form"
REPORT_DEADLINE = timedelta(days=30)  # 가족관계등록법 제44조: within one month of the birth


class ValidateBirthRegistrationForm(FormValidationAction):
    """Checks every answer of the birth registration form."""

    def name(self) -> str:
        return f"validate_{FORM}"

    def validate_child_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A Hangul name of 2 to 6 syllables."""
        lang = lang_of(tracker)
        person = _entity(tracker, "person_name")
        name, problem = validate_hangul_name(person or str(value))
        if problem:
            dispatcher.utter_message(text=say(problem, lang))
            return {"child_name": None}
        return {"child_name": name}

    def validate_child_birth_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Not in the future; past the one-month deadline it warns about the late fee and goes on."""
        lang = lang_of(tracker)
        today = date.today()
        birth_date, problem = validate_past_date(str(value), today)
        if problem:
            dispatcher.utter_message(text=say(problem, lang, today=today.isoformat()))
            return {"child_birth_date": None}
        assert birth_date is not None
        if today - birth_date > REPORT_DEADLINE:
            dispatcher.utter_message(text=say("birth_late", lang))
        return {"child_birth_date": birth_date.isoformat()}

    def validate_birth_registration_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes or no; a "no" completes the form and the submit action then files nothing."""
        return {"birth_registration_confirmed": bool(value)}


class AskSlotAction(Action, ABC):
    """Asks for one slot in the citizen's language. Abstract, so rasa-sdk does not register it."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot this action asks for."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=say(f"ask_{self.slot}", lang_of(tracker)))
        return []


class ActionAskChildName(AskSlotAction):
    """Asks for the baby's name."""

    slot = "child_name"  # type: ignore[assignment]


class ActionAskChildBirthDate(AskSlotAction):
    """Asks for the date of birth."""

    slot = "child_birth_date"  # type: ignore[assignment]


class ActionAskBirthRegistrationConfirmed(Action):
    """Shows the summary and asks for confirmation before anything is filed."""

    def name(self) -> str:
        return "action_ask_birth_registration_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = lang_of(tracker)
        dispatcher.utter_message(
            text=say(
                "birth_summary", lang,
                child_name=tracker.get_slot("child_name"),
                child_birth_date=tracker.get_slot("child_birth_date"),
            ),
            buttons=[
                {"title": say("button_yes", lang), "payload": "/affirm"},
                {"title": say("button_no", lang), "payload": "/deny"},
            ],
        )
        return []


def _entity(tracker: Tracker, name: str) -> str | None:
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == name and entity.get("value"):
            return str(entity["value"])
    return None
