"""Loading a new Rasa model into the pool without stalling a turn.

Rasa's `PUT /model` keeps its event loop busy for tens of seconds; a turn sent to that Rasa would
wait as long. So a replica is taken out of rotation first (turns go to another live replica), loaded,
checked to answer with the new model, and put back; then the next one.

- Two or more replicas: rolling, one replica at a time.
- One replica (the default profile): blue/green. A temporary Rasa with the new model starts on a
  spare port and takes the traffic once ready; the original loads the model out of rotation, comes
  back, and the temporary one is retired.

The model each replica serves is recorded on the board, so the supervisor restarts a crashed
replica with it. A failed load leaves the old model live (Rasa keeps its old agent); a rolling swap
that fails half-way loads the previous model back into the replicas already switched.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from assistant.rasa_runtime.board import ReplicaBoard
from assistant.rasa_runtime.client import RasaClient, RasaUnavailable
from assistant.rasa_runtime.process import RasaProcess

if TYPE_CHECKING:
    from assistant.rasa_runtime.pool import RasaPool, Replica

log = logging.getLogger(__name__)

# Turns already sent to a replica finish before it loads (a stuck one times out on its own).
DRAIN_S = 60.0
# Other service workers see the rotation change at their next board read (every 0.25 s) and may
# have a turn in flight on the replica: give them this long before the replica stops answering.
OTHER_WORKERS_GRACE_S = 1.5
# A Rasa loading a model out of rotation runs at this niceness, so the replica serving turns keeps
# the CPU on a small machine (TensorFlow's loading would otherwise slow every turn several-fold).
LOADING_NICENESS = 10


async def roll_model(pool: RasaPool, model: Path) -> dict[str, Any]:
    """Load `model` into every replica of `pool`, keeping a live replica in rotation throughout.

    Returns:
        what was done: mode (rolling | blue-green), seconds per replica, total seconds.

    Raises:
        RasaUnavailable: a replica refused or could not load the model (the old one stays live).
    """
    model = model.resolve()
    started = time.monotonic()
    async with _swap_lock(pool.board):
        if len(pool.replicas) >= 2:
            report = await _rolling(pool, model)
        else:
            report = await _blue_green(pool, model)
    report["seconds"] = round(time.monotonic() - started, 3)
    log.info("Rasa model %s rolled out: %s", model.name, report)
    return report


async def _rolling(pool: RasaPool, model: Path) -> dict[str, Any]:
    previous = pool.board.rotation().models
    done: list[Replica] = []
    loads: dict[str, float] = {}
    try:
        for replica in pool.replicas:
            loads[str(replica.port)] = await _reload(pool, replica, model)
            done.append(replica)
    except RasaUnavailable:
        for replica in done:  # best effort: every replica back on one model
            old = previous.get(replica.port)
            if old and Path(old).exists():
                try:
                    await _reload(pool, replica, Path(old))
                except RasaUnavailable as exc:
                    log.error("replica on port %s could not go back to %s: %s", replica.port, Path(old).name, exc)
        raise
    return {"mode": "rolling", "load_s": loads}


async def _blue_green(pool: RasaPool, model: Path) -> dict[str, Any]:
    settings = pool.settings
    stand_in = RasaProcess(settings, model, port=_spare_port(), name="rasa-swap", max_restarts=0)
    started = time.monotonic()
    await stand_in.start()
    try:
        # Twice the usual start budget: the stand-in starts while the service is busy serving (and
        # the whole swap must still fit in the admin call's 600 s).
        with _in_background(stand_in.pid):
            ready = await stand_in.wait_ready(2 * settings.rasa_start_timeout_s)
        if not ready:
            raise RasaUnavailable(f"the stand-in Rasa with {model.name} did not start; see var/logs/rasa-swap.out")
        warm_client = RasaClient(stand_in.url, settings.rasa_request_timeout_s)
        try:
            await _warm_up(warm_client, stand_in.port)
        finally:
            await warm_client.close()
        stand_in_s = round(time.monotonic() - started, 3)
        pool.board.update_rotation(lambda r: r.temporary.__setitem__(stand_in.port, model.name))
        pool.refresh(force=True)
        load_s = await _reload(pool, pool.replicas[0], model)
    finally:
        pool.board.update_rotation(lambda r: r.temporary.pop(stand_in.port, None))
        temporary = pool._temporary.get(stand_in.port)
        pool.refresh(force=True)
        if temporary is not None:
            await _drain(pool, temporary)
        await stand_in.stop()
    return {"mode": "blue-green", "stand_in_start_s": stand_in_s, "load_s": {str(pool.replicas[0].port): load_s}}


async def _reload(pool: RasaPool, replica: Replica, model: Path) -> float:
    """Take `replica` out of rotation, load `model`, check it, put it back; returns the load time."""
    board = pool.board
    state = board.replicas().get(replica.port)
    if state is not None and state.get("status") == "failed":
        # Given up by the supervisor: nothing to load into; record the model for a manual restart.
        board.update_rotation(lambda r: r.models.__setitem__(replica.port, str(model)))
        log.warning("replica on port %s is down for good; it will start with %s", replica.port, model.name)
        return 0.0
    if state is not None and state.get("status") != "ready":
        await _wait_ready(pool, replica)
    board.update_rotation(lambda r: r.out.add(replica.port))
    pool.refresh(force=True)
    try:
        await _drain(pool, replica)
        started = time.monotonic()
        pid = (board.replicas().get(replica.port) or {}).get("pid")
        with _in_background(int(pid) if pid else None):
            await replica.client.load_model(str(model), timeout_s=pool.settings.rasa_start_timeout_s)
        await _wait_for_model(replica, model.name)
        await _warm_up(replica.client, replica.port)
        seconds = round(time.monotonic() - started, 3)
        board.update_rotation(lambda r: r.models.__setitem__(replica.port, str(model)))
        return seconds
    finally:
        board.update_rotation(lambda r: r.out.discard(replica.port))
        pool.refresh(force=True)


async def _warm_up(client: RasaClient, port: int) -> None:
    """One parse and one turn before the replica takes conversations: TensorFlow traces its graphs
    on the first prediction, which made a replica's first real turn several seconds slower."""
    try:
        await client.parse("안녕하세요")
        await client.send_message(f"warm-up-{port}", "안녕하세요", {"lang": "ko", "channel": "web"})
    except (RasaUnavailable, httpx.HTTPError) as exc:
        log.warning("warming up Rasa on port %s failed (%s); it takes turns anyway", port, exc)


