"""Rasa's SQL tracker store, made to ride out a database restart. Imported by Rasa in `.venv-rasa`.

Rasa 3.6 builds its engine without `pool_pre_ping`, so after a PostgreSQL restart every pooled
connection is dead and the next turn of each replica fails. This subclass (named in
endpoints.scaled.yml) pings pooled connections before use and, while the server is restarting,
waits for it with back-off (bounded) before a turn's reads and writes. Only Rasa, SQLAlchemy 1.4 and
the standard library are imported here.
"""

from __future__ import annotations

import logging
import os
import time
from contextlib import contextmanager
from typing import Any, Generator

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, ensure_schema_exists

log = logging.getLogger(__name__)

# How long one turn waits for a restarting database before it fails (seconds).
WAIT_S = float(os.environ.get("RASA_TRACKER_STORE_WAIT_S", "15"))


class ResilientSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` with pre-pinged pooled connections and a bounded wait for the server."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    @contextmanager
    def session_scope(self) -> Generator[sa.orm.Session, None, None]:
        """A session whose connection is live: waits (with back-off, at most WAIT_S) for the server."""
        session = self.sessionmaker()
        deadline = time.monotonic() + WAIT_S
        delay = 0.05
        try:
            while True:
                try:
                    session.connection()
                    break
                except sa.exc.OperationalError as error:
                    session.rollback()
                    if time.monotonic() + delay > deadline:
                        raise
                    log.warning("tracker store database not answering (%s); retrying", type(error.orig).__name__)
                    time.sleep(delay)
                    delay = min(delay * 2, 1.0)
            ensure_schema_exists(session)  # as Rasa's own session_scope: POSTGRESQL_SCHEMA must exist
            yield session
        finally:
            session.close()
