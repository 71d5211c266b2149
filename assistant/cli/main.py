"""The `assistant` command: serve, train, evaluate, kb (import, index, search, validate)."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import typer

from assistant.cli import kb, evaluate, models
from assistant.cli import staff as staff_cli

app = typer.Typer(
    help="Korean-first government-service assistant: run it, train it, curate its knowledge base.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(kb.app, name="kb")
app.add_typer(evaluate.app, name="evaluate")
app.add_typer(staff_cli.app, name="staff")
app.add_typer(models.app, name="models")


@app.command()
def serve(
    rasa_replicas: int = typer.Option(
        None, "--rasa-replicas", min=1, max=16,
        help="Rasa replicas on consecutive ports from ASSISTANT_RASA_PORT (default 1, or ASSISTANT_RASA_REPLICAS).",
    ),
    workers: int = typer.Option(
        None, "--workers", min=1, max=64, help="Service worker processes (default 1, or ASSISTANT_WORKERS).",
    ),
) -> None:
    """Start Rasa and the assistant service together; prints the URL when ready. Ctrl-C stops both."""
    from assistant.serve import NoModelError, run
    from assistant.settings import get_settings
    from assistant.web.actions_loader import ActionsLoadError

    settings = get_settings()
    overrides = {k: v for k, v in (("rasa_replicas", rasa_replicas), ("workers", workers)) if v is not None}
    settings = settings.model_copy(update=overrides)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Every health poll would be an INFO line otherwise; bm25s and faiss's loader chat at start-up.
    for noisy in ("httpx", "bm25s", "faiss.loader"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        run(settings)
    except (NoModelError, ActionsLoadError) as exc:
        typer.secho(f"Cannot start: {exc}", fg="red", err=True)
        raise typer.Exit(2) from exc


@app.command()
def train(
    force: bool = typer.Option(False, "--force", help="Retrain even when nothing changed."),
    rasa: bool = typer.Option(True, "--rasa/--no-rasa", help="Train the Rasa model."),
    index: bool = typer.Option(True, "--index/--no-index", help="Build or update the retrieval index."),
    fine_tune_questions: Path = typer.Option(
        None, "--fine-tune-questions",
        help="CSV of labelled questions: also fine-tune the embedding model on them and the guides' FAQs.",
    ),
    eval_questions: Path = typer.Option(
        None, "--eval-questions", help="Labelled questions that score each index (default: the core-guide set)."
    ),
    epochs: int = typer.Option(1, "--epochs", min=1, max=20, help="Fine-tuning epochs."),
    activate: bool = typer.Option(
        True, "--activate/--no-activate",
        help="Make what was built active when the quality gate allows (the first model of a kind always).",
    ),
    evaluate_to: Path = typer.Option(
        None, "--evaluate-to",
        help="Then run a quick evaluation of what was trained (NLU and stories for Rasa, retrieval for the "
             "index) and write its HTML report into this folder.",
    ),
) -> None:
    """Train what changed (Rasa model, knowledge index, optionally a fine-tuned embedding model) and
    register each artefact in the model registry with its fingerprint and figures."""
    from rich.console import Console

    from assistant.models.artefacts import DEFAULT_EVAL_QUESTIONS
    from assistant.models.registry import ModelRegistry
    from assistant.settings import get_settings

    console = Console(stderr=True)
    settings = get_settings()
    registry = ModelRegistry.for_var_dir(settings.var_dir)
    eval_questions = eval_questions or settings.root_dir / DEFAULT_EVAL_QUESTIONS
    built: list[str] = []
    # Only artefacts new to the registry are activated: re-running `train` (as `make run` does)
    # must not undo an activation or a rollback done since.
    known = {a.version for a in registry.artefacts()}
    started = time.monotonic()
    steps = [name for name, wanted in (("Rasa model", rasa), ("index", index),
                                       ("fine-tuned embedding model", fine_tune_questions is not None),
                                       ("quick evaluation", evaluate_to is not None)) if wanted]

    def step(name: str) -> None:
        # Plain lines a training job's status turns into a progress bar (see assistant.models.jobs).
        console.print(f"[step {steps.index(name) + 1}/{len(steps)}] {name}", markup=False, highlight=False)

    loaded_index = None  # the index `_train_index` built, reused by the evaluation
    if rasa:
        step("Rasa model")
        built.append(_train_rasa(settings, force, console, registry))
    if index:
        step("index")
        version, loaded_index = _train_index(settings, force, console, registry, eval_questions)
        built.append(version)
    if fine_tune_questions is not None:
        step("fine-tuned embedding model")
        built.append(_train_fine_tuned(settings, console, registry, fine_tune_questions, eval_questions, epochs))
    console.print(f"Training finished in {time.monotonic() - started:.0f} s.")
    if activate:
        _activate_built(registry, settings, [v for v in built if v not in known], console)
    if evaluate_to is not None:
        step("quick evaluation")
        _evaluate_built(settings, evaluate_to, rasa, index or fine_tune_questions is not None, console,
                        loaded_index if fine_tune_questions is None else None)


def _evaluate_built(settings, out: Path, rasa: bool, index: bool, console, loaded_index=None) -> None:  # type: ignore[no-untyped-def]
    """The quick evaluation of the parts just trained (a training job's report)."""
    from assistant.evaluation.full import EvaluationPlan, run_all

    plan = EvaluationPlan.quick_plan(out.resolve(), settings.root_dir, stories=rasa, chats=False, nlu=rasa,
                                     retrieval=index)
    report, results = run_all(settings, plan, lambda line: console.print(f"  {line}", markup=False, highlight=False),
                              index=loaded_index)
    console.print(f"Evaluation report: {report} ({results['seconds']:.0f} s)")


def _activate_built(registry, settings, versions: list[str], console) -> None:  # type: ignore[no-untyped-def]
    from assistant.models.rollout import ActivationRefused, plan_activation

    for version in versions:
        try:
            plan = plan_activation(registry, version, force=False, margin=settings.activate_margin)
        except ActivationRefused as exc:
            console.print(f"[yellow]{version} registered but not activated: {exc}[/yellow]")
            continue
        before = registry.active()
        active = registry.set_active(plan.versions, f"train {version}")
        if active != before:
            console.print(f"Active now: {version} (loads at the next `assistant serve`, or `assistant models activate`)")


def _train_index(settings, force: bool, console, registry, eval_questions: Path):  # type: ignore[no-untyped-def]
    """Build or find the index; returns its version and the loaded index (None when it was up to date)."""
    from assistant.models.artefacts import index_fingerprint, index_metrics, register_embedding, snapshot_index
    from assistant.retrieval.builder import index_is_current

    fingerprint = index_fingerprint(settings, settings.embedding_model)
    known = registry.find_by_fingerprint("index", fingerprint)
    if not force and known is not None and index_is_current(settings, settings.knowledge_base_dir, settings.index_dir):
        console.print(f"Index up to date: {known.version}")
        return known.version, None
    built = kb.build_index(settings, settings.knowledge_base_dir, settings.index_dir, console)
    embedding = None
    if built.embedder is not None:
        embedding = register_embedding(registry, settings.embedding_model, "configured model").version
    with console.status("Scoring the index on labelled questions…"):
        metrics = index_metrics(built, eval_questions)
    artefact = snapshot_index(registry, settings, settings.index_dir, fingerprint, embedding, metrics)
    console.print(f"Index registered: {artefact.version} {_figures(artefact.metrics)}")
    return artefact.version, built


def _train_fine_tuned(settings, console, registry, questions: Path, eval_questions: Path, epochs: int) -> str:  # type: ignore[no-untyped-def]
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from assistant.models.artefacts import (
        faq_questions, fine_tuned_folder, index_fingerprint, index_metrics, labelled_questions,
        register_embedding, snapshot_index,
    )
    from assistant.retrieval.embedder import resolve_model_path
    from assistant.retrieval.finetune import FineTuneSettings, fine_tune, mine_triplets

    base_index = kb.build_index(settings, settings.knowledge_base_dir, settings.index_dir, console)
    if base_index.embedder is None:
        console.print("[red]Fine-tuning needs an embedding model; ASSISTANT_EMBEDDING_MODEL is 'none'.[/red]")
        raise typer.Exit(2)
    try:
        labels = faq_questions(base_index, settings.knowledge_base_dir) + labelled_questions(base_index, questions)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    base = resolve_model_path(settings.embedding_model, settings.model_cache_dir)
    recipe = FineTuneSettings(epochs=epochs)
    folder = fine_tuned_folder(settings, labels, f"{base}|{index_fingerprint(settings, settings.embedding_model)}", recipe)
    if (folder / "modules.json").exists():
        console.print(f"Fine-tuned model up to date: {folder}")
        notes = "fine-tuned (reused)"
    else:
        with console.status(f"Mining training pairs for {len(labels)} questions…"):
            triplets = mine_triplets(base_index, labels, recipe.negatives_per_question)
        with Progress(TextColumn("Fine-tuning the embedding model"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as bar:
            task = bar.add_task("train", total=None)
            result = fine_tune(base, triplets, folder, recipe,
                               progress=lambda step, total: bar.update(task, completed=step, total=total))
        console.print(f"Fine-tuned on {result.triplets} triplets, {result.steps} steps in {result.seconds:.0f} s")
        notes = f"fine-tuned on {result.triplets} triplets ({questions.name} + FAQs), {result.seconds:.0f} s"
    embedding = register_embedding(registry, str(folder), notes)
    tuned = settings.model_copy(update={"embedding_model": str(folder)})
    build_dir = settings.var_dir / "indexes" / f"index-{embedding.version}"
    ft_index = kb.build_index(tuned, settings.knowledge_base_dir, build_dir, console)
    metrics = index_metrics(ft_index, eval_questions)
    artefact = snapshot_index(registry, tuned, build_dir, index_fingerprint(settings, str(folder)),
                              embedding.version, metrics)
    console.print(f"Index with the fine-tuned model registered: {artefact.version} {_figures(artefact.metrics)}")
    return artefact.version


def _figures(metrics: dict[str, float]) -> str:
    return " ".join(f"{k}={v:.3f}" for k, v in sorted(metrics.items())) or "(no evaluation questions)"


def _train_rasa(settings, force: bool, console, registry) -> str:  # type: ignore[no-untyped-def]
    from assistant.models.artefacts import rasa_artefact
    from assistant.rasa_runtime.environment import RasaEnvironmentMissing
    from assistant.rasa_runtime.training import TrainingFailed, train as train_rasa

    if not console.is_terminal:
        # No spinner without a terminal (CI logs): say what the next minutes are spent on.
        console.print("Training the Rasa model if its inputs changed (a few minutes on 2 cores)…")
    with console.status("Training the Rasa model (real `rasa train`, a few minutes on 2 cores)…") as status:
        def show(line: str) -> None:
            if line.strip():
                status.update(f"Training the Rasa model… [dim]{line.strip()[:100]}[/dim]")

        try:
            result = train_rasa(settings, force=force, on_line=show)
        except (TrainingFailed, RasaEnvironmentMissing) as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
    if result.trained:
        console.print(f"Rasa model trained in {result.seconds:.0f} s: {result.model_path.name}")
    else:
        console.print(f"Rasa model up to date: {result.model_path.name}")
    known = registry.find_by_fingerprint("rasa", result.fingerprint)
    if known is None or result.trained:
        # Figures from an earlier evaluation of the same inputs stay with the model.
        known = registry.register(rasa_artefact(result, known.metrics if known else None))
    return known.version


def main() -> None:
    """Console-script entry point."""
    app(prog_name="assistant")


if __name__ == "__main__":
    sys.exit(main())
