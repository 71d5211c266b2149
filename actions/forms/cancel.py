"""Cancelling whatever form is in progress, with nothing submitted."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import birth_registration, move_in, resident_certificate
from actions.i18n import lang_of, say

FORM_SLOTS = {
    birth_registration.FORM: birth_registration.SLOTS,
    move_in.FORM: move_in.SLOTS,
    resident_certificate.FORM: resident_certificate.SLOTS,
}


class ActionCancelForm(Action):
    """Stops the active form and clears its answers; nothing is filed."""

    def name(self) -> str:
        return "action_cancel_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = lang_of(tracker)
        form = (tracker.active_loop or {}).get("name")
        if not form:
            dispatcher.utter_message(text=say("nothing_to_cancel", lang))
            return []
        dispatcher.utter_message(text=say("cancelled", lang))
        slots = FORM_SLOTS.get(form, ())
        return [ActiveLoop(None), SlotSet("requested_slot", None), *(SlotSet(s, None) for s in slots)]
