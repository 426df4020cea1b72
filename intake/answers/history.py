"""A client's submitted responses, read as the brief rules need them: three queries.

Works on the request's ORM session or on a connection inside a write transaction (a
submission stores its alerts before it commits).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from ..brief import History, Record, Thresholds
from ..extensions import db
from ..models import Alert, Answer, Appointment, CheckIn, Practice, Response, Room, Staff
from .stored import COLUMNS, StoredAnswer, read_answers, values_of


def thresholds(executor=None) -> Thresholds:
    """Return the practice's alert settings."""
    row = (executor or db.session).execute(
        select(Practice.alert_score_drop, Practice.alert_alliance_floor,
               Practice.alert_score_floor, Practice.alert_silence_weeks).limit(1)
    ).first()
    if row is None:
        return Thresholds()
    drop, alliance, floor, silence = row
    return Thresholds(score_drop=drop, alliance_floor=alliance, score_floor=floor,
                      silence_weeks=silence)


def load_history(client_id: int, client_since: datetime, now: datetime,
                 executor=None, limits: Thresholds | None = None) -> History:
    """Read everything the brief rules need about one client."""
    executor = executor or db.session
    submitted = (Response.client_id == client_id, Response.submitted_at.is_not(None))
    responses = executor.execute(
        select(Response.id, Response.questionnaire, Response.version, Response.submitted_at,
               Response.locale, Appointment.starts_at, Room.name)
        .join(CheckIn, CheckIn.id == Response.check_in_id)
        .outerjoin(Appointment, Appointment.id == CheckIn.appointment_id)
        .outerjoin(Room, Room.id == Appointment.room_id)
        .where(*submitted)
    ).all()
    answers: dict[int, list[StoredAnswer]] = defaultdict(list)
    for answer in read_answers(executor.execute(
        select(*COLUMNS).join(Response, Response.id == Answer.response_id).where(*submitted)
    )):
        answers[answer.response_id].append(answer)
    records = [
        Record(id=id_, questionnaire=key, version=version, submitted_at=at, locale=locale,
               answers=values_of(key, answers[id_]), appointment_at=appointment_at,
               room=room)
        for id_, key, version, at, locale, appointment_at, room in responses
    ]
    acknowledged = {
        key: (name or email, at)
        for key, at, name, email in executor.execute(
            select(Alert.key, Alert.acknowledged_at, Staff.name, Staff.email)
            .join(Staff, Staff.id == Alert.acknowledged_by_id)
            .where(Alert.client_id == client_id, Alert.acknowledged_at.is_not(None))
        )
    }
    return History(records=records, acknowledged=acknowledged, now=now,
                   thresholds=limits or thresholds(executor), client_since=client_since)
