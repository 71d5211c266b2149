"""Grouping similar questions: one pass of leader clustering over unit vectors.

Each question joins the most similar existing group when the cosine to that group's centroid is at
least the threshold, else starts a group. With the e5 embedder, paraphrases sit close together; without
it, character 2-3-gram vectors (spaces removed, so Korean spacing variants match) stand in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

Encoder = Callable[[Sequence[str]], np.ndarray]
# Both thresholds were chosen on tests/staff/seeded_misses.py (200 wordings of 10 topics): e5 at 0.90 gives
# 12 groups, all pure (0.88 already merges topics); n-grams at 0.30 give 27 pure groups.
EMBEDDING_THRESHOLD = 0.9
NGRAM_THRESHOLD = 0.3


@dataclass
class Group:
    """Indices of the grouped texts; the first is the representative."""

    members: list[int] = field(default_factory=list)
    centroid: np.ndarray | None = None


def ngram_vectors(texts: Sequence[str], dims: int = 4096) -> np.ndarray:
    """Hashed character 2-3-gram counts, L2-normalised (stable across runs: no Python hash)."""
    import zlib

    vectors = np.zeros((len(texts), dims), dtype=np.float32)
    for row, text in enumerate(texts):
        compact = "".join(text.lower().split())
        grams = Counter(compact[i:i + n] for n in (2, 3) for i in range(len(compact) - n + 1))
        for gram, count in grams.items():
            vectors[row, zlib.crc32(gram.encode()) % dims] += count
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)


def group_texts(texts: Sequence[str], encoder: Encoder | None = None, threshold: float | None = None) -> list[list[int]]:
    """Groups of indices into `texts`, largest first.

    Args:
        texts: the questions (masked).
        encoder: maps texts to L2-normalised vectors (the retrieval embedder); None: character n-grams.
        threshold: minimum cosine to join a group; defaults to the one calibrated for the encoder.
    """
    if not texts:
        return []
    vectors = encoder(texts) if encoder is not None else ngram_vectors(texts)
    if threshold is None:
        threshold = EMBEDDING_THRESHOLD if encoder is not None else NGRAM_THRESHOLD
    groups: list[Group] = []
    centroids = np.zeros((0, vectors.shape[1]), dtype=np.float32)
    for i, vector in enumerate(vectors):
        if len(groups):
            sims = centroids @ vector
            best = int(np.argmax(sims))
            if sims[best] >= threshold:
                group = groups[best]
                group.members.append(i)
                total = vectors[group.members].sum(axis=0)
                centroids[best] = total / max(float(np.linalg.norm(total)), 1e-9)
                continue
        groups.append(Group([i]))
        centroids = np.vstack([centroids, vector[None, :]])
    return sorted((g.members for g in groups), key=len, reverse=True)
