"""Tables of the staff console, on the records store's declarative base (one database).

`Database.create_schema()` imports this module so the tables are created with the others.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assistant.records.models import Base, utcnow

ROLES = ("editor", "reviewer", "admin")


class StaffUser(Base):
    """A member of staff. `role` is editor < reviewer < admin (each can do what the one before can)."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GuideVersion(Base):
    """One version of a guide's YAML text.

    status: draft (being edited) -> in_review -> published, or rejected (sent back, stays as history).
    The newest published version is what `knowledge_base/<service_id>.yml` holds.
    """

    __tablename__ = "guide_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(String(80), index=True)
    number: Mapped[int] = mapped_column(Integer)
    yaml_text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    author: Mapped[str] = mapped_column(String(64))
    reviewer: Mapped[str | None] = mapped_column(String(64), default=None)
    note: Mapped[str | None] = mapped_column(String(1000), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class AuditEntry(Base):
    """One staff action: who did what to which object, with details (never personal data)."""

    __tablename__ = "staff_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(120))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class UnansweredQuestion(Base):
    """A question the assistant could not answer well, its personal data masked.

    kind: low_confidence (intent below the threshold), fallback (nlu_fallback or Rasa's core fallback),
    out_of_scope (answered "I can't help with that") or retrieval_miss (no guide, or not sure). status: open, attached (to a guide), trained (NLU example), dismissed.
    """

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    text: Mapped[str] = mapped_column(String(2000))
    lang: Mapped[str] = mapped_column(String(4), default="ko")
    kind: Mapped[str] = mapped_column(String(20))
    intent: Mapped[str | None] = mapped_column(String(80), default=None)
    confidence: Mapped[float | None] = mapped_column(Float, default=None)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    resolution: Mapped[str | None] = mapped_column(String(200), default=None)


class ChatEvent(Base):
    """One chat turn as analytics sees it: no text, the sender only as a hash."""

    __tablename__ = "chat_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    sender_hash: Mapped[str] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(10), default="web")
    intent: Mapped[str | None] = mapped_column(String(80), default=None)
    confidence: Mapped[float | None] = mapped_column(Float, default=None)
    active_form: Mapped[str | None] = mapped_column(String(60), default=None)
    requested_slot: Mapped[str | None] = mapped_column(String(60), default=None)
    services: Mapped[list[str]] = mapped_column(JSON, default=list)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
