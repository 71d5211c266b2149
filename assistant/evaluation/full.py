"""`assistant evaluate all`: NLU cross-validation, retrieval, conversation tests, one HTML report.

Each part reports through `say(line)`; a part that cannot run (no `.venv-rasa`, no service) is
recorded as skipped with the reason, so the report always says what was and was not measured.
The figures are also written into the model registry on the artefacts they belong to (the Rasa model
of the current training inputs, the index of the current knowledge base), which is what
`assistant models activate` compares.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.settings import Settings

Say = Callable[[str], None]


# `--quick`: one NLU training on a held-out split (and fewer epochs for a pipeline with DIET).
QUICK_HOLDOUT = 0.2
QUICK_EPOCHS = 20
# Rasa's per-example prediction, not the training, dominated the old quick run: test a sample.
QUICK_TEST_PER_INTENT = 10
# The project's own core-guide questions (two sets of 32, written for the default knowledge base).
CORE_QUESTIONS = (Path("tests/data/retrieval/core_questions_a.csv"), Path("tests/data/retrieval/core_questions_b.csv"))


@dataclass(frozen=True)
class EvaluationPlan:
    """What `evaluate all` runs; `quick` is for tests and a first look.

    Attributes:
        questions: labelled retrieval question CSVs (their questions are pooled).
        holdout: NLU on one stratified split holding out this share, instead of `folds` folds.
        reduced: what a quick run left out or cut down, in words, for the report.
    """

    out: Path
    questions: tuple[Path, ...]
    folds: int = 5
    epochs: int | None = None
    baseline: bool = True
    stories: bool = True
    chats: bool = True
    quick: bool = False
    holdout: float | None = None
    holdout_cap: int | None = None
    reduced: tuple[str, ...] = ()
    nlu: bool = True
    retrieval: bool = True

    @classmethod
    def quick_plan(cls, out: Path, root: Path, stories: bool = True, chats: bool = True, nlu: bool = True,
                   retrieval: bool = True) -> "EvaluationPlan":
        """A few minutes instead of tens: every part asked for runs, the expensive ones cut down (and
        the report says how)."""
        reduced: list[str] = []
        if nlu:
            reduced += [f"NLU: one stratified split ({QUICK_HOLDOUT:.0%} of each intent held out, at most "
                        f"{QUICK_TEST_PER_INTENT} per intent tested, one training) instead of k-fold "
                        f"cross-validation; a DIETClassifier, where the pipeline has one, trained {QUICK_EPOCHS} epochs",
                        "NLU: no stock-pipeline baseline"]
        if retrieval:
            reduced.append("Retrieval: the project's core-guide questions only (tests/data/retrieval/core_questions_*.csv)")
        if chats:
            reduced.append("Chat scripts: only when a service is running")
        reduced.append("Figures are not recorded in the model registry (too rough to gate on)")
        return cls(out, tuple(root / q for q in CORE_QUESTIONS), folds=1, epochs=QUICK_EPOCHS, baseline=False,
                   stories=stories, chats=chats, quick=True, holdout=QUICK_HOLDOUT,
                   holdout_cap=QUICK_TEST_PER_INTENT, reduced=tuple(reduced),
                   nlu=nlu, retrieval=retrieval)


def _nlu(settings: Settings, plan: EvaluationPlan, say: Say) -> dict[str, Any]:
    from assistant.evaluation.nlu import STOCK_CONFIG, NluEvaluationRequest, evaluate_nlu

    request = NluEvaluationRequest(
        data=settings.root_dir / "nlu_data" / "nlu", out=plan.out / "nlu", config=settings.root_dir / "config.yml",
        baseline=STOCK_CONFIG if plan.baseline else None, folds=plan.folds, epochs=plan.epochs,
        holdout=plan.holdout, holdout_cap=plan.holdout_cap,
    )
    result = evaluate_nlu(settings, request, on_line=lambda line: say(f"NLU: {line[:90]}"))
    pipelines = {
        name: {k: p["intent"].get(k) for k in ("macro_f1", "accuracy", "weighted_f1")}
        for name, p in result.summary["pipelines"].items()
    }
    per_intent = {
        name: {intent: scores["f1"] for intent, scores in p["intent"]["per_intent"].items()}
        for name, p in result.summary["pipelines"].items()
    }
    return {"folds": plan.folds, "holdout": plan.holdout, "holdout_cap": plan.holdout_cap, "epochs": plan.epochs,
            "seconds": result.seconds,
            "pipelines": pipelines, "examples": result.summary.get("examples", {}).get("total"),
            "per_intent": per_intent, "summary_md": str(request.out / "summary.md"),
            "project_dir": str(request.out / "project")}


def _intent_pairs(project_dir: Path) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = project_dir / name
        if path.exists():
            for row in json.loads(path.read_text(encoding="utf-8")):
                pairs.append((row["intent"], (row.get("intent_prediction") or {}).get("name") or "None"))
    return pairs


def _retrieval(settings: Settings, plan: EvaluationPlan, index: Any = None) -> tuple[dict[str, Any], Any]:
    from assistant.evaluation.retrieval import evaluate_modes, read_questions
    from assistant.evaluation.retrieval_curve import recall_curve
    from assistant.retrieval.builder import ensure_index, make_embedder

    if index is None:
        embedder = make_embedder(settings)
        index, _ = ensure_index(settings, embedder.load() if embedder is not None else None)
    cases = [case for path in plan.questions for case in read_questions(path, index)]
    modes = ["hybrid", "bm25"] + (["dense"] if index.model_id else [])
    metrics = evaluate_modes(index, cases, modes)
    return {
        "questions": ", ".join(p.name for p in plan.questions), "count": len(cases), "services": index.service_count,
        "modes": {mode: asdict(m) for mode, m in metrics.items()},
        "curve": recall_curve(index, cases, modes),
    }, index


def run_all(settings: Settings, plan: EvaluationPlan, say: Say, index: Any = None) -> tuple[Path, dict[str, Any]]:
    """Run every part, draw the plots, write the report; returns its path and the results.

    Args:
        index: the knowledge index already loaded (a training run just built it); else loaded here.
    """
    from assistant.evaluation import plots
    from assistant.evaluation.report import comparison_rows, render
    from assistant.models.artefacts import index_fingerprint
    from assistant.models.registry import ModelRegistry
    from assistant.rasa_runtime.fingerprint import rasa_fingerprint
    from assistant.rasa_runtime.training import current_model

    plan.out.mkdir(parents=True, exist_ok=True)
    registry = ModelRegistry.for_var_dir(settings.var_dir)
    started = time.monotonic()
    model = current_model(settings)
    results: dict[str, Any] = {
        "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(), "quick": plan.quick,
        "reduced": list(plan.reduced), "margin": settings.activate_margin, "plots": {}, "part_seconds": {},
        # Only what this run measures is named (a training job may evaluate the index alone).
        "candidate": {"rasa": model.name if model and (plan.nlu or plan.stories) else None,
                      "index": f"index-{index_fingerprint(settings, settings.embedding_model)}" if plan.retrieval else None},
    }

    part = time.monotonic()
    results["nlu"] = {"skipped": "not requested (only the index was trained)"}
    if plan.nlu:
        say("NLU on a held-out split…" if plan.holdout else "NLU cross-validation…")
        try:
            results["nlu"] = _nlu(settings, plan, say)
            per_intent = results["nlu"]["per_intent"]
            results["plots"]["per_intent_f1"] = plots.per_intent_f1_png(
                per_intent, plan.out / "per_intent_f1.png").name
            pairs = _intent_pairs(Path(results["nlu"]["project_dir"]))
            if pairs:
                results["plots"]["confusion"] = plots.confusion_matrix_png(pairs, plan.out / "confusion.png").name
        except Exception as exc:  # noqa: BLE001 - the other parts still run; the report names the reason
            results["nlu"] = {"skipped": str(exc)}
    results["part_seconds"]["nlu"] = round(time.monotonic() - part, 1)

    part = time.monotonic()
    results["retrieval"] = {"skipped": "not requested (only the Rasa model was trained)"}
    if plan.retrieval:
        say("Retrieval evaluation…")
        try:
            results["retrieval"], _ = _retrieval(settings, plan, index)
            results["plots"]["recall_curve"] = plots.recall_curve_png(
                results["retrieval"]["curve"], plan.out / "recall_curve.png").name
        except Exception as exc:  # noqa: BLE001
            results["retrieval"] = {"skipped": str(exc)}
    results["part_seconds"]["retrieval"] = round(time.monotonic() - part, 1)

    part = time.monotonic()
    results["stories"] = {"skipped": "not requested"} if not plan.stories else {}
    if plan.stories:
        say("Rasa test stories (rasa test core)…")
        try:
            from assistant.evaluation.conversations import run_test_stories

            if model is None:
                raise RuntimeError("no trained Rasa model: run `assistant train`")
            story = run_test_stories(settings, model, settings.root_dir / "tests" / "stories", plan.out / "stories")
            results["stories"] = {**asdict(story), "log_path": str(story.log_path)}
        except Exception as exc:  # noqa: BLE001
            results["stories"] = {"skipped": str(exc)}
    results["part_seconds"]["stories"] = round(time.monotonic() - part, 1)

    part = time.monotonic()
    results["chats"] = {"skipped": "not requested"}
    if plan.chats:
        say("End-to-end chat scripts…")
        results["chats"] = _chats(settings)
    results["part_seconds"]["chats"] = round(time.monotonic() - part, 1)

    figures: dict[str, dict[str, float | None]] = {}
    project = (results["nlu"].get("pipelines") or {}).get("project")
    if project:
        figures["rasa"] = {"macro_f1": project["macro_f1"]}
    if "modes" in results["retrieval"]:
        hybrid = results["retrieval"]["modes"]["hybrid"]
        figures["index"] = {k: hybrid[k] for k in ("recall_at_1", "recall_at_5", "mrr_at_10")}
    active = {}
    for kind in ("rasa", "index"):
        artefact = registry.active_artefact(kind)
        if artefact is not None:
            active[kind] = (artefact.version, artefact.metrics)
    results["comparison"] = comparison_rows(figures, active)
    if not plan.quick:
        _record(registry, settings, figures, rasa_fingerprint(settings))
    results["seconds"] = time.monotonic() - started
    return render(results, plan.out), results


def _chats(settings: Settings) -> dict[str, Any]:
    """The /api/chat scripts against the service on `settings.port`, or why they were skipped."""
    import httpx

    from assistant.evaluation.conversations import run_chat_scripts

    url = f"http://127.0.0.1:{settings.port}"
    try:
        # A quick look first: a service still starting (503) would fail every turn.
        ready = httpx.get(f"{url}/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        ready = False
    if not ready:
        return {"skipped": f"no ready service at {url} (start it with `assistant serve`)"}
    try:
        return {"url": url, "results": [asdict(c) for c in run_chat_scripts(url)]}
    except httpx.ConnectError:
        return {"skipped": f"the service at {url} went away during the scripts"}


def _record(registry: Any, settings: Settings, figures: dict[str, dict[str, float | None]], rasa_fp: str) -> None:
    """Store the figures on the registered artefacts they measure (quick runs are too rough to keep)."""
    from assistant.models.artefacts import index_fingerprint

    targets = {"rasa": registry.find_by_fingerprint("rasa", rasa_fp),
               "index": registry.find_by_fingerprint("index", index_fingerprint(settings, settings.embedding_model))}
    for kind, metrics in figures.items():
        artefact = targets.get(kind)
        clean = {k: v for k, v in metrics.items() if v is not None}
        if artefact is not None and clean:
            registry.update_metrics(artefact.version, clean)
