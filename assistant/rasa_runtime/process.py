"""Supervising the Rasa server processes: start, wait until ready, restart after a crash, stop.

`RasaProcess` is one `rasa run`; `RasaSupervisor` runs N of them on consecutive ports and publishes
their state on the replica board, which service workers in other processes read.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from assistant.rasa_runtime.board import ReplicaBoard
from assistant.rasa_runtime.environment import rasa_executable, rasa_process_env
from assistant.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class RasaState:
    """What /health reports about Rasa."""

    status: str = "stopped"  # waiting | starting | ready | crashed | stopped | failed
    model_file: str | None = None
    restarts: int = 0
    last_exit_code: int | None = None
    started_at: float | None = None
    errors: list[str] = field(default_factory=list)


class RasaProcess:
    """One `rasa run` child process, restarted when it dies unexpectedly.

    Args:
        settings: the service settings (Rasa environment, start timeout, restart limit).
        model_path: the model to start with.
        port: where this replica listens (default `settings.rasa_port`).
        name: log file stem in `var/logs/` (`rasa` for the first replica, as before).
        board: where the state is published for other processes; also tells which model a restart
            after a crash must load (a model swap may have changed it).
        max_restarts: default `settings.rasa_max_restarts`; 0 for a temporary replica.
    """

    def __init__(self, settings: Settings, model_path: Path, port: int | None = None, name: str = "rasa",
                 board: ReplicaBoard | None = None, max_restarts: int | None = None) -> None:
        self.settings = settings
        self.model_path = model_path
        self.port = port if port is not None else settings.rasa_port
        self.name = name
        self.board = board
        self.max_restarts = settings.rasa_max_restarts if max_restarts is None else max_restarts
        self.state = RasaState(model_file=model_path.name)
        self._process: asyncio.subprocess.Process | None = None
        self._monitor: asyncio.Task[None] | None = None
        self._readiness: asyncio.Task[None] | None = None
        self._stopping = False
        self._ready = asyncio.Event()

    @property
    def url(self) -> str:
        """Base URL of this replica's HTTP API."""
        return f"http://{self.settings.rasa_host}:{self.port}"

    def _publish(self) -> None:
        if self.board is not None:
            self.board.publish_replica(self.port, {
                "status": self.state.status, "pid": self.pid, "restarts": self.state.restarts,
                "last_exit_code": self.state.last_exit_code, "model_file": self.state.model_file,
                "model_path": str(self.model_path),
            })

    @property
    def pid(self) -> int | None:
        """PID of the running Rasa process."""
        return self._process.pid if self._process is not None else None

    async def start(self) -> None:
        """Start Rasa and the task that watches it."""
        await self._spawn()
        self._monitor = asyncio.create_task(self._watch(), name="rasa-monitor")

    def _model_to_start(self) -> Path:
        # A model swap records on the board the model each replica serves now; a restart after a
        # crash must come back with that one, not the one this replica first started with.
        if self.board is not None:
            wanted = self.board.rotation().models.get(self.port)
            if wanted and Path(wanted).exists():
                return Path(wanted)
        return self.model_path

    async def _spawn(self) -> None:
        log_dir = self.settings.var_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.model_path = self._model_to_start()
        self.state.model_file = self.model_path.name
        command = [
            str(rasa_executable(self.settings)), "run",
            "--enable-api", "--interface", self.settings.rasa_host, "--port", str(self.port),
            "--model", str(self.model_path),
            "--endpoints", str(self.settings.rasa_endpoints_file), "--credentials", "credentials.yml",
            "--log-file", str(log_dir / f"{self.name}.log"),
        ]
        self._ready.clear()
        self.state.status = "starting"
        self.state.started_at = time.time()
        with open(log_dir / f"{self.name}.out", "ab") as out:
            # Own session: Ctrl-C reaches the supervisor, which then stops Rasa in order.
            self._process = await asyncio.create_subprocess_exec(
                *command, cwd=self.settings.root_dir, env=rasa_process_env(self.settings),
                stdout=out, stderr=asyncio.subprocess.STDOUT, start_new_session=True,
            )
        log.info("Rasa starting on port %s (pid %s, model %s)", self.port, self._process.pid, self.model_path.name)
        self._publish()
        self._readiness = asyncio.create_task(self._await_ready(self._process), name=f"{self.name}-ready")

    async def _await_ready(self, process: asyncio.subprocess.Process) -> None:
        deadline = time.monotonic() + self.settings.rasa_start_timeout_s
        warned = False
        async with httpx.AsyncClient(timeout=2.0) as http:
            while process.returncode is None and process is self._process:
                try:
                    response = await http.get(f"{self.url}/status")
                    if response.status_code == 200 and response.json().get("model_file"):
                        self.state.status = "ready"
                        self._ready.set()
                        self._publish()
                        log.info("Rasa ready on %s", self.url)
                        return
                except httpx.HTTPError:
                    pass
                if not warned and time.monotonic() > deadline:
                    # Said once, and still watched: on a busy machine a slow start is not a failure.
                    warned = True
                    self.state.errors.append("Rasa did not become ready in time")
                    log.error("Rasa on port %s not ready after %.0f s; still waiting", self.port,
                              self.settings.rasa_start_timeout_s)
                await asyncio.sleep(0.5)

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
            log.error("Rasa on port %s exited unexpectedly with code %s; see var/logs/%s.out", self.port, code, self.name)
            if self.state.restarts >= self.max_restarts:
                self.state.status = "failed"
                self._publish()
                log.error("Rasa on port %s crashed %s times; giving up", self.port, self.state.restarts)
                return
            self._publish()
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
        for task in (self._monitor, self._readiness):
            if task is not None:
                task.cancel()
        self.state.status = "stopped"
        self._publish()


