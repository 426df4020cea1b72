"""Periodic surveys: each client's schedule, and which clients have one due.

A practice sets a default (every N appointments, every M weeks, or off); a client
may have their own. A survey is due once N appointments have taken place, or M
weeks have passed, since the client's last periodic survey (or since they started);
overdue once half as much again has gone by.

Whatever the schedule, the survey is also due right after a client's second and third
appointments (unless the client's own schedule is off): it asks whether they are thinking
of stopping and whether they would prefer another therapist, and most clients who stop
early do so in the first few appointments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..infra.database import write_transaction
from ..models import (
    Appointment,
    AppointmentState,
    CheckIn,
    Client,
    Practice,
    Response,
    Role,
    Staff,
)
from . import audit
from .accounts import Viewer

MODES = ("off", "appointments", "weeks")
MAX_INTERVAL = 52
# After these appointments (counted from the first), the survey is due on any schedule.
EARLY_APPOINTMENTS = (2, 3)


class Due(StrEnum):
    NOT_YET = "not_yet"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Schedule:
    mode: str  # off | appointments | weeks
    interval: int | None = None
    # Asked after the EARLY_APPOINTMENTS too; only a client's own "off" turns this off.
    early: bool = True

    @classmethod
    def of_practice(cls, practice: Practice | None) -> Schedule:
        if practice and practice.survey_every_appointments:
            return cls("appointments", practice.survey_every_appointments)
        if practice and practice.survey_every_weeks:
            return cls("weeks", practice.survey_every_weeks)
        return cls("off")

    @classmethod
    def of_client(cls, client_mode: str | None, client_interval: int | None,
                  default: Schedule) -> Schedule:
        """A client's own schedule when set, else the practice's."""
        if client_mode is None:
            return default
        if client_mode == "off":
            return cls("off", early=False)
        return cls(client_mode, client_interval)


def status(schedule: Schedule, appointments_since: int, since: datetime,
           now: datetime, appointments_held: int = 0) -> Due:
    """Tell whether a survey is due under a schedule (a pure rule).

    `appointments_held` counts every attended appointment so far, for the early surveys.
    """
    if (schedule.early and appointments_since >= 1
            and appointments_held in EARLY_APPOINTMENTS):
        return Due.DUE
    if schedule.mode == "off" or not schedule.interval:
        return Due.NOT_YET
    if schedule.mode == "appointments":
        done, needed = appointments_since, schedule.interval
    else:
        done, needed = (now - since) // timedelta(weeks=1), schedule.interval
    if done >= needed + max(1, needed // 2):
        return Due.OVERDUE
    return Due.DUE if done >= needed else Due.NOT_YET


@dataclass(frozen=True)
class DueRow:
    client_id: int
    reference: str
    therapist: str
    schedule: Schedule
    due: Due
    appointments_since: int
    weeks_since: int
    last_survey_at: datetime | None
    open_check_in_id: int | None  # a periodic check-in already waiting or in progress
    appointments_held: int = 0  # every appointment so far

    @property
    def is_early(self) -> bool:
        """Tell whether it is due as one of the early surveys, whatever the schedule."""
        return (self.schedule.early and self.appointments_since >= 1
                and self.appointments_held in EARLY_APPOINTMENTS)


def due_list(staff: Viewer, now: datetime) -> list[DueRow]:
    """Return the clients this staff member may see whose periodic survey is due, overdue first.

    Two queries, whatever the number of clients.
    """
    therapist_id = staff.id if staff.role == Role.THERAPIST else None
    return _due_rows(now, therapist_id=therapist_id)


def due_among(client_ids: list[int], now: datetime) -> set[int]:
    """Return which of these clients have a periodic survey due (two queries)."""
    if not client_ids:
        return set()
    return {row.client_id for row in _due_rows(now, client_ids=client_ids)}


def _due_rows(now: datetime, therapist_id: int | None = None,
              client_id: int | None = None,
              client_ids: list[int] | None = None) -> list[DueRow]:
    default = Schedule.of_practice(db.session.scalar(select(Practice).limit(1)))
    last_survey = (
        select(Response.client_id, func.max(Response.submitted_at).label("at"))
        .where(Response.questionnaire == "periodic", Response.submitted_at.is_not(None))
        .group_by(Response.client_id)
        .subquery()
    )
    since = func.coalesce(last_survey.c.at, Client.created_at)
    held = (
        select(Appointment.client_id, func.count(Appointment.id).label("count"))
        .outerjoin(last_survey, last_survey.c.client_id == Appointment.client_id)
        # Appointments since the last survey; every appointment when there was none.
        # Only attended ones count: a cancelled or missed appointment is not therapy.
        .where(Appointment.starts_at <= now, Appointment.state == AppointmentState.ATTENDED,
               or_(last_survey.c.at.is_(None), Appointment.starts_at > last_survey.c.at))
        .group_by(Appointment.client_id)
        .subquery()
    )
    held_in_all = (
        select(Appointment.client_id, func.count(Appointment.id).label("count"))
        .where(Appointment.starts_at <= now, Appointment.state == AppointmentState.ATTENDED)
        .group_by(Appointment.client_id)
        .subquery()
    )
    open_check_in = (
        select(CheckIn.client_id, func.max(CheckIn.id).label("id"))
        .where(CheckIn.questionnaire == "periodic", CheckIn.finished_at.is_(None),
               CheckIn.cancelled_at.is_(None), CheckIn.expires_at > now)
        .group_by(CheckIn.client_id)
        .subquery()
    )
    therapist = aliased(Staff)
    query = (
        select(Client.id, Client.reference, therapist.name, therapist.email, Client.survey_mode,
               Client.survey_interval, func.coalesce(held.c.count, 0), since,
               last_survey.c.at, open_check_in.c.id, func.coalesce(held_in_all.c.count, 0))
        .join(therapist, therapist.id == Client.therapist_id)
        .outerjoin(last_survey, last_survey.c.client_id == Client.id)
        .outerjoin(held, held.c.client_id == Client.id)
        .outerjoin(held_in_all, held_in_all.c.client_id == Client.id)
        .outerjoin(open_check_in, and_(open_check_in.c.client_id == Client.id))
        .order_by(Client.reference)
    )
    if therapist_id is not None:
        query = query.where(Client.therapist_id == therapist_id)
    if client_id is not None:
        query = query.where(Client.id == client_id)
    if client_ids is not None:
        query = query.where(Client.id.in_(client_ids))
    rows = []
    for (client_id, reference, name, email, mode, interval, count, started, last_at,
         open_id, in_all) in db.session.execute(query):
        schedule = Schedule.of_client(mode, interval, default)
        due = status(schedule, count, started, now, in_all)
        if due is not Due.NOT_YET:
            rows.append(DueRow(client_id, reference, name or email, schedule, due, count,
                               (now - started) // timedelta(weeks=1), last_at, open_id,
                               in_all))
    return sorted(rows, key=lambda row: (row.due is not Due.OVERDUE, row.reference))


def is_due(client_id: int, now: datetime) -> bool:
    """Tell whether one client's periodic survey is due (for the offer after feedback)."""
    return any(not row.open_check_in_id for row in _due_rows(now, client_id=client_id))


def set_client_schedule(actor_id: int, client_id: int, mode: str | None,
                        interval: int | None) -> None:
    """Give a client their own schedule, or (mode None) the practice's."""
    if mode is not None and mode not in MODES:
        raise ValueError(f"unknown survey mode {mode!r}")
    if mode in ("appointments", "weeks") and not (interval and 1 <= interval <= MAX_INTERVAL):
        raise ValueError("the interval must be between 1 and 52")
    with write_transaction() as session:
        client = session.get(Client, client_id)
        client.survey_mode = mode
        client.survey_interval = interval if mode in ("appointments", "weeks") else None
        audit.add(session, "client.survey_schedule", actor_id, client_id, mode or "default")
