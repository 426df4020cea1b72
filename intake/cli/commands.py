"""The practice's command line. A wrong argument exits non-zero with one line; nothing is
half-written, because each command's writes are one transaction."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app, url_for
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from ..extensions import db
from ..infra import key_rotation, sealing
from ..infra.backup import BackupError, backup_sqlite
from ..models import Client, Role
from ..practice import checkins
from ..practice import clients as client_ops
from ..practice import demo as demo_data
from ..practice.accounts import AccountError, create_staff
from ..practice.checkins import CheckInError
from ..practice.clients import ClientError
from ..questionnaires import REGISTRY
from ..staff.blueprint import policy
from .appointments import appointment_for_check_in

staff = AppGroup("staff", help="Manage staff accounts.")
keys = AppGroup("keys", help="Manage the keys that seal free text (see intake/sealing.py).")
clients = AppGroup("clients", help="Manage clients.")


def _fail(message: str) -> None:
    raise click.ClickException(message)


@staff.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--name", default="", help="The name other staff see.")
@click.option("--locale", default=None, help="The interface language, e.g. es or ar.")
@click.option("--reads", default="",
              help="The languages they read clients' words in, e.g. es,ar (their own always).")
def staff_add(email: str, role: str, name: str, locale: str | None, reads: str) -> None:
    """Add a staff account; the password comes from INTAKE_PASSWORD, else a prompt."""
    locales = current_app.config["LOCALES"]
    if locale is not None and locale not in locales:
        _fail(f"unknown locale {locale!r} (one of: {', '.join(locales)})")
    languages = tuple(code.strip() for code in reads.split(",") if code.strip())
    if unknown := [code for code in languages if code not in locales]:
        _fail(f"unknown locale {unknown[0]!r} in --reads (one of: {', '.join(locales)})")
    password = os.environ.get("INTAKE_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        account = create_staff(email, password, role, policy(), name=name, locale=locale,
                               reads=languages)
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
@click.option("--appointment", "appointment_id", type=click.IntRange(1, 2**62), default=None,
              help="The appointment it belongs to (a pre- or post-session check-in belongs to "
                   "the client's appointment of today by default).")
def checkin(reference: str, questionnaire: str, appointment_id: int | None) -> None:
    """Create a check-in for a client; print its one-time code and phone link."""
    client = db.session.scalar(select(Client).where(Client.reference == reference))
    if client is None:
        _fail(f"no client with the reference {reference!r}")
    appointment_id = appointment_for_check_in(client, questionnaire, appointment_id)
    try:
        check_in = checkins.create_check_in(
            client.id, questionnaire, current_app.config["CHECKIN_LIFETIME"],
            appointment_id=appointment_id,
        )
    except CheckInError as error:
        _fail(str(error))
    token = checkins.link_token(check_in, current_app.config["SECRET_KEY"])
    with current_app.test_request_context():
        link = current_app.config["BASE_URL"] + url_for("kiosk.link", token=token)
    if appointment_id is not None:
        click.echo(f"for appointment {appointment_id}")
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


@keys.command("list")
def keys_list() -> None:
    """List the keys in the key file (newest first) and how many texts each sealed."""
    ring = _keyring()
    counts = key_rotation.texts_per_key()
    for key_id in ring.keys:
        mark = " (current)" if key_id == ring.current else ""
        click.echo(f"{key_id}{mark}: {counts.pop(key_id, 0)} texts")
    for key_id, count in counts.items():
        click.echo(f"{key_id} MISSING from {ring.path}: {count} texts cannot be opened")


@keys.command("new")
def keys_new() -> None:
    """Add a new key, first in the key file: it seals every text from now on."""
    path = Path(current_app.config["TEXT_KEYS_FILE"])
    try:
        key_id = sealing.add_key(path)
    except sealing.KeyFileError as error:
        _fail(str(error))
    current_app.extensions.pop("intake.keyring", None)
    click.echo(f"new key {key_id} in {path}; run `flask keys reseal` to move older texts to it")


@keys.command("reseal")
def keys_reseal() -> None:
    """Seal every text again with the current key (safe to stop and run again)."""
    _keyring()
    try:
        count = key_rotation.reseal()
    except sealing.SealError as error:
        _fail(f"{error}; nothing after the last full batch was changed")
    click.echo(f"resealed {count} texts with key {sealing.keyring().current}")


@keys.command("retire")
@click.argument("key_id")
def keys_retire(key_id: str) -> None:
    """Remove a key from the key file once no text needs it."""
    _keyring()
    try:
        key_rotation.retire(key_id)
    except sealing.KeyFileError as error:
        _fail(str(error))
    click.echo(f"key {key_id} retired")


def _keyring() -> sealing.Keyring:
    try:
        return sealing.keyring()
    except sealing.KeyFileError as error:
        _fail(f"{error}; `flask keys new` creates one")
