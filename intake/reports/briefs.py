"""The therapist's brief from the database: load a client's history, keep alerts current.

The rules themselves are pure functions in intake.brief; this module only reads what
they need, in a fixed number of queries whatever the length of the history, and
stores what they decide (raised alerts, acknowledgements).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from ..answers.responses import from_rows, opened
from ..brief import Audience, Brief, History, Record, Thresholds, build_brief
from ..extensions import db
from ..infra.database import upsert, write_connection, write_transaction
from ..infra.keeping import Shelf
from ..models import (
    Alert,
    Answer,
    Appointment,
    CheckIn,
    Client,
    ClientView,
    Practice,
    Response,
    Room,
    Staff,
    utcnow,
)
from ..practice import audit
from ..practice.accounts import Viewer
from ..questionnaires import REGISTRY

ALERT_KEY = re.compile(r"^[a-z_]+:[0-9a-z-]{1,40}$")
KINDS = {key: {q.key: q.kind for q in qn.questions()} for key, qn in REGISTRY.items()}


def thresholds(session: Session | None = None) -> Thresholds:
    """Return the practice's alert settings."""
    row = (session or db.session).execute(
        select(Practice.alert_score_drop, Practice.alert_score_floor,
               Practice.alert_silence_weeks).limit(1)
    ).first()
    return Thresholds(*row) if row else Thresholds()


def load_history(client: Client, now: datetime, session: Session | None = None) -> History:
    """Read everything the brief rules need about one client: three queries."""
    session = session or db.session
    responses = session.execute(
        select(Response.id, Response.questionnaire, Response.submitted_at, Response.locale,
               Appointment.starts_at, Room.name)
        .join(CheckIn, CheckIn.id == Response.check_in_id)
        .outerjoin(Appointment, Appointment.id == CheckIn.appointment_id)
        .outerjoin(Room, Room.id == Appointment.room_id)
        .where(Response.client_id == client.id, Response.submitted_at.is_not(None))
    ).all()
    rows: dict[int, list[tuple]] = {}
    for answer in opened(session.execute(
        select(Answer.response_id, Answer.question, Answer.position, Answer.code,
               Answer.number, Answer.text, Answer.sealed_with)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.client_id == client.id, Response.submitted_at.is_not(None))
    ), with_response_id=True):
        rows.setdefault(answer[0], []).append(answer[1:])
    records = [
        Record(id=id_, questionnaire=key, submitted_at=at, locale=locale,
               answers=from_rows(rows.get(id_, ()), KINDS.get(key, {})),
               appointment_at=appointment_at, room=room)
        for id_, key, at, locale, appointment_at, room in responses
    ]
    acknowledged = {
        key: (name or email, at)
        for key, at, name, email in session.execute(
            select(Alert.key, Alert.acknowledged_at, Staff.name, Staff.email)
            .join(Staff, Staff.id == Alert.acknowledged_by_id)
            .where(Alert.client_id == client.id, Alert.acknowledged_at.is_not(None))
        )
    }
    return History(records=records, acknowledged=acknowledged, now=now,
                   thresholds=thresholds(session), client_since=client.created_at)


def audience_of(staff: Viewer) -> Audience:
    """Admins read the brief as the practice coordinator; therapists as the therapist."""
    return Audience.COORDINATOR if staff.role == "admin" else Audience.THERAPIST


@dataclass
class Kept:
    """A built brief, and what was drawn from it in each language (charts)."""

    brief: Brief
    drawn: dict = field(default_factory=dict)

    def drawing(self, name: str, draw):
        """Return what `draw(brief)` made for this name, drawing it the first time."""
        if name not in self.drawn:
            self.drawn[name] = draw(self.brief)
        return self.drawn[name]


def record_view(staff_id: int, client_id: int, now: datetime) -> None:
    """Record a look at a client's brief: an audit event, and "seen until now"."""
    seen = upsert(ClientView, keys=["staff_id", "client_id"], changing=["seen_at"])
    with write_connection() as connection:
        audit.add(connection, "brief.viewed", staff_id, client_id)
        connection.execute(seen, {"staff_id": staff_id, "client_id": client_id, "seen_at": now})


_BRIEFS = Shelf("briefs", 32)


def cached_brief(client: Client, audience: Audience, now: datetime) -> Kept:
    """Return the brief, rebuilt only when something it depends on has changed.

    A long history takes tens of milliseconds to read and sum up; a therapist opens the
    same brief several times around an appointment. The key holds everything the brief
    depends on: the last submission, the acknowledgements, the thresholds and the day
    (silence is counted in days), so a stale brief is never shown.
    """
    acknowledged = db.session.execute(
        select(func.count(Alert.id), func.max(Alert.acknowledged_at))
        .where(Alert.client_id == client.id, Alert.acknowledged_at.is_not(None))
    ).one()
    limits = thresholds()
    key = (client.id, str(audience), client.last_response_at, tuple(acknowledged), limits,
           now.date())
    return _BRIEFS.get(key, lambda: Kept(build_brief(
        replace(load_history(client, now), thresholds=limits), audience)))


def refresh_alerts(session: Session, client_id: int, now: datetime) -> None:
    """Store the alerts a client's answers raise, after a submission (same transaction)."""
    client = session.get(Client, client_id)
    history = load_history(client, now, session)
    everyone = build_brief(history, Audience.COORDINATOR).alerts
    for_therapist = {alert.key for alert in build_brief(history, Audience.THERAPIST).alerts}
    known = set(session.scalars(select(Alert.key).where(Alert.client_id == client_id)))
    new = [
        {"client_id": client_id, "key": alert.key, "kind": alert.kind, "raised_at": alert.at,
         "is_coordinator_only": alert.key not in for_therapist}
        for alert in everyone
        if alert.key not in known and not alert.key.startswith("silence:")
    ]
    if new:
        session.execute(insert(Alert), new)
    if history.records:
        client.last_response_at = max(record.submitted_at for record in history.records)


def acknowledge(staff: Viewer, client: Client, keys: list[str]) -> int:
    """Mark some of a client's current alerts as seen by this staff member; return how many.

    Keys that are malformed, unknown or already acknowledged change nothing, so a
    double tap or a forged key is harmless.
    """
    wanted = {key for key in keys if ALERT_KEY.match(key)}
    if not wanted:
        return 0
    brief = cached_brief(client, audience_of(staff), utcnow()).brief
    current = {alert.key: alert for alert in brief.alerts if alert.key in wanted}
    now = utcnow()
    done = 0
    with write_transaction() as session:
        stored = set(session.scalars(
            select(Alert.key).where(Alert.client_id == client.id, Alert.key.in_(current))))
        for key, alert in current.items():
            if key not in stored:
                # Silence alerts are raised by time passing, not by a submission: keep them now.
                session.add(Alert(client_id=client.id, key=key, kind=alert.kind,
                                  raised_at=alert.at, acknowledged_by_id=staff.id,
                                  acknowledged_at=now))
                changed = 1
            else:
                changed = session.execute(
                    update(Alert)
                    .where(Alert.client_id == client.id, Alert.key == key,
                           Alert.acknowledged_at.is_(None))
                    .values(acknowledged_by_id=staff.id, acknowledged_at=now)
                ).rowcount
            if changed:
                audit.add(session, "alert.acknowledged", staff.id, client.id, alert.kind)
                done += 1
    return done
