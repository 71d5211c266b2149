"""Shared fixtures. Tests under tests/nlu/ exercise Rasa components and run in `.venv-rasa`."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

# The Rasa-side tests need `rasa`, which only `.venv-rasa` has; the Makefile runs them there.
collect_ignore_glob = [] if importlib.util.find_spec("rasa") else ["nlu/*"]


@pytest.fixture()
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Settings pointing every writable path into a temporary folder."""
    from assistant import services
    from assistant.settings import Settings, get_settings

    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "var" / "index"))
    monkeypatch.setenv("ASSISTANT_EMBEDDING_MODEL", "none")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    get_settings.cache_clear()
    services.reset()
    yield Settings()
    services.reset()
    get_settings.cache_clear()
