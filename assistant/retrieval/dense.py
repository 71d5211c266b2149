"""Dense vectors of chunks in FAISS: inner product over L2-normalised vectors.

Small and mid-sized knowledge bases (the core guides, BOKJIRO's 3.7k chunks, every evaluation) use an
exact scan, `IndexIDMap2(IndexFlatIP)`. An exact scan grows with the corpus: one question against 100k
x 384 floats took 7 ms on a quiet day here and 14-16 ms on a slow one, half the 30 ms budget of a
search. From `APPROXIMATE_FROM` vectors on, the index therefore turns into an inverted-file index
(`IndexIVFFlat`): k-means cells over the vectors, and a question compares itself with the vectors of
the `nlist / 8` closest cells only. On a 100k-chunk corpus built as `benchmarks/retrieval.py` builds
it, that took 3.0 ms instead of 14.3 and returned all of the exact top 10 and 99.2 % of the exact
top 300; `make bench` measures this on every run (`dense_recall_vs_exact`).

Both kinds keep stable chunk ids (`add_with_ids` / `remove_ids`), so one guide's chunks can be
removed and re-added without touching the others. HNSW was the other candidate: as fast, but FAISS
cannot remove a vector from it, and a staff edit must replace a guide's chunks in place.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

# Below this many vectors the exact scan costs a few milliseconds and loses nothing.
APPROXIMATE_FROM = 50_000
# Cells searched per question, as a share of all cells: 1/8 kept the exact top 10 at 100k chunks.
PROBE_SHARE = 8
# k-means passes when the cells are trained; 10 instead of FAISS's 25 takes a third of the time
# at 100k vectors for cells that serve just as well (training is part of a rebuild, not a search).
KMEANS_PASSES = 10


def cell_count(vectors: int) -> int:
    """Cells for an inverted file over this many vectors: about 4 x sqrt(n), as a power of two
    between 256 and 4096 (FAISS's own guidance; 1024 at 100k vectors)."""
    wanted = 4 * math.sqrt(max(vectors, 1))
    return int(min(4096, max(256, 2 ** round(math.log2(wanted)))))


class DenseIndex:
    """FAISS index of chunk vectors keyed by chunk id: exact while small, inverted-file when large."""

    def __init__(self, dim: int, index: object | None = None, approximate_from: int | None = None) -> None:
        import faiss

        self._faiss = faiss
        self.dim = dim
        self.approximate_from = APPROXIMATE_FROM if approximate_from is None else approximate_from
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    @property
    def size(self) -> int:
        """Number of vectors."""
        return int(self._index.ntotal)

    @property
    def approximate(self) -> bool:
        """True once the index is an inverted file (see the module doc)."""
        return isinstance(self._index, self._faiss.IndexIVF)

    def describe(self) -> str:
        """The index kind in FAISS's factory words, for reports: "Flat" or "IVF1024,Flat (nprobe 128)"."""
        if self.approximate:
            return f"IVF{self._index.nlist},Flat (nprobe {self._index.nprobe})"
        return "Flat"

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors (rows L2-normalised) under the given int64 ids."""
        if not len(ids):
            return
        self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
        if self._needs_new_cells():
            self._rebuild_cells()

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

    def contents(self) -> tuple[np.ndarray, np.ndarray]:
        """All (ids, vectors), in no particular order: to re-cell the index, or to check it against
        an exact scan (the benchmark does)."""
        from faiss.contrib.inspect_tools import get_flat_data, get_invlist

        if self.approximate:
            cells = [get_invlist(self._index.invlists, cell) for cell in range(self._index.nlist)]
            ids = np.concatenate([cell_ids for cell_ids, _ in cells])
            codes = np.concatenate([cell_codes for _, cell_codes in cells])
            return ids, codes.view(np.float32).reshape(-1, self.dim)
        flat = self._faiss.downcast_index(self._index.index)
        return self._faiss.vector_to_array(self._index.id_map).astype(np.int64), get_flat_data(flat)

    def _needs_new_cells(self) -> bool:
        if self.size < self.approximate_from:
            return False
        # Cells trained on far fewer vectors than the index now holds get crowded: re-cell once the
        # corpus would call for twice as many.
        return not self.approximate or cell_count(self.size) >= 2 * self._index.nlist

    def _rebuild_cells(self) -> None:
        """Train inverted-file cells on every vector and move the vectors into them."""
        faiss = self._faiss
        ids, vectors = self.contents()
        nlist = cell_count(len(ids))
        ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(self.dim), self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.cp.niter = KMEANS_PASSES
        ivf.cp.seed = 1234  # the same corpus gets the same cells, so rebuilds are reproducible
        ivf.train(vectors)
        ivf.add_with_ids(vectors, ids)
        ivf.nprobe = max(1, nlist // PROBE_SHARE)
        self._index = ivf

    def save(self, path: Path) -> None:
        """Write the index to a file."""
        import faiss

        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> "DenseIndex":
        """Read an index written by `save` (FAISS keeps an inverted file's nprobe in the file)."""
        import faiss

        index = faiss.read_index(str(path))
        return cls(index.d, index)
