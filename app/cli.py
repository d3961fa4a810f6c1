"""`flask kring …` commands: create-admin, seed-demo, outbox."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app.database import ServiceError

kring_cli = AppGroup("kring", help="Kring administration commands.")


@kring_cli.command("create-admin")
@click.argument("email")
def create_admin(email: str) -> None:
    """Make EMAIL a platform operator (password asked at the prompt, or read from stdin)."""
    from app.accounts.service import make_operator

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        make_operator(email=email, password=password)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Platform operator {email} is ready. Log in at /login, then open /admin/spaces.")


@kring_cli.command("seed-demo")
def seed_demo_command() -> None:
    """Create the Dutch demo space "Grip op je geld" (idempotent) and print the logins."""
    from app.demo import demo_logins, seed_demo

    created = seed_demo()
    click.echo("Demo space created." if created else "Demo space already present.")
    click.echo("Demo logins (all with the same password):")
    for email, password, who in demo_logins():
        click.echo(f"  {email:<28} {password}   {who}")


@kring_cli.command("outbox")
def outbox_command() -> None:
    """List mail waiting in the outbox."""
    from app.notify.service import pending_mail

    messages = pending_mail()
    if not messages:
        click.echo("The outbox is empty.")
    for message in messages:
        click.echo(f"#{message.id} {message.created_at:%Y-%m-%d %H:%M} UTC  to {message.to_addr}"
                   f"  [{message.status}, {message.attempts} attempts]  {message.subject}")
        click.echo("    " + message.body_text.strip().replace("\n", "\n    "))
