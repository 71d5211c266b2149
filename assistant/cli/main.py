"""The `assistant` command: serve, train, evaluate, kb (import, index, search, validate)."""

from __future__ import annotations

import logging
import sys

import typer

from assistant.cli import kb, evaluate

app = typer.Typer(
    help="Korean-first government-service assistant: run it, train it, curate its knowledge base.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(kb.app, name="kb")
app.add_typer(evaluate.app, name="evaluate")


@app.command()
def serve() -> None:
    """Start Rasa and the assistant service together; prints the URL when ready. Ctrl-C stops both."""
    from assistant.serve import NoModelError, run
    from assistant.settings import get_settings
    from assistant.web.actions_loader import ActionsLoadError

    settings = get_settings()
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
) -> None:
    """Train what changed: the Rasa model (fingerprinted inputs) and the knowledge index."""
    from rich.console import Console

    from assistant.settings import get_settings

    console = Console(stderr=True)
    settings = get_settings()
    if rasa:
        _train_rasa(settings, force, console)
    if index:
        from assistant.retrieval.builder import index_is_current

        if not force and index_is_current(settings, settings.knowledge_base_dir, settings.index_dir):
            console.print(f"Index up to date: {settings.index_dir}")
        else:
            kb.build_index(settings, settings.knowledge_base_dir, settings.index_dir, console)


def _train_rasa(settings, force: bool, console) -> None:  # type: ignore[no-untyped-def]
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


def main() -> None:
    """Console-script entry point."""
    app(prog_name="assistant")


if __name__ == "__main__":
    sys.exit(main())
