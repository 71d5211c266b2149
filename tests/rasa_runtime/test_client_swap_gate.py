"""RasaClient holds conversation requests back while Rasa loads another model, and loses none."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from assistant.rasa_runtime.client import RasaClient, RasaUnavailable


def client_with(handler) -> RasaClient:  # type: ignore[no-untyped-def]
    client = RasaClient("http://rasa.test")
    client._http = httpx.AsyncClient(base_url="http://rasa.test", transport=httpx.MockTransport(handler))
    return client


@pytest.mark.asyncio
async def test_a_turn_sent_during_a_model_load_waits_and_reaches_the_new_model() -> None:
    events: list[str] = []
    model = {"name": "old"}

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            events.append("load start")
            await asyncio.sleep(0.3)  # Rasa busy loading
            model["name"] = "new"
            events.append("load end")
            return httpx.Response(204)
        events.append(f"turn on {model['name']}")
        return httpx.Response(200, json=[{"recipient_id": "s", "text": model["name"]}])

    client = client_with(handler)
    load = asyncio.create_task(client.load_model("/models/new.tar.gz"))
    await asyncio.sleep(0.05)
    assert client.swapping
    reply = await client.send_message("s", "안녕하세요", {})
    await load
    assert reply[0]["text"] == "new" and not client.swapping
    assert events == ["load start", "load end", "turn on new"]
    await client.close()


@pytest.mark.asyncio
async def test_a_refused_model_reopens_the_gate_and_says_why() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            return httpx.Response(500, json={"message": "LoadingError"})
        return httpx.Response(200, json=[])

    client = client_with(handler)
    with pytest.raises(RasaUnavailable, match="refused the model"):
        await client.load_model("/models/broken.tar.gz")
    assert not client.swapping and await client.send_message("s", "hi", {}) == []
    await client.close()
