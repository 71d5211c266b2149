"""RasaPool: sticky per conversation, failover to the next live replica, the board's view respected,
and a rolling model load that never sends a turn to the replica being loaded.

The replicas here are in-process HTTP handlers (httpx.MockTransport) that behave like Rasa's REST
API as far as the pool cares; the real replicas are exercised in tests/integration.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from assistant.rasa_runtime.board import ReplicaBoard
from assistant.rasa_runtime.client import RasaClient, RasaUnavailable
from assistant.rasa_runtime.pool import RasaPool
from assistant.settings import Settings


class FakeRasa:
    """One replica: answers turns with its port, can be down, fail with 500, or be slow to load."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.down = False
        self.error = False
        self.loading = False
        self.model = "old.tar.gz"
        self.turns: list[str] = []
        self.turns_while_loading = 0

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if self.error:
            return httpx.Response(500, json={"message": "boom"})
        if request.method == "PUT" and request.url.path == "/model":
            self.loading = True
            await asyncio.sleep(0.3)
            self.model = httpx.Response(200, content=request.content).json()["model_file"].rsplit("/", 1)[-1]
            self.loading = False
            return httpx.Response(204)
        if request.url.path == "/status":
            return httpx.Response(200, json={"model_file": self.model, "model_id": self.model})
        if self.loading:
            self.turns_while_loading += 1
        sender = httpx.Response(200, content=request.content).json().get("sender", "")
        self.turns.append(sender)
        return httpx.Response(200, json=[{"recipient_id": sender, "text": str(self.port)}])


def pool_of(tmp_path: Path, replicas: int = 2, workers: int = 1) -> tuple[RasaPool, list[FakeRasa]]:
    settings = Settings(var_dir=tmp_path, rasa_port=7100, rasa_replicas=replicas, workers=workers)
    pool = RasaPool(settings)
    fakes = []
    for replica in pool.replicas:
        fake = FakeRasa(replica.port)
        replica.client = RasaClient(replica.url)
        replica.client._http = httpx.AsyncClient(base_url=replica.url, transport=httpx.MockTransport(fake.handle))
        fakes.append(fake)
    return pool, fakes


async def port_of_turn(pool: RasaPool, sender: str) -> int:
    return int((await pool.send_message(sender, "안녕하세요", {}))[0]["text"])


@pytest.mark.asyncio
async def test_each_conversation_sticks_to_one_replica_and_every_worker_picks_the_same(tmp_path: Path) -> None:
    pool, _ = pool_of(tmp_path)
    other_worker, _ = pool_of(tmp_path)
    senders = [f"sender-{i}" for i in range(20)]
    first = {s: await port_of_turn(pool, s) for s in senders}
    assert {s: await port_of_turn(pool, s) for s in senders} == first
    assert {s: await port_of_turn(other_worker, s) for s in senders} == first
    assert set(first.values()) == {7100, 7101}  # conversations spread over both replicas


@pytest.mark.asyncio
@pytest.mark.parametrize("fault", ["down", "error"])
async def test_a_turn_fails_over_to_the_next_replica_and_comes_back_later(tmp_path: Path, fault: str) -> None:
    pool, fakes = pool_of(tmp_path)
    sender = next(s for s in (f"s{i}" for i in range(50)) if pool.order(s)[0].port == 7100)
    setattr(fakes[0], fault, True)
    assert await port_of_turn(pool, sender) == 7101
    assert await port_of_turn(pool, sender) == 7101  # skipped while suspect, not retried each turn
    setattr(fakes[0], fault, False)
    pool.replicas[0].suspect_until = 0.0
    assert await port_of_turn(pool, sender) == 7100


@pytest.mark.asyncio
async def test_every_replica_down_is_rasa_unavailable(tmp_path: Path) -> None:
    pool, fakes = pool_of(tmp_path)
    for fake in fakes:
        fake.down = True
    with pytest.raises(RasaUnavailable):
        await pool.send_message("s", "hi", {})


@pytest.mark.asyncio
async def test_the_board_decides_crashed_out_of_rotation_and_temporary_replicas(tmp_path: Path) -> None:
    pool, fakes = pool_of(tmp_path)
    board = ReplicaBoard.for_var_dir(tmp_path)
    board.reset({7100: "a.tar.gz", 7101: "a.tar.gz"})
    board.publish_replica(7100, {"status": "crashed", "restarts": 1})
    board.publish_replica(7101, {"status": "ready", "restarts": 0})
    pool.refresh(force=True)
    sender = next(s for s in (f"s{i}" for i in range(50)) if pool.order(s)[-1].port == 7100)
    assert await port_of_turn(pool, sender) == 7101 and fakes[0].turns == []  # not even tried

    board.publish_replica(7100, {"status": "ready", "restarts": 1})
    board.update_rotation(lambda r: r.out.add(7101))
    pool.refresh(force=True)
    assert await port_of_turn(pool, sender) == 7100 and len(fakes[1].turns) == 1

    health = await pool.health()
    assert [r["in_rotation"] for r in health["replicas"]] == [True, False]
    assert health["up"] is True and health["restarts"] == 1 and health["degraded"] is True


@pytest.mark.asyncio
async def test_health_of_a_single_crashed_replica_is_down(tmp_path: Path) -> None:
    pool, _ = pool_of(tmp_path, replicas=1)
    board = ReplicaBoard.for_var_dir(tmp_path)
    board.publish_replica(7100, {"status": "crashed", "restarts": 0, "last_exit_code": -9})
    health = await pool.health()
    assert health["up"] is False and health["status"] == "crashed" and health["last_exit_code"] == -9


@pytest.mark.asyncio
async def test_a_rolling_load_keeps_turns_away_from_the_replica_being_loaded(tmp_path: Path) -> None:
    pool, fakes = pool_of(tmp_path)
    board = ReplicaBoard.for_var_dir(tmp_path)
    board.reset({7100: "old.tar.gz", 7101: "old.tar.gz"})
    for port in (7100, 7101):
        board.publish_replica(port, {"status": "ready"})
    new_model = tmp_path / "new.tar.gz"
    new_model.write_bytes(b"model")
    roll = asyncio.create_task(pool.load_model(str(new_model)))
    answered = 0
    while not roll.done():
        for i in range(4):
            await port_of_turn(pool, f"s{i}")
            answered += 1
        await asyncio.sleep(0.02)
    report = await roll
    assert report["mode"] == "rolling" and set(report["load_s"]) == {"7100", "7101"}
    assert [f.model for f in fakes] == ["new.tar.gz", "new.tar.gz"]
    assert [f.turns_while_loading for f in fakes] == [0, 0] and answered > 8
    rotation = board.rotation()
    assert rotation.out == set() and rotation.models == {7100: str(new_model), 7101: str(new_model)}


@pytest.mark.asyncio
async def test_a_refused_model_goes_back_on_the_replicas_already_switched(tmp_path: Path) -> None:
    pool, fakes = pool_of(tmp_path)
    board = ReplicaBoard.for_var_dir(tmp_path)
    old_model, new_model = tmp_path / "old.tar.gz", tmp_path / "new.tar.gz"
    for model in (old_model, new_model):
        model.write_bytes(b"model")
    board.reset({7100: str(old_model), 7101: str(old_model)})
    fakes[1].error = True  # the second replica refuses every load
    with pytest.raises(RasaUnavailable):
        await pool.load_model(str(new_model))
    assert fakes[0].model == "old.tar.gz"
    assert board.rotation().out == set()
