"""DenseIndex: exact while small, an inverted file once large, and the same chunk ids either way."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.dense import DenseIndex, cell_count

DIM = 64


def clustered_vectors(n: int, seed: int = 0) -> np.ndarray:
    """Normalised vectors around 300 topics, as chunk embeddings of related guides are."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(300, DIM))
    vectors = topics[rng.integers(0, len(topics), n)] + 0.3 * rng.normal(size=(n, DIM))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def exact_top(vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> set[int]:
    return set(ids[np.argsort(-(vectors @ query))[:k]].tolist())


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    return clustered_vectors(6000)


def test_a_small_index_is_exact(vectors: np.ndarray) -> None:
    index = DenseIndex(DIM, approximate_from=10_000)
    ids = np.arange(len(vectors))
    index.add(ids, vectors)
    assert not index.approximate and index.describe() == "Flat"
    for query in vectors[:20]:
        found, cosines = index.search(query, 10)
        assert set(found.tolist()) == exact_top(vectors, ids, query, 10)
        assert np.all(np.diff(cosines) <= 1e-6)


def test_crossing_the_threshold_turns_it_into_an_inverted_file_that_finds_what_the_scan_finds(
    vectors: np.ndarray,
) -> None:
    index = DenseIndex(DIM, approximate_from=4000)
    ids = np.arange(len(vectors)) + 1000  # chunk ids need not start at 0
    index.add(ids[:3000], vectors[:3000])
    assert not index.approximate
    index.add(ids[3000:], vectors[3000:])
    assert index.approximate and index.size == len(vectors)
    assert index.describe() == "IVF256,Flat (nprobe 32)"
    found_ids, found_vectors = index.contents()
    order = np.argsort(found_ids)
    assert np.array_equal(found_ids[order], ids) and np.allclose(found_vectors[order], vectors)
    recall = np.mean([
        len(set(index.search(q, 10)[0].tolist()) & exact_top(vectors, ids, q, 10)) / 10
        for q in clustered_vectors(200, seed=5)
    ])
    assert recall >= 0.95


def test_removed_chunks_never_come_back_and_new_ones_are_found(vectors: np.ndarray) -> None:
    index = DenseIndex(DIM, approximate_from=4000)
    index.add(np.arange(len(vectors)), vectors)
    assert index.approximate
    index.remove(np.arange(100))
    assert index.size == len(vectors) - 100
    for query in vectors[:100]:
        assert not set(index.search(query, 50)[0].tolist()) & set(range(100))
    # A staff edit re-adds a guide's chunks under new ids: they go into the existing cells.
    index.add(np.arange(90_000, 90_100), vectors[:100])
    assert index.describe() == "IVF256,Flat (nprobe 32)"
    for number, query in enumerate(vectors[:100]):
        found, cosines = index.search(query, 1)
        assert found[0] == 90_000 + number and cosines[0] == pytest.approx(1.0, abs=1e-5)


def test_the_inverted_file_survives_save_and_load(vectors: np.ndarray, tmp_path: Path) -> None:
    index = DenseIndex(DIM, approximate_from=4000)
    index.add(np.arange(len(vectors)), vectors)
    index.save(tmp_path / "dense.faiss")
    loaded = DenseIndex.load(tmp_path / "dense.faiss")
    assert loaded.approximate and loaded.describe() == index.describe() and loaded.size == index.size
    for query in vectors[:10]:
        assert np.array_equal(loaded.search(query, 10)[0], index.search(query, 10)[0])


def test_cells_are_re_trained_when_the_corpus_outgrows_them() -> None:
    index = DenseIndex(DIM, approximate_from=2000)
    index.add(np.arange(2000), clustered_vectors(2000, seed=1))
    assert index.describe().startswith("IVF256,")
    # 4 x sqrt(n) calls for 512 cells from about 20k vectors on.
    index.add(np.arange(2000, 22_000), clustered_vectors(20_000, seed=2))
    assert index.describe() == "IVF512,Flat (nprobe 64)" and index.size == 22_000


@pytest.mark.parametrize(("vectors_", "cells"), [(10, 256), (50_000, 1024), (100_000, 1024), (300_000, 2048),
                                                 (10_000_000, 4096)])
def test_cell_count(vectors_: int, cells: int) -> None:
    assert cell_count(vectors_) == cells
