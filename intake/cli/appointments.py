"""`flask appointments add|import` and `flask rooms add`: a practice's day from the command line.

Times are in the practice's time zone (its setting, else INTAKE_TIMEZONE, else UTC).
A wrong argument exits non-zero with one line per problem and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..extensions import db
from ..models import Appointment, AppointmentKind, Client, Room, utcnow
from ..practice import admin
from ..practice import appointment_import as importing
from ..practice import appointments as ops
from ..practice import rooms as room_ops
from ..practice.appointments import AppointmentError

appointments = AppGroup("appointments", help="Add appointments, or import them from a file.")
rooms = AppGroup("rooms", help="Manage the practice's rooms.")

MAX_FILE = 20 * 1024 * 1024


@appointments.command("add")
@click.argument("reference")
@click.option("--at", "at", required=True, metavar='"YYYY-MM-DD HH:MM"',
              help="The start, in the practice's time zone.")
@click.option("--minutes", type=int, default=None,
              help="The length (the practice's usual length if left out).")
@click.option("--room", default=None, help="The room's name.")
@click.option("--video", is_flag=True, help="A video appointment rather than in person.")
def add(reference: str, at: str, minutes: int | None, room: str | None, video: bool) -> None:
    """Add an appointment for the client REFERENCE with their therapist; print it."""
    try:
        zone = ops.practice_zone()
        starts_at = ops.to_utc(ops.parse_local(at), zone)
        client = ops.client_by_reference(db.session, reference)
        room_id = ops.room_by_name(db.session, room).id if room else None
        outcome = ops.add(client.id, starts_at, minutes=minutes, room_id=room_id,
                          kind=AppointmentKind.VIDEO if video else AppointmentKind.IN_PERSON)
    except AppointmentError as error:
        raise click.ClickException(str(error)) from None
    appointment = outcome.appointment
    room_name = db.session.scalar(select(Room.name).where(Room.id == appointment.room_id))
    click.echo(ops.describe(appointment, zone, client.reference, room_name))
    for conflict in outcome.conflicts:
        what = {(True, True): "the therapist and the room are", (True, False): "the therapist is",
                (False, True): "the room is"}[conflict.same_therapist, conflict.same_room]
        click.echo(f"warning: {what} already taken at that time: {conflict.reference} at "
                   f"{ops.local_time(conflict.starts_at, zone):%Y-%m-%d %H:%M}", err=True)


@appointments.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
def import_file(file: Path, dry_run: bool) -> None:
    """Import appointments from a CSV file or an iCalendar (.ics) file.

    \b
    CSV: a header reference,start,minutes,room,kind, then one appointment a line;
    start is "YYYY-MM-DD HH:MM" in the practice's time zone; minutes, room and kind
    (in_person or video) may be empty.
    iCalendar: events from today to a year ahead (recurring ones expanded); the
    client's reference in the event's title (else its description), a room's name
    as its location. Importing the same file again changes nothing; a file with any
    problem imports nothing and every problem is listed.
    """
    if file.stat().st_size > MAX_FILE:
        raise click.ClickException(f"{file} is larger than {MAX_FILE // (1024 * 1024)} MB")
    now = utcnow()
    try:
        zone = ops.practice_zone()
    except AppointmentError as error:
        raise click.ClickException(str(error)) from None
    rows, problems = importing.read(file.name, file.read_bytes(), zone, now)
    result = importing.plan(rows, problems, now)
    if result.problems:
        for problem in result.problems:
            where = f"line {problem.line}" if problem.line else str(file)
            click.echo(f"{where}: {problem.reason}", err=True)
        raise click.ClickException(f"{len(result.problems)} problems: nothing was imported")
    verb = "would add" if dry_run else "added"
    for planned in result.new:
        click.echo(f"{verb}: {_line(planned, zone)}")
    for planned in result.changed:
        click.echo(f"{'would move' if dry_run else 'moved'}: {_line(planned, zone)}")
    if not dry_run:
        importing.apply(result, None, now)
    click.echo(f"{'dry run: ' if dry_run else ''}{len(result.new)} new, "
               f"{len(result.changed)} moved, {result.unchanged} unchanged")


def _line(planned: importing.Planned, zone) -> str:
    room = f" in {planned.row.room}" if planned.row.room else ""
    return (f"{planned.reference} on {ops.local_time(planned.row.starts_at, zone):%Y-%m-%d %H:%M}"
            f", {planned.minutes} min, {planned.row.kind.replace('_', ' ')}{room}")


@rooms.command("add")
@click.argument("name")
def rooms_add(name: str) -> None:
    """Add a room called NAME."""
    try:
        room = room_ops.add_room(None, name)
    except room_ops.RoomNameTaken:
        raise click.ClickException(f"a room called {name!r} already exists") from None
    except admin.AdminError as error:
        raise click.ClickException(f"cannot add the room: {error}") from None
    click.echo(f"added room {room.name}")


def appointment_for_check_in(client: Client, questionnaire: str,
                             appointment_id: int | None) -> int | None:
    """Return the appointment a check-in belongs to: the one asked for, else today's
    (pre- and post-session check-ins only)."""
    if appointment_id is not None:
        found = db.session.get(Appointment, appointment_id)
        if found is None or found.client_id != client.id:
            raise click.ClickException(
                f"no appointment {appointment_id} for the client {client.reference!r}")
        return found.id
    if questionnaire not in ("pre_session", "post_session"):
        return None
    today = ops.of_today(client.id, utcnow(), ops.practice_zone())
    return today.id if today else None
