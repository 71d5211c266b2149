"""A pool of Rasa replicas behind one client: sticky per conversation, failing over when one is down.

Each conversation goes to the replica its sender id hashes to, so one conversation's turns are
serialised on one Rasa (its lock store is per process). When that replica is down, restarting, out
of rotation for a model load, or answers 5xx, the turn goes to the next live replica in ring order:
trackers live in the shared SQL tracker store, so the conversation continues there with its slots
and active form. Every service worker computes the same choice (a stable hash, the same board).

The pool has the public methods of `RasaClient` (send_message, send_turn, parse, status, load_model,
base_url, swapping, close), so routes and the model swap call it as they called the single client.
"""

from __future__ import annotations

import asyncio
import logging
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from assistant.rasa_runtime.board import ReplicaBoard, Rotation
from assistant.rasa_runtime.client import RasaClient, RasaUnavailable
from assistant.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

# How long a replica that failed a request is skipped before it is tried again; the supervisor's
# board usually says sooner whether it is back.
SUSPECT_S = 2.0
# How often the board files are re-read (each request would be wasteful; a model swap waits longer
# than this before it loads, so every worker has seen the replica leave the rotation).
BOARD_REFRESH_S = 0.25
HEALTH_TIMEOUT_S = 3.0


@dataclass
class Replica:
    """One Rasa server as the pool sees it."""

    port: int
    client: RasaClient
    temporary: bool = False
    suspect_until: float = 0.0
    in_flight: int = 0

    @property
    def url(self) -> str:
        """Base URL of its HTTP API."""
        return self.client.base_url


