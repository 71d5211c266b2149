"""What an index is stamped with so that it is rebuilt whenever its embedding model changes.

A hub id or the packaged e5 names fixed weights. A local folder does not: `assistant kb fine-tune
--out DIR` can write new weights into the same folder, and the same folder can be named by a relative
or an absolute path. A folder is therefore identified by its resolved path and by the size and
modification time of its weight files (cheap: nothing is read, so loading stays fast).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

WEIGHT_PATTERNS = ("*.safetensors", "*.bin")


def weights_fingerprint(model: str | None) -> str | None:
    """A digest of a model folder's weight files (names, sizes, modification times); None for an id
    that is not a local folder."""
    if not model or not Path(model).is_dir():
        return None
    folder = Path(model)
    parts = []
    for pattern in WEIGHT_PATTERNS:
        for weights in sorted(folder.glob(pattern)):
            stat = weights.stat()
            parts.append(f"{weights.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def canonical_model(model: str | None) -> str | None:
    """`model` with a local folder written as its absolute path, so that "var/models/x" and
    "/repo/var/models/x" are the same model."""
    if model and Path(model).is_dir():
        return str(Path(model).resolve())
    return model


def same_model(manifest: dict[str, Any], model: str | None) -> bool:
    """Whether an index manifest was written for `model` as it is on disk now."""
    return canonical_model(manifest.get("embedding_model")) == canonical_model(model) and manifest.get(
        "embedding_weights"
    ) == weights_fingerprint(model)
