"""ORM models of the records store."""

from __future__ import annotations

import enum
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    """Timezone-aware now, for timestamps."""
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    """Declarative base of every records table."""


class ApplicationStatus(str, enum.Enum):
    """Life cycle of an application: submitted -> in_review -> approved / rejected."""

    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"


class Application(Base):
    """An application the assistant filed for a citizen; `receipt_number` is what the citizen tracks."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    receipt_number: Mapped[str | None] = mapped_column(String(32), unique=True, index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    citizen_ref: Mapped[str] = mapped_column(String(128), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[ApplicationStatus] = mapped_column(
        # Stored as the readable value ("submitted"), not the Python member name.
        Enum(ApplicationStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=ApplicationStatus.SUBMITTED,
    )
    status_note: Mapped[str | None] = mapped_column(String(1000), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
