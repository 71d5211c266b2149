"""`assistant evaluate ...`: measure retrieval and NLU."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from assistant.settings import get_settings

app = typer.Typer(help="Measure the models.", no_args_is_help=True)


@app.command("retrieval")
def retrieval(
    kb: Path = typer.Option(None, "--kb", help="Knowledge-base folder (default: knowledge_base/)."),
    questions: Path = typer.Option(..., "--questions", help="CSV with question and service (or service_id) columns."),
    lang: str = typer.Option("ko", "--lang", help="Language of the snippets (does not affect ranking)."),
    save: Path = typer.Option(
        None, "--save", help="Also write the figures to this JSON file (for `assistant evaluate pool`)."
    ),
) -> None:
    """recall@1, recall@5 and MRR@10 for hybrid, BM25 alone and dense alone, in one run."""
    from assistant.cli.kb import build_index, index_dir_for
    from assistant.evaluation.retrieval import evaluate_modes, read_questions

    settings = get_settings()
    console = Console(stderr=True)
    folder = kb or settings.knowledge_base_dir
    index = build_index(settings, folder, index_dir_for(settings, folder), console)
    cases = read_questions(questions, index)
    modes = ["hybrid", "bm25"] + (["dense"] if index.model_id else [])
    results = evaluate_modes(index, cases, modes, lang=lang)
    Console().print(_metrics_table(
        f"Retrieval on {questions.name} ({len(cases)} questions, {index.service_count} services)", results))
    if save is not None:
        from assistant.evaluation.retrieval import save_results

        save_results(save, results, questions=questions, kb=folder, model=index.model_id)
        console.print(f"Figures written to {save}")


def _metrics_table(title: str, results: dict[str, Any]) -> Table:
    table = Table(title=title)
    for column in ("mode", "recall@1", "recall@5", "MRR@10"):
        table.add_column(column)
    for mode, metrics in results.items():
        table.add_row(mode, f"{metrics.recall_at_1:.3f}", f"{metrics.recall_at_5:.3f}", f"{metrics.mrr_at_10:.3f}")
    return table


@app.command("pool")
def pool(
    files: list[Path] = typer.Argument(..., help="JSON files written by `assistant evaluate retrieval --save`."),
) -> None:
    """Pool the figures of disjoint question sets (e.g. cross-fitted folds), weighted by their size."""
    from assistant.evaluation.retrieval import load_results, pooled

    try:
        runs = [load_results(f) for f in files]
    except (OSError, ValueError) as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(2) from exc
    modes = [m for m in runs[0] if all(m in run for run in runs)]
    results = {mode: pooled([run[mode] for run in runs]) for mode in modes}
    count = next(iter(results.values())).count if results else 0
    Console().print(_metrics_table(f"Pooled over {len(files)} runs ({count} questions)", results))


@app.command("split-questions")
def split_questions(
    questions: Path = typer.Argument(..., help="CSV with question and service (or service_id) columns."),
    out: Path = typer.Option(..., "--out", help="Folder for tune.csv and heldout.csv."),
    holdout: float = typer.Option(0.5, "--holdout", min=0.05, max=0.95, help="Share held out per service."),
    seed: int = typer.Option(13, "--seed", help="Random seed (same seed, same split)."),
    folds: int = typer.Option(
        None, "--folds", min=2, max=20,
        help="Instead of one split, K folds: DIR/fold-i/heldout.csv is fold i, DIR/fold-i/tune.csv the others.",
    ),
    also_tune: Path = typer.Option(
        None, "--also-tune", exists=True, dir_okay=False, readable=True,
        help="With --folds: questions added to every fold's tune.csv (e.g. the tuning half).",
    ),
) -> None:
    """Split labelled questions per service: tune on one part, report on the part kept out."""
    from assistant.evaluation.retrieval import fold_rows, read_rows, split_rows, write_rows

    rows = read_rows(questions)
    label = "service_id" if rows and "service_id" in rows[0] else "service"
    if not rows or label not in rows[0] or "question" not in rows[0]:
        typer.secho(f"{questions}: needs 'question' and 'service' (or 'service_id') columns", fg="red", err=True)
        raise typer.Exit(2)
    if folds is not None:
        extra = read_rows(also_tune) if also_tune is not None else []
        if extra and (label not in extra[0] or "question" not in extra[0]):
            typer.secho(f"{also_tune}: needs the same columns as {questions}", fg="red", err=True)
            raise typer.Exit(2)
        parts = fold_rows(rows, label, folds, seed)
        for number, part in enumerate(parts, start=1):
            others = [row for j, other in enumerate(parts, start=1) if j != number for row in other]
            write_rows(extra + others, out / f"fold-{number}" / "tune.csv")
            write_rows(part, out / f"fold-{number}" / "heldout.csv")
        sizes = ", ".join(str(len(p)) for p in parts)
        typer.echo(f"{folds} folds of {sizes} held-out questions (each tuned on the rest"
                   f"{f' and {len(extra)} more' if extra else ''}) written to {out}")
        return
    if also_tune is not None:
        typer.secho("--also-tune goes with --folds", fg="red", err=True)
        raise typer.Exit(2)
    tune, held = split_rows(rows, label, holdout, seed)
    write_rows(tune, out / "tune.csv")
    write_rows(held, out / "heldout.csv")
    typer.echo(f"{len(tune)} tuning and {len(held)} held-out questions written to {out}")


@app.command("nlu")
def nlu(
    folds: int = typer.Option(5, "--folds", min=2, help="Number of cross-validation folds."),
    seed: int = typer.Option(42, "--seed", help="Seed of the fold split (same seed, same folds)."),
    out: Path = typer.Option(None, "--out", help="Folder for the reports (default: reports/nlu)."),
    epochs: int = typer.Option(None, "--epochs", min=1, help="DIETClassifier epochs (default: the configs' own)."),
    data: Path = typer.Option(None, "--data", help="NLU data file or folder (default: nlu_data/nlu)."),
    baseline: bool = typer.Option(
        True, "--baseline/--no-baseline", help="Also cross-validate the stock Rasa pipeline on the same folds."
    ),
) -> None:
    """k-fold cross-validation of config.yml's NLU pipeline, side by side with the stock pipeline."""
    from rich.markup import escape
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from assistant.evaluation.nlu import STOCK_CONFIG, NluEvaluationFailed, NluEvaluationRequest, evaluate_nlu
    from assistant.rasa_runtime.environment import RasaEnvironmentMissing

    settings = get_settings()
    console = Console(stderr=True)
    request = NluEvaluationRequest(
        data=(data or settings.root_dir / "nlu_data" / "nlu").resolve(),
        out=(out or settings.root_dir / "reports" / "nlu").resolve(),
        config=settings.root_dir / "config.yml",
        baseline=STOCK_CONFIG if baseline else None,
        folds=folds,
        seed=seed,
        epochs=epochs,
    )
    if not request.data.exists():
        typer.secho(f"{request.data}: no such NLU data", fg="red", err=True)
        raise typer.Exit(2)
    pipelines = "config.yml and the stock pipeline" if baseline else "config.yml"
    columns = (SpinnerColumn(), TimeElapsedColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"Cross-validating {pipelines} ({folds} folds)…", total=None)

        def show(line: str) -> None:
            # Runner lines start with "[project]" and epoch bars hold "[02:10<...]": not markup.
            progress.update(task, description=f"Cross-validating {pipelines}… [dim]{escape(line[:100])}[/dim]")

        try:
            result = evaluate_nlu(settings, request, on_line=show)
        except (NluEvaluationFailed, RasaEnvironmentMissing) as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
    console.print(f"Cross-validation finished in {result.seconds:.0f} s; reports in {request.out}")
    print_nlu_summary(result.summary)


