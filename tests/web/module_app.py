"""The service on a TestClient, built once per test module (building one takes seconds), Rasa absent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient


@contextmanager
def module_app(tmp: Path, **env: object) -> Iterator[TestClient]:
    """The app with its var folder in `tmp`, Rasa on a closed port, extra `ASSISTANT_*` settings from `env`."""
    from assistant import services
    from assistant.settings import Settings, get_settings
    from assistant.web.main import create_app

    with pytest.MonkeyPatch.context() as patch:
        values = {"ASSISTANT_VAR_DIR": tmp / "var", "ASSISTANT_INDEX_DIR": tmp / "var" / "index",
                  "ASSISTANT_EMBEDDING_MODEL": "none", "ASSISTANT_RASA_PORT": "9", **env}
        for name, value in values.items():
            patch.setenv(name, str(value))
        patch.delenv("DATABASE_URL", raising=False)
        get_settings.cache_clear()
        services.reset()
        try:
            with TestClient(create_app(Settings())) as client:
                yield client
        finally:
            services.reset()
            get_settings.cache_clear()
