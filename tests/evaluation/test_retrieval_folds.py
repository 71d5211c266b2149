"""Cross-fitting the retrieval evaluation: folds of labelled questions, and figures pooled over them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.evaluation.retrieval import (
    RetrievalMetrics,
    fold_rows,
    load_results,
    pooled,
    read_rows,
    save_results,
    write_rows,
)


def labelled(counts: dict[str, int]) -> list[dict[str, str]]:
    return [{"question": f"{service} 질문 {i}", "service": service} for service, n in counts.items() for i in range(n)]


def test_folds_are_disjoint_balanced_and_spread_each_service() -> None:
    rows = labelled({"출생신고": 5, "혼인신고": 3, "전입신고": 1, "여권": 4})
    parts = fold_rows(rows, "service", folds=3, seed=7)
    sizes = sorted(len(p) for p in parts)
    assert sizes[-1] - sizes[0] <= 1
    questions = [r["question"] for p in parts for r in p]
    assert sorted(questions) == sorted(r["question"] for r in rows)
    # A service with at least as many questions as folds has one in every fold.
    for service in ("출생신고", "혼인신고", "여권"):
        assert all(any(r["service"] == service for r in p) for p in parts)
    assert fold_rows(rows, "service", folds=3, seed=7) == parts
    assert fold_rows(rows, "service", folds=3, seed=8) != parts


def test_fewer_than_two_folds_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2 folds"):
        fold_rows(labelled({"여권": 2}), "service", folds=1)


def test_pooled_figures_weigh_each_run_by_its_questions() -> None:
    small = RetrievalMetrics(1.0, 1.0, 1.0, 1)
    large = RetrievalMetrics(0.5, 0.75, 0.6, 3)
    both = pooled([small, large])
    assert both.count == 4
    assert both.recall_at_1 == pytest.approx((1.0 + 1.5) / 4)
    assert both.recall_at_5 == pytest.approx((1.0 + 2.25) / 4)
    assert both.mrr_at_10 == pytest.approx((1.0 + 1.8) / 4)


def test_split_questions_writes_folds_each_tuned_on_the_rest_and_the_extra_questions(tmp_path: Path) -> None:
    write_rows(labelled({"출생신고": 4, "여권": 3, "혼인신고": 2}), tmp_path / "heldout.csv")
    write_rows(labelled({"사망신고": 2}), tmp_path / "tune.csv")
    out = tmp_path / "folds"
    result = CliRunner().invoke(app, ["evaluate", "split-questions", str(tmp_path / "heldout.csv"), "--out", str(out),
                                      "--folds", "3", "--also-tune", str(tmp_path / "tune.csv")])
    assert result.exit_code == 0, result.output
    held_out: list[str] = []
    for number in (1, 2, 3):
        held = [r["question"] for r in read_rows(out / f"fold-{number}" / "heldout.csv")]
        tune = [r["question"] for r in read_rows(out / f"fold-{number}" / "tune.csv")]
        assert not set(held) & set(tune)
        assert len(held) + len(tune) == 9 + 2
        assert {"사망신고 질문 0", "사망신고 질문 1"} <= set(tune)
        held_out += held
    assert sorted(held_out) == sorted(r["question"] for r in read_rows(tmp_path / "heldout.csv"))


def test_also_tune_without_folds_is_refused(tmp_path: Path) -> None:
    write_rows(labelled({"여권": 2}), tmp_path / "q.csv")
    result = CliRunner().invoke(app, ["evaluate", "split-questions", str(tmp_path / "q.csv"), "--out",
                                      str(tmp_path / "out"), "--also-tune", str(tmp_path / "q.csv")])
    assert result.exit_code == 2
    assert "--also-tune goes with --folds" in result.output
    assert not (tmp_path / "out").exists()


def test_pool_command_prints_the_pooled_figures_and_names_a_foreign_file(tmp_path: Path) -> None:
    for name, figures in (("a", RetrievalMetrics(0.8, 0.9, 0.85, 100)), ("b", RetrievalMetrics(0.9, 1.0, 0.95, 300))):
        save_results(tmp_path / f"{name}.json", {"hybrid": figures, "bm25": RetrievalMetrics(0.5, 0.6, 0.55, figures.count)},
                     questions=Path("q.csv"), kb=Path("kb"), model=None)
    assert load_results(tmp_path / "a.json")["hybrid"] == RetrievalMetrics(0.8, 0.9, 0.85, 100)
    result = CliRunner().invoke(app, ["evaluate", "pool", str(tmp_path / "a.json"), str(tmp_path / "b.json")])
    assert result.exit_code == 0, result.output
    assert "400 questions" in result.output
    hybrid = next(line for line in result.output.splitlines() if "hybrid" in line)
    assert "0.875" in hybrid and "0.975" in hybrid and "0.925" in hybrid

    (tmp_path / "c.json").write_text(json.dumps({"not": "figures"}), encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", "pool", str(tmp_path / "a.json"), str(tmp_path / "c.json")])
    assert result.exit_code == 2
    assert "not a file written by `assistant evaluate retrieval --save`" in " ".join(result.output.split())


def test_evaluate_retrieval_saves_what_pool_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.settings import get_settings
    from tests.conftest import REPO_ROOT

    # BM25 alone (no embedding model) keeps this quick; the dense modes are covered in tests/retrieval.
    # An empty setting means no model, as "none" does (it used to crash loading a model from "").
    monkeypatch.setenv("ASSISTANT_EMBEDDING_MODEL", "")
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    get_settings.cache_clear()
    try:
        questions = REPO_ROOT / "tests" / "data" / "retrieval" / "core_questions_a.csv"
        result = CliRunner().invoke(app, ["evaluate", "retrieval", "--kb", str(REPO_ROOT / "knowledge_base"),
                                          "--questions", str(questions), "--save", str(tmp_path / "run.json")])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "dense" not in result.output
    saved = load_results(tmp_path / "run.json")
    assert set(saved) == {"hybrid", "bm25"}
    assert saved["bm25"].count == len(read_rows(questions))
    assert 0.5 < saved["bm25"].recall_at_5 <= 1.0
