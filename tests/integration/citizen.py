"""A citizen using the served assistant through its public API, counting their own turns."""

from __future__ import annotations

import uuid

import httpx

from assistant.records.demo_residents import DEMO_PIN
from tests.integration.conftest import RunningAssistant


class Citizen:
    """Signs in (or not), chats through /api/chat, uploads through /api/uploads.

    `turns` counts every message and upload the citizen sends; `detours` counts those a test adds
    on purpose (a wrong file, a question in the middle), so `turns - detours` is the happy path.
    """

    def __init__(self, assistant: RunningAssistant, lang: str = "ko", citizen_id: str | None = None,
                 channel: str = "web", sender: str | None = None) -> None:
        self.assistant = assistant
        self.http = httpx.Client(base_url=assistant.url, timeout=90)
        self.lang, self.channel = lang, channel
        self.sender = sender or f"it-{uuid.uuid4().hex[:12]}"
        self.turns = self.detours = 0
        self.transcript: list[str] = []
        if citizen_id:
            self.sign_in(citizen_id)

    def sign_in(self, citizen_id: str) -> None:
        """Sign in as a demo resident (the session cookie stays on this client)."""
        response = self.http.post("/api/auth/sign-in", json={"citizen_id": citizen_id, "pin": DEMO_PIN})
        assert response.status_code == 200, response.text

    def say(self, message: str, detour: bool = False) -> dict:
        """One chat turn; returns the chat response."""
        response = self.http.post("/api/chat", json={
            "sender": self.sender, "message": message, "metadata": {"lang": self.lang, "channel": self.channel}})
        assert response.status_code == 200, response.text
        return self._record(f"citizen: {message}", response.json(), detour)

    def upload(self, data: bytes, name: str = "photo.jpg", detour: bool = False) -> tuple[int, dict]:
        """Send a document photo; returns (HTTP status, full body). The reply is in body["reply"]."""
        response = self.http.post("/api/uploads", data={"sender": self.sender, "lang": self.lang, "channel": self.channel},
                                  files={"file": (name, data, "application/octet-stream")})
        assert response.status_code in (201, 422), response.text
        body = response.json()
        self._record(f"citizen: [upload {name}, {len(data)} bytes]", body["reply"], detour)
        return response.status_code, body

    def _record(self, line: str, body: dict, detour: bool) -> dict:
        self.turns += 1
        self.detours += int(detour)
        self.transcript.append(line)
        self.transcript += [f"  assistant: {m['text']}" for m in body["messages"] if m.get("text")]
        return body

    @property
    def own_turns(self) -> int:
        """Turns on the happy path (detours excluded)."""
        return self.turns - self.detours

    def report(self, form: str) -> None:
        """Print the measured turn count (shown with `pytest -s`, and in the output of a failure)."""
        print(f"\nTURNS {form} [{self.lang}]: {self.own_turns} own turns "
              f"({self.turns} including {self.detours} deliberate detours)")
        print("\n".join(self.transcript))


def text(body: dict) -> str:
    """All message texts of a chat response."""
    return "\n".join(m["text"] for m in body["messages"] if m.get("text"))


def custom(body: dict, key: str) -> dict | None:
    """The first custom payload holding `key`."""
    return next((m["custom"][key] for m in body["messages"] if (m.get("custom") or {}).get(key)), None)
