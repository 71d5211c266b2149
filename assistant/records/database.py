"""Engine and session factory for the records store (SQLite by default, PostgreSQL via DATABASE_URL).

On a database server (PostgreSQL) a dropped connection is ridden out: a session waits for the server
to answer again, and a unit of work marked with `@retries_on_disconnect` is run again from the start,
both with back-off and within one bounded budget (`retry_s`). When the budget runs out the caller gets
`DatabaseUnavailable`, which the web service answers with a 503 in the citizen's language.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from assistant.records.models import Base

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# SQLSTATE classes that mean "the server went away or is not accepting connections yet":
# 08 connection exceptions; 57P01 admin shutdown (pg_ctl stop/restart -m fast), 57P02 crash
# shutdown, 57P03 cannot connect now (starting up / shutting down).
_TRANSIENT_SQLSTATES = ("08", "57P01", "57P02", "57P03")


# pg_advisory_lock key under which the schema is created (any fixed number; "recs" in ASCII).
_SCHEMA_LOCK_KEY = 0x72656373


class DatabaseUnavailable(RuntimeError):
    """The database server did not answer within the retry budget."""


class Database:
    """One engine and session factory per process; tables are created by `create_schema()`."""

    def __init__(self, url: str, retry_s: float = 15.0) -> None:
        self.url = url
        self.retry_s = retry_s
        self.is_server = not url.startswith("sqlite")
        connect_args: dict[str, object] = {}
        engine_args: dict[str, Any] = {}
        if not self.is_server:
            _ensure_sqlite_folder(url)
            # The web service runs blocking DB calls in a thread pool.
            connect_args["check_same_thread"] = False
            connect_args["timeout"] = 30
        elif url.startswith("postgresql"):
            # A server that is down must fail a connection attempt quickly, so the retry loop (not
            # the driver) decides how long to wait.
            connect_args["connect_timeout"] = 3
            engine_args.update(pool_size=5, max_overflow=10, pool_recycle=1800)
        self.engine: Engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True, **engine_args)
        if not self.is_server:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._deadline = threading.local()  # the budget of the unit of work running on this thread

    def create_schema(self) -> None:
        """Create missing tables and columns (idempotent)."""
        # The staff console's tables share this database and base; importing registers them.
        import assistant.staff.models  # noqa: F401

        if self.url.startswith("postgresql"):
            # Service workers on several machines may start at once: one creates, the others wait
            # and then find the tables (concurrent CREATE TABLEs of one name collide in PostgreSQL).
            with self.engine.connect() as connection:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
                try:
                    Base.metadata.create_all(connection)
                    connection.commit()
                    self._add_missing_columns()
                finally:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SCHEMA_LOCK_KEY})
                    connection.commit()
            return
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
        """A session that commits on success and rolls back on error.

        On a database server the session first waits (with back-off, within `retry_s`) until a
        connection can be had, so a request arriving while the server restarts is delayed, not failed.

        Raises:
            DatabaseUnavailable: the server did not answer within the budget.
        """
        session = self._sessions()
        try:
            if self.is_server:
                self._connect(session)
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
        finally:
            session.close()

    def _connect(self, session: Session) -> None:
        deadline = getattr(self._deadline, "value", None) or time.monotonic() + self.retry_s
        delay = 0.05
        while True:
            try:
                session.connection()
                return
            except DBAPIError as error:
                if not is_transient(error):
                    raise
                session.rollback()
                if time.monotonic() + delay > deadline:
                    raise DatabaseUnavailable("the records database is not answering") from error
                log.warning("records database not answering (%s); retrying in %.2f s", _kind(error), delay)
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    def retrying(self, unit: Callable[[], R]) -> R:
        """Run `unit` (one or more whole sessions); run it again when the connection drops mid-way.

        Only for units that are safe to repeat: reads, and writes guarded by a unique key (a
        submission's idempotency key) so a commit whose answer was lost is found, not filed twice.

        Raises:
            DatabaseUnavailable: the server stayed away longer than `retry_s`.
        """
        if not self.is_server or getattr(self._deadline, "value", None) is not None:
            return unit()  # SQLite has no server to come back; a nested unit shares the outer budget
        self._deadline.value = deadline = time.monotonic() + self.retry_s
        delay = 0.05
        try:
            while True:
                try:
                    return unit()
                except DBAPIError as error:
                    if not is_transient(error):
                        raise
                    if time.monotonic() + delay > deadline:
                        raise DatabaseUnavailable("the records database is not answering") from error
                    log.warning("records database connection lost (%s); running the operation again", _kind(error))
                    time.sleep(delay)
                    delay = min(delay * 2, 1.0)
        finally:
            self._deadline.value = None

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


class _HasDatabase(Protocol):
    database: Database


S = TypeVar("S", bound=_HasDatabase)


def retries_on_disconnect(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Decorate a store method that is one repeatable unit of work (see `Database.retrying`)."""

    @functools.wraps(method)
    def wrapper(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.database.retrying(lambda: method(self, *args, **kwargs))

    return wrapper


def is_transient(error: DBAPIError) -> bool:
    """True when `error` means the server went away (restart, network), not a mistake in the query."""
    if error.connection_invalidated:
        return True
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    sqlstate = getattr(error.orig, "sqlstate", None)
    # No SQLSTATE at all: the driver could not reach the server (connection refused, timeout).
    return sqlstate is None or sqlstate.startswith(_TRANSIENT_SQLSTATES)


def _kind(error: DBAPIError) -> str:
    # Only the class and SQLSTATE: a driver's message can quote the statement's parameters.
    return f"{type(error.orig).__name__} {getattr(error.orig, 'sqlstate', None) or ''}".strip()


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
