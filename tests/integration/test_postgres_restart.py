"""A PostgreSQL restart is ridden out: records operations keep succeeding, nothing is lost or doubled.

The server is the one scripts/backing_services.sh runs (TEST_DATABASE_URL); the test restarts it
with `pg_ctl restart -m fast` (every session cut) or stops it, through the same script.
"""

from __future__ import annotations

import logging
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text

from assistant.records import Application, Database, DatabaseUnavailable, RecordsStore
from tests.backing import backing_services, fresh_postgres_schema, restartable_postgres_url
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration

def server_started_at(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("select pg_postmaster_start_time()")).scalar())
    finally:
        engine.dispose()


@pytest.fixture()
def schema_url() -> Iterator[str]:
    with fresh_postgres_schema(restartable_postgres_url()) as fresh:
        yield fresh
    backing_services("start", "postgres")  # whatever a failed test left behind


@dataclass
class Loop:
    """Citizens filing and looking up applications, one operation after another, on a thread."""

    store: RecordsStore
    stop: threading.Event = field(default_factory=threading.Event)
    filed: dict[str, str] = field(default_factory=dict)  # idempotency key -> receipt number
    failures: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            key = f"restart-{n}"
            started = time.perf_counter()
            try:
                application = self.store.submit("move_in", f"citizen:{n % 3}", {"n": n}, key)
                assert application.receipt_number is not None
                found = self.store.find_for_citizen(application.receipt_number, f"citizen:{n % 3}")
                assert found is not None and found.payload == {"n": n}
                self.store.list_for_citizen(f"citizen:{n % 3}", limit=5)
                self.filed[key] = application.receipt_number
            except Exception as error:  # noqa: BLE001 - every failure is what the test counts
                self.failures.append(f"{key}: {type(error).__name__}: {error}")
            self.latencies.append(time.perf_counter() - started)


def test_records_operations_ride_out_a_postgres_restart(schema_url: str, caplog: pytest.LogCaptureFixture) -> None:
    database = Database(schema_url, retry_s=15.0)
    database.create_schema()
    store = RecordsStore(database)
    before = server_started_at(schema_url)
    loop = Loop(store)
    worker = threading.Thread(target=loop.run, daemon=True)
    caplog.set_level(logging.WARNING, logger="assistant.records.database")

    worker.start()
    time.sleep(1.5)
    ops_before_restart = len(loop.latencies)
    restart_started = time.perf_counter()
    backing_services("restart", "postgres")
    restart_s = time.perf_counter() - restart_started
    time.sleep(2.0)
    loop.stop.set()
    worker.join(timeout=30)

    assert not worker.is_alive()
    assert server_started_at(schema_url) != before, "the server was not restarted"
    assert ops_before_restart > 0 and len(loop.latencies) > ops_before_restart + 3, "the loop did not keep running"
    assert loop.failures == []
    # The restart really cut the loop's connection, and the retry (not luck) carried it through.
    assert any("retrying" in r.message or "again" in r.message for r in caplog.records), "no retry happened"
    # Every operation that reported success is stored exactly once with its own receipt number.
    with database.session() as session:
        stored = session.execute(select(Application.idempotency_key, Application.receipt_number)).all()
        assert session.scalar(select(func.count()).select_from(Application)) == len(stored)
    assert {key: receipt for key, receipt in stored if key in loop.filed} == loop.filed
    assert len({receipt for _, receipt in stored}) == len(stored)
    print(f"\npostgres restart: {restart_s:.2f} s; {len(loop.latencies)} operations, 0 failed; "
          f"median {statistics.median(loop.latencies) * 1000:.1f} ms, slowest {max(loop.latencies):.2f} s")
    database.dispose()


