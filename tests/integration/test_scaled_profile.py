"""The scaled profile end to end: two Rasa replicas and two service workers on real PostgreSQL and Redis.

`assistant serve --rasa-replicas 2 --workers 2` with DATABASE_URL (a fresh schema in the tests'
PostgreSQL database) and REDIS_URL, as `make run-scaled` starts it. A citizen orders a certificate;
the replica serving the conversation is killed -9 before the last turn, and the other replica
finishes the form from the tracker in PostgreSQL. Then: the application is a row in PostgreSQL,
Rasa's events for the conversation are in PostgreSQL (the same schema), and the replicas took the
conversation's lock in Redis (seen with MONITOR). Last, PostgreSQL restarts and the next turn works.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text as sql

from assistant.rasa_runtime.pool import sticky_index
from tests.backing import backing_services, fresh_postgres_schema, redis_url, restartable_postgres_url
from tests.integration.citizen import Citizen, custom, text
from tests.integration.conftest import RunningAssistant, start_assistant, stop_assistant

pytestmark = [pytest.mark.integration, pytest.mark.slow]
REPLICAS = 2


def rasa_command_lines(port: int) -> list[tuple[int, str]]:
    out = subprocess.run(["pgrep", "-af", f"rasa run .*--port {port} "], capture_output=True, text=True).stdout
    return [(int(line.split(" ", 1)[0]), line) for line in out.splitlines() if line.strip()]


def wait_replicas_up(running: RunningAssistant, ports: list[int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    replicas: list[dict] = []
    while time.monotonic() < deadline:
        replicas = httpx.get(f"{running.url}/health", timeout=10).json()["rasa"]["replicas"]
        if [r["port"] for r in replicas] == ports and all(r["up"] for r in replicas):
            return
        time.sleep(1)
    raise AssertionError(f"replicas never all up: {replicas}\n{running.log()}")


class RedisMonitor:
    """`redis-cli MONITOR` in the background: every command the Redis server runs, as text."""

    def __init__(self, url: str) -> None:
        self.process = subprocess.Popen(["redis-cli", "-u", url, "monitor"], stdout=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=10)
        self._reader.join(timeout=5)
        return "".join(self.lines)


@pytest.fixture()
def scaled(tmp_path: Path) -> Iterator[tuple[RunningAssistant, str, str]]:
    """The served scaled profile, its database URL and its Redis URL."""
    database, redis = restartable_postgres_url(), redis_url()
    with fresh_postgres_schema(database) as schema_url:
        running = start_assistant(
            tmp_path / "var",
            # Two replicas loading at once on a busy 2-core machine can take minutes; a replica
            # restarted for being slow would only start over.
            extra_env={"DATABASE_URL": schema_url, "REDIS_URL": redis, "ASSISTANT_RASA_START_TIMEOUT_S": "900"},
            args=["--rasa-replicas", str(REPLICAS), "--workers", "2"],
        )
        ports = [running.rasa_port + i for i in range(REPLICAS)]
        try:
            running.wait_health(200, timeout=900)
            wait_replicas_up(running, ports, timeout=900)
            yield running, schema_url, redis
        finally:
            stop_assistant(running)
            for port in ports:
                for pid, _ in rasa_command_lines(port):
                    os.kill(pid, signal.SIGKILL)


def test_a_conversation_survives_its_replica_on_postgres_and_redis(scaled: tuple[RunningAssistant, str, str]) -> None:
    running, database_url, redis = scaled
    ports = [running.rasa_port + i for i in range(REPLICAS)]
    for port in ports:  # every replica was started with the scaled endpoints
        [(_, command)] = rasa_command_lines(port)
        assert "endpoints.scaled.yml" in command, command

    monitor = RedisMonitor(redis)
    me = Citizen(running, "ko", "c-2001")
    serving = ports[sticky_index(me.sender, REPLICAS)]
    [(victim, _)] = rasa_command_lines(serving)
    for message in ("등본 떼 주세요", "네", "기본으로 해 주세요"):
        body = me.say(message)
    assert body["active_form"] == "resident_certificate_form"
    body = me.say("은행 제출용")
    assert "1부" in text(body)

    os.kill(victim, signal.SIGKILL)  # the next turn goes to the other replica at once
    started = time.monotonic()
    body = me.say("네")
    failover_turn_s = time.monotonic() - started
    receipt = custom(body, "receipt")
    assert receipt is not None, text(body)
    assert receipt["receipt_number"].split("-")[1] == "RC"
    monitor_log = monitor.stop()

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            filed = connection.execute(
                sql("select citizen_ref, kind from applications where receipt_number = :r"),
                {"r": receipt["receipt_number"]},
            ).all()
            events = connection.execute(
                sql("select count(*), count(distinct type_name) from events where sender_id = :s"), {"s": me.sender}
            ).one()
    finally:
        engine.dispose()
    assert filed == [("citizen:c-2001", "resident_certificate")]
    assert events[0] >= 10 and events[1] >= 3, f"Rasa's events for the conversation in PostgreSQL: {events}"
    # Rasa's RedisLockStore keys: <key_prefix>:lock:<conversation id> (endpoints.scaled.yml).
    assert f"assistant:lock:{me.sender}" in monitor_log, monitor_log[-2000:]

    # PostgreSQL restarts (every pooled connection of the workers and replicas is cut); the next turn
    # reads and writes the tracker and the records as if nothing happened.
    backing_services("restart", "postgres")
    started = time.monotonic()
    body = me.say("내 신청 현황 알려줘")
    after_restart_turn_s = time.monotonic() - started
    assert receipt["receipt_number"] in text(body)
    print(f"\nSCALED PROFILE: 2 replicas, 2 workers, PostgreSQL + Redis; failover turn after kill -9 "
          f"{failover_turn_s:.2f} s; first turn after a PostgreSQL restart {after_restart_turn_s:.2f} s; "
          f"{events[0]} Rasa events in PostgreSQL for the conversation")
