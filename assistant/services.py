"""Process-wide services shared by the web routes and the custom actions (which run in-process).

The web app installs them in its lifespan; CLI commands and action unit tests get them lazily.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from assistant.settings import get_settings

if TYPE_CHECKING:
    from assistant.records.store import RecordsStore
    from assistant.retrieval.index import KnowledgeIndex

_lock = threading.Lock()
_knowledge: KnowledgeIndex | None = None
_records: RecordsStore | None = None


def install(knowledge: KnowledgeIndex | None = None, records: RecordsStore | None = None) -> None:
    """Make these instances the process-wide ones."""
    global _knowledge, _records
    with _lock:
        if knowledge is not None:
            _knowledge = knowledge
        if records is not None:
            _records = records


def knowledge_index() -> KnowledgeIndex:
    """The knowledge index, loaded (or built) on first use."""
    global _knowledge
    with _lock:
        if _knowledge is None:
            from assistant.retrieval.builder import ensure_index, make_embedder

            settings = get_settings()
            _knowledge, _ = ensure_index(settings, make_embedder(settings))
        return _knowledge


def records_store() -> RecordsStore:
    """The records store, its tables created on first use."""
    global _records
    with _lock:
        if _records is None:
            from assistant.records import Database, RecordsStore

            database = Database(get_settings().effective_database_url)
            database.create_schema()
            _records = RecordsStore(database)
        return _records


def reset() -> None:
    """Forget the installed services (tests)."""
    global _knowledge, _records
    with _lock:
        _knowledge = None
        _records = None
