"""Importing appointments from a CSV file or from the calendar the practice already uses.

Reading a file is pure (rows and problems, no database); planning finds each row's
client and room and what would change; applying writes the whole plan in one
transaction. A file with any problem imports nothing, and every problem is listed with
its line. Importing the same file again changes nothing: an event is known by its UID
and the occurrence's recurrence id, a CSV row by its client and start.

CSV: a header `reference,start,minutes,room,kind`; start is "YYYY-MM-DD HH:MM" in the
practice's time zone; minutes (the practice's usual length when empty), room and kind
(`in_person`, the default, or `video`) are optional.

iCalendar (.ics): every event from the start of today to a year ahead, recurring ones
expanded. The client is the reference written in the event's title (SUMMARY), else in
its description; the room is the LOCATION when it names a room; a web address as the
location makes it a video appointment. Cancelled events and all-day events are left
out, the latter as a problem (an appointment has a time).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from sqlalchemy import select

from ..infra.database import write_transaction
from ..models import Appointment, AppointmentKind, AppointmentState, Client, Room
from . import appointments, audit
from .appointments import AppointmentError

HEADER = ["reference", "start", "minutes", "room", "kind"]
WINDOW = timedelta(days=365)
MAX_ROWS = 20_000
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
UID_MAX = 255


@dataclass(frozen=True)
class Row:
    """One appointment read from a file, not yet matched to a client or room."""

    line: int
    names: tuple[str, ...]  # the client's reference (CSV), or the words that may be one
    starts_at: datetime  # UTC
    minutes: int | None
    room: str | None
    kind: str
    uid: str | None = None


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str


@dataclass(frozen=True)
class Planned:
    row: Row
    client_id: int
    reference: str
    room_id: int | None
    minutes: int
    existing_id: int | None = None  # an imported event that moved in the calendar


@dataclass
class Plan:
    new: list[Planned] = field(default_factory=list)
    changed: list[Planned] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


# Reading


def read(name: str, data: bytes, zone: ZoneInfo, now: datetime) -> tuple[list[Row],
                                                                         list[Problem]]:
    """Read a CSV or iCalendar file by its name's ending."""
    if name.lower().endswith((".ics", ".ical", ".ifb", ".icalendar")):
        return read_ics(data, zone, now)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(0, "the file is not UTF-8 text")]
    return read_csv(text, zone)


def read_csv(text: str, zone: ZoneInfo) -> tuple[list[Row], list[Problem]]:
    """Read rows of reference,start,minutes,room,kind; list each bad line with its reason."""
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if header[:2] != HEADER[:2] or any(cell not in HEADER for cell in header):
        return [], [Problem(1, f"the header must be {','.join(HEADER)} "
                               "(minutes, room and kind may be left out)")]
    rows, problems = [], []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(Problem(number, f"more than {MAX_ROWS} rows"))
            break
        if len(cells) > len(header):
            problems.append(Problem(number, f"{len(cells)} cells, the header has {len(header)}"))
            continue
        values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
        try:
            rows.append(_csv_row(number, values, zone))
        except AppointmentError as error:
            problems.append(Problem(number, str(error)))
    return rows, problems


def _csv_row(number: int, values: dict, zone: ZoneInfo) -> Row:
    reference = values.get("reference", "")
    if not reference:
        raise AppointmentError("no client reference")
    starts_at = appointments.to_utc(appointments.parse_local(values.get("start", "")), zone)
    minutes = None
    if values.get("minutes"):
        try:
            minutes = int(values["minutes"])
        except ValueError:
            raise AppointmentError(f"{values['minutes'][:20]!r} is not a number of minutes")\
                from None
    kind = (values.get("kind") or AppointmentKind.IN_PERSON).replace(" ", "_").lower()
    appointments.check_kind(kind)
    return Row(number, (reference,), starts_at, minutes, values.get("room") or None, kind)


