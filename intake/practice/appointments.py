"""Appointments: adding, moving, cancelling and marking them, in the practice's time zone.

Times are typed and shown in the practice's time zone (a setting, else INTAKE_TIMEZONE,
else UTC) and stored in UTC. A time that does not exist on that day (the hour skipped
when clocks go forward) or that exists twice (the hour repeated when they go back) is
refused with a message that says so, never guessed. Another appointment of the same
therapist or in the same room at that time is a warning the caller shows, not a refusal:
the front desk knows things the app does not (a couple seen together, a room shared on
purpose).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..infra.database import write_transaction
from ..models import (
    Appointment,
    AppointmentKind,
    AppointmentState,
    Client,
    Practice,
    Role,
    Room,
    Staff,
    utcnow,
)
from . import audit
from .accounts import Viewer

MAX_MINUTES = 12 * 60
HORIZON = timedelta(days=366)
TIME_FORMAT = "%Y-%m-%d %H:%M"
KINDS = tuple(kind.value for kind in AppointmentKind)
# What the desk may set an appointment to by hand (cancelling has its own call).
MARKS = (AppointmentState.SCHEDULED, AppointmentState.ATTENDED, AppointmentState.NO_SHOW)


class AppointmentError(ValueError):
    """An appointment cannot be made or changed as asked; the message says why."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Conflict:
    """Another appointment that overlaps: the same therapist's, or in the same room."""

    appointment_id: int
    reference: str
    starts_at: datetime
    same_therapist: bool
    same_room: bool


@dataclass(frozen=True)
class Outcome:
    appointment: Appointment
    conflicts: list[Conflict]


# Time zones


def zone_named(name: str | None) -> ZoneInfo:
    """Return the time zone of an IANA name; refuse a name that is not one."""
    try:
        return ZoneInfo((name or "UTC").strip())
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise AppointmentError(_l("Unknown time zone %(name)s.", name=name)) from error


def practice_zone() -> ZoneInfo:
    """Return the practice's time zone: its setting, else the configured default."""
    name = db.session.scalar(select(Practice.timezone).order_by(Practice.id).limit(1))
    return zone_named(name or current_app.config.get("TIMEZONE", "UTC"))


def default_minutes() -> int:
    """Return the practice's usual appointment length."""
    minutes = db.session.scalar(
        select(Practice.appointment_minutes).order_by(Practice.id).limit(1))
    return minutes or 50


def parse_local(text: str) -> datetime:
    """Read "YYYY-MM-DD HH:MM" (a naive local time); refuse anything else."""
    try:
        return datetime.strptime(" ".join(text.split()), TIME_FORMAT)
    except ValueError as error:
        raise AppointmentError(
            _l("%(text)s is not a time: write it as YYYY-MM-DD HH:MM.", text=text[:40])
        ) from error


def to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """Return the UTC instant of a wall-clock time in `zone`; refuse a skipped or repeated one."""
    local = local.replace(tzinfo=None, second=0, microsecond=0)
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    shown = f"{local:{TIME_FORMAT}}"
    if first.utcoffset() != second.utcoffset():
        # Either the clocks skip this time (it comes back as another wall time) or it
        # happens twice (both folds come back as the same wall time).
        back = first.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)
        if back != local:
            raise AppointmentError(_l(
                "%(time)s does not exist in %(zone)s: the clocks go forward then. "
                "Choose another time.", time=shown, zone=zone.key))
        raise AppointmentError(_l(
            "%(time)s happens twice in %(zone)s: the clocks go back then. "
            "Choose a time outside that hour.", time=shown, zone=zone.key))
    return first.astimezone(ZoneInfo("UTC"))


def local_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """Return a stored UTC time on the practice's wall clock."""
    return moment.astimezone(zone)


