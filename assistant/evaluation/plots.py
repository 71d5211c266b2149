"""Plots of the evaluation report (matplotlib, headless): confusion matrix, per-intent F1, recall@k.

matplotlib is imported inside each function: importing it costs a second and most commands never plot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # no display on servers and in CI
    import matplotlib.pyplot as plt

    return plt


def confusion_matrix_png(pairs: Sequence[tuple[str, str]], out: Path) -> Path:
    """Row-normalised intent confusion matrix from (gold, predicted) pairs."""
    import numpy as np

    plt = _pyplot()
    labels = sorted({g for g, _ in pairs} | {p for _, p in pairs})
    position = {label: i for i, label in enumerate(labels)}
    counts = np.zeros((len(labels), len(labels)))
    for gold, predicted in pairs:
        counts[position[gold], position[predicted]] += 1
    rates = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    size = max(6.0, 0.45 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(rates, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    for i in range(len(labels)):
        for j in range(len(labels)):
            if counts[i, j]:
                ax.text(j, i, int(counts[i, j]), ha="center", va="center", fontsize=6,
                        color="white" if rates[i, j] > 0.5 else "black")
    ax.set_title("Intent confusion (cross-validation test folds)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def per_intent_f1_png(per_pipeline: Mapping[str, Mapping[str, float]], out: Path) -> Path:
    """Grouped horizontal bars: F1 per intent, one bar per pipeline."""
    plt = _pyplot()
    intents = sorted({i for scores in per_pipeline.values() for i in scores})
    fig, ax = plt.subplots(figsize=(8, max(3.0, 0.35 * len(intents) + 1)))
    height = 0.8 / max(len(per_pipeline), 1)
    for n, (name, scores) in enumerate(per_pipeline.items()):
        ax.barh([i + n * height for i in range(len(intents))], [scores.get(x, 0.0) for x in intents],
                height=height, label=name)
    ax.set_yticks([i + height * (len(per_pipeline) - 1) / 2 for i in range(len(intents))], intents, fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1")
    ax.invert_yaxis()
    ax.legend(loc="lower right")
    ax.set_title("Per-intent F1")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def recall_curve_png(curves: Mapping[str, Sequence[float]], out: Path) -> Path:
    """recall@k against k, one line per retrieval mode (or model)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, values in curves.items():
        ax.plot(range(1, len(values) + 1), values, marker="o", label=name)
    ax.set_xlabel("k")
    ax.set_ylabel("recall@k (right service in the top k)")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title("Retrieval recall@k")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
