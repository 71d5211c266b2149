"""The service's contracts on bad input and without Rasa (Rasa itself is in tests/integration)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.web.main import create_app


@pytest.fixture()
def client(settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    # Nothing listens on this port: Rasa is "down" for these tests.
    monkeypatch.setattr(type(settings), "rasa_url", property(lambda self: "http://127.0.0.1:9"))
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def chat(client: TestClient, **body: object):  # type: ignore[no-untyped-def]
    return client.post("/api/chat", json={"sender": "s1", "message": "안녕하세요", **body})


def test_malformed_json_is_a_400_with_a_korean_message(client: TestClient) -> None:
    response = client.post("/api/chat", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    assert "JSON" in response.json()["error"]["message"]


def test_english_clients_get_english_errors(client: TestClient) -> None:
    response = client.post("/api/chat", content=b"[", headers={"content-type": "application/json", "accept-language": "en-US"})
    assert response.json()["error"]["message"] == "The request body is not valid JSON."


@pytest.mark.parametrize("message", ["", "   \n"])
def test_empty_message_is_refused(client: TestClient, message: str) -> None:
    response = chat(client, message=message)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "empty_message"


def test_100kb_message_is_refused_with_the_limit(client: TestClient) -> None:
    response = chat(client, message="가" * 100_000)
    assert response.status_code == 413
    assert "2000" in response.json()["error"]["message"]


def test_oversized_body_is_refused_before_parsing(client: TestClient) -> None:
    response = client.post("/api/chat", content=b"x" * 2_000_001, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


@pytest.mark.parametrize(
    "body",
    [{"sender": "", "message": "hi"}, {"sender": "a b/../c", "message": "hi"}, {"message": "hi"},
     {"sender": "s", "message": 5}, {"sender": "s", "message": "hi", "metadata": {"lang": "fr"}}],
)
def test_invalid_fields_are_a_422_naming_the_field(client: TestClient, body: dict) -> None:
    response = client.post("/api/chat", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_binary_body_is_a_clear_error(client: TestClient) -> None:
    response = client.post("/api/chat", content=bytes(range(256)), headers={"content-type": "application/json"})
    assert response.status_code == 400


def test_rasa_down_is_a_503_in_the_users_language(client: TestClient) -> None:
    response = chat(client, metadata={"lang": "en", "channel": "kiosk"})
    assert response.status_code == 503
    assert "not answering" in response.json()["error"]["message"]


def test_health_is_503_while_rasa_is_not_ready(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["rasa"]["up"] is False
    assert body["index"]["loaded"] is True and body["index"]["chunks"] > 0


def test_kb_search_contract(client: TestClient) -> None:
    response = client.get("/api/kb/search", params={"q": "여권 재발급 수수료", "k": 3})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 3
    assert set(results[0]) == {"service_id", "title", "section", "snippet", "score"}
    assert results[0]["service_id"] == "passport"


@pytest.mark.parametrize("params", [{"q": ""}, {"q": "여권", "k": 0}, {"q": "여권", "k": 500}, {"q": "x", "lang": "fr"}, {}])
def test_kb_search_bad_queries(client: TestClient, params: dict) -> None:
    assert client.get("/api/kb/search", params=params).status_code == 422


def test_nlu_parse_validates_input(client: TestClient) -> None:
    assert client.post("/api/nlu/parse", json={"text": ""}).status_code == 422
    assert client.post("/api/nlu/parse", json={"text": "x" * 5000}).status_code == 413
    assert client.post("/api/nlu/parse", json={"text": "안녕"}).status_code == 503


def test_unknown_route_is_a_localised_404(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_chat_page_is_served(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "<html" in response.text.lower()
