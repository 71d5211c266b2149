"""RecordsStore: files applications idempotently and finds them for their citizen only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from assistant.records.database import Database, retries_on_disconnect
from assistant.records.models import STATUS_TRANSITIONS, Application, ApplicationStatus, utcnow
from assistant.records.receipts import format_receipt_number


class IllegalTransition(ValueError):
    """The status move is not one of submitted -> in_review -> approved / rejected."""


class RecordsStore:
    """The local records system; the actions talk to it through this class only."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @retries_on_disconnect
    def submit(
        self, kind: str, citizen_ref: str, payload: dict[str, Any], idempotency_key: str,
        attachments: list[dict[str, Any]] | None = None,
    ) -> Application:
        """File an application and give it a receipt number.

        Submitting twice with the same `idempotency_key` (a double click, a retried webhook call)
        returns the first application instead of filing a second one.
        """
        existing = self.find_by_idempotency_key(idempotency_key)
        if existing is not None:
            return existing
        try:
            with self.database.session() as session:
                application = Application(
                    kind=kind, citizen_ref=citizen_ref, payload=payload, idempotency_key=idempotency_key,
                    attachments=list(attachments or []),
                )
                session.add(application)
                session.flush()  # assigns the id the receipt number is built from
                year = (application.created_at or utcnow()).year
                application.receipt_number = format_receipt_number(kind, year, application.id)
                return application
        except IntegrityError:
            # A concurrent retry won the race on the unique idempotency key.
            winner = self.find_by_idempotency_key(idempotency_key)
            if winner is None:
                raise
            return winner

    @retries_on_disconnect
    def find_by_idempotency_key(self, key: str) -> Application | None:
        """The application filed under `key`, if any."""
        with self.database.session() as session:
            return session.scalar(select(Application).where(Application.idempotency_key == key))

    @retries_on_disconnect
    def find_for_citizen(self, receipt_number: str, citizen_ref: str) -> Application | None:
        """The application with this receipt number, only if it belongs to `citizen_ref`."""
        with self.database.session() as session:
            return session.scalar(
                select(Application).where(
                    Application.receipt_number == receipt_number.strip().upper(),
                    Application.citizen_ref == citizen_ref,
                )
            )

    @retries_on_disconnect
    def list_for_citizen(self, citizen_ref: str, limit: int = 20) -> list[Application]:
        """The citizen's applications, newest first."""
        with self.database.session() as session:
            rows = session.scalars(
                select(Application)
                .where(Application.citizen_ref == citizen_ref)
                .order_by(Application.id.desc())
                .limit(limit)
            )
            return list(rows)

    @retries_on_disconnect
    def find(self, receipt_number: str) -> Application | None:
        """The application with this receipt number, whoever it belongs to (staff only)."""
        with self.database.session() as session:
            return session.scalar(
                select(Application).where(Application.receipt_number == receipt_number.strip().upper())
            )

    @retries_on_disconnect
    def set_payload(self, application_id: int, payload: dict[str, Any]) -> None:
        """Replace the payload (used to record the issued certificate file)."""
        with self.database.session() as session:
            application = session.get(Application, application_id)
            if application is not None:
                application.payload = payload

    @retries_on_disconnect
    def move_status(self, receipt_number: str, status: ApplicationStatus, note: str | None = None) -> Application:
        """Move an application to `status` if that is a legal next step.

        Raises:
            LookupError: no application has this receipt number.
            IllegalTransition: the move is not allowed from the current status.
        """
        with self.database.session() as session:
            application = session.scalar(
                select(Application).where(Application.receipt_number == receipt_number.strip().upper())
            )
            if application is None:
                raise LookupError(receipt_number)
            if status not in STATUS_TRANSITIONS[application.status]:
                raise IllegalTransition(f"{application.status.value} -> {status.value}")
            application.status = status
            application.status_note = note
            application.updated_at = utcnow()
            return application
