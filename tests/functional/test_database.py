"""The database: migrations match the models, SQLite is set up for many writers."""

import threading

from flask_migrate import upgrade
from sqlalchemy import func, select, text

from intake import create_app
from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import Room
from tests import databases
from tests.conftest import settings


def test_migrations_create_exactly_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    url = databases.template_url(tmp_path, purpose="migrations")
    app = create_app(settings(url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    databases.drop(url)
    assert diff == []


def test_connections_are_configured_for_concurrent_writers(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            # PostgreSQL needs nothing special: row locks (FOR UPDATE) serialize the writers.
            level = db.session.execute(text("SHOW transaction_isolation")).scalar()
            assert level == "read committed"
            return
        pragmas = {name: db.session.execute(text(f"PRAGMA {name}")).scalar()
                   for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")}
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000,
                       "synchronous": 1}


def test_twenty_concurrent_writers_lose_nothing(app):
    """Each thread reads, then writes, in one transaction: the pattern that loses rows
    with deferred transactions."""
    errors = []

    def write(n):
        with app.app_context():
            try:
                with write_transaction() as session:
                    count = session.scalar(select(func.count(Room.id)))
                    session.add(Room(name=f"room {n} after {count}"))
            except Exception as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(func.count(Room.id))) == 20


def test_a_failed_write_leaves_nothing_behind(app):
    with app.app_context():
        try:
            with write_transaction() as session:
                session.add(Room(name="half written"))
                session.flush()
                raise RuntimeError("worker killed mid-write")
        except RuntimeError:
            pass
        assert db.session.scalar(select(func.count(Room.id))) == 0


def test_a_single_read_converts_values_as_the_orm_does(app, make_staff):
    from sqlalchemy import bindparam

    from intake.infra.database import read_once
    from intake.models import Staff, utcnow

    staff = make_staff("therapist", name="Nour")
    statement = (
        select(Staff.id, Staff.name, Staff.is_enabled, Staff.created_at, Staff.locked_until)
        .where(Staff.id == bindparam("staff_id"),
               Staff.created_at < bindparam("before", type_=Staff.created_at.type))
    )
    with app.app_context():
        params = {"staff_id": staff.id, "before": utcnow()}
        expected = [tuple(row) for row in db.session.execute(statement, params)]
        assert read_once(statement, params) == expected
        assert expected[0][2] is True and expected[0][3].tzinfo is not None


def test_migration_0009_moves_the_old_default_floor_and_opens_follow_ups(tmp_path):
    from flask_migrate import downgrade

    url = databases.template_url(tmp_path, purpose="clinical")
    app = create_app(settings(url))
    try:
        with app.app_context():
            upgrade(revision="0008")
            with db.engine.begin() as connection:
                for statement in (
                    "INSERT INTO practice (id, name, crisis_line, emergency_number, "
                    "default_locale, alert_score_drop, alert_score_floor, alert_silence_weeks, "
                    "require_two_factor) VALUES (1, 'P', '', '', 'en', 3, 4, 4, false)",
                    "INSERT INTO staff (id, email, name, role, password_hash, is_enabled, "
                    "failed_logins, created_at) VALUES (1, 't@example.org', '', 'therapist', "
                    "'x', true, 0, CURRENT_TIMESTAMP)",
                    "INSERT INTO client (id, reference, therapist_id, locale, created_at) "
                    "VALUES (1, 'C-1', 1, 'en', CURRENT_TIMESTAMP)",
                    "INSERT INTO alert (client_id, key, kind, is_coordinator_only, raised_at) "
                    "VALUES (1, 'prefer_different_therapist:7', 'prefer_different_therapist', "
                    "true, CURRENT_TIMESTAMP)",
                    "INSERT INTO alert (client_id, key, kind, is_coordinator_only, raised_at) "
                    "VALUES (1, 'judged:7', 'judged', false, CURRENT_TIMESTAMP)",
                ):
                    connection.execute(text(statement))
            upgrade()
            with db.engine.connect() as connection:
                assert connection.execute(text(
                    "SELECT alert_score_floor, alert_alliance_floor FROM practice")).one() == (5, 7)
                assert connection.execute(text(
                    "SELECT alert_key, state FROM follow_up")).all() == [
                    ("prefer_different_therapist:7", "open")]
            downgrade(revision="0008")
            with db.engine.connect() as connection:
                assert connection.execute(text(
                    "SELECT alert_score_floor FROM practice")).scalar() == 4
            db.engine.dispose()
    finally:
        databases.drop(url)
