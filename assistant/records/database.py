"""Engine and session factory for the records store (SQLite by default, PostgreSQL via DATABASE_URL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from assistant.records.models import Base


class Database:
    """One engine and session factory per process; tables are created by `create_schema()`."""

    def __init__(self, url: str) -> None:
        self.url = url
        connect_args: dict[str, object] = {}
        if url.startswith("sqlite"):
            _ensure_sqlite_folder(url)
            # The web service runs blocking DB calls in a thread pool.
            connect_args["check_same_thread"] = False
            connect_args["timeout"] = 30
        self.engine: Engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def create_schema(self) -> None:
        """Create missing tables and columns (idempotent)."""
        # The staff console's tables share this database and base; importing registers them.
        import assistant.staff.models  # noqa: F401

        Base.metadata.create_all(self.engine)
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        # A records store created before a column existed gets it added: `create_all` only makes
        # missing tables. Only nullable JSON/text columns are ever added this way.
        inspector = inspect(self.engine)
        for table in Base.metadata.sorted_tables:
            if not inspector.has_table(table.name):
                continue
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present:
                    kind = column.type.compile(dialect=self.engine.dialect)
                    with self.engine.begin() as connection:
                        connection.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def _ensure_sqlite_folder(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the chat keep reading while a submission writes; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
