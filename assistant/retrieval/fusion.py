"""Fusing lexical and dense evidence into one service ranking."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import get_args, get_type_hints

log = logging.getLogger(__name__)
# Written next to a fine-tuned model: the fusion weights measured for that model.
FUSION_FILE = "fusion.json"


@dataclass(frozen=True)
class FusionWeights:
    """Score fusion at service level: dense cosine plus a share of normalised BM25.

    Measured on the held-out half of the welfare questions (485 BOKJIRO services): plain
    reciprocal-rank fusion (k=60, equal weights) ranked below dense alone (recall@1 0.749 vs 0.789),
    because BM25's ranks count as much as dense's although BM25 is much weaker here; adding
    0.02 x BM25/max(BM25) to the dense cosine gave 0.790 / 0.939 / 0.854 (recall@1, @5, MRR@10),
    above dense alone on every figure. BM25 still decides between services whose cosines are
    nearly equal, which is where names, numbers and rare terms matter.

    The right share depends on the model: the packaged e5's cosines are bunched (0.83-0.94), a
    fine-tuned model's spread wider, so BM25 needs a larger share to count. A fine-tuned model
    therefore carries its own weights in `fusion.json` (see `for_model`; `finetune.py` writes it).
    With the model tuned on the welfare tuning half and those questions attached to their guides,
    the held-out half went from 0.811 / 0.952 / 0.870 (share 0.02) to 0.810 / 0.964 / 0.875 (0.2).
    Measured and not kept (cross-validation inside the tuning half, all within +-0.01 of plain max
    at 0.2): max plus a share of a service's 2nd/3rd best chunk, a nearest-tuning-question vote,
    hubness correction of chunk cosines, z-score normalisation, BM25 k1/b, BM25 over whole guides.
    """

    lexical: float = 0.02
    dense_depth: int = 300
    # Cosine given to a service dense search did not return (below every returned cosine).
    dense_floor: float = 0.70
    # How questions citizens asked before (attached to a guide, chunk section "question…") count.
    # None: as ordinary chunks, so a service scores its best guide section or asked question,
    # whichever is closer. A number: as a channel of their own, added with that weight to the best
    # guide section. Measured for the tuned model inside the welfare tuning half (tuned on 431
    # questions, those attached, 575 others measured): as ordinary chunks 0.805 / 0.941 / 0.865;
    # added with weight 0.2 (BM25 share 0.2) 0.821 / 0.946 / 0.875. A close asked question of a
    # look-alike service no longer outranks the service whose own text fits, while a service
    # that was asked about in these words still gains.
    asked_weight: float | None = None
    # Share of normalised BM25 over pairs of adjacent content morphemes in the guide sections
    # (asked questions left out; `lexical.term_pairs`), a second lexical channel: of two services
    # that share a question's terms, the one that also has its phrases ("발급 수수료", "청년
    # 월세") gains. 0 leaves it out (and its index is never built). It is a property of the corpus
    # as much as of the model, so it is off unless a model's `fusion.json` sets it
    # (`assistant kb fine-tune --pairs-share`). Measured with the packaged e5: inside the welfare
    # tuning half (431 questions attached, 575 measured) 0 / 0.01 / 0.02 / 0.03 / 0.05 gave
    # recall@1 0.770 / 0.790 / 0.805 / 0.802 / 0.777; but on the core guides (64 questions) 0.02
    # was level (one Korean and one English question each way) and put "등본 발급 수수료
    # 얼마예요?" on the ID card, whose fees section has the pair 발급_수수료, above the
    # certificate, whose fees text says "등본·초본 발급". Short guides have too few phrases for it.
    pairs: float = 0.0

    @classmethod
    def for_model(cls, model_id: str | None) -> "FusionWeights":
        """The weights measured for `model_id`: its folder's `fusion.json` if it has one, else defaults.

        Unknown keys in the file are ignored (a newer writer), an unreadable file is logged and
        the defaults are used, so a damaged file never stops the service.
        """
        if not model_id:
            return cls()
        path = Path(model_id) / FUSION_FILE
        if not path.is_file():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            # Weights written before the pairs channel existed were measured without it.
            data.setdefault("pairs", 0.0)
            known = {f.name for f in fields(cls)}
            return replace(cls(), **{k: _coerce(k, v) for k, v in data.items() if k in known})
        except (OSError, ValueError, TypeError) as exc:
            log.warning("ignoring %s: %s", path, exc)
            return cls()

    def write(self, model_dir: Path) -> Path:
        """Store these weights next to a model so `for_model` finds them; returns the file."""
        path = model_dir / FUSION_FILE
        path.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")
        return path


def _coerce(name: str, value: object) -> object:
    """A value read from `fusion.json` as the field's declared type; None only where the field allows it."""
    declared = get_type_hints(FusionWeights)[name]
    options = get_args(declared) or (declared,)
    kinds = [kind for kind in options if kind is not type(None)]
    if value is None and len(kinds) < len(options):
        return None
    return kinds[0](value)


def fuse_service_scores(
    lexical: dict[str, float],
    dense: dict[str, float],
    weights: FusionWeights,
    asked: dict[str, float] | None = None,
    pairs: dict[str, float] | None = None,
) -> list[tuple[str, float]]:
    """Services ordered by fused score; each input maps service id -> its best chunk's score.

    `dense` holds the best guide-section cosines and `asked` the best asked-question cosines
    when `weights.asked_weight` keeps them apart (see `FusionWeights`); a service missing from
    either gets the floor there. `pairs` holds BM25 scores over morpheme pairs, added with
    `weights.pairs` as the morpheme BM25 is. Without dense scores (lexical-only index or mode)
    the BM25 order is kept as it is.
    """
    asked = asked or {}
    pairs = pairs or {}
    if not dense and not asked:
        return sorted(lexical.items(), key=lambda kv: kv[1], reverse=True)
    top_lexical = max(lexical.values(), default=0.0) or 1.0
    top_pairs = max(pairs.values(), default=0.0) or 1.0
    floor = min(weights.dense_floor, *dense.values(), *asked.values())
    asked_weight = weights.asked_weight or 0.0
    fused = {
        service_id: dense.get(service_id, floor)
        + asked_weight * asked.get(service_id, floor)
        + weights.lexical * lexical.get(service_id, 0.0) / top_lexical
        + weights.pairs * pairs.get(service_id, 0.0) / top_pairs
        for service_id in set(lexical) | set(dense) | set(asked) | set(pairs)
    }
    return sorted(fused.items(), key=lambda kv: kv[1], reverse=True)
