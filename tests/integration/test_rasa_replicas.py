"""Two Rasa replicas behind two service workers: kill -9 of the replica serving a conversation, and
the conversation goes on through the other with zero failed turns and its slots intact; the
supervisor restarts the killed replica and /health shows it back.

`assistant serve --rasa-replicas 2 --workers 2` on free ports, the SQLite tracker store (one
machine; the PostgreSQL/Redis variant runs in the scaled profile). Prints the turn times around the
kill and how long the replica took to come back (`pytest -s`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import httpx
import pytest

from assistant.rasa_runtime.pool import sticky_index
from tests.integration.citizen import Citizen, text
from tests.integration.conftest import RunningAssistant, start_assistant, stop_assistant

pytestmark = [pytest.mark.integration, pytest.mark.slow]
REPLICAS = 2


def rasa_pids(port: int) -> list[int]:
    out = subprocess.run(["pgrep", "-f", f"rasa run .*--port {port} "], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def replica_health(running: RunningAssistant, port: int) -> dict:
    body = httpx.get(f"{running.url}/health", timeout=10).json()
    return next(r for r in body["rasa"]["replicas"] if r["port"] == port)


def wait_replica(running: RunningAssistant, port: int, up: bool, timeout: float) -> tuple[dict, float]:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        replica = replica_health(running, port)
        if replica["up"] is up:
            return replica, time.monotonic() - started
        time.sleep(0.5)
    raise AssertionError(f"replica on {port} never became up={up}: {replica}\n{running.log()}")


def test_killing_the_replica_of_a_conversation_loses_no_turn_and_the_replica_comes_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    running = start_assistant(tmp_path / "var", args=["--rasa-replicas", str(REPLICAS), "--workers", "2"])
    ports = [running.rasa_port + i for i in range(REPLICAS)]
    try:
        health = running.wait_health(200)
        assert [r["port"] for r in health["rasa"]["replicas"]] == ports
        for port in ports:  # both replicas loaded before the conversation starts
            wait_replica(running, port, True, timeout=300)

        me = Citizen(running, "ko", "c-1001")
        serving = ports[sticky_index(me.sender, REPLICAS)]
        [victim] = rasa_pids(serving)
        assert me.say("출생신고 하고 싶어요")["active_form"] == "birth_registration_form"
        assert "이름" in text(me.say("네"))
        assert "성별" in text(me.say("김하늘"))

        os.kill(victim, signal.SIGKILL)  # mid-conversation, and the next turn follows at once
        killed_at = time.monotonic()
        turns: list[tuple[str, float]] = []
        for message, asked in (("여자", "날짜"), ("어제", "시각"), ("오후 3시 20분", "태어난 곳")):
            started = time.monotonic()
            body = me.say(message)  # asserts HTTP 200
            turns.append((message, time.monotonic() - started))
            assert asked in text(body) and body["active_form"] == "birth_registration_form", text(body)

        other = next(p for p in ports if p != serving)
        tracker = httpx.get(f"http://127.0.0.1:{other}/conversations/{me.sender}/tracker", timeout=30).json()
        assert tracker["slots"]["child_name"] == "김하늘" and tracker["slots"]["child_sex"]
        assert tracker["slots"]["child_birth_time"] and tracker["active_loop"]["name"] == "birth_registration_form"

        crashed = replica_health(running, serving)
        assert crashed["restarts"] == 1 or crashed["up"] is False
        back, waited = wait_replica(running, serving, True, timeout=300)
        assert back["restarts"] == 1 and rasa_pids(serving) and rasa_pids(serving) != [victim]
        assert httpx.get(f"{running.url}/health", timeout=10).status_code == 200

        # The conversation returns to its own replica, which reads the tracker the other one wrote.
        body = me.say("서울대학교병원")
        assert body["active_form"] == "birth_registration_form"
        print(f"\nREPLICA FAILOVER: {len(turns)} turns after kill -9, 0 failed; "
              + ", ".join(f"{m} {s:.2f} s" for m, s in turns)
              + f"; replica back {time.monotonic() - killed_at:.0f} s after the kill (waited {waited:.0f} s)")
    finally:
        stop_assistant(running)
        for port in ports:
            for pid in rasa_pids(port):
                os.kill(pid, signal.SIGKILL)
    assert all(rasa_pids(port) == [] for port in ports)
