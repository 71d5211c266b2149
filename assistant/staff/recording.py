"""What the chat gateway and the knowledge action tell the staff console about each turn.

Recording must never break a citizen's conversation, so failures are logged (without the text) and
swallowed.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.staff.analytics import Analytics
from assistant.staff.misses import LOW_CONFIDENCE, MissLog

log = logging.getLogger(__name__)
FALLBACK_INTENT = "nlu_fallback"
# The domain's "I could not help" responses: a turn answered with one of them is a miss even when
# the intent was confident (Rasa's core fallback, or a service question classified out of scope).
MISS_RESPONSES = {"utter_default": "fallback", "utter_out_of_scope": "out_of_scope"}


@lru_cache(maxsize=4)
def miss_response_texts(domain_path: Path) -> dict[str, str]:
    """Text of every variant (ko/en) of the miss responses -> the kind of miss it stands for."""
    domain = yaml.safe_load(domain_path.read_text(encoding="utf-8")) or {}
    texts: dict[str, str] = {}
    for name, kind in MISS_RESPONSES.items():
        for variant in (domain.get("responses") or {}).get(name) or []:
            if variant.get("text"):
                texts[variant["text"].strip()] = kind
    return texts


def record_chat_turn(analytics: Analytics, misses: MissLog, *, sender: str, text: str, lang: str, channel: str,
                     intent: str | None, confidence: float | None, active_form: str | None,
                     requested_slot: str | None, services: list[str], replies: list[str],
                     domain_path: Path) -> None:
    """One turn for analytics; a fallback, an "I can't help" reply or a low-confidence intent outside a
    form also as a miss."""
    try:
        answered_with = miss_response_texts(domain_path)
        reply_kind = next((answered_with[r.strip()] for r in replies if r and r.strip() in answered_with), None)
        fallback = intent == FALLBACK_INTENT or reply_kind == "fallback"
        analytics.record_turn(sender, channel, intent, confidence, active_form, requested_slot, services, fallback)
        if fallback:
            misses.record(text, "fallback", lang, intent, confidence)
        elif reply_kind == "out_of_scope":
            misses.record(text, "out_of_scope", lang, intent, confidence)
        # Inside a form, short answers ("네", a date) often score low and are not questions.
        elif active_form is None and confidence is not None and confidence < LOW_CONFIDENCE:
            misses.record(text, "low_confidence", lang, intent, confidence)
    except Exception:  # noqa: BLE001 - analytics must not break the chat
        log.exception("could not record a chat turn for the staff console")


def record_retrieval_miss(text: str, lang: str) -> None:
    """A question the knowledge base had no confident answer for (called by the knowledge action)."""
    from assistant import services

    try:
        MissLog(services.records_store().database).record(text, "retrieval_miss", lang, "ask_service_info")
    except Exception:  # noqa: BLE001 - the citizen still gets the not-sure answer
        log.exception("could not record a retrieval miss")
