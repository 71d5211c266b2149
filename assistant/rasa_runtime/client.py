"""HTTP client of the Rasa server (REST channel and HTTP API)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx


class RasaUnavailable(RuntimeError):
    """Rasa did not answer (down, restarting, or too slow)."""


class RasaClient:
    """Async calls to one Rasa server; one instance per process, closed on shutdown.

    While Rasa loads another model (`load_model`) its event loop is busy for tens of seconds and
    any request sent then would time out. So conversation requests pass a gate: a model load waits
    for the requests in flight to finish, closes the gate, and new requests wait until the new model
    is live, then go to it. A turn is slower during a swap, never lost.
    """

    def __init__(self, base_url: str, timeout_s: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout_s)
        self._gate_open = asyncio.Event()
        self._gate_open.set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._in_flight = 0

    @property
    def swapping(self) -> bool:
        """True while a model load holds new requests back."""
        return not self._gate_open.is_set()

    async def close(self) -> None:
        """Release connections."""
        await self._http.aclose()

    async def _request(self, method: str, path: str, gated: bool = True, **kwargs: Any) -> Any:
        if not gated:
            return await self._send(method, path, **kwargs)
        await self._gate_open.wait()
        self._in_flight += 1
        self._idle.clear()
        try:
            return await self._send(method, path, **kwargs)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    async def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"Rasa at {self.base_url} did not answer: {exc.__class__.__name__}") from exc
        if response.status_code >= 500 or response.status_code == 409:
            raise RasaUnavailable(f"Rasa answered {response.status_code} on {path}")
        response.raise_for_status()
        return response.json() if response.content else None

    async def send_message(self, sender: str, message: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """One user turn through the REST channel; returns the bot's messages."""
        body = {"sender": sender, "message": message, "metadata": metadata}
        return list(await self._request("POST", "/webhooks/rest/webhook", json=body) or [])

    async def send_turn(
        self, sender: str, message: str, metadata: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """One user turn through the gateway channel: the bot's messages and the state after the turn
        (as `GET /conversations/<id>/tracker?include_events=NONE` shows it), in one request
        (assistant/rasa_runtime/gateway_channel.py)."""
        body = {"sender": sender, "message": message, "metadata": metadata}
        answer = await self._request("POST", "/webhooks/gateway/webhook", json=body) or {}
        return list(answer.get("messages") or []), dict(answer.get("tracker") or {})

    async def parse(self, text: str) -> dict[str, Any]:
        """NLU only: intent, entities and ranking of `text`."""
        return dict(await self._request("POST", "/model/parse", json={"text": text}))

    async def status(self) -> dict[str, Any]:
        """Loaded model and training state."""
        # Not gated: /health must answer during a swap (Rasa may then be slow to reply).
        return dict(await self._request("GET", "/status", gated=False))

    async def load_model(self, model_file: str, timeout_s: float = 300.0, drain_s: float = 60.0) -> None:
        """Make Rasa load another model (`PUT /model`); it answers once the new agent is live.

        Requests in flight finish first (up to `drain_s`); new ones wait at the gate until Rasa has
        switched. Loading takes tens of seconds (TensorFlow graphs), hence the long timeout.
        """
        self._gate_open.clear()
        try:
            try:
                await asyncio.wait_for(self._idle.wait(), drain_s)
            except asyncio.TimeoutError:
                pass  # a stuck request must not block the swap forever; it times out on its own
            try:
                response = await self._http.put("/model", json={"model_file": model_file}, timeout=timeout_s)
            except httpx.HTTPError as exc:
                raise RasaUnavailable(f"Rasa at {self.base_url} did not answer: {exc.__class__.__name__}") from exc
        finally:
            self._gate_open.set()
        if response.status_code != 204:
            raise RasaUnavailable(f"Rasa refused the model ({response.status_code}): {response.text[:300]}")
