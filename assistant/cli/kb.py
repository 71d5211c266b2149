"""`assistant kb ...`: validate guides, build the index, search it, import open data."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.retrieval.finetune import FineTuneSettings
from assistant.settings import Settings, get_settings

app = typer.Typer(help="Knowledge base: validate, index, search, import.", no_args_is_help=True)


def index_dir_for(settings: Settings, kb_dir: Path) -> Path:
    """Where the index of a knowledge-base folder lives (the default folder uses `var/index`)."""
    if kb_dir.resolve() == settings.knowledge_base_dir.resolve():
        return settings.index_dir
    digest = hashlib.sha256(str(kb_dir.resolve()).encode()).hexdigest()[:12]
    return settings.var_dir / "indexes" / f"{kb_dir.name}-{digest}"


def build_index(settings: Settings, kb_dir: Path, index_dir: Path, console: Console):  # type: ignore[no-untyped-def]
    """Build or update the index of `kb_dir` with a progress bar; returns the loaded index."""
    from assistant.knowledge.loader import GuideValidationError
    from assistant.retrieval.builder import ensure_index, make_embedder

    embedder = make_embedder(settings)
    if embedder is not None:
        with console.status(f"Loading embedding model {settings.embedding_model}…"):
            embedder.load()
    with Progress(
        TextColumn("Embedding guide sections"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    ) as bar:
        task = bar.add_task("embed", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            index, report = ensure_index(settings, embedder, kb_dir, index_dir, progress=progress)
        except GuideValidationError as exc:
            console.print(f"[red]Invalid guides:[/red]\n{exc}")
            raise typer.Exit(1) from exc
    console.print(
        f"Index {report.action}: {report.services} services, {report.chunks} chunks "
        f"({', '.join(f'{k} {v}' for k, v in report.stats.items())}) in {index_dir}"
    )
    return index


@app.command("validate")
def validate(kb: Path = typer.Option(None, "--kb", help="Knowledge-base folder (default: knowledge_base/).")) -> None:
    """Check every guide file; errors name the file, the field and the reason."""
    from assistant.knowledge.loader import GuideValidationError, load_guides

    settings = get_settings()
    folder = kb or settings.knowledge_base_dir
    try:
        guides = load_guides(folder)
    except GuideValidationError as exc:
        for name, reason in exc.problems:
            typer.secho(f"{name}: {reason}", fg="red", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{len(guides)} guides valid in {folder}")


@app.command("index")
def index(kb: Path = typer.Option(None, "--kb", help="Knowledge-base folder (default: knowledge_base/).")) -> None:
    """Build the retrieval index, or update it for the guides that changed."""
    settings = get_settings()
    folder = kb or settings.knowledge_base_dir
    build_index(settings, folder, index_dir_for(settings, folder), Console(stderr=True))


@app.command("search")
def search(
    query: Optional[str] = typer.Argument(None, help="The question; omit with --jsonl to read stdin."),
    kb: Path = typer.Option(None, "--kb", help="Knowledge-base folder (default: knowledge_base/)."),
    k: int = typer.Option(10, "--k", min=1, max=100, help="How many services."),
    lang: str = typer.Option("ko", "--lang", help="ko or en: language of the snippets."),
    jsonl: bool = typer.Option(False, "--jsonl", help="Read one query a line from stdin, write one JSON line each."),
    mode: str = typer.Option("hybrid", "--mode", help="hybrid, bm25 or dense."),
) -> None:
    """Search the knowledge base."""
    settings = get_settings()
    folder = kb or settings.knowledge_base_dir
    console = Console(stderr=True)
    if not folder.is_dir():
        console.print(f"[red]No such knowledge-base folder: {folder}[/red]")
        raise typer.Exit(2)
    knowledge = build_index(settings, folder, index_dir_for(settings, folder), console)
    if jsonl:
        for line in sys.stdin:
            text = line.strip()
            if not text:
                continue
            hits = knowledge.search(text, k=k, lang=lang, mode=mode)
            results = [{"service_id": h.service_id, "title": h.title, "score": h.score} for h in hits]
            sys.stdout.write(json.dumps({"query": text, "results": results}, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        return
    if not query:
        console.print("[red]Give a question, or --jsonl to read questions from stdin.[/red]")
        raise typer.Exit(2)
    for rank, hit in enumerate(knowledge.search(query, k=k, lang=lang, mode=mode), start=1):
        typer.echo(f"{rank:2d}. {hit.title} [{hit.service_id}] ({hit.section}, {hit.score:.4f})")
        typer.echo(f"    {hit.snippet[:160]}")


import_app = typer.Typer(help="Import open data into a knowledge-base folder.", no_args_is_help=True)
app.add_typer(import_app, name="import")


def _run_import(kind: str, path: Path, out: Path, questions: Path | None = None) -> None:
    from assistant.knowledge.importers.bokjiro import import_bokjiro
    from assistant.knowledge.importers.gov24 import import_gov24

    if not path.is_file():
        typer.secho(f"No such file: {path}", fg="red", err=True)
        raise typer.Exit(2)
    if out.resolve() == get_settings().knowledge_base_dir.resolve():
        typer.secho("Import into a separate folder, not the curated knowledge_base/.", fg="red", err=True)
        raise typer.Exit(2)
    try:
        if kind == "bokjiro":
            report = import_bokjiro(path, out, _labelled_questions(questions) if questions else None)
        else:
            report = import_gov24(path, out)
    except ValueError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{report.written} guides written to {out}; {len(report.skipped)} records skipped")
    for reason in report.skipped[:20]:
        typer.echo(f"  skipped {reason}", err=True)


def _labelled_questions(path: Path) -> dict[str, list[str]]:
    from assistant.evaluation.retrieval import read_rows

    grouped: dict[str, list[str]] = {}
    for row in read_rows(path):
        grouped.setdefault(row["service"], []).append(row["question"])
    return grouped


@import_app.command("bokjiro")
def import_bokjiro_command(
    path: Path = typer.Argument(..., help="vd_base_v2_refined.json"),
    out: Path = typer.Option(..., "--out", help="Folder to write the guides into."),
    questions: Optional[Path] = typer.Option(
        None, "--questions", help="CSV of labelled questions (question,service) to attach to their guides."
    ),
) -> None:
    """BOKJIRO welfare guides: one guide per 사업명 (kept as the title)."""
    _run_import("bokjiro", path, out, questions)


@import_app.command("gov24")
def import_gov24_command(
    path: Path = typer.Argument(..., help="services.csv"),
    out: Path = typer.Option(..., "--out", help="Folder to write the guides into."),
) -> None:
    """Government24 public-service list: one guide per service."""
    _run_import("gov24", path, out)


@app.command("fine-tune")
def fine_tune_command(
    questions: Path = typer.Option(
        ..., "--questions", exists=True, dir_okay=False, readable=True,
        help="CSV with question and service (or service_id) columns.",
    ),
    out: Path = typer.Option(..., "--out", help="Folder for the fine-tuned sentence-transformers model."),
    kb: Path = typer.Option(None, "--kb", help="Knowledge-base folder the questions refer to (default: knowledge_base/)."),
    epochs: int = typer.Option(FineTuneSettings.epochs, "--epochs", min=1, max=20),
    batch_size: int = typer.Option(FineTuneSettings.batch_size, "--batch-size", min=4, max=256),
    learning_rate: float = typer.Option(FineTuneSettings.learning_rate, "--learning-rate"),
    negatives: int = typer.Option(
        FineTuneSettings.negatives_per_question, "--negatives", min=1, max=5, help="Hard negatives per question."
    ),
    frozen_layers: int = typer.Option(
        FineTuneSettings.frozen_layers, "--frozen-layers", min=0, max=24,
        help="Lowest encoder layers left as they are (the word embeddings always are).",
    ),
    loss_scale: float = typer.Option(
        FineTuneSettings.loss_scale, "--loss-scale", min=1.0, max=200.0,
        help="Inverse temperature of the ranking loss; higher weighs near-misses more.",
    ),
    pairs_share: float = typer.Option(
        FineTuneSettings.pairs, "--pairs-share", min=0.0, max=1.0,
        help="Share of BM25 over adjacent morpheme pairs in the fused score, written to the model's "
             "fusion.json (0.05 measured on the welfare guides; 0 leaves the channel out).",
    ),
    services_apart: bool = typer.Option(
        FineTuneSettings.services_apart, "--services-apart/--no-services-apart",
        help="Never put a passage of a row's own service among the other passages of its batch "
             "(off by default: lower on the welfare held-out questions, see README).",
    ),
) -> None:
    """Fine-tune the embedding model on labelled questions (hard negatives mined from the index).

    Use the result with ASSISTANT_EMBEDDING_MODEL=<out>; the index is rebuilt for it automatically.
    """
    from assistant.evaluation.retrieval import read_questions
    from assistant.retrieval.embedder import resolve_model_path
    from assistant.retrieval.finetune import LabelledQuestion, fine_tune, mine_triplets

    settings = get_settings()
    console = Console(stderr=True)
    folder = kb or settings.knowledge_base_dir
    index = build_index(settings, folder, index_dir_for(settings, folder), console)
    if index.embedder is None:
        console.print("[red]Fine-tuning needs an embedding model; ASSISTANT_EMBEDDING_MODEL is empty.[/red]")
        raise typer.Exit(2)
    try:
        cases = read_questions(questions, index)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    with console.status(f"Mining training pairs for {len(cases)} questions…"):
        triplets = mine_triplets(index, [LabelledQuestion(c.question, c.service_id) for c in cases], negatives)
    base = resolve_model_path(settings.embedding_model, settings.model_cache_dir)
    with Progress(
        TextColumn("Fine-tuning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    ) as bar:
        task = bar.add_task("train", total=None)

        def progress(step: int, total: int) -> None:
            bar.update(task, completed=step, total=total)
            if not console.is_terminal and (step == total or step % max(1, total // 10) == 0):
                # A log file gets no live bar: a line every tenth of the run instead.
                console.print(f"fine-tuning step {step}/{total}")

        result = fine_tune(
            base, triplets, out,
            FineTuneSettings(epochs=epochs, batch_size=batch_size, learning_rate=learning_rate,
                             negatives_per_question=negatives, frozen_layers=frozen_layers,
                             loss_scale=loss_scale, pairs=pairs_share, services_apart=services_apart),
            progress=progress,
        )
    console.print(
        f"Fine-tuned on {result.triplets} triplets, {result.steps} steps in {result.seconds:.0f} s "
        f"(last loss {result.final_loss}); model in {result.output_dir}"
    )
