"""Admin model endpoints: token required, the registry listed, a worse model refused with 409.

The app here holds only the admin router and its state (no models load): the refusal happens
before anything is loaded, which is the behaviour under test. Swapping itself is covered by
tests/integration/test_hot_swap.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.models.registry import Artefact, ModelRegistry
from assistant.settings import Settings
from assistant.web.errors import install_error_handlers
from assistant.web.routes import admin_models

TOKEN = "admin-test-token"


def make_client(tmp_path: Path, token: str = TOKEN) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(admin_models.router)
    app.state.settings = Settings(var_dir=tmp_path, admin_token=token)
    app.state.knowledge = None
    return TestClient(app)


@pytest.fixture()
def registry(tmp_path: Path) -> ModelRegistry:
    reg = ModelRegistry.for_var_dir(tmp_path)
    reg.register(Artefact("rasa", "rasa-good", str(tmp_path / "good.tar.gz"), "good", {"macro_f1": 0.9}))
    reg.register(Artefact("rasa", "rasa-poor", str(tmp_path / "poor.tar.gz"), "poor", {"macro_f1": 0.6}))
    reg.set_active({"rasa": "rasa-good"})
    return reg


def test_the_endpoints_are_off_without_a_token_and_refuse_a_wrong_one(tmp_path: Path, registry: ModelRegistry) -> None:
    assert make_client(tmp_path, token="").get("/api/admin/models").status_code == 403
    client = make_client(tmp_path)
    assert client.get("/api/admin/models").json()["error"]["code"] == "admin_token_invalid"
    response = client.post("/api/admin/models/rollback", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_list_and_refusal(tmp_path: Path, registry: ModelRegistry) -> None:
    client = make_client(tmp_path)
    auth = {"Authorization": f"Bearer {TOKEN}", "Accept-Language": "en"}
    listing = client.get("/api/admin/models", headers=auth).json()
    assert listing["active"] == {"rasa": "rasa-good"} and len(listing["artefacts"]) == 2
    refused = client.post("/api/admin/models/activate", json={"version": "rasa-poor"}, headers=auth)
    assert refused.status_code == 409 and "macro_f1 0.600 vs active 0.900" in refused.json()["error"]["message"]
    missing = client.post("/api/admin/models/activate", json={"version": "rasa-nope"}, headers=auth)
    assert missing.status_code == 404
    # Forced, the swap is attempted and fails cleanly: the model file does not exist.
    forced = client.post("/api/admin/models/activate", json={"version": "rasa-poor", "force": True}, headers=auth)
    assert forced.status_code == 502 and "no Rasa model" in forced.json()["error"]["message"]
    assert registry.active() == {"rasa": "rasa-good"}
    assert client.post("/api/admin/models/rollback", headers=auth).status_code == 409  # nothing before


def test_a_training_run_started_over_the_api_is_followed_to_its_end(tmp_path: Path, registry: ModelRegistry) -> None:
    client = make_client(tmp_path)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    bad = client.post("/api/admin/models/train", json={"fine_tune_questions": "/nope.csv"}, headers=auth)
    assert bad.status_code == 422
    assert client.get("/api/admin/models/train/../../etc", headers=auth).status_code == 404
    # A real `assistant train` run; with --no-rasa --no-index nothing heavy happens, so it ends quickly.
    from assistant.models import jobs

    job = jobs.start_training(Settings(var_dir=tmp_path), rasa=False, index=False)
    assert job.command[-1] == "--no-activate"
    import time

    deadline = time.monotonic() + 120
    status = client.get(f"/api/admin/models/train/{job.id}", headers=auth).json()
    while status["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.5)
        status = client.get(f"/api/admin/models/train/{job.id}", headers=auth).json()
    assert status["status"] == "succeeded" and status["exit_code"] == 0, status
    assert any("Training finished" in line for line in status["log_tail"])