def print_nlu_summary(summary: dict[str, Any]) -> None:
    """The overview, per-intent and per-entity tables of a summary.json, pipelines side by side."""
    from assistant.evaluation.nlu_summary import entity_rows, headline_rows, intent_rows

    console = Console()
    names = list(summary["pipelines"])
    same = "same folds" if summary["identical_folds"] else "[red]folds differ![/red]"
    overview = Table(title=f"NLU cross-validation: {summary['folds']} folds, seed {summary['seed']}, {same}")
    for column in ("metric", *names):
        overview.add_column(column, justify="left" if column == "metric" else "right")
    for label, cells in headline_rows(summary):
        overview.add_row(label, *cells)
    console.print(overview)
    for title, first, rows in (
        ("Intents (support)", "intent", intent_rows(summary)),
        ("Entities (support)", "extractor: entity", entity_rows(summary)),
    ):
        if not rows:
            continue
        table = Table(title=title)
        table.add_column(first)
        for name in names:
            for metric in ("P", "R", "F1"):
                table.add_column(f"{name} {metric}", justify="right")
        for label, cells in rows:
            table.add_row(label, *cells)
        console.print(table)
    for name, pipeline in summary["pipelines"].items():
        files = pipeline["files"]
        console.print(
            f"[bold]{name}[/bold]: confusion matrix {files['intent_confusion_matrix']}, "
            f"misclassified examples {files['intent_errors']}"
        )
    duplicates = summary.get("data_issues", {}).get("texts_under_several_intents", [])
    if duplicates:
        console.print(f"[yellow]{len(duplicates)} text(s) appear under several intents; see summary.md[/yellow]")


