"""A real `assistant serve` (real Rasa + the service) on free ports with its own data folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT

START_TIMEOUT_S = 300
STAFF_TOKEN = "integration-staff-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningAssistant:
    """Handle on the served system."""

    url: str
    rasa_port: int
    var_dir: Path
    process: subprocess.Popen
    log_path: Path

    def rasa_pids(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-f", f"rasa run .*--port {self.rasa_port}"], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    def wait_health(self, status: int, timeout: float = START_TIMEOUT_S) -> dict:
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"assistant serve exited ({self.process.returncode}):\n{self.log()}")
            try:
                response = httpx.get(f"{self.url}/health", timeout=5)
                last = response.json()
                if response.status_code == status:
                    return response.json()
            except httpx.HTTPError as exc:
                last = exc
            time.sleep(0.5)
        raise AssertionError(f"/health never answered {status}; last: {last}\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


def start_assistant(var_dir: Path, extra_env: dict[str, str] | None = None,
                    args: list[str] | None = None) -> RunningAssistant:
    """Start `assistant serve` the way `make run` does, on free ports (`args`: e.g. --rasa-replicas 2)."""
    port, rasa_port = free_port(), free_port()
    # The caller's own DATABASE_URL / REDIS_URL must not leak in; a test passes them in extra_env.
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "ASSISTANT_PORT": str(port),
        "ASSISTANT_RASA_PORT": str(rasa_port),
        "ASSISTANT_VAR_DIR": str(var_dir),
        "ASSISTANT_INDEX_DIR": str(REPO_ROOT / "var" / "index"),
        "ASSISTANT_MODEL_CACHE_DIR": str(REPO_ROOT / "var" / "models"),
        "ASSISTANT_STAFF_TOKEN": STAFF_TOKEN,
        **(extra_env or {}),
    }
    var_dir.mkdir(parents=True, exist_ok=True)
    log_path = var_dir / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli.main", "serve", *(args or [])], cwd=REPO_ROOT, env=env,
        stdout=open(log_path, "wb"), stderr=subprocess.STDOUT,
    )
    return RunningAssistant(f"http://127.0.0.1:{port}", rasa_port, var_dir, process, log_path)


def stop_assistant(running: RunningAssistant) -> None:
    if running.process.poll() is None:
        running.process.send_signal(signal.SIGINT)
        try:
            running.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            running.process.kill()
    for pid in running.rasa_pids():
        os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    """One served system shared by the integration tests."""
    running = start_assistant(tmp_path_factory.mktemp("served") / "var")
    try:
        running.wait_health(200)
        yield running
    finally:
        stop_assistant(running)
