"""`assistant staff`: staff accounts from the command line (the first admin, before anyone can sign in)."""

from __future__ import annotations

import os

import typer

app = typer.Typer(help="Staff console accounts.", no_args_is_help=True)
PASSWORD_ENV = "ASSISTANT_STAFF_PASSWORD"


@app.command("create-admin")
def create_admin(
    username: str = typer.Argument(..., help="Sign-in name (letters, digits, . _ -)."),
    role: str = typer.Option("admin", "--role", help="admin, reviewer or editor."),
    display_name: str = typer.Option(None, "--name", help="Name shown in the console and the audit log."),
) -> None:
    """Create a staff account (admin by default). The password is asked for, or read from
    ASSISTANT_STAFF_PASSWORD for scripts (at least 10 characters)."""
    from assistant.records.database import Database
    from assistant.settings import get_settings
    from assistant.staff.accounts import AccountError, StaffDirectory

    password = os.environ.get(PASSWORD_ENV) or typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    database = Database(get_settings().effective_database_url)
    database.create_schema()
    try:
        member = StaffDirectory(database).create(username, password, role, display_name)
    except AccountError as exc:
        typer.secho(f"Cannot create the account: {exc}", fg="red", err=True)
        raise typer.Exit(2) from exc
    finally:
        database.dispose()
    typer.echo(f"Created {member.role} '{member.username}'. Sign in at /staff.")
