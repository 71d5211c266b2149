"""The chat gateway starts the question's embedding before Rasa answers: masked text, long enough, on."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from assistant import services
from assistant.web.main import create_app


class RecordingEmbedder:
    """Stands in for the index's embedder: records what the gateway asked it to prefetch."""

    def __init__(self) -> None:
        self.prefetched: list[str] = []

    def prefetch_query(self, text: str) -> None:
        self.prefetched.append(text)


@pytest.fixture()
def served(settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, RecordingEmbedder]]:  # type: ignore[no-untyped-def]
    # Nothing listens on this port: Rasa is "down", so each turn ends in a 503 after the prefetch.
    monkeypatch.setattr(type(settings), "rasa_url", property(lambda self: "http://127.0.0.1:9"))
    embedder = RecordingEmbedder()
    with TestClient(create_app(settings)) as client:
        monkeypatch.setattr(services, "_knowledge", SimpleNamespace(embedder=embedder))
        yield client, embedder


def say(client: TestClient, message: str) -> int:
    return client.post("/api/chat", json={"sender": "prefetch-1", "message": message}).status_code


def test_a_question_is_prefetched_with_personal_numbers_masked(served) -> None:  # type: ignore[no-untyped-def]
    client, embedder = served
    assert say(client, "  900101-1234567 로 등본 뗄 수 있나요?  ") == 503
    assert len(embedder.prefetched) == 1
    assert "1234567" not in embedder.prefetched[0] and embedder.prefetched[0].endswith("등본 뗄 수 있나요?")


def test_short_answers_are_not_prefetched(served) -> None:  # type: ignore[no-untyped-def]
    client, embedder = served
    say(client, "네")
    say(client, "2부요")
    assert embedder.prefetched == []


def test_prefetch_can_be_switched_off(served, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    client, embedder = served
    settings = client.app.state.settings  # type: ignore[attr-defined]
    monkeypatch.setattr(settings, "query_prefetch", False)
    say(client, "여권 재발급 수수료 얼마예요?")
    assert embedder.prefetched == []
