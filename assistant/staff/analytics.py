"""Usage figures for staff: conversations per day, intents, fallback rate, form funnel, services asked about."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from assistant.records.database import Database
from assistant.records.models import Application
from assistant.staff.models import ChatEvent

# Form -> (the summary slot whose question means "confirm everything", the application kind filed).
FORMS = {
    "birth_registration_form": ("birth_registration_confirmed", "birth_registration"),
    "move_in_form": ("move_in_confirmed", "move_in"),
    "resident_certificate_form": ("certificate_confirmed", "resident_certificate"),
}


def sender_hash(sender: str) -> str:
    """A stable pseudonym of a chat sender (analytics never stores the sender id itself)."""
    return hashlib.sha256(f"analytics:{sender}".encode()).hexdigest()[:24]


class Analytics:
    """Records chat turns and computes the figures."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def record_turn(self, sender: str, channel: str, intent: str | None, confidence: float | None,
                    active_form: str | None, requested_slot: str | None, services: list[str], fallback: bool) -> None:
        """Store one turn (no message text)."""
        with self.database.session() as session:
            session.add(ChatEvent(sender_hash=sender_hash(sender), channel=channel, intent=intent,
                                  confidence=confidence, active_form=active_form, requested_slot=requested_slot,
                                  services=services, fallback=fallback))

    def summary(self, days: int = 30) -> dict[str, Any]:
        """Every figure over the last `days` days."""
        since = datetime.now(timezone.utc) - timedelta(days=days)
        with self.database.session() as session:
            events = list(session.scalars(select(ChatEvent).where(ChatEvent.at >= since)))
            applications = list(session.scalars(select(Application.kind).where(Application.created_at >= since)))
        per_day: dict[str, set[str]] = defaultdict(set)
        turns_per_day: Counter[str] = Counter()
        for event in events:
            day = event.at.date().isoformat()
            per_day[day].add(event.sender_hash)
            turns_per_day[day] += 1
        started: dict[str, set[str]] = defaultdict(set)
        confirmed: dict[str, set[str]] = defaultdict(set)
        for event in events:
            if event.active_form in FORMS:
                started[event.active_form].add(event.sender_hash)
                if event.requested_slot == FORMS[event.active_form][0]:
                    confirmed[event.active_form].add(event.sender_hash)
        submitted = Counter(applications)
        fallbacks = sum(1 for e in events if e.fallback)
        return {
            "days": days,
            "turns": len(events),
            "conversations_per_day": [
                {"day": d, "conversations": len(per_day[d]), "turns": turns_per_day[d]} for d in sorted(per_day)],
            "intents": [{"intent": i, "count": c} for i, c in Counter(e.intent or "(none)" for e in events).most_common()],
            "fallback_rate": round(fallbacks / len(events), 4) if events else 0.0,
            "funnel": [
                {"form": form, "started": len(started[form]), "confirmed": len(confirmed[form]),
                 "submitted": submitted.get(kind, 0)} for form, (_, kind) in FORMS.items()],
            "services": [{"service_id": s, "count": c}
                         for s, c in Counter(s for e in events for s in (e.services or [])).most_common(20)],
        }
