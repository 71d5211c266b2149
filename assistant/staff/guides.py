"""Guide curation: drafts, review, publishing to `knowledge_base/`, version history and rollback.

How the database and the files stay in step:
- `knowledge_base/<id>.yml` is the published truth (reviewable in git); the database keeps every
  version (drafts, texts under review, rejected and published ones) with who wrote and reviewed it.
- Publishing writes the file atomically (temporary file + rename) and records the version.
- At start-up `sync_from_files` records any file whose text differs from the newest published
  version (edited in git, pulled from elsewhere) as a new published version by "files", so the
  history never silently disagrees with the files.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from assistant.knowledge.loader import guide_files
from assistant.knowledge.schema import ServiceGuide
from assistant.knowledge.schema import SERVICE_ID
from assistant.records.database import Database
from assistant.records.models import utcnow
from assistant.staff.models import GuideVersion
from assistant.staff.validation import FieldProblem, check_guide_text, readable_diff

DRAFT, IN_REVIEW, PUBLISHED, REJECTED = "draft", "in_review", "published", "rejected"
OPEN_STATUSES = (DRAFT, IN_REVIEW)


class GuideProblems(ValueError):
    """The text does not pass the guide schema; `problems` names each field."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.reason}" for p in problems))


class WorkflowError(ValueError):
    """The version is not in a state that allows this step (e.g. publishing a draft not sent for review)."""


@dataclass(frozen=True)
class Published:
    """A guide that has just been published."""

    guide: ServiceGuide
    version: dict[str, Any]