class RasaSupervisor:
    """N Rasa replicas on consecutive ports from `settings.rasa_port`, each restarted with back-off.

    The first replica logs to `var/logs/rasa.out` as a single Rasa always did; the others to
    `rasa-<i>.out`. The board is reset at start, so nothing stale from an earlier run is read.
    """

    def __init__(self, settings: Settings, model_path: Path) -> None:
        self.settings = settings
        self.board = ReplicaBoard.for_var_dir(settings.var_dir)
        self.replicas = [
            RasaProcess(settings, model_path, port=port, name="rasa" if i == 0 else f"rasa-{i}", board=self.board)
            for i, port in enumerate(settings.rasa_ports)
        ]
        self._starting_others: asyncio.Task[None] | None = None
        self._stopping = False

    async def start(self) -> None:
        """Start the first replica now and the others once it is ready (or after the start
        timeout): on a small machine, replicas loading TensorFlow side by side would each take as
        long as all of them one after the other, and the service waits for the first."""
        self.board.reset({r.port: str(r.model_path) for r in self.replicas})
        first, *others = self.replicas
        for replica in others:
            replica.state.status = "waiting"  # on the board, so workers do not try it yet
            replica._publish()
        await first.start()
        if others:
            self._starting_others = asyncio.create_task(self._start_after(first, others), name="rasa-replicas")

    async def _start_after(self, first: RasaProcess, others: list[RasaProcess]) -> None:
        await first.wait_ready(self.settings.rasa_start_timeout_s)
        for replica in others:
            if not self._stopping:
                await replica.start()

    async def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait until every replica answers with a model; False on timeout."""
        try:
            await asyncio.wait_for(asyncio.gather(*(r.wait_ready() for r in self.replicas)), timeout)
            return True
        except asyncio.TimeoutError:
            return False

    async def stop(self) -> None:
        """Stop every replica (in parallel: each may need its grace period)."""
        self._stopping = True
        if self._starting_others is not None:
            self._starting_others.cancel()
        await asyncio.gather(*(r.stop() for r in self.replicas))
