"""Migration 0006 on a database with appointments: their data, their children, the triggers."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from intake import create_app
from intake.extensions import db
from tests import databases
from tests.conftest import settings

BEFORE = (
    "INSERT INTO staff (id, email, name, role, password_hash, is_enabled, failed_logins, "
    "created_at) VALUES (1, 't@example.org', '', 'therapist', 'x', true, 0, CURRENT_TIMESTAMP)",
    "INSERT INTO client (id, reference, therapist_id, locale, created_at) "
    "VALUES (1, 'C-1', 1, 'en', CURRENT_TIMESTAMP)",
    "INSERT INTO room (id, name, is_active) VALUES (1, 'Room 1', true)",
    # 1: past, the client checked in; 2: past, no check-in; 3: next week.
    "INSERT INTO appointment (id, client_id, therapist_id, room_id, starts_at) VALUES "
    "(1, 1, 1, 1, CURRENT_TIMESTAMP - INTERVAL '7 days')",
    "INSERT INTO appointment (id, client_id, therapist_id, room_id, starts_at) VALUES "
    "(2, 1, 1, 1, CURRENT_TIMESTAMP - INTERVAL '3 days')",
    "INSERT INTO appointment (id, client_id, therapist_id, room_id, starts_at) VALUES "
    "(3, 1, 1, NULL, CURRENT_TIMESTAMP + INTERVAL '7 days')",
    "INSERT INTO check_in (id, client_id, appointment_id, questionnaire, code, link_nonce, "
    "created_at, expires_at, started_at) VALUES (1, 1, 1, 'post_session', 'ABCDEF', 'n', "
    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
)


def sqlite_interval(statement: str, dialect: str) -> str:
    """SQLite writes date arithmetic as datetime(); PostgreSQL as intervals."""
    if dialect != "sqlite":
        return statement
    for days in ("7", "3"):
        statement = statement.replace(f"CURRENT_TIMESTAMP - INTERVAL '{days} days'",
                                      f"datetime('now', '-{days} days')")
        statement = statement.replace(f"CURRENT_TIMESTAMP + INTERVAL '{days} days'",
                                      f"datetime('now', '+{days} days')")
    return statement


def test_0006_keeps_appointments_their_check_ins_and_the_revision_triggers(tmp_path):
    url = databases.template_url(tmp_path, purpose="appointments")
    app = create_app(settings(url))
    try:
        with app.app_context():
            upgrade(revision="0005")
            dialect = db.engine.dialect.name
            with db.engine.begin() as connection:
                for statement in BEFORE:
                    connection.execute(text(sqlite_interval(statement, dialect)))
            upgrade()
            with db.engine.begin() as connection:
                rows = connection.execute(text(
                    "SELECT id, state, minutes, kind, import_uid FROM appointment ORDER BY id"
                )).all()
                assert [tuple(row) for row in rows] == [
                    (1, "attended", 50, "in_person", None),  # checked in: it took place
                    (2, "scheduled", 50, "in_person", None),
                    (3, "scheduled", 50, "in_person", None),
                ]
                # The rebuild kept the check-in's link to its appointment.
                assert connection.execute(text(
                    "SELECT appointment_id FROM check_in")).scalar() == 1
                # The revision triggers still cover the appointment table (its topic: clients).
                clients = "SELECT number FROM revision WHERE id = 2"
                before = connection.execute(text(clients)).scalar()
                connection.execute(text("UPDATE appointment SET minutes = 45 WHERE id = 2"))
            with db.engine.connect() as connection:
                assert connection.execute(text(clients)).scalar() > before
            with pytest.raises(IntegrityError), db.engine.begin() as connection:
                connection.execute(text("UPDATE appointment SET state = 'maybe' WHERE id = 2"))
            with pytest.raises(IntegrityError), db.engine.begin() as connection:
                connection.execute(text("UPDATE appointment SET minutes = -5 WHERE id = 2"))
            downgrade(revision="0005")
            with db.engine.connect() as connection:
                assert connection.execute(text("SELECT count(*) FROM appointment")).scalar() == 3
                assert connection.execute(text(
                    "SELECT appointment_id FROM check_in")).scalar() == 1
            upgrade()
            db.engine.dispose()
    finally:
        databases.drop(url)
