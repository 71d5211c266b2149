"""Move-in report (전입신고) as a conversation.

The previous address and the household come from the signed-in citizen and are confirmed in one
turn; then the new road-name address, the move date and who moves (buttons from the household),
a summary and the submission.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.citizen import citizen_of
from actions.forms.base import (
    ApplicationFormValidation,
    AskDocumentAction,
    AskSlotAction,
    reason_or_value,
    yes_no_buttons,
)
from actions.forms.corrections import Field
from actions.forms.documents import check_document
from actions.forms.messages import value_name
from actions.forms.validators import (
    MOVE_IN_DEADLINE_DAYS,
    validate_move_date,
    validate_moving_members,
    validate_road_address,
)
from actions.i18n import lang_of, say

FORM = "move_in_form"
PREFILLED = ("previous_address",)
DOCUMENT_SLOTS = ("doc_mover_id",)  # the guide: 신고하는 사람의 신분증
SLOTS = (*PREFILLED, "move_in_prefill_confirmed", "new_address", "move_date", "moving_members", *DOCUMENT_SLOTS,
         "move_in_confirmed")
FIELDS = [
    Field("previous_address", r"이전\s*주소|전\s*주소|previous address|old address"),
    Field("new_address", r"새\s*주소|주소|new address|address"),
    Field("move_date", r"이사\s*날짜|이사한\s*날|전입일|날짜|move date|moving date|\bdate\b"),
    Field("moving_members", r"세대원|이사하는\s*사람|가족|members|who moves|people"),
]


class ValidateMoveInForm(ApplicationFormValidation):
    """Checks every answer of the move-in report."""

    form = FORM  # type: ignore[assignment]
    prefill_confirm_slot = "move_in_prefill_confirmed"  # type: ignore[assignment]
    final_confirm_slot = "move_in_confirmed"  # type: ignore[assignment]
    prefilled_slots = PREFILLED  # type: ignore[assignment]
    fields = FIELDS  # type: ignore[assignment]

    def prefill(self, citizen: dict[str, Any], tracker: Tracker) -> dict[str, Any]:
        """The registered address is where the citizen moves from."""
        return {"previous_address": citizen.get("address")}

    def validate_previous_address(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        """A road-name address."""
        return reason_or_value("previous_address", validate_road_address(str(value)), dispatcher, tracker)

    def validate_move_in_prefill_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                           domain: DomainDict) -> dict[str, Any]:
        """Yes keeps the registered address; no asks for it."""
        return self.validate_prefill_confirmation(value)

    def validate_new_address(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> dict[str, Any]:
        """A road-name address other than the previous one."""
        address, problem = validate_road_address(str(value))
        if problem is None and address == tracker.get_slot("previous_address"):
            problem = "address_same"
        return reason_or_value("new_address", (address, problem), dispatcher, tracker)

    def validate_move_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> dict[str, Any]:
        """Not in the future; past the 14-day deadline it warns about the fine and goes on."""
        today = date.today()
        moved, problem = validate_move_date(str(value), today)
        if problem:
            dispatcher.utter_message(text=say(problem, lang_of(tracker), today=today.isoformat()))
            return {"move_date": None}
        assert moved is not None
        if today - moved > timedelta(days=MOVE_IN_DEADLINE_DAYS):
            dispatcher.utter_message(text=say("move_in_late", lang_of(tracker)))
        return {"move_date": moved.isoformat()}

    def validate_moving_members(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict[str, Any]:
        """Everyone, just the citizen, or named members of the household."""
        if isinstance(value, list):
            return {"moving_members": value}
        citizen = citizen_of(tracker) or {}
        result = validate_moving_members(str(value), citizen.get("name", ""), citizen.get("household") or [])
        return reason_or_value("moving_members", result, dispatcher, tracker)

    async def validate_doc_mover_id(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        """An accepted upload of this citizen."""
        return reason_or_value("doc_mover_id", await check_document(tracker, value), dispatcher, tracker)

    def validate_move_in_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        """Yes or no."""
        return self._validate_confirmation("move_in_confirmed", value)


class ActionAskPreviousAddress(AskSlotAction):
    """Asks for the address before the move."""

    slot = "previous_address"  # type: ignore[assignment]


class ActionAskMoveInPrefillConfirmed(Action):
    """Shows the registered address and household and asks for one confirmation."""

    def name(self) -> str:
        return "action_ask_move_in_prefill_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = lang_of(tracker)
        citizen = citizen_of(tracker) or {}
        household = ", ".join(f"{m['name']} ({value_name(m['relation'], lang)})" for m in citizen.get("household") or [])
        details = say("move_in_prefill", lang, name=citizen.get("name", "-"), rrn_masked=citizen.get("rrn_masked", "-"),
                      previous_address=tracker.get_slot("previous_address") or "-", household=household or "-")
        dispatcher.utter_message(
            text=f"{say('prefill_intro', lang)}\n{details}\n{say('prefill_question', lang)}",
            buttons=yes_no_buttons(lang, final=False),
        )
        return []


class ActionAskNewAddress(AskSlotAction):
    """Asks for the new road-name address."""

    slot = "new_address"  # type: ignore[assignment]


class ActionAskMoveDate(AskSlotAction):
    """Asks for the day of the move."""

    slot = "move_date"  # type: ignore[assignment]


class ActionAskMovingMembers(AskSlotAction):
    """Asks who moves, with the household as quick replies."""

    slot = "moving_members"  # type: ignore[assignment]

    def buttons(self, tracker: Tracker, lang: str) -> list[dict[str, str]]:
        citizen = citizen_of(tracker) or {}
        me, household = citizen.get("name", ""), citizen.get("household") or []
        if not household:
            return [{"title": say("button_members_me", lang, name=me), "payload": "본인만"}]
        everyone = ", ".join([me] + [m["name"] for m in household])
        buttons = [{"title": say("button_members_all", lang, names=everyone), "payload": "모두"},
                   {"title": say("button_members_me", lang, name=me), "payload": "본인만"}]
        buttons += [{"title": f"{me} + {m['name']}", "payload": f"{me}, {m['name']}"} for m in household]
        return buttons


class ActionAskDocMoverId(AskDocumentAction):
    """Asks for a photo of the ID card of the person filing."""

    slot = "doc_mover_id"  # type: ignore[assignment]


class ActionAskMoveInConfirmed(Action):
    """Shows the summary and asks for confirmation before anything is filed."""

    def name(self) -> str:
        return "action_ask_move_in_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = lang_of(tracker)
        citizen = citizen_of(tracker) or {}
        slot = tracker.get_slot
        dispatcher.utter_message(
            text=say("move_in_summary", lang, name=citizen.get("name", "-"), previous_address=slot("previous_address"),
                     new_address=slot("new_address"), move_date=slot("move_date"),
                     members=", ".join(slot("moving_members") or []),
                     documents=", ".join(value_name(s, lang) for s in DOCUMENT_SLOTS if slot(s)) or "-"),
            buttons=yes_no_buttons(lang, final=True),
        )
        return []
