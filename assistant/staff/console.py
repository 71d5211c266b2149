"""Everything the staff console needs, built once per process over the records database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.records.database import Database
from assistant.settings import Settings
from assistant.staff.accounts import SignInThrottle, StaffDirectory
from assistant.staff.analytics import Analytics
from assistant.staff.audit import AuditLog
from assistant.staff.curation import NLU_EXAMPLES_FILE
from assistant.staff.guides import GuideDesk
from assistant.staff.misses import MissLog
from assistant.staff.sessions import StaffSessionSigner


@dataclass
class StaffConsole:
    """The staff console's services."""

    directory: StaffDirectory
    sessions: StaffSessionSigner
    audit: AuditLog
    desk: GuideDesk
    misses: MissLog
    analytics: Analytics
    nlu_examples_path: Path
    domain_path: Path
    throttle: SignInThrottle = field(default_factory=SignInThrottle)


def build_console(settings: Settings, database: Database) -> StaffConsole:
    """The console over `database`; guide files changed outside the console are recorded as versions."""
    desk = GuideDesk(database, settings.knowledge_base_dir)
    desk.sync_from_files()
    return StaffConsole(
        directory=StaffDirectory(database), sessions=StaffSessionSigner(settings, database),
        audit=AuditLog(database), desk=desk, misses=MissLog(database), analytics=Analytics(database),
        nlu_examples_path=settings.root_dir / NLU_EXAMPLES_FILE, domain_path=settings.root_dir / "domain.yml",
    )
