"""Index upkeep for publishing: copy-on-write refresh, catching a registry snapshot up with the files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import services
from assistant.knowledge.loader import load_guides
from assistant.retrieval.index import KnowledgeIndex
from assistant.staff.publishing import catch_up_with_files, refresh_index
from tests.conftest import REPO_ROOT


@pytest.fixture()
def kb(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    for name in ("passport.yml", "resident-registration-certificate.yml"):
        shutil.copy(REPO_ROOT / "knowledge_base" / name, folder / name)
    return folder


def _change_fee(kb: Path) -> None:
    path = kb / "resident-registration-certificate.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("1통 400원", "1통 555원", 1), encoding="utf-8")


def _has(index: KnowledgeIndex, text: str) -> bool:
    return any(text in c.text for c in index.chunks_of("resident-registration-certificate"))


def test_refresh_swaps_in_an_updated_copy(kb: Path, tmp_path: Path) -> None:
    live = KnowledgeIndex.build(load_guides(kb), None)
    services.install(knowledge=live)
    try:
        _change_fee(kb)
        fresh, stats = refresh_index(kb, tmp_path / "var")
        assert stats["changed"] == 1 and stats["unchanged"] == 1
        assert services.knowledge_index() is fresh and _has(fresh, "555원")
        assert not _has(live, "555원")  # the old index stayed whole for searches still running on it
        assert not list((tmp_path / "var").iterdir())  # the temporary copy is gone
    finally:
        services.reset()


def test_a_snapshot_catches_up_with_published_files(kb: Path) -> None:
    snapshot = KnowledgeIndex.build(load_guides(kb), None)
    _change_fee(kb)
    assert catch_up_with_files(snapshot, kb)["changed"] == 1 and _has(snapshot, "555원")
