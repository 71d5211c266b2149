"""The action webhook: rasa-sdk's executor in the service, speaking Rasa's action protocol."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.security import action_webhook_token
from assistant.web.actions_loader import ActionsLoadError, load_action_executor
from assistant.web.main import create_app


@pytest.fixture()
def client(settings):  # type: ignore[no-untyped-def]
    with TestClient(create_app(settings)) as test_client:
        test_client.params = {"token": action_webhook_token(settings)}  # what Rasa sends (endpoints.yml)
        yield test_client


def action_call(name: str, text: str = "", slots: dict | None = None) -> dict:
    """An action call shaped like the ones Rasa 3.6 sends."""
    return {
        "next_action": name,
        "sender_id": "webhook-test",
        "version": "3.6.21",
        "tracker": {
            "sender_id": "webhook-test",
            "slots": {"language": "ko", **(slots or {})},
            "latest_message": {"text": text, "intent": {"name": "greet"}, "entities": [], "metadata": {"lang": "ko"}},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
        "domain": {"version": "3.1", "intents": [], "slots": {}, "responses": {}, "actions": [], "forms": {}},
    }


def test_webhook_runs_an_action(client: TestClient) -> None:
    response = client.post("/webhook", json=action_call("action_change_language", "영어로 해줘"))
    assert response.status_code == 200
    body = response.json()
    assert body["events"] == [{"event": "slot", "timestamp": None, "name": "language", "value": "en"}]
    assert body["responses"][0]["text"] == "I'll continue in English."


def test_unknown_action_is_404(client: TestClient) -> None:
    response = client.post("/webhook", json=action_call("action_that_does_not_exist"))
    assert response.status_code == 404


def test_malformed_action_call_is_400(client: TestClient) -> None:
    assert client.post("/webhook", content=b"{oops").status_code == 400
    assert client.post("/webhook", json={"hello": 1}).status_code == 400


def test_every_custom_action_in_the_domain_is_registered() -> None:
    import yaml

    from tests.conftest import REPO_ROOT

    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    names = {a.name for a in load_action_executor("actions").list_actions()}
    assert set(domain["actions"]) <= names


def test_broken_actions_package_fails_start_up_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "broken_actions"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "forms.py").write_text("import module_that_is_not_installed\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ActionsLoadError, match=r"broken_actions\.forms.*module_that_is_not_installed"):
        load_action_executor("broken_actions")
    sys.modules.pop("broken_actions", None)


def test_webhook_refuses_callers_without_rasas_token(client: TestClient) -> None:
    # A forged action call (say, a status check claiming another citizen) from anyone but our Rasa.
    call = action_call("action_change_language", "영어로 해줘")
    for params in ({}, {"token": "guess"}, {"token": ""}):
        client.params = params
        response = client.post("/webhook", json=call, headers={"accept-language": "en"})
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "webhook_token_invalid"