class RasaPool:
    """Sticky, failing-over access to the Rasa replicas of one served system.

    Args:
        settings: replica URLs (`rasa_urls`), request timeout and the runtime folder (board).
        board: defaults to the board in `settings.var_dir`; with no supervisor publishing there,
            every replica counts as live until a request to it fails.
    """

    def __init__(self, settings: Settings, board: ReplicaBoard | None = None) -> None:
        self.settings = settings
        self.board = board or ReplicaBoard.for_var_dir(settings.var_dir)
        self.replicas = [
            Replica(_port_of(url), RasaClient(url, settings.rasa_request_timeout_s)) for url in settings.rasa_urls
        ]
        self._temporary: dict[int, Replica] = {}
        self._states: dict[int, dict[str, Any]] = {}
        self._rotation = Rotation()
        self._read_at = float("-inf")
        self._round_robin = 0

    # --- what the routes call (same surface as RasaClient) ---------------------------------------

    @property
    def base_url(self) -> str:
        """URL of the first replica (kept for callers of the single client)."""
        return self.replicas[0].url

    @property
    def swapping(self) -> bool:
        """True while a replica is out of rotation for a model load."""
        self.refresh()
        return bool(self._rotation.out)

    async def send_message(self, sender: str, message: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """One user turn on the conversation's replica (or the next live one)."""
        return await self._call(sender, lambda c: c.send_message(sender, message, metadata))

    async def send_turn(
        self, sender: str, message: str, metadata: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """One user turn on the conversation's replica: the bot's messages and the state after it."""
        return await self._call(sender, lambda c: c.send_turn(sender, message, metadata))

    async def parse(self, text: str) -> dict[str, Any]:
        """NLU only, on any live replica (round robin)."""
        self._round_robin += 1
        return await self._call(None, lambda c: c.parse(text))

    async def status(self) -> dict[str, Any]:
        """Loaded model of the first live replica."""
        return await self._call(None, lambda c: c.status(), rotate=False)

    async def load_model(self, model_file: str) -> dict[str, Any]:
        """Roll `model_file` onto every replica without stalling a turn (see `rasa_runtime.rolling`)."""
        from assistant.rasa_runtime.rolling import roll_model

        return await roll_model(self, Path(model_file))

    async def close(self) -> None:
        """Release connections."""
        for replica in [*self.replicas, *self._temporary.values()]:
            await replica.client.close()

    # --- routing ------------------------------------------------------------------------------------

    def refresh(self, force: bool = False) -> None:
        """Re-read the board when it is older than `BOARD_REFRESH_S` (or `force`)."""
        now = time.monotonic()
        if not force and now - self._read_at < BOARD_REFRESH_S:
            return
        self._read_at = now
        self._states = self.board.replicas()
        self._rotation = self.board.rotation()
        for port in list(self._temporary):
            if port not in self._rotation.temporary:
                # Its connections close with the garbage collector; no await possible from here.
                self._temporary.pop(port)
        for port in self._rotation.temporary:
            if port not in self._temporary:
                url = f"http://{self.settings.rasa_host}:{port}"
                self._temporary[port] = Replica(port, RasaClient(url, self.settings.rasa_request_timeout_s), True)

    def order(self, key: str | None, rotate: bool = True) -> list[Replica]:
        """Replicas to try, best first: the key's sticky replica, then the ring after it; replicas
        known to be down come last, replicas out of rotation only when nothing else exists."""
        self.refresh()
        count = len(self.replicas)
        if key is not None:
            start = sticky_index(key, count)
        else:
            start = self._round_robin % count if rotate else 0
        ring = [self.replicas[(start + i) % count] for i in range(count)] + list(self._temporary.values())
        now = time.monotonic()
        live = [r for r in ring if r.port not in self._rotation.out and self._looks_up(r, now)]
        doubtful = [r for r in ring if r.port not in self._rotation.out and r not in live]
        loading = [r for r in ring if r.port in self._rotation.out]
        return live + doubtful + ([] if live or doubtful else loading)

    def _looks_up(self, replica: Replica, now: float) -> bool:
        if replica.suspect_until > now:
            return False
        state = self._states.get(replica.port)
        # No published state: nobody supervises here (tests, a Rasa started by hand); try it.
        return replica.temporary or state is None or state.get("status") == "ready"

    async def _call(self, key: str | None, call: Callable[[RasaClient], Awaitable[T]], rotate: bool = True) -> T:
        last: RasaUnavailable | None = None
        for replica in self.order(key, rotate):
            replica.in_flight += 1
            try:
                result = await call(replica.client)
            except RasaUnavailable as exc:
                # Down, restarting or 5xx: the conversation's tracker is in the shared store, so the
                # next replica can take this turn.
                replica.suspect_until = time.monotonic() + SUSPECT_S
                log.warning("Rasa replica on port %s failed (%s); trying the next one", replica.port, exc)
                last = exc
                continue
            finally:
                replica.in_flight -= 1
            replica.suspect_until = 0.0
            return result
        raise last or RasaUnavailable("no Rasa replica is configured")

    # --- what /health shows -----------------------------------------------------------------------

    async def health(self) -> dict[str, Any]:
        """Each replica's supervisor state and loaded model, and a summary in the single-Rasa shape
        (`up`, `status`, `restarts`, `last_exit_code`, `model_file`, `model_id`, `url`)."""
        self.refresh(force=True)
        replicas = [*self.replicas, *self._temporary.values()]
        answers = await asyncio.gather(*(self._replica_status(r) for r in replicas))
        rows: list[dict[str, Any]] = []
        for replica, answer in zip(replicas, answers):
            state = self._states.get(replica.port)
            row: dict[str, Any] = {"port": replica.port, "url": replica.url, "temporary": replica.temporary,
                                   "in_rotation": replica.port not in self._rotation.out}
            if state is not None:
                row.update(status=state.get("status"), restarts=state.get("restarts", 0),
                           last_exit_code=state.get("last_exit_code"), pid=state.get("pid"))
            row["model_file"] = (answer or {}).get("model_file")
            row["model_id"] = (answer or {}).get("model_id")
            row["up"] = bool(row["model_file"]) and (state is None or state.get("status") == "ready")
            rows.append(row)
        serving = [r for r in rows if r["up"] and r["in_rotation"]]
        first = serving[0] if serving else rows[0]
        summary: dict[str, Any] = {"url": first["url"], "up": bool(serving), "model_file": first["model_file"],
                                   "model_id": first["model_id"], "replicas": rows}
        if any("status" in r for r in rows):
            permanent = [r for r in rows if not r["temporary"]]
            summary.update(
                status="ready" if serving else (permanent[0].get("status") or "unknown"),
                restarts=sum(r.get("restarts") or 0 for r in permanent),
                last_exit_code=next((r["last_exit_code"] for r in permanent if r.get("last_exit_code") is not None), None),
                degraded=len(serving) < len(permanent),
            )
        return summary

    async def _replica_status(self, replica: Replica) -> dict[str, Any] | None:
        try:
            return await asyncio.wait_for(replica.client.status(), HEALTH_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - health must answer whatever a replica does
            return None


def sticky_index(key: str, count: int) -> int:
    """Which of `count` replicas a conversation belongs to: the same in every process (crc32, not
    Python's per-process salted `hash`)."""
    return zlib.crc32(key.encode("utf-8")) % count


def _port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/", 1)[0])
