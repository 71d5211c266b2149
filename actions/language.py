"""The citizen's language: taken from each message's metadata, switched by `change_language`."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction

from actions.i18n import say


class ValidateSlotMappings(ValidationAction):
    """Fills custom-mapped slots after every message from its metadata: `language`, and `citizen_id`
    (the signed-in citizen; empty once they sign out)."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        lang = metadata.get("lang")
        if lang in ("ko", "en") and lang != tracker.get_slot("language"):
            return {"language": lang}
        return {}

    async def extract_citizen_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        citizen = metadata.get("citizen_id") or None
        if citizen != tracker.get_slot("citizen_id"):
            return {"citizen_id": citizen}
        return {}


class ActionChangeLanguage(Action):
    """Switches between Korean and English on request ("영어로 해줘", "한국어로")."""

    def name(self) -> str:
        return "action_change_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = ((tracker.latest_message or {}).get("text") or "").lower()
        current = tracker.get_slot("language") or "ko"
        if any(word in text for word in ("영어", "english", "영문")):
            target = "en"
        elif any(word in text for word in ("한국어", "한글", "korean", "국어")):
            target = "ko"
        else:
            target = "en" if current == "ko" else "ko"
        dispatcher.utter_message(text=say("language_changed", target), json_message={"language": target})
        return [SlotSet("language", target)]
