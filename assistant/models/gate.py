"""The quality gate of `activate`: refuse a model clearly worse than the active one.

Intent macro-F1 (NLU cross-validation) judges a Rasa model, recall@5 (retrieval evaluation on the
same questions) judges an index. A figure missing on either side cannot be compared and does not
refuse: the report says so instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.models.registry import Artefact

# The figure that decides, per kind.
GATED_METRIC = {"rasa": "macro_f1", "index": "recall_at_5"}
DEFAULT_MARGIN = 0.02


@dataclass(frozen=True)
class GateResult:
    """Outcome of comparing one candidate with the active artefact of its kind."""

    kind: str
    metric: str
    candidate: float | None
    active: float | None
    margin: float

    @property
    def refused(self) -> bool:
        """True when both figures exist and the candidate falls more than `margin` below."""
        if self.candidate is None or self.active is None:
            return False
        return self.candidate < self.active - self.margin

    def describe(self) -> str:
        """One line for the CLI and the admin endpoint."""
        if self.candidate is None or self.active is None:
            missing = "candidate" if self.candidate is None else "active model"
            return f"{self.kind}: {self.metric} of the {missing} unknown; not compared"
        verdict = "REFUSED" if self.refused else "ok"
        return (
            f"{self.kind}: {self.metric} {self.candidate:.3f} vs active {self.active:.3f} "
            f"(margin {self.margin:.3f}) {verdict}"
        )


def check(candidate: Artefact, active: Artefact | None, margin: float = DEFAULT_MARGIN) -> GateResult | None:
    """Compare `candidate` with `active` on its kind's metric; None for kinds without a gate."""
    metric = GATED_METRIC.get(candidate.kind)
    if metric is None:
        return None
    if active is not None and active.version == candidate.version:
        active = None  # re-activating the same artefact is never a regression
    return GateResult(
        kind=candidate.kind,
        metric=metric,
        candidate=candidate.metrics.get(metric),
        active=active.metrics.get(metric) if active is not None else None,
        margin=margin,
    )
