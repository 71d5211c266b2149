"""scripts/backing_services.sh: a PostgreSQL cluster and a Redis of its own, started once, stopped cleanly.

Runs a second pair in a temporary BACKING_DIR on free ports, so the services `make test` uses are
not touched. Needs Debian's postgresql and redis-server, which `make test` installs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.backing import postgres_url
from tests.conftest import REPO_ROOT
from tests.integration.conftest import free_port

SCRIPT = REPO_ROOT / "scripts" / "backing_services.sh"


@pytest.fixture()
def backing_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    postgres_url()  # the services are configured here (else this skips, or fails under CI)
    env = {**os.environ, "BACKING_DIR": str(tmp_path / "backing"),
           "BACKING_PG_PORT": str(free_port()), "BACKING_REDIS_PORT": str(free_port())}
    yield env
    subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, timeout=120)
    datadir = tmp_path / "backing" / "postgres.datadir"
    if datadir.exists():  # a cluster kept outside the repository (root, untraversable tmp): remove it too
        shutil.rmtree(Path(datadir.read_text().strip()).parent, ignore_errors=True)


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=180)


def test_start_is_idempotent_env_points_at_working_services_and_stop_stops(backing_env: dict[str, str]) -> None:
    first = run(backing_env, "start")
    assert first.returncode == 0, first.stderr
    started = time.perf_counter()
    again = run(backing_env, "start")
    assert again.returncode == 0 and again.stdout == "" and time.perf_counter() - started < 5  # a no-op
    lines = dict(line.split("=", 1) for line in run(backing_env, "env").stdout.splitlines())
    assert set(lines) == {"DATABASE_URL", "REDIS_URL"}
    assert lines["DATABASE_URL"].startswith("postgresql+psycopg://assistant:")
    assert lines["DATABASE_URL"].endswith(f"@127.0.0.1:{backing_env['BACKING_PG_PORT']}/assistant")
    assert lines["REDIS_URL"] == f"redis://127.0.0.1:{backing_env['BACKING_REDIS_PORT']}/1"
    engine = create_engine(lines["DATABASE_URL"])
    with engine.connect() as connection:  # the product's role can log in and create tables
        connection.execute(text("create table probe (id int)"))
        assert connection.execute(text("select current_user")).scalar() == "assistant"
    engine.dispose()
    pong = subprocess.run(["redis-cli", "-u", lines["REDIS_URL"], "ping"], capture_output=True, text=True, timeout=30)
    assert pong.stdout.strip() == "PONG"
    test_lines = run(backing_env, "env", "--test").stdout
    assert "TEST_DATABASE_URL=" in test_lines and test_lines.rstrip().endswith("/15")

    stopped = run(backing_env, "stop")
    assert "PostgreSQL stopped" in stopped.stdout and "Redis stopped" in stopped.stdout
    status = run(backing_env, "status")
    assert status.returncode == 1 and "postgresql: stopped" in status.stdout and "redis: stopped" in status.stdout
    refused = run(backing_env, "env")
    assert refused.returncode == 1 and "scripts/backing_services.sh start" in refused.stderr


def test_unknown_commands_print_the_usage() -> None:
    result = subprocess.run([str(SCRIPT), "launch"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "usage:" in result.stderr
