"""`assistant evaluate ...`: measure retrieval and NLU."""

from __future__ import annotations

from pathlib import Path

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
    table = Table(title=f"Retrieval on {questions.name} ({len(cases)} questions, {index.service_count} services)")
    for column in ("mode", "recall@1", "recall@5", "MRR@10"):
        table.add_column(column)
    for mode, metrics in results.items():
        table.add_row(mode, f"{metrics.recall_at_1:.3f}", f"{metrics.recall_at_5:.3f}", f"{metrics.mrr_at_10:.3f}")
    Console().print(table)


@app.command("split-questions")
def split_questions(
    questions: Path = typer.Argument(..., help="CSV with question and service (or service_id) columns."),
    out: Path = typer.Option(..., "--out", help="Folder for tune.csv and heldout.csv."),
    holdout: float = typer.Option(0.5, "--holdout", min=0.05, max=0.95, help="Share held out per service."),
    seed: int = typer.Option(13, "--seed", help="Random seed (same seed, same split)."),
) -> None:
    """Split labelled questions per service: tune on one part, report on the part kept out."""
    from assistant.evaluation.retrieval import read_rows, split_rows, write_rows

    rows = read_rows(questions)
    label = "service_id" if rows and "service_id" in rows[0] else "service"
    if not rows or label not in rows[0] or "question" not in rows[0]:
        typer.secho(f"{questions}: needs 'question' and 'service' (or 'service_id') columns", fg="red", err=True)
        raise typer.Exit(2)
    tune, held = split_rows(rows, label, holdout, seed)
    write_rows(tune, out / "tune.csv")
    write_rows(held, out / "heldout.csv")
    typer.echo(f"{len(tune)} tuning and {len(held)} held-out questions written to {out}")
