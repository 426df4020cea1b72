"""The staff start page: a staff member's clients, those that need attention first.

One query for the page of rows and one for the count, whatever the number of
clients: attention is worked out by the database from the kept alerts, the last
response, the last time this staff member opened the brief and the next appointment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..infra.database import read_once
from ..models import (
    Alert,
    Appointment,
    AppointmentState,
    CheckIn,
    CheckInState,
    Client,
    ClientView,
    Practice,
    Role,
    Staff,
)
from ..practice.accounts import Viewer

PAGE_SIZE = 50


@dataclass(frozen=True)
class Row:
    client_id: int
    reference: str
    locale: str
    therapist: str
    open_alerts: int  # always 0 for the front desk: alerts come from answers
    has_new_answers: bool
    # Set when nothing came from the client (an answer, an attended appointment) for too
    # long and nothing is booked.
    silent_weeks: int | None
    next_appointment_at: datetime | None
    check_in_questionnaire: str | None
    check_in_state: CheckInState | None

    @property
    def needs_attention(self) -> bool:
        return bool(self.open_alerts or self.has_new_answers or self.silent_weeks)


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    number: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


_LAST_LOOK = select(func.max(ClientView.seen_at)).where(
    ClientView.staff_id == bindparam("staff_id"))


def last_look(staff_id: int) -> datetime | None:
    """Return when this staff member last opened any brief ("new answers" depend on it)."""
    return read_once(_LAST_LOOK, {"staff_id": staff_id})[0][0]


def page_for(staff: Viewer, now: datetime, search: str = "", number: int = 1) -> Page:
    """Return one page of the clients this staff member may see, attention first."""
    reads_answers = staff.role in (Role.THERAPIST, Role.ADMIN)
    silence_weeks = db.session.scalar(select(Practice.alert_silence_weeks).limit(1)) or 4
    quiet_since = now - timedelta(weeks=silence_weeks)

    alerts = select(Alert.client_id, func.count(Alert.id).label("open")).where(
        Alert.acknowledged_at.is_(None)
    )
    if staff.role != Role.ADMIN:
        alerts = alerts.where(Alert.is_coordinator_only.is_(False))
    alerts = alerts.group_by(Alert.client_id).subquery()
    upcoming = (
        select(Appointment.client_id, func.min(Appointment.starts_at).label("next_at"))
        .where(Appointment.starts_at > now, Appointment.state == AppointmentState.SCHEDULED)
        .group_by(Appointment.client_id)
        .subquery()
    )
    latest = (
        select(CheckIn.client_id, func.max(CheckIn.id).label("id"))
        .group_by(CheckIn.client_id)
        .subquery()
    )
    check_in = aliased(CheckIn)
    therapist = aliased(Staff)
    seen = (
        select(ClientView.client_id, ClientView.seen_at)
        .where(ClientView.staff_id == staff.id)
        .subquery()
    )
    open_count = func.coalesce(alerts.c.open, 0) if reads_answers else literal(0)
    is_new = and_(
        Client.last_response_at.is_not(None),
        or_(seen.c.seen_at.is_(None), Client.last_response_at > seen.c.seen_at),
    ) if reads_answers else literal(False)
    # Quiet: neither an answer nor an attended appointment for the practice's silence
    # setting, and nothing booked ahead: the client may have stopped coming.
    attended = (
        select(Appointment.client_id, func.max(Appointment.starts_at).label("at"))
        .where(Appointment.starts_at <= now, Appointment.state == AppointmentState.ATTENDED)
        .group_by(Appointment.client_id)
        .subquery()
    )
    answered = func.coalesce(Client.last_response_at, Client.created_at)
    last_heard = case((attended.c.at > answered, attended.c.at), else_=answered)
    is_quiet = and_(last_heard < quiet_since, upcoming.c.next_at.is_(None))

    query = (
        select(
            Client.id, Client.reference, Client.locale, therapist.name, therapist.email,
            open_count, is_new, is_quiet, last_heard,
            upcoming.c.next_at, check_in.questionnaire, check_in.expires_at,
            check_in.started_at, check_in.finished_at, check_in.cancelled_at,
        )
        .join(therapist, therapist.id == Client.therapist_id)
        .outerjoin(alerts, alerts.c.client_id == Client.id)
        .outerjoin(upcoming, upcoming.c.client_id == Client.id)
        .outerjoin(attended, attended.c.client_id == Client.id)
        .outerjoin(latest, latest.c.client_id == Client.id)
        .outerjoin(check_in, check_in.id == latest.c.id)
        .outerjoin(seen, seen.c.client_id == Client.id)
    )
    counted = select(func.count(Client.id))
    if staff.role == Role.THERAPIST:
        query = query.where(Client.therapist_id == staff.id)
        counted = counted.where(Client.therapist_id == staff.id)
    if search:
        matches = Client.reference.contains(search.strip(), autoescape=True)
        query, counted = query.where(matches), counted.where(matches)
    total = db.session.scalar(counted)
    number = max(1, number)
    ordered = query.order_by(
        case((open_count > 0, 0), else_=1),
        case((is_new, 0), else_=1),
        case((is_quiet, 0), else_=1) if reads_answers else literal(1),
        case((upcoming.c.next_at.is_(None), 1), else_=0),
        upcoming.c.next_at,
        Client.reference,
    ).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    rows = [_row(values, now, reads_answers) for values in db.session.execute(ordered)]
    return Page(rows, total or 0, number)


def _row(values, now: datetime, reads_answers: bool) -> Row:
    (client_id, reference, locale, name, email, open_alerts, is_new, is_quiet, last,
     next_at, questionnaire, expires_at, started_at, finished_at, cancelled_at) = values
    state = None
    if questionnaire is not None:
        # The same rule as CheckIn.state, on the columns this query already read.
        probe = CheckIn(expires_at=expires_at, started_at=started_at, finished_at=finished_at,
                        cancelled_at=cancelled_at)
        state = probe.state(now)
    return Row(
        client_id=client_id,
        reference=reference,
        locale=locale,
        therapist=name or email,
        open_alerts=int(open_alerts or 0),
        has_new_answers=bool(is_new),
        silent_weeks=(now - last).days // 7 if reads_answers and is_quiet else None,
        next_appointment_at=next_at,
        check_in_questionnaire=questionnaire,
        check_in_state=state,
    )
