"""`assistant models list | activate VERSION | rollback`: the model registry from the command line.

When the service is running, activation and rollback go through its admin endpoint so the models
swap inside the process serving conversations; when it is not, only the registry's active pointer
moves and `assistant serve` loads those models at its next start.
"""

from __future__ import annotations

from typing import Any

import httpx
import typer
from rich.console import Console
from rich.table import Table

from assistant.settings import Settings, get_settings

app = typer.Typer(help="List, activate and roll back trained models.", no_args_is_help=True)


def _registry(settings: Settings):  # type: ignore[no-untyped-def]
    from assistant.models.registry import ModelRegistry

    return ModelRegistry.for_var_dir(settings.var_dir)


def _service_call(settings: Settings, path: str, body: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """POST to the running service's admin API; None when no service listens.

    Raises:
        typer.Exit: the service answered with an error (message printed).
    """
    url = f"http://127.0.0.1:{settings.port}/api/admin/models{path}"
    headers = {"Authorization": f"Bearer {settings.admin_token}", "Accept-Language": "en"}
    try:
        response = httpx.post(url, json=body or {}, headers=headers, timeout=600)
    except httpx.ConnectError:
        return None
    if response.status_code != 200:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = response.text[:300]
        typer.secho(f"The service refused ({response.status_code}): {message}", fg="red", err=True)
        raise typer.Exit(1 if response.status_code == 409 else 2)
    return dict(response.json())


@app.command("list")
def list_models() -> None:
    """Every registered model with its figures; the active ones are marked with *."""
    registry = _registry(get_settings())
    active = set(registry.active().values())
    table = Table(title=f"Model registry ({registry.path})")
    for column in ("", "version", "kind", "created", "fingerprint", "figures", "embedding"):
        table.add_column(column)
    for artefact in registry.artefacts():
        figures = ", ".join(f"{k} {v:.3f}" for k, v in sorted(artefact.metrics.items()) if isinstance(v, float))
        table.add_row(
            "*" if artefact.version in active else "", artefact.version, artefact.kind, artefact.created_at,
            artefact.fingerprint[:12], figures or "-", artefact.embedding or "",
        )
    Console().print(table)


@app.command("activate")
def activate(
    version: str = typer.Argument(..., help="A version from `assistant models list`."),
    force: bool = typer.Option(False, "--force", help="Activate even if it scores worse than the active model."),
) -> None:
    """Put a registered model live (Rasa model, or an index with its embedding model)."""
    from assistant.models.registry import RegistryError
    from assistant.models.rollout import ActivationRefused, plan_activation

    settings = get_settings()
    registry = _registry(settings)
    console = Console(stderr=True)
    try:
        # Checked here too, so a refusal is clear even when no service is running.
        plan = plan_activation(registry, version, force, settings.activate_margin)
    except ActivationRefused as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    except RegistryError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    for line in plan.gate:
        console.print(line.describe())
    with console.status(f"Activating {version}…"):
        answer = _service_call(settings, "/activate", {"version": version, "force": force})
    if answer is None:
        registry.set_active(plan.versions, f"activate {version}")
        console.print(f"Service not running: {version} is active and loads at the next `assistant serve`.")
    else:
        console.print(f"Activated {version} in the running service in {answer['swap']['seconds']:.1f} s.")
    console.print(f"Active: {registry.active()}")


@app.command("rollback")
def rollback() -> None:
    """Return to the previous active Rasa model and index."""
    from assistant.models.registry import RegistryError
    from assistant.models.rollout import plan_rollback

    settings = get_settings()
    registry = _registry(settings)
    console = Console(stderr=True)
    try:
        plan_rollback(registry)
    except RegistryError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    with console.status("Rolling back…"):
        answer = _service_call(settings, "/rollback")
    if answer is None:
        registry.pop_active()
        console.print("Service not running: the previous models load at the next `assistant serve`.")
    else:
        console.print(f"Rolled back in the running service in {answer['swap']['seconds']:.1f} s.")
    console.print(f"Active: {registry.active()}")