class GuideDesk:
    """The curation workflow over one database and one knowledge-base folder."""

    def __init__(self, database: Database, kb_dir: Path) -> None:
        self.database = database
        self.kb_dir = kb_dir

    # ---- files ------------------------------------------------------------------------------

    def file_text(self, service_id: str) -> str | None:
        """The published text in `knowledge_base/`, or None for a guide that has no file yet."""
        path = self._path(service_id)
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def sync_from_files(self) -> int:
        """Record files that differ from their newest published version; returns how many."""
        imported = 0
        with self.database.session() as session:
            for path in guide_files(self.kb_dir):
                text = path.read_text(encoding="utf-8")
                latest = self._latest(session, path.stem, PUBLISHED)
                if latest is not None and latest.yaml_text == text:
                    continue
                session.add(GuideVersion(
                    service_id=path.stem, number=self._next_number(session, path.stem), yaml_text=text,
                    status=PUBLISHED, author="files", reviewer="files", published_at=utcnow(),
                    note="imported from knowledge_base/" if latest is None else "changed in knowledge_base/",
                ))
                session.flush()
                imported += 1
        return imported

    def list_guides(self, query: str = "") -> list[dict[str, Any]]:
        """Guides with their title and any open draft, filtered by a text in the id, name or aliases."""
        import yaml

        wanted = query.strip().lower()
        rows: list[dict[str, Any]] = []
        with self.database.session() as session:
            open_versions = {
                v.service_id: v for v in session.scalars(
                    select(GuideVersion).where(GuideVersion.status.in_(OPEN_STATUSES)).order_by(GuideVersion.id)
                )
            }
        ids = {p.stem for p in guide_files(self.kb_dir)} | set(open_versions)
        for service_id in sorted(ids):
            text = self.file_text(service_id) or open_versions[service_id].yaml_text
            try:
                data = yaml.safe_load(text) or {}
            except yaml.YAMLError:
                data = {}
            names = data.get("names") or {}
            haystack = " ".join([service_id, str(names), str(data.get("aliases") or "")]).lower()
            if wanted and wanted not in haystack:
                continue
            draft = open_versions.get(service_id)
            rows.append({
                "service_id": service_id, "title_ko": names.get("ko"), "title_en": names.get("en"),
                "category": data.get("category"), "published": self.file_text(service_id) is not None,
                "open_version": _public(draft) if draft is not None else None,
            })
        return rows

    # ---- workflow ---------------------------------------------------------------------------

    def save_draft(self, service_id: str, text: str, author: str) -> dict[str, Any]:
        """Save `text` as the guide's open draft (one per guide; a text under review goes back to draft).

        Raises:
            GuideProblems: the text fails the schema (nothing is saved).
        """
        if not SERVICE_ID.match(service_id):
            raise GuideProblems([FieldProblem("id", "must be lower-case letters, digits and hyphens")])
        _, problems = check_guide_text(text, service_id)
        if problems:
            raise GuideProblems(problems)
        with self.database.session() as session:
            version = self._open(session, service_id)
            if version is None:
                version = GuideVersion(service_id=service_id, number=self._next_number(session, service_id),
                                       yaml_text=text, status=DRAFT, author=author)
                session.add(version)
            else:
                version.yaml_text, version.status, version.author = text, DRAFT, author
            session.flush()
            return _public(version)

    def submit(self, version_id: int, actor: str) -> dict[str, Any]:
        """Send a draft for review."""
        return self._move(version_id, {DRAFT}, IN_REVIEW, actor=actor)

    def reject(self, version_id: int, reviewer: str, note: str) -> dict[str, Any]:
        """Send a text under review back, with a note; it stays in the history as rejected."""
        return self._move(version_id, {IN_REVIEW}, REJECTED, reviewer=reviewer, note=note)

    def publish(self, version_id: int, reviewer: str) -> Published:
        """Publish a text under review: write its file atomically and record the version."""
        with self.database.session() as session:
            version = session.get(GuideVersion, version_id)
            if version is None:
                raise LookupError(version_id)
            if version.status != IN_REVIEW:
                raise WorkflowError(f"version is {version.status}, only a text in review can be published")
            guide, problems = check_guide_text(version.yaml_text, version.service_id)
            if guide is None:
                raise GuideProblems(problems)
            self._write_file(version.service_id, version.yaml_text)
            version.status, version.reviewer, version.published_at = PUBLISHED, reviewer, utcnow()
            return Published(guide, _public(version))

    def rollback(self, service_id: str, number: int, reviewer: str) -> Published:
        """Publish again the text of an earlier version, as a new version."""
        with self.database.session() as session:
            old = session.scalar(select(GuideVersion).where(
                GuideVersion.service_id == service_id, GuideVersion.number == number))
            if old is None:
                raise LookupError(f"{service_id} v{number}")
            guide, problems = check_guide_text(old.yaml_text, service_id)
            if guide is None:
                raise GuideProblems(problems)
            self._write_file(service_id, old.yaml_text)
            version = GuideVersion(
                service_id=service_id, number=self._next_number(session, service_id), yaml_text=old.yaml_text,
                status=PUBLISHED, author=reviewer, reviewer=reviewer, published_at=utcnow(),
                note=f"rollback to v{number}",
            )
            session.add(version)
            session.flush()
            return Published(guide, _public(version))

    # ---- history ----------------------------------------------------------------------------

    def version(self, version_id: int) -> dict[str, Any] | None:
        """One version with its text."""
        with self.database.session() as session:
            version = session.get(GuideVersion, version_id)
            return {**_public(version), "yaml_text": version.yaml_text} if version is not None else None

    def history(self, service_id: str) -> list[dict[str, Any]]:
        """Every version, newest first, each with a diff against the published text before it."""
        with self.database.session() as session:
            versions = list(session.scalars(
                select(GuideVersion).where(GuideVersion.service_id == service_id).order_by(GuideVersion.number)))
        result: list[dict[str, Any]] = []
        base_text, base_label = "", "(none)"
        for version in versions:
            result.append({**_public(version), "diff": readable_diff(
                base_text, version.yaml_text, base_label, f"v{version.number} ({version.status})")})
            if version.status == PUBLISHED:
                base_text, base_label = version.yaml_text, f"v{version.number}"
        return list(reversed(result))

    def diff_against_published(self, version_id: int) -> str:
        """The diff of one version against the file as published now."""
        version = self.version(version_id)
        if version is None:
            raise LookupError(version_id)
        current = self.file_text(version["service_id"]) or ""
        return readable_diff(current, version["yaml_text"], "published", f"v{version['number']}")

    # ---- internals --------------------------------------------------------------------------

    def _move(self, version_id: int, allowed: set[str], target: str, **fields: Any) -> dict[str, Any]:
        with self.database.session() as session:
            version = session.get(GuideVersion, version_id)
            if version is None:
                raise LookupError(version_id)
            if version.status not in allowed:
                raise WorkflowError(f"version is {version.status}, cannot become {target}")
            version.status = target
            for name, value in fields.items():
                if name == "actor":
                    continue
                setattr(version, name, value)
            return _public(version)

    def _write_file(self, service_id: str, text: str) -> None:
        # Same folder, then rename: the index builder and git never see half a file.
        self.kb_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{service_id}-", suffix=".tmp", dir=self.kb_dir)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
        os.replace(tmp, self._path(service_id))

    def _path(self, service_id: str) -> Path:
        if not SERVICE_ID.match(service_id):
            raise LookupError(service_id)
        return self.kb_dir / f"{service_id}.yml"

    @staticmethod
    def _latest(session: Any, service_id: str, status: str) -> GuideVersion | None:
        return session.scalar(select(GuideVersion).where(
            GuideVersion.service_id == service_id, GuideVersion.status == status,
        ).order_by(GuideVersion.number.desc()).limit(1))

    @staticmethod
    def _open(session: Any, service_id: str) -> GuideVersion | None:
        return session.scalar(select(GuideVersion).where(
            GuideVersion.service_id == service_id, GuideVersion.status.in_(OPEN_STATUSES),
        ).order_by(GuideVersion.number.desc()).limit(1))

    @staticmethod
    def _next_number(session: Any, service_id: str) -> int:
        return int(session.scalar(select(func.max(GuideVersion.number)).where(
            GuideVersion.service_id == service_id)) or 0) + 1


def _public(version: GuideVersion) -> dict[str, Any]:
    return {
        "id": version.id, "service_id": version.service_id, "number": version.number, "status": version.status,
        "author": version.author, "reviewer": version.reviewer, "note": version.note,
        "created_at": version.created_at.isoformat() if version.created_at else None,
        "published_at": version.published_at.isoformat() if version.published_at else None,
    }