def read_ics(data: bytes, zone: ZoneInfo, now: datetime) -> tuple[list[Row], list[Problem]]:
    """Read the events of an iCalendar file from today to a year ahead, recurrences expanded."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
        occurrences = _occurrences(calendar, zone, now)
    except Exception as error:  # a broken file of any kind is one problem
        return [], [Problem(0, f"not a readable iCalendar file ({type(error).__name__})")]
    lines = _uid_lines(data)
    # An event that repeats (or overrides one occurrence) is known by UID and occurrence;
    # a single event by its UID alone, so that moving it in the calendar moves it here.
    recurring = {str(event.get("UID", "")).strip() for event in calendar.walk("VEVENT")
                 if any(name in event for name in ("RRULE", "RDATE", "RECURRENCE-ID"))}
    rows, problems = [], []
    for event in occurrences:
        uid = str(event.get("UID", "")).strip()
        line = lines.get(uid, 0)
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(Problem(line, f"more than {MAX_ROWS} events"))
            break
        try:
            rows.append(_ics_row(event, uid, line, zone, uid in recurring))
        except AppointmentError as error:
            problems.append(Problem(line, f"{error} ({_when(event)})"))
    return rows, problems


def _occurrences(calendar, zone: ZoneInfo, now: datetime) -> list:
    """Return the events from the start of today to a year ahead, in time order.

    Lazily, and at most MAX_ROWS + 1 of them: a rule that repeats every minute would
    otherwise expand to half a million occurrences before anything is checked.
    """
    start, _end = appointments.day_bounds(now, zone)
    end = now + WINDOW
    found = []
    for event in recurring_ical_events.of(calendar).after(start):
        moment = event["DTSTART"].dt
        if not isinstance(moment, datetime):
            moment = datetime(moment.year, moment.month, moment.day, tzinfo=zone)
        elif moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        if moment >= end or len(found) > MAX_ROWS:
            break
        found.append(event)
    return found


def _ics_row(event, uid: str, line: int, zone: ZoneInfo, repeats: bool) -> Row:
    if not uid:
        raise AppointmentError("an event without a UID")
    starts, ends = event["DTSTART"].dt, event["DTEND"].dt if "DTEND" in event else None
    if not isinstance(starts, datetime):
        raise AppointmentError("an all-day event, not an appointment")
    starts_at = _utc(starts, zone)
    minutes = None
    if isinstance(ends, datetime):
        minutes = int((_utc(ends, zone) - starts_at) // timedelta(minutes=1))
    recurrence = event.get("RECURRENCE-ID")
    instance = _utc(recurrence.dt, zone) if recurrence is not None and isinstance(
        recurrence.dt, datetime) else starts_at
    key = f"{uid}/{instance:%Y%m%dT%H%M%SZ}" if repeats else uid
    if len(key) > UID_MAX:
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    location = str(event.get("LOCATION", "")).strip()
    is_link = location.lower().startswith(("http://", "https://"))
    words = [*TOKEN.findall(str(event.get("SUMMARY", ""))), "\n",
             *TOKEN.findall(str(event.get("DESCRIPTION", "")))]
    return Row(line, tuple(words), starts_at, minutes, None if is_link else location or None,
               AppointmentKind.VIDEO if is_link else AppointmentKind.IN_PERSON, key)


def _utc(moment: datetime, zone: ZoneInfo) -> datetime:
    if moment.tzinfo is None:  # a floating time: the practice's wall clock
        return appointments.to_utc(moment, zone)
    return moment.astimezone(ZoneInfo("UTC"))


def _when(event) -> str:
    starts = event.get("DTSTART")
    value = starts.dt if starts is not None else None
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return "no start"


def _uid_lines(data: bytes) -> dict[str, int]:
    """Return the line of each UID in the file, so that a problem can point at it."""
    found: dict[str, int] = {}
    for number, raw in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        if raw.upper().startswith("UID"):
            _, _, value = raw.partition(":")
            found.setdefault(value.strip(), number)
    return found


# Planning and applying


def plan(rows: list[Row], problems: list[Problem], now: datetime) -> Plan:
    """Match rows to clients and rooms, and sort them into new, changed and unchanged."""
    result = Plan(problems=list(problems))
    with write_transaction() as session:
        clients = dict(session.execute(select(Client.reference, Client.id)).all())
        rooms = {name.casefold(): room_id
                 for room_id, name in session.execute(select(Room.id, Room.name))}
        default = appointments.default_minutes()
        imported = {uid: (appointment_id, starts, minutes, room_id) for
                    uid, appointment_id, starts, minutes, room_id in session.execute(
                        select(Appointment.import_uid, Appointment.id, Appointment.starts_at,
                               Appointment.minutes, Appointment.room_id)
                        .where(Appointment.import_uid.in_([row.uid for row in rows if row.uid])))}
        starts = [row.starts_at for row in rows if not row.uid]
        held = set(session.execute(
            select(Appointment.client_id, Appointment.starts_at)
            .where(Appointment.starts_at.in_(starts),
                   Appointment.state != AppointmentState.CANCELLED)).all()) if starts else set()
    seen: set = set()
    for row in rows:
        try:
            reference = _reference(row, clients)
            room_id = None
            if row.room:
                room_id = rooms.get(row.room.casefold())
                if room_id is None:
                    raise AppointmentError(f"no room called {row.room[:80]!r}")
            minutes = row.minutes if row.minutes is not None else default
            appointments.check_times(row.starts_at, minutes, now)
        except AppointmentError as error:
            result.problems.append(Problem(row.line, str(error)))
            continue
        client_id = clients[reference]
        key = row.uid or (client_id, row.starts_at)
        if key in seen:
            result.problems.append(Problem(row.line, "the same appointment appears twice"))
            continue
        seen.add(key)
        planned = Planned(row, client_id, reference, room_id, minutes)
        if row.uid and row.uid in imported:
            existing_id, *stored = imported[row.uid]
            if tuple(stored) == (row.starts_at, minutes, room_id):
                result.unchanged += 1
            else:
                result.changed.append(Planned(row, client_id, reference, room_id, minutes,
                                              existing_id))
        elif not row.uid and (client_id, row.starts_at) in held:
            result.unchanged += 1
        else:
            result.new.append(planned)
    result.problems.sort(key=lambda problem: problem.line)
    return result


def _reference(row: Row, clients: dict[str, int]) -> str:
    if row.uid is None:
        if row.names[0] not in clients:
            raise AppointmentError(f"no client with the reference {row.names[0][:64]!r}")
        return row.names[0]
    # The title first; the description only when the title names nobody.
    title, _, description = " ".join(row.names).partition("\n")
    for words in (title.split(), description.split()):
        named = {word for word in words if word in clients}
        if len(named) > 1:
            raise AppointmentError(f"names more than one client ({', '.join(sorted(named))})")
        if named:
            return named.pop()
    raise AppointmentError("names no client: put the client's reference in the title")


def apply(result: Plan, actor_id: int | None, now: datetime) -> int:
    """Write a plan with no problems in one transaction; return how many rows changed."""
    if result.problems:
        raise AppointmentError("a file with problems imports nothing")
    with write_transaction() as session:
        for planned in result.new:
            row = planned.row
            appointments.add(planned.client_id, row.starts_at, minutes=planned.minutes,
                             room_id=planned.room_id, kind=row.kind, actor_id=actor_id,
                             import_uid=row.uid, now=now)
        for planned in result.changed:
            appointments.move(planned.existing_id, planned.row.starts_at,
                              minutes=planned.minutes, room_id=planned.room_id,
                              kind=planned.row.kind, actor_id=actor_id, now=now)
        changed = len(result.new) + len(result.changed)
        if changed:
            audit.add(session, "appointments.imported", actor_id,
                      detail=f"new={len(result.new)} changed={len(result.changed)}")
    return changed