@app.command("all")
def evaluate_all(
    out: Path = typer.Option(None, "--out", help="Report folder (default: reports/evaluation)."),
    questions: Path = typer.Option(None, "--questions", help="Labelled retrieval questions (default: the core-guide set)."),
    quick: bool = typer.Option(
        False, "--quick",
        help="A few minutes: NLU on one 80/20 split (fewer DIET epochs if the pipeline has DIET), no baseline, core-guide questions; "
             "figures not recorded.",
    ),
    folds: int = typer.Option(5, "--folds", min=2),
    epochs: int = typer.Option(None, "--epochs", min=1, help="DIETClassifier epochs (default: the config's own)."),
    baseline: bool = typer.Option(True, "--baseline/--no-baseline", help="Also cross-validate the stock pipeline."),
    stories: bool = typer.Option(True, "--stories/--no-stories", help="Run the Rasa test stories."),
    chats: bool = typer.Option(True, "--chats/--no-chats", help="Play the /api/chat scripts if the service runs."),
) -> None:
    """NLU cross-validation, retrieval and conversation tests in one run; an HTML report with plots and
    a side-by-side comparison with the active models."""
    from rich.markup import escape
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from dataclasses import replace

    from assistant.evaluation.full import EvaluationPlan, run_all
    from assistant.models.artefacts import DEFAULT_EVAL_QUESTIONS

    settings = get_settings()
    console = Console(stderr=True)
    folder = (out or settings.root_dir / "reports" / "evaluation").resolve()
    labelled = questions or settings.root_dir / DEFAULT_EVAL_QUESTIONS
    if quick:
        plan = EvaluationPlan.quick_plan(folder, settings.root_dir, stories, chats)
        if questions is not None:
            plan = replace(plan, questions=(questions,))
        for line in plan.reduced:
            console.print(f"[dim]quick run · {escape(line)}[/dim]")
    else:
        plan = EvaluationPlan(folder, (labelled,), folds, epochs, baseline, stories, chats)
    with Progress(SpinnerColumn(), TimeElapsedColumn(), TextColumn("{task.description}"), console=console,
                  transient=True) as progress:
        task = progress.add_task("Evaluating…", total=None)
        report, results = run_all(settings, plan, lambda line: progress.update(task, description=escape(line)))
    table = Table(title="This run against the active models")
    for column in ("figure", "this run", "active", "change"):
        table.add_column(column)
    for row in results["comparison"]:
        cells = [f"{v:.3f}" if v is not None else "—" for v in (row["candidate"], row["active"], row["delta"])]
        table.add_row(f"{row['kind']} {row['metric']}", *cells)
    Console().print(table)
    for part in ("nlu", "retrieval", "stories", "chats"):
        if results[part].get("skipped"):
            console.print(f"[yellow]{part} skipped: {results[part]['skipped']}[/yellow]")
    if "failed" in results["stories"]:
        console.print(f"Test stories: {results['stories']['stories'] - results['stories']['failed']}"
                      f"/{results['stories']['stories']} pass")
    if "results" in results["chats"]:
        passed = sum(c["passed"] for c in results["chats"]["results"])
        console.print(f"Chat scripts: {passed}/{len(results['chats']['results'])} pass")
    console.print(f"Report: {report} ({results['seconds']:.0f} s)")
