"""The front desk's Today page: the day's appointments and where each one's check-ins stand.

Four queries whatever the number of appointments: the day's appointments with their
client, therapist and room; their check-ins; and which clients have a survey due (two).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Appointment, CheckIn, CheckInState, Client, Role, Room, Staff
from ..practice import surveys
from ..practice.accounts import Viewer
from ..practice.appointments import day_bounds
from ..practice.checkins import right_questionnaire

SHOWN = ("pre_session", "post_session", "periodic")


@dataclass(frozen=True)
class CheckInStatus:
    """Where one check-in of an appointment stands: not started unless there is one."""

    check_in_id: int | None = None
    state: str = "not_started"
    code: str | None = None

    @property
    def is_open(self) -> bool:
        return self.state in (CheckInState.WAITING, CheckInState.IN_PROGRESS)


NOT_STARTED = CheckInStatus()


@dataclass(frozen=True)
class TodayRow:
    appointment_id: int
    starts_at: datetime
    ends_at: datetime
    minutes: int
    kind: str
    state: str
    client_id: int
    reference: str
    therapist: str
    room: str | None
    pre: CheckInStatus
    post: CheckInStatus
    periodic: CheckInStatus
    survey_due: bool
    next_questionnaire: str | None  # what the one action starts (or shows, when open)

    @property
    def next_status(self) -> CheckInStatus:
        return {"pre_session": self.pre, "post_session": self.post,
                "periodic": self.periodic}.get(self.next_questionnaire or "", NOT_STARTED)


def day_for(viewer: Viewer, now: datetime, zone: ZoneInfo) -> list[TodayRow]:
    """Return today's appointments (in the practice's zone) this staff member may see."""
    start, end = day_bounds(now, zone)
    therapist = aliased(Staff)
    query = (
        select(Appointment.id, Appointment.starts_at, Appointment.minutes, Appointment.kind,
               Appointment.state, Client.id, Client.reference, therapist.name, therapist.email,
               Room.name)
        .join(Client, Client.id == Appointment.client_id)
        .join(therapist, therapist.id == Appointment.therapist_id)
        .outerjoin(Room, Room.id == Appointment.room_id)
        .where(Appointment.starts_at >= start, Appointment.starts_at < end)
        .order_by(Appointment.starts_at, Client.reference)
    )
    if viewer.role == Role.THERAPIST:
        query = query.where(Appointment.therapist_id == viewer.id)
    appointments = db.session.execute(query).all()
    if not appointments:
        return []
    ids = [row[0] for row in appointments]
    latest: dict[tuple[int, str], CheckInStatus] = {}
    finished: dict[int, set[str]] = {}
    for check_in in db.session.scalars(
        select(CheckIn).where(CheckIn.appointment_id.in_(ids),
                              CheckIn.questionnaire.in_(SHOWN))
        .order_by(CheckIn.id)
    ):
        state = check_in.state(now)
        if state == CheckInState.FINISHED:
            finished.setdefault(check_in.appointment_id, set()).add(check_in.questionnaire)
        # The latest one shows, unless an earlier one was finished (a later code then
        # expired unused, say): finished stays finished.
        key = (check_in.appointment_id, check_in.questionnaire)
        if latest.get(key, NOT_STARTED).state != CheckInState.FINISHED:
            latest[key] = CheckInStatus(check_in.id, state, check_in.code)
    due = surveys.due_among(sorted({row[5] for row in appointments}), now)
    rows = []
    for (appointment_id, starts_at, minutes, kind, state, client_id, reference, name, email,
         room) in appointments:
        is_live = state not in ("cancelled", "no_show")
        survey_due = client_id in due
        rows.append(TodayRow(
            appointment_id, starts_at, starts_at + timedelta(minutes=minutes), minutes, kind, state,
            client_id, reference, name or email, room,
            latest.get((appointment_id, "pre_session"), NOT_STARTED),
            latest.get((appointment_id, "post_session"), NOT_STARTED),
            latest.get((appointment_id, "periodic"), NOT_STARTED),
            survey_due,
            right_questionnaire(starts_at, now, finished.get(appointment_id, set()), survey_due)
            if is_live else None,
        ))
    return rows
