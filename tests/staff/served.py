"""A real `assistant serve` for the staff flows, on a copy of the knowledge base (publishing writes files)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT
from tests.integration.conftest import RunningAssistant, start_assistant, stop_assistant

PASSWORD = "integration-staff-pw"


@pytest.fixture(scope="package")
def staff_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    """Rasa + the service with staff accounts ed (editor) and rev (reviewer); KB and index are copies."""
    from assistant.records.database import Database
    from assistant.staff.accounts import StaffDirectory

    root = tmp_path_factory.mktemp("staff-served")
    kb, index = root / "kb", root / "index"
    shutil.copytree(REPO_ROOT / "knowledge_base", kb)
    if (REPO_ROOT / "var" / "index").is_dir():
        shutil.copytree(REPO_ROOT / "var" / "index", index)  # a copy: publishing must not touch the shared one
    var_dir = root / "var"
    var_dir.mkdir()
    database = Database(f"sqlite:///{var_dir / 'assistant.db'}")
    database.create_schema()
    directory = StaffDirectory(database)
    directory.create("ed", PASSWORD, "editor")
    directory.create("rev", PASSWORD, "reviewer")
    database.dispose()
    running = start_assistant(var_dir, {"ASSISTANT_KNOWLEDGE_BASE_DIR": str(kb), "ASSISTANT_INDEX_DIR": str(index)})
    try:
        running.wait_health(200)
        yield running
    finally:
        stop_assistant(running)


def staff_client(running: RunningAssistant, username: str) -> httpx.Client:
    """An HTTP client signed in as staff, sending the CSRF header on every request."""
    client = httpx.Client(base_url=running.url, timeout=120)
    response = client.post("/api/staff/auth/sign-in", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["x-csrf-token"] = response.json()["csrf_token"]
    return client
