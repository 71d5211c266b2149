"""Deciding what an activation or a rollback puts live: which artefacts, and whether the gate allows it.

Used by the CLI (`assistant models ...`) and by the service's admin endpoint; the service applies
the result with `assistant.models.hotswap`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.models.gate import DEFAULT_MARGIN, GateResult, check
from assistant.models.registry import Artefact, ModelRegistry, RegistryError


class ActivationRefused(RegistryError):
    """The candidate is worse than the active model by more than the margin (use force)."""

    def __init__(self, results: list[GateResult]) -> None:
        self.results = results
        lines = "; ".join(r.describe() for r in results if r.refused)
        super().__init__(f"activation refused: {lines}. Use --force to activate anyway.")


@dataclass(frozen=True)
class SwapTarget:
    """What the service loads: a Rasa model file and/or an index folder with its embedding model."""

    rasa_model: str | None = None
    index_dir: str | None = None
    embedding_model: str | None = None

    @property
    def empty(self) -> bool:
        """Nothing to load."""
        return self.rasa_model is None and self.index_dir is None


@dataclass(frozen=True)
class ActivationPlan:
    """Versions that become active and the files the service must load for them."""

    versions: dict[str, str]
    target: SwapTarget
    gate: list[GateResult] = field(default_factory=list)


def _index_target(registry: ModelRegistry, index: Artefact) -> tuple[dict[str, str], SwapTarget]:
    """An index always goes live together with the embedding model that made its vectors."""
    versions = {"index": index.version}
    embedding_path: str | None = None
    if index.embedding:
        embedding = registry.get(index.embedding)
        versions["embedding"] = embedding.version
        embedding_path = embedding.path
    return versions, SwapTarget(index_dir=index.path, embedding_model=embedding_path)


def plan_activation(
    registry: ModelRegistry, version: str, force: bool = False, margin: float = DEFAULT_MARGIN
) -> ActivationPlan:
    """What activating `version` means.

    An embedding model is activated through the newest index built with it (queries and passages
    must come from the same model).

    Raises:
        RegistryError: unknown version, or an embedding model no index was built with.
        ActivationRefused: the gate refused and `force` is false.
    """
    artefact = registry.get(version)
    if artefact.kind == "embedding":
        indexes = [a for a in registry.artefacts("index") if a.embedding == artefact.version]
        if not indexes:
            raise RegistryError(
                f"no index was built with {version}: run `assistant train` with that embedding model first"
            )
        artefact = indexes[-1]
    if artefact.kind == "rasa":
        versions, target = {"rasa": artefact.version}, SwapTarget(rasa_model=artefact.path)
    else:
        versions, target = _index_target(registry, artefact)
    result = check(artefact, registry.active_artefact(artefact.kind), margin)
    gate = [result] if result is not None else []
    if not force and any(r.refused for r in gate):
        raise ActivationRefused(gate)
    return ActivationPlan(versions, target, gate)


def plan_state(
    registry: ModelRegistry, state: dict[str, str], current: dict[str, str] | None = None
) -> ActivationPlan:
    """The plan that restores an earlier active state (rollback; no gate: it was live before).

    Args:
        current: the active state now; artefacts it already has live are not loaded again
            (reloading a Rasa model stalls Rasa for tens of seconds for nothing).
    """
    current = current or {}
    rasa_version = state.get("rasa")
    reload_rasa = rasa_version is not None and rasa_version != current.get("rasa")
    rasa_model = registry.get(rasa_version).path if reload_rasa else None
    versions: dict[str, str] = {"rasa": rasa_version} if rasa_version else {}
    target = SwapTarget(rasa_model=rasa_model)
    if state.get("index") and state.get("index") != current.get("index"):
        index_versions, index_target = _index_target(registry, registry.get(state["index"]))
        versions.update(index_versions)
        target = SwapTarget(rasa_model, index_target.index_dir, index_target.embedding_model)
    return ActivationPlan({**versions, **state}, target)


def plan_rollback(registry: ModelRegistry) -> ActivationPlan:
    """The plan back to the previous active pair.

    Raises:
        RegistryError: nothing was active before.
    """
    return plan_state(registry, registry.previous_active(), registry.active())
