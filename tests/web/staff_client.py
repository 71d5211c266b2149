"""A staff console on a TestClient: a copy of the knowledge base, accounts of every role, sign-in helpers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import REPO_ROOT

PASSWORD = "correct-horse-42"


@pytest.fixture()
def staff_app(settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """The service with its knowledge base copied into tmp (publishing must not touch the repository)."""
    from assistant.web.main import create_app

    kb = tmp_path / "kb"
    shutil.copytree(REPO_ROOT / "knowledge_base", kb)
    monkeypatch.setattr(settings, "knowledge_base_dir", kb)
    monkeypatch.setattr(type(settings), "rasa_url", property(lambda self: "http://127.0.0.1:9"))
    monkeypatch.setattr(settings, "staff_token", "staff-secret")
    with TestClient(create_app(settings)) as client:
        console = client.app.state.staff
        console.nlu_examples_path = tmp_path / "nlu" / "staff_examples.yml"
        for name, role in (("ed", "editor"), ("rev", "reviewer"), ("adm", "admin")):
            console.directory.create(name, PASSWORD, role)
        yield client


def sign_in(client: TestClient, username: str) -> dict[str, str]:
    """Sign in (the cookie stays on the client); returns the CSRF header to send with changes."""
    client.cookies.clear()
    response = client.post("/api/staff/auth/sign-in", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"x-csrf-token": response.json()["csrf_token"]}
