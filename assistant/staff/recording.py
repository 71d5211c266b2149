"""What the chat gateway and the knowledge action tell the staff console about each turn.

Recording must never break a citizen's conversation, so failures are logged (without the text) and
swallowed.
"""

from __future__ import annotations

import logging

from assistant.staff.analytics import Analytics
from assistant.staff.misses import LOW_CONFIDENCE, MissLog

log = logging.getLogger(__name__)
FALLBACK_INTENT = "nlu_fallback"


def record_chat_turn(analytics: Analytics, misses: MissLog, *, sender: str, text: str, lang: str, channel: str,
                     intent: str | None, confidence: float | None, active_form: str | None,
                     requested_slot: str | None, services: list[str]) -> None:
    """One turn for analytics; a fallback or low-confidence intent outside a form also as a miss."""
    fallback = intent == FALLBACK_INTENT
    try:
        analytics.record_turn(sender, channel, intent, confidence, active_form, requested_slot, services, fallback)
        # Inside a form, short answers ("네", a date) often score low and are not questions.
        if active_form is None and (fallback or (confidence is not None and confidence < LOW_CONFIDENCE)):
            misses.record(text, "fallback" if fallback else "low_confidence", lang, intent, confidence)
    except Exception:  # noqa: BLE001 - analytics must not break the chat
        log.exception("could not record a chat turn for the staff console")


def record_retrieval_miss(text: str, lang: str) -> None:
    """A question the knowledge base had no confident answer for (called by the knowledge action)."""
    from assistant import services

    try:
        MissLog(services.records_store().database).record(text, "retrieval_miss", lang, "ask_service_info")
    except Exception:  # noqa: BLE001 - the citizen still gets the not-sure answer
        log.exception("could not record a retrieval miss")
