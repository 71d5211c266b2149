"""What every Rasa process gets in its environment (the parts chosen for speed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.rasa_runtime.environment import rasa_process_env
from assistant.settings import Settings


def test_openmp_threads_sleep_instead_of_spinning_unless_told_otherwise(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    assert rasa_process_env(settings)["OMP_WAIT_POLICY"] == "PASSIVE"
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")  # an operator's own choice wins
    assert rasa_process_env(settings)["OMP_WAIT_POLICY"] == "ACTIVE"


def test_the_schema_check_patch_is_first_on_the_path(settings: Settings) -> None:
    first = rasa_process_env(settings)["PYTHONPATH"].split(":")[0]
    assert (Path(first) / "sitecustomize.py").is_file()