def test_a_database_down_past_the_budget_is_a_clear_503_and_no_write_is_lost(
    schema_url: str, settings, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    from assistant import services
    from assistant.records.demo_residents import DEMO_PIN
    from assistant.settings import Settings, get_settings
    from assistant.web.main import create_app

    monkeypatch.setenv("DATABASE_URL", schema_url)
    monkeypatch.setenv("ASSISTANT_DATABASE_RETRY_S", "1.0")
    get_settings.cache_clear()
    services.reset()
    app_settings = Settings()
    monkeypatch.setattr(Settings, "rasa_url", property(lambda self: "http://127.0.0.1:9"))
    sign_in = {"citizen_id": "c-1001", "pin": DEMO_PIN}
    with TestClient(create_app(app_settings)) as client:
        assert client.post("/api/auth/sign-in", json=sign_in).status_code == 200
        store = services.records_store()
        backing_services("stop", "postgres")
        try:
            started = time.perf_counter()
            korean = client.post("/api/auth/sign-in", json=sign_in)
            waited = time.perf_counter() - started
            english = client.post("/api/auth/sign-in", json=sign_in, headers={"accept-language": "en"})
            with pytest.raises(DatabaseUnavailable):
                store.submit("move_in", "c-1001", {"during": "outage"}, "outage-key")
        finally:
            backing_services("start", "postgres")
        assert korean.status_code == 503 and korean.headers["retry-after"] == "5"
        assert korean.json()["error"]["code"] == "database_unavailable"
        assert "잠시 후 다시 시도해 주세요" in korean.json()["error"]["message"]
        assert english.status_code == 503
        assert english.json()["error"]["message"].startswith("The records store cannot be reached")
        assert 0.5 <= waited < 5, f"the request should wait about the 1 s budget, then answer; it took {waited:.1f} s"
        # Back up: the same request works again, and the refused submission, sent again with its
        # key, is filed exactly once.
        assert client.post("/api/auth/sign-in", json=sign_in).status_code == 200
        first = store.submit("move_in", "c-1001", {"during": "outage"}, "outage-key")
        again = store.submit("move_in", "c-1001", {"during": "outage"}, "outage-key")
        assert first.receipt_number == again.receipt_number
        assert [a.receipt_number for a in store.list_for_citizen("c-1001")] == [first.receipt_number]


# Runs in .venv-rasa: Rasa's tracker store from endpoints.scaled.yml writes a turn, waits for the
# test to restart PostgreSQL, then reads and writes the conversation again.
RASA_SIDE = """
import asyncio, json, sys
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import read_endpoints_from_path
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

async def main():
    store = TrackerStore.create(read_endpoints_from_path("endpoints.scaled.yml").tracker_store, Domain.empty())
    tracker = DialogueStateTracker("restart-probe", [])
    tracker.update(UserUttered("before the restart"))
    await store.save(tracker)
    print("saved", flush=True)
    sys.stdin.readline()  # the test restarts PostgreSQL now
    tracker = await store.retrieve("restart-probe")
    tracker.update(UserUttered("after the restart"))
    await store.save(tracker)
    again = await store.retrieve("restart-probe")
    texts = [e.text for e in again.events if isinstance(e, UserUttered)]
    print(json.dumps({"store": type(store).__name__, "texts": texts}), flush=True)

asyncio.run(main())
"""


def test_rasas_tracker_store_rides_out_a_postgres_restart(
    schema_url: str, settings, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import json

    from assistant.rasa_runtime.environment import rasa_process_env
    from assistant.settings import Settings

    monkeypatch.setenv("DATABASE_URL", schema_url)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/1")  # selects the scaled endpoints; Redis is not used here
    scaled = Settings()
    assert scaled.rasa_endpoints_file.name == "endpoints.scaled.yml"
    env = {**rasa_process_env(scaled), "ACTION_ENDPOINT_TOKEN": "unused"}
    rasa = subprocess.Popen(
        [str(REPO_ROOT / ".venv-rasa" / "bin" / "python"), "-W", "ignore", "-c", RASA_SIDE], cwd=REPO_ROOT, env=env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert rasa.stdout is not None and rasa.stdin is not None
        assert rasa.stdout.readline().strip() == "saved", rasa.stderr.read() if rasa.stderr else ""
        backing_services("restart", "postgres")  # Rasa's pooled connection is now dead
        rasa.stdin.write("go\n")
        rasa.stdin.flush()
        out, err = rasa.communicate(timeout=120)
    finally:
        if rasa.poll() is None:
            rasa.kill()
    assert rasa.returncode == 0, err[-3000:]
    result = json.loads(out.strip().splitlines()[-1])
    assert result == {"store": "ResilientSQLTrackerStore", "texts": ["before the restart", "after the restart"]}