def day_bounds(day: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Return the UTC start and end of the local calendar day that holds `day`."""
    local = day.astimezone(zone)
    start = datetime(local.year, local.month, local.day, tzinfo=zone)
    following = start.replace(tzinfo=None) + timedelta(days=1)
    end = following.replace(tzinfo=zone)
    return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


# Checks shared by every way of making an appointment


def check_times(starts_at: datetime, minutes: int, now: datetime) -> None:
    """Refuse a length that is not positive (or absurd) and a start more than a year away."""
    if not isinstance(minutes, int) or minutes <= 0:
        raise AppointmentError(_l("The length must be a positive number of minutes."))
    if minutes > MAX_MINUTES:
        raise AppointmentError(_l("An appointment lasts at most %(hours)d hours.",
                                  hours=MAX_MINUTES // 60))
    if abs(starts_at - now) > HORIZON:
        raise AppointmentError(_l("The start is more than a year away."))


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise AppointmentError(_l("Unknown kind of appointment %(kind)s.", kind=kind[:20]))
    return kind


def client_by_reference(session: Session, reference: str) -> Client:
    client = session.scalar(select(Client).where(Client.reference == reference.strip()))
    if client is None:
        raise AppointmentError(_l("No client with the reference %(reference)s.",
                                  reference=reference[:64]))
    return client


def room_by_name(session: Session, name: str) -> Room:
    """Find a room by its name, ignoring case (as names are unique that way)."""
    wanted = name.strip().casefold()
    for room in session.scalars(select(Room)):
        if room.name.casefold() == wanted:
            return room
    raise AppointmentError(_l("No room called %(name)s.", name=name[:80]))


def _room(session: Session, room_id: int | None) -> int | None:
    if room_id is None:
        return None
    if session.get(Room, room_id) is None:
        raise AppointmentError(_l("Unknown room."))
    return room_id


# Writing


def add(client_id: int, starts_at: datetime, *, minutes: int | None = None,
        room_id: int | None = None, kind: str = AppointmentKind.IN_PERSON,
        therapist_id: int | None = None, actor_id: int | None = None,
        state: str = AppointmentState.SCHEDULED, import_uid: str | None = None,
        now: datetime | None = None) -> Outcome:
    """Add an appointment for a client (with their therapist unless another is given)."""
    now = now or utcnow()
    with write_transaction() as session:
        minutes = minutes if minutes is not None else default_minutes()
        appointment = _new(session, client_id, starts_at, minutes, room_id, kind,
                           therapist_id, state, import_uid, now)
        session.add(appointment)
        session.flush()
        audit.add(session, "appointment.added", actor_id, client_id,
                  f"appointment_id={appointment.id}")
        found = conflicts(session, appointment)
    return Outcome(appointment, found)


def _new(session: Session, client_id: int, starts_at: datetime, minutes: int,
         room_id: int | None, kind: str, therapist_id: int | None, state: str,
         import_uid: str | None, now: datetime) -> Appointment:
    client = session.get(Client, client_id)
    if client is None:
        raise AppointmentError(_l("Unknown client."))
    check_times(starts_at, minutes, now)
    check_kind(kind)
    if state not in tuple(AppointmentState):
        raise AppointmentError(_l("Unknown state."))
    if therapist_id is not None and therapist_id != client.therapist_id:
        role = session.scalar(select(Staff.role).where(Staff.id == therapist_id))
        if role != Role.THERAPIST:
            raise AppointmentError(_l("Unknown therapist."))
    return Appointment(client_id=client.id, therapist_id=therapist_id or client.therapist_id,
                       starts_at=starts_at, minutes=minutes, room_id=_room(session, room_id),
                       kind=kind, state=state, import_uid=import_uid)


def move(appointment_id: int, starts_at: datetime, *, minutes: int | None = None,
         room_id: int | None = None, kind: str | None = None, actor_id: int | None = None,
         now: datetime | None = None) -> Outcome:
    """Give an appointment another time (and length, room or kind)."""
    now = now or utcnow()
    with write_transaction() as session:
        appointment = _get(session, appointment_id)
        minutes = appointment.minutes if minutes is None else minutes
        check_times(starts_at, minutes, now)
        appointment.starts_at, appointment.minutes = starts_at, minutes
        appointment.room_id = _room(session, room_id)
        if kind is not None:
            appointment.kind = check_kind(kind)
        if appointment.state == AppointmentState.CANCELLED:
            appointment.state = AppointmentState.SCHEDULED
        session.flush()
        audit.add(session, "appointment.moved", actor_id, appointment.client_id,
                  f"appointment_id={appointment.id}")
        found = conflicts(session, appointment)
    return Outcome(appointment, found)


def cancel(appointment_id: int, actor_id: int | None = None) -> bool:
    """Cancel an appointment; return whether it was not cancelled already."""
    return _set_state(appointment_id, AppointmentState.CANCELLED, actor_id)


def mark(appointment_id: int, state: str, actor_id: int | None = None) -> bool:
    """Mark an appointment attended, a no-show, or scheduled again; return whether it changed."""
    if state not in MARKS:
        raise AppointmentError(_l("Unknown state."))
    return _set_state(appointment_id, state, actor_id)


def _set_state(appointment_id: int, state: str, actor_id: int | None) -> bool:
    with write_transaction() as session:
        appointment = _get(session, appointment_id)
        if appointment.state == state:
            return False
        appointment.state = state
        audit.add(session, f"appointment.{state}", actor_id, appointment.client_id,
                  f"appointment_id={appointment.id}")
    return True


def attended_by_check_in(session: Session, appointment_id: int) -> None:
    """Mark an appointment attended because its client checked in for it (in that
    transaction); a cancelled one stays cancelled."""
    session.execute(
        update(Appointment)
        .where(Appointment.id == appointment_id,
               Appointment.state.in_((AppointmentState.SCHEDULED, AppointmentState.NO_SHOW)))
        .values(state=AppointmentState.ATTENDED, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _get(session: Session, appointment_id: int) -> Appointment:
    appointment = session.get(Appointment, appointment_id)
    if appointment is None:
        raise AppointmentError(_l("Unknown appointment."))
    return appointment


# Reading


def conflicts(session: Session, appointment: Appointment) -> list[Conflict]:
    """Return the live appointments that overlap this one, by the same therapist or room."""
    starts, ends = appointment.starts_at, appointment.ends_at
    query = (
        select(Appointment, Client.reference)
        .join(Client, Client.id == Appointment.client_id)
        .where(Appointment.id != appointment.id,
               Appointment.state != AppointmentState.CANCELLED,
               # Lengths are at most MAX_MINUTES: earlier starts cannot reach this one.
               Appointment.starts_at > starts - timedelta(minutes=MAX_MINUTES),
               Appointment.starts_at < ends)
    )
    if appointment.room_id is None:
        query = query.where(Appointment.therapist_id == appointment.therapist_id)
    else:
        query = query.where((Appointment.therapist_id == appointment.therapist_id)
                            | (Appointment.room_id == appointment.room_id))
    found = []
    for other, reference in session.execute(query.order_by(Appointment.starts_at)):
        if other.ends_at > starts:
            found.append(Conflict(
                other.id, reference, other.starts_at,
                same_therapist=other.therapist_id == appointment.therapist_id,
                same_room=appointment.room_id is not None
                and other.room_id == appointment.room_id))
    return found


def visible_appointment(viewer: Viewer, appointment_id: int) -> Appointment | None:
    """Return an appointment if this staff member may see its client, else None."""
    query = (select(Appointment).join(Client, Client.id == Appointment.client_id)
             .where(Appointment.id == appointment_id))
    if viewer.role == Role.THERAPIST:
        query = query.where(Client.therapist_id == viewer.id)
    return db.session.scalar(query)


def upcoming_for_client(client_id: int, now: datetime, limit: int = 10) -> list[Appointment]:
    """Return a client's appointments from a month ago on, by time (at most `limit`)."""
    return list(db.session.scalars(
        select(Appointment).where(Appointment.client_id == client_id,
                                  Appointment.starts_at >= now - timedelta(days=30))
        .order_by(Appointment.starts_at).limit(limit)))


def of_today(client_id: int, now: datetime, zone: ZoneInfo) -> Appointment | None:
    """Return the client's live appointment today (the next one, else the latest)."""
    start, end = day_bounds(now, zone)
    today = list(db.session.scalars(
        select(Appointment).where(Appointment.client_id == client_id,
                                  Appointment.starts_at >= start, Appointment.starts_at < end,
                                  Appointment.state != AppointmentState.CANCELLED)
        .order_by(Appointment.starts_at)))
    if not today:
        return None
    # The one under way or next; after the last one of the day, that one.
    for appointment in today:
        if appointment.ends_at > now:
            return appointment
    return today[-1]


def describe(appointment: Appointment, zone: ZoneInfo, reference: str,
             room: str | None) -> str:
    """One plain line for the command line (English, like every CLI message)."""
    where = f" in {room}" if room else ""
    return (f"appointment {appointment.id}: {reference} on "
            f"{local_time(appointment.starts_at, zone):{TIME_FORMAT}} ({zone.key}), "
            f"{appointment.minutes} min, {appointment.kind.replace('_', ' ')}{where}, "
            f"{appointment.state.replace('_', ' ')}")
