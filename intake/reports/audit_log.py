"""The audit log as an admin reads it: filtered, 50 a page, as CSV, and per client.

Events are stored as codes (intake/practice/audit.py); their labels are declared here once,
lazily, so that every reader sees them in their own language. Reading the log is itself an
event (audit.viewed, audit.exported), recorded by the caller's one call here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import AuditEvent, Client, Staff
from ..practice import audit
from .exports import neutralise

PAGE_SIZE = 50
BATCH = 500

# Every action the app records, with what a reader is told it means.
ACTIONS: dict[str, object] = {
    "brief.viewed": _l("Opened the client's answers"),
    "export.client": _l("Downloaded the client's answers"),
    "export.responses": _l("Downloaded every client's answers"),
    "alert.acknowledged": _l("Acknowledged an alert"),
    "client.survey_schedule": _l("Changed the client's survey schedule"),
    "client.reassigned": _l("Gave the client another therapist"),
    "client.erased": _l("Erased a client"),
    "check_in.created": _l("Started a check-in"),
    "check_in.cancelled": _l("Cancelled a check-in"),
    "check_in.new_code": _l("Gave a check-in a new code"),
    "check_in.emailed": _l("Emailed a check-in link"),
    # Translators: a client's unfinished answers were opened on another tablet or phone.
    "check_in.opened_elsewhere": _l("Opened a check-in on another device"),
    "appointment.added": _l("Added an appointment"),
    "appointment.moved": _l("Moved an appointment"),
    "appointment.attended": _l("Marked an appointment attended"),
    "appointment.cancelled": _l("Cancelled an appointment"),
    "appointment.no_show": _l("Marked an appointment missed"),
    "appointment.scheduled": _l("Marked an appointment scheduled"),
    "appointments.imported": _l("Imported appointments"),
    "practice.updated": _l("Changed the practice settings"),
    "practice.confidentiality_limits": _l("Changed the limits of confidentiality"),
    "consent.accepted": _l("The client agreed to go on"),
    "consent.declined": _l("The client chose not to go on"),
    "follow_up.open": _l("Opened a follow-up"),
    "follow_up.contacted": _l("Contacted the client about a follow-up"),
    "follow_up.resolved": _l("Resolved a follow-up"),
    "staff.added": _l("Added a staff member"),
    "staff.updated": _l("Changed a staff member's details"),
    "staff.clients_moved": _l("Moved a therapist's clients to another therapist"),
    "staff.enabled": _l("Let a staff member log in again"),
    "staff.disabled": _l("Stopped a staff member from logging in"),
    "staff.role_changed": _l("Changed a staff member's role"),
    "staff.password_reset": _l("Changed a staff member's password"),
    "two_factor.on": _l("Turned two-factor sign-in on"),
    "two_factor.off": _l("Turned two-factor sign-in off"),
    "room.added": _l("Added a room"),
    "room.renamed": _l("Renamed a room"),
    "room.deactivated": _l("Stopped offering a room"),
    "room.reactivated": _l("Offered a room again"),
    "audit.viewed": _l("Read the audit log"),
    "audit.exported": _l("Downloaded the audit log"),
}

# What counts as seeing or changing a client's answers, for the client's own list.
ABOUT_ANSWERS = ("brief.viewed", "export.client", "alert.acknowledged",
                 "client.survey_schedule", "client.reassigned")


def label(action: str) -> str:
    """Return what an action means, in the reader's language (the code if unknown)."""
    found = ACTIONS.get(action)
    return str(found) if found is not None else action


@dataclass(frozen=True)
class Filters:
    """Which events to show; every part optional."""

    staff_id: int | None = None
    client_id: int | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None
    nothing: bool = False  # the filters themselves were wrong: show no event

    def conditions(self) -> list:
        found = [false()] if self.nothing else []
        if self.staff_id is not None:
            found.append(AuditEvent.actor_id == self.staff_id)
        if self.client_id is not None:
            found.append(AuditEvent.client_id == self.client_id)
        if self.action:
            found.append(AuditEvent.action == self.action)
        if self.since:
            found.append(AuditEvent.at >= datetime.combine(self.since, time(), UTC))
        if self.until:
            found.append(AuditEvent.at < datetime.combine(self.until + timedelta(days=1),
                                                          time(), UTC))
        return found

    def summary(self) -> str:
        """Describe the filters for the audit event of reading them (ids, never names)."""
        parts = [f"staff_id={self.staff_id}" if self.staff_id is not None else "",
                 f"action={self.action}" if self.action else "",
                 f"since={self.since}" if self.since else "",
                 f"until={self.until}" if self.until else ""]
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class Entry:
    at: datetime
    staff: str | None  # None: done by the app itself (or a command)
    action: str
    client: str | None  # the client's reference; None when erased or not about a client
    detail: str

    @property
    def label(self) -> str:
        return label(self.action)


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    total: int
    number: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def client_id_of(reference: str) -> int | None:
    """Return the id of the client with this reference, if there is one."""
    return db.session.scalar(select(Client.id).where(Client.reference == reference.strip()))


def _entries(conditions: list):
    actor = aliased(Staff)
    return (
        select(AuditEvent.at, func.coalesce(func.nullif(actor.name, ""), actor.email),
               AuditEvent.action, Client.reference, AuditEvent.detail)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .outerjoin(Client, Client.id == AuditEvent.client_id)
        .where(*conditions)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )


def read_page(reader_id: int, filters: Filters, number: int) -> Page:
    """Return one page of events, newest first, and record that the reader read it."""
    conditions = filters.conditions()
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*conditions)) or 0
    number = max(1, min(number, -(-total // PAGE_SIZE) or 1))
    rows = db.session.execute(
        _entries(conditions).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).all()
    audit.record("audit.viewed", reader_id, filters.client_id, filters.summary())
    return Page([Entry(*row) for row in rows], total, number)


COLUMNS = ("time_utc", "time", "staff", "action", "action_label", "client_reference",
           "detail")


def export_csv(reader_id: int, filters: Filters,
               when: Callable[[datetime], str]) -> Iterator[str]:
    """Record the export, then return the matching events as CSV chunks, newest first.

    `when` writes a time for the reader; the first column keeps it in ISO UTC for software.
    """
    audit.record("audit.exported", reader_id, filters.client_id, filters.summary())
    statement = _entries(filters.conditions())

    def chunks() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(COLUMNS)
        rows = db.session.execute(statement.execution_options(yield_per=BATCH))
        for number, (at, staff, action, client, detail) in enumerate(rows, 1):
            writer.writerow([at.astimezone(UTC).isoformat(timespec="seconds"),
                             neutralise(when(at)), neutralise(staff or ""), action,
                             neutralise(label(action)), neutralise(client or ""),
                             neutralise(detail or "")])
            if number % BATCH == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return chunks()


def seen_by(reader_id: int, client_id: int) -> list[Entry]:
    """Return who has seen, exported or changed this client's answers, newest first.

    The practice-wide exports made since the client's record existed are included: every
    client's answers were in them. Reading this list is recorded too.
    """
    created_at = db.session.scalar(select(Client.created_at).where(Client.id == client_id))
    about = or_(
        and_(AuditEvent.client_id == client_id, AuditEvent.action.in_(ABOUT_ANSWERS)),
        and_(AuditEvent.action == "export.responses", AuditEvent.at >= created_at),
    )
    rows = db.session.execute(_entries([about])).all()
    audit.record("audit.viewed", reader_id, client_id, "seen_by")
    return [Entry(*row) for row in rows]
