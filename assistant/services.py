"""Process-wide services shared by the web routes and the custom actions (which run in-process).

The web app installs them in its lifespan; CLI commands and action unit tests get them lazily.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from assistant.settings import get_settings

if TYPE_CHECKING:
    from assistant.settings import Settings
    from assistant.records.citizens import CitizenDirectory
    from assistant.records.store import RecordsStore
    from assistant.records.uploads import UploadStore
    from assistant.retrieval.index import KnowledgeIndex

_lock = threading.Lock()
_knowledge: KnowledgeIndex | None = None
_records: RecordsStore | None = None
_citizens: CitizenDirectory | None = None
_uploads: UploadStore | None = None


def install(
    knowledge: KnowledgeIndex | None = None,
    records: RecordsStore | None = None,
    citizens: CitizenDirectory | None = None,
    uploads: UploadStore | None = None,
) -> None:
    """Make these instances the process-wide ones."""
    global _knowledge, _records, _citizens, _uploads
    with _lock:
        if knowledge is not None:
            _knowledge = knowledge
        if records is not None:
            _records = records
        if citizens is not None:
            _citizens = citizens
        if uploads is not None:
            _uploads = uploads


def knowledge_index() -> KnowledgeIndex:
    """The knowledge index, loaded (or built) on first use."""
    global _knowledge
    with _lock:
        if _knowledge is None:
            from assistant.retrieval.builder import ensure_index, make_embedder

            settings = get_settings()
            _knowledge, _ = ensure_index(settings, make_embedder(settings))
        return _knowledge


def loaded_knowledge_index() -> KnowledgeIndex | None:
    """The knowledge index if one is loaded already (never starts a load or a build)."""
    return _knowledge


def records_store() -> RecordsStore:
    """The records store, its tables created on first use."""
    global _records
    with _lock:
        if _records is None:
            _records = _build_records()[0]
        return _records


def citizen_directory() -> CitizenDirectory:
    """The residents (demo residents seeded on first use)."""
    global _citizens
    with _lock:
        if _citizens is None:
            _citizens = _build_records()[1]
        return _citizens


def upload_store() -> UploadStore:
    """The document photo store."""
    global _uploads
    with _lock:
        if _uploads is None:
            _uploads = _build_records()[2]
        return _uploads


def build_records_services(settings: Settings | None = None) -> tuple[RecordsStore, CitizenDirectory, UploadStore]:
    """Records store, citizen directory and upload store over one database (tables created, demo seeded)."""
    from assistant.records import Database, RecordsStore
    from assistant.records.citizens import CitizenDirectory
    from assistant.records.uploads import UploadStore
    from assistant.security import FieldCipher

    settings = settings or get_settings()
    database = Database(settings.effective_database_url, retry_s=settings.database_retry_s)
    database.create_schema()
    citizens = CitizenDirectory(database, FieldCipher(settings))
    citizens.seed_demo()
    uploads = UploadStore(database, settings.effective_uploads_dir, settings.upload_max_bytes)
    return RecordsStore(database), citizens, uploads


def _build_records() -> tuple[RecordsStore, CitizenDirectory, UploadStore]:
    # Called with the lock held; the three share one database, so they are built together.
    global _records, _citizens, _uploads
    if _records is None or _citizens is None or _uploads is None:
        _records, _citizens, _uploads = build_records_services()
    return _records, _citizens, _uploads


def reset() -> None:
    """Forget the installed services (tests)."""
    global _knowledge, _records, _citizens, _uploads
    with _lock:
        _knowledge = None
        _records = None
        _citizens = None
        _uploads = None
