"""A Rasa that loads a model out of rotation runs at a lower CPU priority, every thread of it, and
gets its priority back afterwards (so the serving replica keeps the CPU on a small machine)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from assistant.rasa_runtime.rolling import LOADING_NICENESS, _in_background, _niceness_of_threads

THREADED = "import threading, time\nfor _ in range(3): threading.Thread(target=time.sleep, args=(30,)).start()\ntime.sleep(30)"


@pytest.mark.skipif(os.geteuid() != 0, reason="raising a priority back needs root (as in CI)")
def test_every_thread_is_lowered_while_loading_and_restored_after() -> None:
    process = subprocess.Popen([sys.executable, "-c", THREADED])
    try:
        time.sleep(0.5)
        before = _niceness_of_threads(process.pid)
        assert len(before) >= 4
        with _in_background(process.pid):
            assert set(_niceness_of_threads(process.pid).values()) == {LOADING_NICENESS}
        assert _niceness_of_threads(process.pid) == before
    finally:
        process.kill()
        process.wait()


def test_a_process_that_is_gone_is_left_alone() -> None:
    with _in_background(2**22 + 12345):
        pass
    with _in_background(None):
        pass
