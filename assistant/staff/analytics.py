"""Usage figures for staff: conversations per day, intents, fallback rate, form funnel, services asked about."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from assistant.records.database import Database
from assistant.records.models import Application
from assistant.staff.models import ChatEvent

log = logging.getLogger(__name__)
# Turns waiting longer than this are written by a background thread; readers write them first.
FLUSH_AFTER_S = 0.5
# While the database is away, at most this many unwritten turns are kept (the oldest go first).
MAX_PENDING = 10_000

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
    """Records chat turns and computes the figures.

    Turns are written in batches, off the chat's path: a database commit per turn cost every citizen a
    few milliseconds per message. A turn is written within `flush_after_s`, or before any figure is
    computed in this process (so this process's figures are always complete), or at shutdown. With
    several service workers, another worker's last half second may be missing from a figure.
    """

    def __init__(self, database: Database, flush_after_s: float = FLUSH_AFTER_S) -> None:
        self.database = database
        self.flush_after_s = flush_after_s
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def record_turn(self, sender: str, channel: str, intent: str | None, confidence: float | None,
                    active_form: str | None, requested_slot: str | None, services: list[str], fallback: bool) -> None:
        """Queue one turn (no message text) for the next batch write."""
        row = {"at": datetime.now(timezone.utc), "sender_hash": sender_hash(sender), "channel": channel,
               "intent": intent, "confidence": confidence, "active_form": active_form,
               "requested_slot": requested_slot, "services": services, "fallback": fallback}
        with self._lock:
            self._pending.append(row)
            self._schedule(self.flush_after_s)

    def pending(self) -> int:
        """Turns recorded but not written yet."""
        with self._lock:
            return len(self._pending)

    def flush(self) -> None:
        """Write every queued turn now, in one transaction.

        Raises:
            Whatever the database raises; the turns stay queued for the next try.
        """
        with self._write_lock:  # one writer at a time keeps the turns in order
            with self._lock:
                rows, self._pending = self._pending, []
                if self._timer is not None:
                    self._timer.cancel()
                    self._timer = None
            if not rows:
                return
            try:
                with self.database.session() as session:
                    session.add_all([ChatEvent(**row) for row in rows])
            except Exception:
                with self._lock:
                    self._pending = [*rows, *self._pending][-MAX_PENDING:]
                raise

    def _flush_in_background(self) -> None:
        try:
            self.flush()
        except Exception:  # noqa: BLE001 - analytics must not take the service down; retried later
            log.exception("could not write %d chat turns for the staff console; will retry", self.pending())
            with self._lock:
                if self._pending:
                    self._schedule(max(self.flush_after_s, 5.0))

    def _schedule(self, delay_s: float) -> None:
        """A background write in `delay_s` unless one is due already (call with `_lock` held)."""
        if self._timer is None:
            self._timer = threading.Timer(delay_s, self._flush_in_background)
            self._timer.daemon = True
            self._timer.start()

    def summary(self, days: int = 30) -> dict[str, Any]:
        """Every figure over the last `days` days."""
        since = datetime.now(timezone.utc) - timedelta(days=days)
        self.flush()
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
