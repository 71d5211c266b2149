"""Supervising the Rasa server process: start, wait until ready, restart after a crash, stop."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from assistant.rasa_runtime.environment import rasa_executable, rasa_process_env
from assistant.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class RasaState:
    """What /health reports about Rasa."""

    status: str = "stopped"  # starting | ready | crashed | stopped | failed
    model_file: str | None = None
    restarts: int = 0
    last_exit_code: int | None = None
    started_at: float | None = None
    errors: list[str] = field(default_factory=list)


class RasaProcess:
    """One `rasa run` child process, restarted when it dies unexpectedly."""

    def __init__(self, settings: Settings, model_path: Path) -> None:
        self.settings = settings
        self.model_path = model_path
        self.state = RasaState(model_file=model_path.name)
        self._process: asyncio.subprocess.Process | None = None
        self._monitor: asyncio.Task[None] | None = None
        self._stopping = False
        self._ready = asyncio.Event()

    @property
    def pid(self) -> int | None:
        """PID of the running Rasa process."""
        return self._process.pid if self._process is not None else None

    async def start(self) -> None:
        """Start Rasa and the task that watches it."""
        await self._spawn()
        self._monitor = asyncio.create_task(self._watch(), name="rasa-monitor")

    async def _spawn(self) -> None:
        log_dir = self.settings.var_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        command = [
            str(rasa_executable(self.settings)), "run",
            "--enable-api", "--interface", self.settings.rasa_host, "--port", str(self.settings.rasa_port),
            "--model", str(self.model_path),
            "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
            "--log-file", str(log_dir / "rasa.log"),
        ]
        self._ready.clear()
        self.state.status = "starting"
        self.state.started_at = time.time()
        with open(log_dir / "rasa.out", "ab") as out:
            # Own session: Ctrl-C reaches the supervisor, which then stops Rasa in order.
            self._process = await asyncio.create_subprocess_exec(
                *command, cwd=self.settings.root_dir, env=rasa_process_env(self.settings),
                stdout=out, stderr=asyncio.subprocess.STDOUT, start_new_session=True,
            )
        log.info("Rasa starting (pid %s, model %s)", self._process.pid, self.model_path.name)
        asyncio.create_task(self._await_ready(self._process))

    async def _await_ready(self, process: asyncio.subprocess.Process) -> None:
        deadline = time.monotonic() + self.settings.rasa_start_timeout_s
        async with httpx.AsyncClient(timeout=2.0) as http:
            while time.monotonic() < deadline and process.returncode is None:
                try:
                    response = await http.get(f"{self.settings.rasa_url}/status")
                    if response.status_code == 200 and response.json().get("model_file"):
                        if process is self._process:
                            self.state.status = "ready"
                            self._ready.set()
                            log.info("Rasa ready on %s", self.settings.rasa_url)
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.5)
        if process.returncode is None and process is self._process:
            self.state.errors.append("Rasa did not become ready in time")
            log.error("Rasa did not become ready within %.0f s", self.settings.rasa_start_timeout_s)

    async def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait until Rasa answers with a loaded model; False on timeout."""
        try:
            await asyncio.wait_for(self._ready.wait(), timeout)
            return True
        except asyncio.TimeoutError:
            return False

    async def _watch(self) -> None:
        while not self._stopping:
            assert self._process is not None
            code = await self._process.wait()
            if self._stopping:
                break
            self._ready.clear()
            self.state.status = "crashed"
            self.state.last_exit_code = code
            self.state.errors.append(f"Rasa exited with code {code}")
            log.error("Rasa exited unexpectedly with code %s; see var/logs/rasa.out", code)
            if self.state.restarts >= self.settings.rasa_max_restarts:
                self.state.status = "failed"
                log.error("Rasa crashed %s times; giving up", self.state.restarts)
                return
            self.state.restarts += 1
            await asyncio.sleep(min(2 ** self.state.restarts, 30))
            if not self._stopping:
                await self._spawn()

    async def stop(self, grace_s: float = 10.0) -> None:
        """Stop Rasa: SIGTERM, then SIGKILL after `grace_s`."""
        self._stopping = True
        process = self._process
        if process is not None and process.returncode is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                await asyncio.wait_for(process.wait(), grace_s)
            except (ProcessLookupError, asyncio.TimeoutError):
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                await process.wait()
        if self._monitor is not None:
            self._monitor.cancel()
        self.state.status = "stopped"
