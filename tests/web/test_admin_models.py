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
    # A real `assistant train` run; with --no-rasa --no-index nothing heavy happens, so it ends quickly
    # (its evaluation step has nothing to measure and still writes the report).
    from assistant.models import jobs

    job = jobs.start_training(Settings(var_dir=tmp_path), rasa=False, index=False, evaluate=True)
    assert job.command[-1] == "--no-activate" and "--evaluate-to" in job.command
    import time

    deadline = time.monotonic() + 120
    status = client.get(f"/api/admin/models/train/{job.id}", headers=auth).json()
    while status["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.5)
        status = client.get(f"/api/admin/models/train/{job.id}", headers=auth).json()
    assert status["status"] == "succeeded" and status["exit_code"] == 0, status
    assert any("Training finished" in line for line in status["log_tail"])
    assert (status["step"], status["steps"], status["step_label"]) == (1, 1, "quick evaluation")
    assert status["progress"] == 1.0 and status["report_url"].endswith(f"/train/{job.id}/report/index.html")
    report = client.get(status["report_url"], headers=auth)
    assert report.status_code == 200 and "Quick run" in report.text and "not requested" in report.text


def test_a_running_jobs_progress_comes_from_its_step_lines(tmp_path: Path) -> None:
    import json
    import os

    from assistant.models import jobs

    settings = Settings(var_dir=tmp_path)
    folder = jobs.jobs_dir(settings)
    folder.mkdir(parents=True)
    job = jobs.TrainingJob("20261127-000000-aaaaaa", os.getpid(), ["assistant", "train"], 0.0)
    (folder / f"{job.id}.json").write_text(json.dumps(jobs.asdict(job)), encoding="utf-8")
    (folder / f"{job.id}.log").write_text(
        "[step 1/3] Rasa model\nRasa model up to date\n[step 2/3] index\rBuilding… 40%\r", encoding="utf-8")
    status = jobs.job_status(settings, job.id)  # this process is alive: the job counts as running
    assert (status.status, status.step, status.steps, status.step_label) == ("running", 2, 3, "index")
    assert round(status.progress, 3) == 0.333 and status.log_tail[-1] == "Building… 40%"
    assert not status.report_ready


# ---- the staff console's way in: a signed-in admin (session cookie + CSRF), never an editor or reviewer

from tests.web.staff_client import sign_in, staff_app  # noqa: E402,F401 - fixture


def test_staff_admins_may_use_the_endpoints_editors_and_reviewers_may_not(staff_app: TestClient) -> None:
    client = staff_app
    client.cookies.clear()
    # No cookie and no token, with ASSISTANT_ADMIN_TOKEN unset: switched off, as before.
    assert client.get("/api/admin/models").json()["error"]["code"] == "admin_disabled"
    for username in ("ed", "rev"):
        csrf = sign_in(client, username)
        listing = client.get("/api/admin/models", headers={"Accept-Language": "en"})
        assert listing.status_code == 403 and listing.json()["error"]["message"] == "This needs the admin role."
        assert client.post("/api/admin/models/rollback", headers=csrf).status_code == 403
        assert client.post("/api/admin/models/train", json={"kind": "index"}, headers=csrf).status_code == 403
        assert client.get("/api/admin/models/train/x/report/index.html").status_code == 403
    csrf = sign_in(client, "adm")
    listing = client.get("/api/admin/models")
    assert listing.status_code == 200 and listing.json()["active"] == {}
    # Changes need the session's CSRF token, like every staff change.
    assert client.post("/api/admin/models/rollback").json()["error"]["code"] == "csrf_failed"
    nothing = client.post("/api/admin/models/rollback", headers=csrf)
    # Past the role check, the registry answers: nothing was active before.
    assert nothing.status_code == 409 and "nothing to roll back to" in nothing.json()["error"]["message"]
    bad_kind = client.post("/api/admin/models/train", json={"kind": "everything"}, headers=csrf)
    assert bad_kind.status_code == 422
    # A wrong bearer token is refused even with an admin's cookie: the header decides alone.
    wrong = client.get("/api/admin/models", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code in (401, 403) and wrong.json()["error"]["code"] in ("admin_disabled", "admin_token_invalid")


def test_a_runs_report_is_served_to_admins_with_its_plots_and_nothing_else(staff_app: TestClient) -> None:
    from assistant.models.jobs import report_dir

    client = staff_app
    settings = client.app.state.settings
    folder = report_dir(settings, "20261127-000000-abc123")
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<html><body>report <img src='recall_curve.png'></body></html>", encoding="utf-8")
    (folder / "recall_curve.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    (folder.parent / "secret.log").write_text("not for the browser", encoding="utf-8")
    sign_in(client, "adm")
    base = "/api/admin/models/train/20261127-000000-abc123/report"
    page = client.get(f"{base}/index.html")
    assert page.status_code == 200 and "report" in page.text
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert client.get(f"{base}/recall_curve.png").headers["content-type"] == "image/png"
    for name in ("..%2Fsecret.log", "secret.log", ".hidden.html", "missing.html"):
        assert client.get(f"{base}/{name}").status_code == 404, name
    assert client.get("/api/admin/models/train/..%2F..%2Fetc/report/index.html").status_code == 404
