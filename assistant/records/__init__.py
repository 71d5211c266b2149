"""Records store: applications filed by the assistant, with receipt numbers (SQLAlchemy 2)."""

from assistant.records.database import Database, DatabaseUnavailable
from assistant.records.models import Application, ApplicationStatus
from assistant.records.store import RecordsStore

__all__ = ["Application", "ApplicationStatus", "Database", "DatabaseUnavailable", "RecordsStore"]
