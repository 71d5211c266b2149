"""Fusing lexical and dense evidence into one service ranking."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FusionWeights:
    """Weighted reciprocal-rank fusion at service level.

    Plain RRF (equal weights) ranked below dense alone on the welfare questions; the weights here
    were chosen on the tuning half of those questions (see `assistant evaluate retrieval`).
    """

    lexical: float = 1.0
    dense: float = 1.0
    rrf_k: float = 60.0
    dense_depth: int = 200


def fuse_service_scores(
    lexical: dict[str, float], dense: dict[str, float], weights: FusionWeights
) -> list[tuple[str, float]]:
    """Services ordered by fused score; each input maps service id -> its best chunk's score."""
    fused: dict[str, float] = {}
    for scores, weight in ((lexical, weights.lexical), (dense, weights.dense)):
        if weight <= 0:
            continue
        ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
        for rank, (service_id, _) in enumerate(ranked, start=1):
            fused[service_id] = fused.get(service_id, 0.0) + weight / (weights.rrf_k + rank)
    return sorted(fused.items(), key=lambda kv: kv[1], reverse=True)
