"""`assistant serve` starts with the registry's active Rasa model, and falls back when there is none."""

from __future__ import annotations

from pathlib import Path

from assistant.models.registry import Artefact, ModelRegistry
from assistant.serve import active_rasa_model
from assistant.settings import Settings


def test_the_active_model_wins_and_a_missing_file_falls_back(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path)
    assert active_rasa_model(settings) is None  # no registry: serve uses the newest model as before
    model = tmp_path / "rasa-aaaa.tar.gz"
    model.write_bytes(b"model")
    registry = ModelRegistry.for_var_dir(tmp_path)
    registry.register(Artefact("rasa", "rasa-aaaa", str(model), "aaaa"))
    registry.set_active({"rasa": "rasa-aaaa"})
    assert active_rasa_model(settings) == model
    model.unlink()
    assert active_rasa_model(settings) is None
