"""Training is skipped by content fingerprint, not by timestamps."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from assistant.rasa_runtime.fingerprint import fingerprint_files, rasa_fingerprint
from assistant.rasa_runtime.training import current_model, model_path_for
from assistant.settings import Settings
from tests.conftest import REPO_ROOT


def copy_project(tmp_path: Path) -> Settings:
    for name in ("config.yml", "domain.yml"):
        shutil.copy(REPO_ROOT / name, tmp_path / name)
    shutil.copytree(REPO_ROOT / "nlu_data", tmp_path / "nlu_data")
    return Settings(root_dir=tmp_path, models_dir=tmp_path / "models", var_dir=tmp_path / "var")


def test_touching_files_keeps_the_fingerprint_editing_changes_it(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    before = rasa_fingerprint(settings)
    os.utime(tmp_path / "domain.yml", (0, 0))
    assert rasa_fingerprint(settings) == before
    with open(tmp_path / "nlu_data" / "nlu" / "chitchat.yml", "a", encoding="utf-8") as fh:
        fh.write("\n# a comment is a change too\n")
    assert rasa_fingerprint(settings) != before


def test_renaming_a_file_changes_the_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("x")
    first = fingerprint_files([tmp_path], tmp_path)
    (tmp_path / "a.yml").rename(tmp_path / "b.yml")
    assert fingerprint_files([tmp_path], tmp_path) != first


def test_current_model_prefers_the_matching_fingerprint(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    settings.models_dir.mkdir()
    assert current_model(settings) is None
    old = settings.models_dir / "rasa-0000000000000000.tar.gz"
    old.write_bytes(b"old")
    assert current_model(settings) == old
    exact = model_path_for(settings, rasa_fingerprint(settings))
    exact.write_bytes(b"new")
    os.utime(exact, (0, 0))  # older timestamp, still the right one
    assert current_model(settings) == exact
