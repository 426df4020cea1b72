"""The practice's command line. A wrong argument exits non-zero with one line; nothing is
half-written, because each command's writes are one transaction."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app, url_for
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from .. import checkins
from .. import clients as client_ops
from .. import demo as demo_data
from ..accounts import AccountError, create_staff
from ..backup import BackupError, backup_sqlite
from ..checkins import CheckInError
from ..clients import ClientError
from ..extensions import db
from ..models import Client, Role
from ..questionnaires import REGISTRY
from ..staff.blueprint import policy

staff = AppGroup("staff", help="Manage staff accounts.")
clients = AppGroup("clients", help="Manage clients.")


def _fail(message: str) -> None:
    raise click.ClickException(message)


@staff.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--name", default="", help="The name other staff see.")
@click.option("--locale", default=None, help="The interface language, e.g. es or ar.")
def staff_add(email: str, role: str, name: str, locale: str | None) -> None:
    """Add a staff account; the password comes from INTAKE_PASSWORD, else a prompt."""
    locales = current_app.config["LOCALES"]
    if locale is not None and locale not in locales:
        _fail(f"unknown locale {locale!r} (one of: {', '.join(locales)})")
    password = os.environ.get("INTAKE_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        account = create_staff(email, password, role, policy(), name=name, locale=locale)
    except AccountError as error:
        _fail(str(error))
    click.echo(f"added {account.role} {account.email}")


@clients.command("add")
@click.argument("reference")
@click.option("--therapist", "therapist_email", required=True, help="The therapist's email.")
@click.option("--locale", default=None, help="The client's preferred language.")
def clients_add(reference: str, therapist_email: str, locale: str | None) -> None:
    """Add a client, known by a reference the practice chooses (not their name)."""
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    try:
        client = client_ops.add_client(
            reference, therapist_email, locale, current_app.config["LOCALES"]
        )
    except ClientError as error:
        _fail(str(error))
    click.echo(f"added client {client.reference}")


@click.command("checkin")
@with_appcontext
@click.argument("reference")
@click.argument("questionnaire", type=click.Choice(list(REGISTRY)))
def checkin(reference: str, questionnaire: str) -> None:
    """Create a check-in for a client; print its one-time code and phone link."""
    client = db.session.scalar(select(Client).where(Client.reference == reference))
    if client is None:
        _fail(f"no client with the reference {reference!r}")
    try:
        check_in = checkins.create_check_in(
            client.id, questionnaire, current_app.config["CHECKIN_LIFETIME"]
        )
    except CheckInError as error:
        _fail(str(error))
    token = checkins.link_token(check_in, current_app.config["SECRET_KEY"])
    base = os.environ.get("INTAKE_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    with current_app.test_request_context(base_url=base):
        link = url_for("kiosk.link", token=token, _external=True)
    click.echo(f"code: {check_in.code}")
    click.echo(f"link: {link}")
    click.echo(f"expires: {check_in.expires_at:%Y-%m-%d %H:%M} UTC")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def backup(target: Path) -> None:
    """Copy the SQLite database to TARGET safely, while the app keeps running."""
    try:
        pages = backup_sqlite(target)
    except BackupError as error:
        _fail(str(error))
    click.echo(f"backed up {pages} pages to {target}")


@click.command("demo")
@with_appcontext
@click.option("--clients", "client_count", type=click.IntRange(1, 100_000), default=None,
              help="Make this many clients (for benchmarks).")
@click.option("--appointments", type=click.IntRange(0, 10_000), default=None,
              help="Give each client this many past appointments with feedback.")
def demo(client_count: int | None, appointments: int | None) -> None:
    """Seed a demo practice once, and print the demo logins."""
    created = demo_data.seed(policy())
    if client_count is not None:
        made = demo_data.bulk_clients(client_count, appointments or 0)
        click.echo(f"added {len(made)} clients ({made[0]} to {made[-1]}) "
                   f"with {appointments or 0} appointments each")
    click.echo("demo practice ready" if created else "demo practice already there")
    click.echo(f"staff logins (password: {demo_data.PASSWORD}):")
    for email, role in demo_data.LOGINS:
        click.echo(f"  {role:<10} {email}")
