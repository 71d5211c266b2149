"""Real PostgreSQL and Redis for the tests (scripts/backing_services.sh; `make test` starts them).

`make test` exports TEST_DATABASE_URL and TEST_REDIS_URL. A test that needs one of them fails when it
is set but unreachable, or when it is missing under CI (`CI=1`); only a developer's plain `pytest`
without either may skip, saying how to get the services.
"""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "backing_services.sh"

HOW_TO_START = (
    "start them with `scripts/backing_services.sh start` and export their URLs with "
    "`set -a; eval \"$(scripts/backing_services.sh env --test)\"; set +a` (make test does both)"
)


def _required_url(variable: str, what: str) -> str:
    url = os.environ.get(variable, "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{variable} is not set under CI: the {what} tests must run; {HOW_TO_START}")
        pytest.skip(f"{variable} is not set (no {what} here); {HOW_TO_START}")
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=3):
            pass
    except OSError as error:
        pytest.fail(f"{variable} is set but {parts.hostname}:{parts.port} does not answer ({error}); {HOW_TO_START}")
    return url


def postgres_url() -> str:
    """TEST_DATABASE_URL (postgresql+psycopg://...), reachable; fails or skips as the module says."""
    return _required_url("TEST_DATABASE_URL", "PostgreSQL")


def redis_url() -> str:
    """TEST_REDIS_URL (redis://host:port/db), reachable; fails or skips as the module says."""
    return _required_url("TEST_REDIS_URL", "Redis")


@contextmanager
def fresh_postgres_schema(url: str) -> Iterator[str]:
    """A URL whose connections see only a new, empty schema; the schema is dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    schema = f"t_{uuid.uuid4().hex[:16]}"
    # No pooled connection: a test may restart the server between creating and dropping the schema.
    admin = create_engine(url, poolclass=NullPool)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in url else "?"
        # libpq's `options` sets the search path for every connection of the engine under test.
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty records database: a SQLite file, or a fresh schema in TEST_DATABASE_URL.

    Import it into a test module (or conftest) to run that module's tests on both databases.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.db'}"
        return
    with fresh_postgres_schema(postgres_url()) as url:
        yield url


def backing_services(*args: str) -> None:
    """Run scripts/backing_services.sh (e.g. "restart", "postgres"); a failure fails the test."""
    result = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"backing_services.sh {' '.join(args)} failed:\n{result.stdout}{result.stderr}"


def restartable_postgres_url() -> str:
    """TEST_DATABASE_URL, checked to be the server scripts/backing_services.sh runs (tests restart it)."""
    url = postgres_url()
    env = subprocess.run([str(SCRIPT), "env", "--test"], capture_output=True, text=True, timeout=30).stdout
    if f"TEST_DATABASE_URL={url}" not in env.splitlines():
        pytest.fail("TEST_DATABASE_URL is not the server scripts/backing_services.sh runs; "
                    "the restart tests restart it through that script")
    return url
