"""The records tests run twice: on SQLite (the single-machine default) and on real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backing import fresh_postgres_schema, postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty records database: a SQLite file, or a fresh schema in TEST_DATABASE_URL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.db'}"
        return
    with fresh_postgres_schema(postgres_url()) as url:
        yield url
