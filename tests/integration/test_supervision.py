"""`assistant serve` supervises Rasa: a crash shows on /health and Rasa comes back; Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.integration.conftest import start_assistant, stop_assistant

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_rasa_crash_is_reported_and_rasa_restarts_then_ctrl_c_stops_both(tmp_path) -> None:  # type: ignore[no-untyped-def]
    running = start_assistant(tmp_path / "var")
    try:
        running.wait_health(200)
        [rasa_pid] = running.rasa_pids()
        os.kill(rasa_pid, signal.SIGKILL)
        crashed = running.wait_health(503, timeout=30)
        assert crashed["rasa"]["up"] is False
        recovered = running.wait_health(200)
        assert recovered["rasa"]["restarts"] == 1
        assert running.rasa_pids() and running.rasa_pids() != [rasa_pid]

        running.process.send_signal(signal.SIGINT)
        assert running.process.wait(timeout=60) == 0
        time.sleep(1)
        assert running.rasa_pids() == []
    finally:
        stop_assistant(running)
