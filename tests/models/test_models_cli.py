"""`assistant models list | activate | rollback` without a running service (the registry alone)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.models.registry import Artefact, ModelRegistry
from assistant.settings import get_settings


@pytest.fixture()
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModelRegistry:
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    # A port nothing listens on: the CLI must fall back to moving the registry pointer only.
    monkeypatch.setenv("ASSISTANT_PORT", "9")
    monkeypatch.setenv("COLUMNS", "200")  # Rich tables wrap at 80 columns otherwise
    get_settings.cache_clear()
    reg = ModelRegistry.for_var_dir(tmp_path)
    reg.register(Artefact("rasa", "rasa-good", str(tmp_path / "rasa-good.tar.gz"), "good", {"macro_f1": 0.90}))
    reg.register(Artefact("rasa", "rasa-poor", str(tmp_path / "rasa-poor.tar.gz"), "poor", {"macro_f1": 0.70}))
    reg.set_active({"rasa": "rasa-good"})
    yield reg
    get_settings.cache_clear()


def test_activate_refuses_a_model_below_the_margin_without_force(registry: ModelRegistry) -> None:
    result = CliRunner().invoke(app, ["models", "activate", "rasa-poor"])
    assert result.exit_code == 1
    assert "refused" in result.output and "macro_f1 0.700 vs active 0.900" in result.output
    assert registry.active()["rasa"] == "rasa-good"


def test_activate_with_force_and_rollback(registry: ModelRegistry) -> None:
    result = CliRunner().invoke(app, ["models", "activate", "rasa-poor", "--force"])
    assert result.exit_code == 0, result.output
    assert "Service not running" in result.output
    assert registry.active()["rasa"] == "rasa-poor"
    result = CliRunner().invoke(app, ["models", "rollback"])
    assert result.exit_code == 0, result.output
    assert registry.active()["rasa"] == "rasa-good"


def test_unknown_version_and_list(registry: ModelRegistry) -> None:
    result = CliRunner().invoke(app, ["models", "activate", "rasa-nope"])
    assert result.exit_code == 2 and "no model version 'rasa-nope'" in result.output
    listing = CliRunner().invoke(app, ["models", "list"])
    assert listing.exit_code == 0 and "rasa-good" in listing.output and "macro_f1 0.900" in listing.output