async def _drain(pool: RasaPool, replica: Replica) -> None:
    deadline = time.monotonic() + DRAIN_S
    while replica.in_flight > 0 and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    if pool.settings.workers > 1:
        await asyncio.sleep(OTHER_WORKERS_GRACE_S)


async def _wait_ready(pool: RasaPool, replica: Replica) -> None:
    deadline = time.monotonic() + pool.settings.rasa_start_timeout_s
    while time.monotonic() < deadline:
        state = pool.board.replicas().get(replica.port) or {}
        if state.get("status") == "ready":
            return
        if state.get("status") == "failed":
            break
        await asyncio.sleep(0.5)
    raise RasaUnavailable(f"Rasa replica on port {replica.port} is not running; its model was not changed")


async def _wait_for_model(replica: Replica, model_file: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    loaded = None
    while time.monotonic() < deadline:
        try:
            loaded = (await replica.client.status()).get("model_file")
        except RasaUnavailable:
            loaded = None
        if loaded and Path(str(loaded)).name == model_file:
            return
        await asyncio.sleep(0.2)
    raise RasaUnavailable(f"Rasa on port {replica.port} answers with {loaded}, not {model_file}")


@contextmanager
def _in_background(pid: int | None) -> Iterator[None]:
    """Run every thread of process `pid` at `LOADING_NICENESS` meanwhile, then as before.

    Only where priorities can be raised back (root, as in CI): otherwise the loaded replica would
    stay slow for good. Threads started meanwhile inherit the lower priority of their creator and
    are restored with the others.
    """
    if pid is None or os.geteuid() != 0:
        yield
        return
    before = _niceness_of_threads(pid)
    _renice(pid, lambda _: LOADING_NICENESS)
    try:
        yield
    finally:
        usual = before.get(pid, min(before.values(), default=0))
        _renice(pid, lambda tid: before.get(tid, usual))


def _niceness_of_threads(pid: int) -> dict[int, int]:
    niceness: dict[int, int] = {}
    for tid in _threads(pid):
        try:
            niceness[tid] = os.getpriority(os.PRIO_PROCESS, tid)
        except OSError:
            pass
    return niceness


def _renice(pid: int, value_for: Callable[[int], int]) -> None:
    # setpriority on Linux applies to one thread; TensorFlow's pools are threads of the process.
    for tid in _threads(pid):
        try:
            os.setpriority(os.PRIO_PROCESS, tid, value_for(tid))
        except OSError:
            pass  # the thread ended meanwhile


def _threads(pid: int) -> list[int]:
    try:
        return [int(tid) for tid in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        return []


@asynccontextmanager
async def _swap_lock(board: ReplicaBoard) -> AsyncIterator[None]:
    # A file lock, because the admin call that swaps may land in any service worker.
    with open(board.swap_lock_path, "a+") as handle:
        await asyncio.to_thread(fcntl.flock, handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _spare_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
