"""Coordinator follow-ups: contacting a client who would prefer a different therapist.

A follow-up is opened with the alert that asks for it, when the client submits the
survey (answers/alerts.py). The coordinator moves it to contacted, then resolved (or back
to open); each change is an audit event, and the events are its trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select

from ..extensions import db
from ..infra.database import write_transaction
from ..models import AuditEvent, Client, FollowUp, FollowUpState, Staff, utcnow
from . import audit

STATES = tuple(FollowUpState)
ACTION = "follow_up.{state}"
LIMIT = 100


class FollowUpNotFound(LookupError):
    """No follow-up has this id."""


@dataclass(frozen=True)
class Step:
    """One change in a follow-up's trail."""

    at: datetime
    state: str
    by: str


@dataclass(frozen=True)
class FollowUpRow:
    id: int
    client_id: int
    reference: str
    therapist: str
    state: str
    created_at: datetime
    trail: list[Step]


def _detail(follow_up_id: int) -> str:
    return f"follow-up {follow_up_id}"


def follow_up_list() -> list[FollowUpRow]:
    """Return the follow-ups, open ones first, then contacted, then resolved; newest first."""
    order = case({FollowUpState.OPEN: 0, FollowUpState.CONTACTED: 1}, value=FollowUp.state,
                 else_=2)
    rows = db.session.execute(
        select(FollowUp.id, FollowUp.client_id, Client.reference, Staff.name, Staff.email,
               FollowUp.state, FollowUp.created_at)
        .join(Client, Client.id == FollowUp.client_id)
        .join(Staff, Staff.id == Client.therapist_id)
        .order_by(order, FollowUp.created_at.desc())
        .limit(LIMIT)
    ).all()
    trails: dict[str, list[Step]] = {}
    if rows:
        events = db.session.execute(
            select(AuditEvent.detail, AuditEvent.at, AuditEvent.action, Staff.name, Staff.email)
            .outerjoin(Staff, Staff.id == AuditEvent.actor_id)
            .where(AuditEvent.action.in_([ACTION.format(state=s) for s in STATES]),
                   AuditEvent.detail.in_([_detail(row.id) for row in rows]))
            .order_by(AuditEvent.at, AuditEvent.id))
        for detail, at, action, name, email in events:
            trails.setdefault(detail, []).append(
                Step(at, action.removeprefix("follow_up."), name or email or ""))
    return [FollowUpRow(id_, client_id, reference, name or email, state, created_at,
                        trails.get(_detail(id_), []))
            for id_, client_id, reference, name, email, state, created_at in rows]


def change_state(actor_id: int, follow_up_id: int, state: str) -> bool:
    """Move a follow-up to a state; return whether it changed. Each change is audited."""
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    with write_transaction() as session:
        follow_up = session.get(FollowUp, follow_up_id)
        if follow_up is None:
            raise FollowUpNotFound(follow_up_id)
        if follow_up.state == state:
            return False
        follow_up.state = state
        follow_up.changed_at = utcnow()
        follow_up.changed_by_id = actor_id
        audit.add(session, ACTION.format(state=state), actor_id, follow_up.client_id,
                  _detail(follow_up_id))
    return True

