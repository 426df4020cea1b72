"""The audit log is append-only in the database itself, whatever code runs against it."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import AuditEvent, Role
from intake.practice import audit


@pytest.fixture
def event_id(app, make_staff, make_client):
    actor, someone = make_staff(Role.ADMIN), make_client()
    with app.app_context():
        audit.record("brief.viewed", actor.id, someone.id, detail="C-0001")
        found = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
        db.session.remove()
    return found


@pytest.mark.parametrize("change", [
    {"action": "nothing.happened"}, {"at": datetime(2020, 1, 1, tzinfo=UTC)},
    {"actor_id": "other"}, {"client_id": "other"},
], ids=["action", "time", "actor", "client"])
def test_an_event_cannot_be_rewritten(app, event_id, change, make_staff, make_client):
    # Another existing staff member or client: only the trigger can refuse it.
    if change.get("actor_id") == "other":
        change = {"actor_id": make_staff().id}
    if change.get("client_id") == "other":
        change = {"client_id": make_client().id}
    with app.app_context(), pytest.raises(DBAPIError), write_transaction() as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(**change))


def test_an_event_cannot_be_deleted(app, event_id):
    with app.app_context(), pytest.raises(DBAPIError), write_transaction() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == event_id))
    with app.app_context():
        assert db.session.get(AuditEvent, event_id) is not None
        db.session.remove()


def test_erasing_a_client_may_unlink_and_redact_an_event(app, event_id):
    with app.app_context(), write_transaction() as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == event_id)
                        .values(client_id=None, detail="[erased client]"))
    with app.app_context():
        event = db.session.get(AuditEvent, event_id)
        assert (event.action, event.client_id, event.detail) == (
            "brief.viewed", None, "[erased client]")
        db.session.remove()
