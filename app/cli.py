"""`flask kring …` commands: create-admin, reset-2fa, end-sessions, seed-demo, outbox, worker,
purge."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app.errors import ServiceError

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
    click.echo(f"Platform operator {email} is ready. Log in at /login, set up two-step login "
               "(an authenticator app), then open /admin/spaces.")


@kring_cli.command("reset-2fa")
@click.argument("email")
def reset_two_factor(email: str) -> None:
    """Remove EMAIL's two-step login (lost phone and recovery codes) and end its sessions.
    Check who is asking outside Kring first."""
    from app.accounts.operator_actions import reset_second_factor

    try:
        reset_second_factor(email=email)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Two-step login of {email} removed and every session ended. At the next login "
               "a facilitator or operator is led through the setup again.")


@kring_cli.command("end-sessions")
@click.argument("email")
def end_sessions_command(email: str) -> None:
    """End every session of EMAIL at once (a lost or stolen device)."""
    from app.accounts.operator_actions import end_every_session

    try:
        ended = end_every_session(email=email)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Ended {ended} session(s) of {email}.")


@kring_cli.command("seed-demo")
@click.option("--reset", is_flag=True,
              help="Delete the demo space and the demo accounts first, then create them afresh.")
def seed_demo_command(reset: bool) -> None:
    """Create the Dutch demo space "Grip op je geld" (idempotent) and print the logins."""
    from flask import current_app

    from app.demo import demo_logins, reset_demo, seed_demo

    if current_app.config["PRODUCTION"]:
        raise click.ClickException("The demo creates accounts whose password is printed here "
                                   "and in the README; it is refused when KRING_ENV=production.")
    if reset:
        reset_demo()
        click.echo("Demo space reset: everything done in it is gone.")
    else:
        created = seed_demo()
        click.echo("Demo space created." if created else "Demo space already present.")
    click.echo("Demo logins (all with the same password):")
    for email, password, who in demo_logins():
        click.echo(f"  {email:<28} {password}   {who}")
    click.echo("The operator and the facilitators set up two-step login at their first login "
               "(an authenticator app on a phone); the members log in with the password only.")


@kring_cli.command("outbox")
@click.option("--all", "show_all", is_flag=True, help="Also list dead-lettered mail.")
@click.option("--retry", is_flag=True, help="Put dead-lettered mail back in the queue.")
def outbox_command(show_all: bool, retry: bool) -> None:
    """List mail waiting in the outbox: id, age, state, kind, recipient and, once rendered,
    the subject. Bodies and contexts are never shown (they hold single-use links)."""
    from app.database import utcnow
    from app.notify.outbox import pending_mail, retry_dead_mail

    if retry:
        click.echo(f"{retry_dead_mail()} dead-lettered message(s) queued again.")
    messages = pending_mail(include_dead=show_all)
    if not messages:
        click.echo("The outbox is empty.")
    now = utcnow()
    for message in messages:
        state = message.status if message.status != "pending" or not message.attempts \
            else f"waiting to retry in {_age(message.next_attempt_at - now)}"
        click.echo(f"#{message.id}  {_age(now - message.created_at)} old  [{state}, "
                   f"{message.attempts} attempts]  {message.kind or 'mail'}  to {message.to_addr}"
                   + (f"  {message.subject}" if message.subject else ""))
        if message.last_error:
            click.echo(f"    last error: {message.last_error}")


def _age(span) -> str:
    """A short duration for the outbox list: 45s, 12m, 3h, 2d."""
    seconds = max(0, int(span.total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@kring_cli.command("worker")
@click.option("--once", is_flag=True, help="Run one round and stop.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
def worker_command(once: bool, interval: float) -> None:
    """Send mail from the outbox and queue digests, until stopped."""
    import signal
    import threading

    from flask import current_app

    from app.notify.worker import announce, run, run_once

    try:
        announce(current_app)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if once:
        click.echo(run_once())
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo("Kring worker running (stop with Ctrl+C).")
    try:
        run(current_app._get_current_object(), stop, interval)
    except KeyboardInterrupt:
        pass


@kring_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
def purge_command(dry_run: bool) -> None:
    """Delete every space past its grace period (RENTAL_GRACE_DAYS after the last rental
    day): its rows, files and exports, and the accounts that were only in it. The worker
    does this too, every hour; the sweeps of old personal data run with it."""
    from app.retention.jobs import run_retention
    from app.retention.purge import spaces_to_purge

    candidates = spaces_to_purge()
    if not candidates:
        click.echo("No space is past its grace period.")
    for space in candidates:
        click.echo(f"{space.slug}  \"{space.name}\"  last rental day {space.rental_end}, "
                   f"purge from {space.purge_day}: {space.members} membership(s), "
                   f"{space.files} file(s)")
    if dry_run:
        click.echo("Dry run: nothing was deleted.")
        return
    outcome = run_retention()
    click.echo(f"{outcome['spaces_purged']} space(s) purged.")
    click.echo("Sweeps: " + ", ".join(f"{name} {count}" for name, count in outcome.items()
                                      if name not in ("spaces_purged",)))
