"""`evaluate all --quick`: what the quick plan cuts down, and that the runner is asked for one split."""

from __future__ import annotations

from pathlib import Path

from assistant.evaluation.full import QUICK_EPOCHS, QUICK_HOLDOUT, EvaluationPlan
from assistant.evaluation.nlu import NluEvaluationRequest, runner_command
from assistant.settings import Settings
from tests.conftest import REPO_ROOT


def test_the_quick_plan_uses_one_split_no_baseline_and_the_core_guide_questions(tmp_path: Path) -> None:
    plan = EvaluationPlan.quick_plan(tmp_path, REPO_ROOT)
    assert plan.quick and plan.holdout == QUICK_HOLDOUT and plan.epochs == QUICK_EPOCHS and not plan.baseline
    assert [p.name for p in plan.questions] == ["core_questions_a.csv", "core_questions_b.csv"]
    assert all(p.exists() for p in plan.questions)
    # The report lists every reduction in words.
    assert any("80/20" in line or "held out" in line for line in plan.reduced)
    assert any("baseline" in line for line in plan.reduced) and any("core-guide" in line for line in plan.reduced)
    # A training job that built only the index: the report lists only what concerns the retrieval.
    index_only = EvaluationPlan.quick_plan(tmp_path, REPO_ROOT, stories=False, chats=False, nlu=False)
    assert not index_only.nlu and index_only.retrieval
    assert not any(line.startswith(("NLU", "Chat")) for line in index_only.reduced)


def test_the_runner_gets_the_holdout_share_and_the_epochs(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path)
    request = NluEvaluationRequest(data=tmp_path / "nlu", out=tmp_path / "out", config=tmp_path / "config.yml",
                                   baseline=None, folds=1, epochs=QUICK_EPOCHS, holdout=QUICK_HOLDOUT)
    command = runner_command(settings, request)
    assert command[command.index("--holdout") + 1] == str(QUICK_HOLDOUT)
    assert command[command.index("--epochs") + 1] == str(QUICK_EPOCHS)
    assert "--baseline" not in command
    full = runner_command(settings, NluEvaluationRequest(data=tmp_path, out=tmp_path, config=tmp_path, folds=5))
    assert "--holdout" not in full and full[full.index("--folds") + 1] == "5"
