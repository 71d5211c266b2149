"""Dense vectors of chunks in FAISS: exact inner product over L2-normalised vectors.

`IndexIDMap2(IndexFlatIP)` keeps stable chunk ids, so one guide's chunks can be removed and re-added
without touching the others; at 100k x 384 floats an exact scan of one question takes about 7 ms
here, on one thread (see `search`), so an approximate index's recall loss buys nothing needed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


class DenseIndex:
    """FAISS index of chunk vectors keyed by chunk id."""

    def __init__(self, dim: int, index: object | None = None) -> None:
        import faiss

        self._faiss = faiss
        self.dim = dim
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    @property
    def size(self) -> int:
        """Number of vectors."""
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors (rows L2-normalised) under the given int64 ids."""
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))

    def remove(self, ids: np.ndarray) -> None:
        """Remove the vectors of these ids (missing ids are ignored)."""
        if len(ids):
            self._index.remove_ids(ids.astype(np.int64))

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (ids, cosines) for one normalised query vector."""
        k = min(k, self.size)
        if k == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        # One question is too little work for FAISS's OpenMP team: waking it cost more than it saved
        # (100k chunks: 22 ms with two threads, 7 ms with one). The setting holds for the calling
        # thread only, and searches come from several, so it is set on each call (it is cheap).
        self._faiss.omp_set_num_threads(1)
        scores, ids = self._index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def save(self, path: Path) -> None:
        """Write the index to a file."""
        import faiss

        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> "DenseIndex":
        """Read an index written by `save`."""
        import faiss

        index = faiss.read_index(str(path))
        return cls(index.d, index)
