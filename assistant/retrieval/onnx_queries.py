"""Question embeddings through ONNX Runtime: the same model and vectors, in a third of the time.

A citizen's question is one short sentence. For it, PyTorch spends most of its time dispatching
operators: about 23 ms per question on this 2-core machine with multilingual-e5-small, most of
the 30 ms search budget. ONNX Runtime runs the same graph in about 7 ms. Guide sections (batches,
where PyTorch is nearly as fast) and fine-tuning stay with sentence-transformers.

sentence-transformers has an ONNX backend, but it needs `optimum-onnx`, which pins transformers
below 4.58 (this project uses 5.23). So the encoder is exported here with `torch.onnx`, once per
model, into the model cache. Before it is used, it must reproduce sentence-transformers' own
vectors on probe sentences; a model it cannot reproduce (another pooling, another architecture)
keeps the PyTorch path.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.model_identity import weights_fingerprint

log = logging.getLogger(__name__)

# Korean, English, mixed, very short and over-long text: what citizens type, and what truncation sees.
PROBES = (
    "query: 아기가 태어났는데 출생신고는 어디서 하나요?",
    "query: How do I get a copy of my resident registration?",
    "query: 기초연금",
    "query: 실업급여 받으려면 워크넷 구직등록부터 해야 하나요? " * 12,
)
# Cosine below which the exported graph is not trusted to stand in for sentence-transformers.
AGREEMENT = 0.9999
# Exported graphs kept in the cache (each is the size of its model): models in service and the
# last few tried. Fine-tuning runs and tests leave new ones behind; older ones are deleted.
KEEP_GRAPHS = 4


def supports(model: Any) -> bool:
    """Whether `model` is a plain text encoder this module can export: a transformer, mean pooling
    over every token (prompt included), and optionally L2 normalisation."""
    modules = [type(m).__name__ for m in model]
    if modules[:2] != ["Transformer", "Pooling"] or any(m != "Normalize" for m in modules[2:]):
        return False
    pooling = model[1].get_config_dict()
    return pooling.get("pooling_mode") == "mean" and pooling.get("include_prompt", True) is not False


def export_key(model_path: str, model: Any) -> str:
    """A name for the exported graph that changes when the model's weights, its length limit or
    the exporting libraries change (a stale graph must never answer for a new model)."""
    import torch
    import transformers

    parts = [str(Path(model_path).resolve()), str(model.max_seq_length), torch.__version__, transformers.__version__,
             weights_fingerprint(model_path) or ""]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    return f"{Path(model_path).name or 'model'}-{digest}"


class OnnxQueryEncoder:
    """Encodes questions with ONNX Runtime, tokenised by the sentence-transformers model itself."""

    def __init__(self, model: Any, graph: Path) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = min(2, os.cpu_count() or 1)
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        # No busy-waiting between and after runs: on two cores shared with Rasa a spinning pool takes
        # CPU the dialogue needs (the reason for OMP_WAIT_POLICY=PASSIVE too). Costs ~2 ms a question
        # here (p50 5.8 -> 7.8 ms).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._model = model
        self._session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.graph = graph

    @classmethod
    def prepare(cls, model: Any, model_path: str, cache_dir: Path) -> "OnnxQueryEncoder | None":
        """The encoder for `model`, exporting its graph on first use; None when it cannot stand in.

        A cached graph that fails to load or to agree is exported again once.
        """
        if not supports(model):
            log.info("query engine: %s is not a mean-pooled text encoder; PyTorch answers", model_path)
            return None
        graph = cache_dir / f"{export_key(model_path, model)}.onnx"
        for attempt in ("cached", "fresh"):
            if attempt == "fresh" or not graph.is_file():
                export_graph(model, graph)
                prune_graphs(cache_dir, keep=KEEP_GRAPHS)
            else:
                graph.touch()  # recently used: pruning goes by modification time
            try:
                encoder = cls(model, graph)
            except Exception as exc:  # onnxruntime raises its own types for a damaged file
                log.warning("query engine: cannot load %s (%s)", graph, exc)
                continue
            agreement = encoder.agreement()
            if agreement >= AGREEMENT:
                return encoder
            log.warning("query engine: ONNX graph agrees at cosine %.5f only (%s)", agreement, graph)
        graph.unlink(missing_ok=True)
        return None

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised vectors of already prefixed texts, one row each."""
        features = self._model.preprocess(texts)
        mask = features["attention_mask"].numpy().astype(np.int64)
        (hidden,) = self._session.run(
            None, {"input_ids": features["input_ids"].numpy().astype(np.int64), "attention_mask": mask}
        )
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def agreement(self) -> float:
        """Lowest cosine between this engine's and sentence-transformers' vectors of the probes,
        one at a time and as a padded batch."""
        reference = self._model.encode(
            list(PROBES), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        single = np.vstack([self.encode([probe]) for probe in PROBES])
        batch = self.encode(list(PROBES))
        return float(min(np.sum(single * reference, axis=1).min(), np.sum(batch * reference, axis=1).min()))


def prune_graphs(cache_dir: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` most recently used graphs in `cache_dir`; returns what went.

    A graph another process is using stays readable to it: ONNX Runtime has already read it.
    """
    graphs = sorted(cache_dir.glob("*.onnx"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    gone = graphs[keep:]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def export_graph(model: Any, graph: Path) -> Path:
    """Write the model's transformer as an ONNX graph (input ids and mask -> token states).

    Exported with eager attention: the fused attention kernel traces its mask for the example's
    shape, and the graph then disagrees on other lengths. Written to a temporary name and renamed,
    so a crash never leaves half a graph under the real name.
    """
    import warnings

    import torch

    encoder = model[0].auto_model
    previous = encoder.config._attn_implementation

    class TokenStates(torch.nn.Module):
        """The encoder with plain tensor inputs and output, as the exporter wants it."""

        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    example = model.preprocess([PROBES[0], PROBES[2]])
    graph.parent.mkdir(parents=True, exist_ok=True)
    partial = graph.with_name(f".{graph.name}.{os.getpid()}.partial")
    encoder.set_attn_implementation("eager")
    try:
        with torch.inference_mode(), warnings.catch_warnings():
            # The tracer warns about every Python branch on a shape; the agreement check is what counts.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                TokenStates(encoder).eval(),
                (example["input_ids"], example["attention_mask"]),
                str(partial),
                input_names=["input_ids", "attention_mask"],
                output_names=["token_states"],
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in ("input_ids", "attention_mask", "token_states")},
                opset_version=17,
                dynamo=False,
            )
        partial.replace(graph)
    finally:
        encoder.set_attn_implementation(previous)
        partial.unlink(missing_ok=True)
    return graph
