"""ORM models of the records store."""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Enum, ForeignKey, Integer, String
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
    # [{"document": "birth_certificate", "upload_id": ..., "sha256": ..., "content_type": ...}]
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[ApplicationStatus] = mapped_column(
        # Stored as the readable value ("submitted"), not the Python member name.
        Enum(ApplicationStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=ApplicationStatus.SUBMITTED,
    )
    status_note: Mapped[str | None] = mapped_column(String(1000), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


# Legal moves of an application's status; anything else is refused.
STATUS_TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    ApplicationStatus.SUBMITTED: frozenset({ApplicationStatus.IN_REVIEW}),
    ApplicationStatus.IN_REVIEW: frozenset({ApplicationStatus.APPROVED, ApplicationStatus.REJECTED}),
    ApplicationStatus.APPROVED: frozenset(),
    ApplicationStatus.REJECTED: frozenset(),
}


class Citizen(Base):
    """A resident as the resident register knows them (demo data stands in for the real register).

    The registration number and phone are stored encrypted; only their masked forms are ever shown.
    Members of one household share `household_id`; `household_role` is their place in it.
    """

    __tablename__ = "citizens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(80))
    sex: Mapped[str] = mapped_column(String(1))  # "M" / "F"
    birth_date: Mapped[date] = mapped_column(Date)
    rrn_encrypted: Mapped[str] = mapped_column(String(400))
    rrn_masked: Mapped[str] = mapped_column(String(14))
    phone_encrypted: Mapped[str | None] = mapped_column(String(400), default=None)
    phone_masked: Mapped[str | None] = mapped_column(String(16), default=None)
    address: Mapped[str] = mapped_column(String(200))
    # [{"address": ..., "moved_in": "YYYY-MM-DD"}], oldest first, ending with the current address.
    address_history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    registration_base: Mapped[str] = mapped_column(String(200))
    household_id: Mapped[str] = mapped_column(String(32), index=True)
    household_role: Mapped[str] = mapped_column(String(16))  # head / spouse / child / parent
    pin_hash: Mapped[str | None] = mapped_column(String(200), default=None)  # None: cannot sign in
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Upload(Base):
    """A document photo a citizen sent through the chat. The file lives on disk under its hash."""

    __tablename__ = "uploads"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    citizen_id: Mapped[str] = mapped_column(String(32), index=True)
    sender: Mapped[str] = mapped_column(String(128))
    # accepted: stored; rejected: refused for `reason` (nothing of the file is kept).
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(40), default=None)
    content_type: Mapped[str | None] = mapped_column(String(40), default=None)
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SignedOutSession(Base):
    """A session id that was signed out before it expired; its token is refused from then on."""

    __tablename__ = "signed_out_sessions"

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
