"""The audit log: every staff action, who, what, when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from assistant.records.database import Database
from assistant.staff.models import AuditEntry


class AuditLog:
    """Appends and lists audit entries. Details must never hold registration or phone numbers."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def record(self, actor: str, action: str, target: str, **details: Any) -> None:
        """Append one entry."""
        with self.database.session() as session:
            session.add(AuditEntry(actor=actor, action=action, target=target, details=details))

    def recent(self, limit: int = 200, target: str | None = None) -> list[dict[str, Any]]:
        """Newest entries first, optionally for one target."""
        with self.database.session() as session:
            query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
            if target:
                query = query.where(AuditEntry.target == target)
            return [
                {"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "target": e.target, "details": e.details}
                for e in session.scalars(query)
            ]
