"""The database: migrations match the models, SQLite is set up for many writers."""

import threading

from flask_migrate import downgrade, upgrade
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
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000,
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


def test_an_erased_clients_ids_are_never_given_to_the_next_one(app, make_client, make_response):
    from intake.models import Appointment, CheckIn, Client, Response
    from intake.practice import erasure

    someone = make_client()
    make_response(someone, "post_session", {"judged": "yes"})
    with app.app_context():
        before = {model: db.session.scalar(select(func.max(model.id)))
                  for model in (Client, Appointment, CheckIn, Response)}
        erasure.erase_client(None, someone.id, someone.reference)
        db.session.remove()
    after = make_client(therapist=someone.therapist)
    make_response(after, "post_session", {"judged": "no"})
    with app.app_context():
        for model, largest in before.items():
            assert db.session.scalar(select(func.min(model.id))) > largest, model
        db.session.remove()


def test_the_rebuilt_tables_keep_their_rows_children_and_triggers(tmp_path):
    url = databases.template_url(tmp_path, purpose="autoincrement")
    app = create_app(settings(url))
    try:
        with app.app_context():
            upgrade(revision="0005")
            with db.engine.begin() as connection:
                for statement in (
                    "INSERT INTO staff (id, email, name, role, password_hash, is_enabled, "
                    "failed_logins, created_at) VALUES (1, 't@example.org', '', 'therapist', "
                    "'x', true, 0, CURRENT_TIMESTAMP)",
                    "INSERT INTO client (id, reference, therapist_id, locale, created_at) "
                    "VALUES (7, 'C-7', 1, 'en', CURRENT_TIMESTAMP)",
                    "INSERT INTO check_in (id, client_id, questionnaire, code, link_nonce, "
                    "created_at, expires_at) VALUES (3, 7, 'pre_session', 'ABCDEF', 'n', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                    "INSERT INTO response (id, check_in_id, client_id, questionnaire, version, "
                    "locale, step, created_at, updated_at) VALUES (5, 3, 7, 'pre_session', 1, "
                    "'en', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                    "INSERT INTO answer (response_id, question, position, code) "
                    "VALUES (5, 'feeling', 0, 'good')",
                ):
                    connection.execute(text(statement))
            upgrade()
            with db.engine.begin() as connection:
                counts = connection.execute(text(
                    "SELECT (SELECT count(*) FROM client), (SELECT count(*) FROM check_in), "
                    "(SELECT count(*) FROM response), (SELECT count(*) FROM answer)")).one()
                assert tuple(counts) == (1, 1, 1, 1)
                clients = "SELECT number FROM revision WHERE id = 2"  # the clients topic
                revision = connection.execute(text(clients)).scalar()
            with db.engine.begin() as connection:  # PostgreSQL raises it at the commit
                connection.execute(text("UPDATE client SET locale = 'es'"))
            with db.engine.begin() as connection:
                assert connection.execute(text(clients)).scalar() > revision
                if db.engine.dialect.name == "sqlite":
                    # Rebuilt again by 0010, the check-in table keeps its AUTOINCREMENT.
                    schema = connection.execute(text(
                        "SELECT sql FROM sqlite_master WHERE name = 'check_in'")).scalar()
                    assert "AUTOINCREMENT" in schema
                if db.engine.dialect.name == "sqlite":
                    schema = connection.execute(text(
                        "SELECT sql FROM sqlite_master WHERE name = 'client'")).scalar()
                    assert "AUTOINCREMENT" in schema and "ck_client_survey_mode" in schema
            downgrade(revision="0005")
            with db.engine.begin() as connection:
                assert connection.execute(text(
                    "SELECT count(*) FROM answer JOIN response ON response.id = response_id "
                    "JOIN client ON client.id = response.client_id")).scalar() == 1
            upgrade()
            db.engine.dispose()
    finally:
        databases.drop(url)


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


def test_a_draft_commits_without_waiting_for_the_disk_a_submission_waits(app):
    from intake.infra.database import commit_without_waiting_for_disk, write_connection

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            # SQLite's promise for every commit: synchronous=NORMAL (1) in WAL mode.
            assert db.session.execute(text("PRAGMA synchronous")).scalar() == 1
            return
        with write_connection() as connection:
            commit_without_waiting_for_disk(connection)
            relaxed = connection.exec_driver_sql("SHOW synchronous_commit").scalar()
        with write_connection() as connection:
            after = connection.exec_driver_sql("SHOW synchronous_commit").scalar()
    assert (relaxed, after) == ("off", "on")  # for that one transaction only


def test_a_read_outside_a_transaction_leaves_the_next_writer_transactional(app):
    from intake.infra.database import read_once, write_transaction

    with app.app_context():
        db.engine.dispose()  # one pooled connection, shared by the read and the write
        assert read_once(select(func.count(Room.id)), {}) == [(0,)]
        try:
            with write_transaction() as session:
                session.add(Room(name="Blue room"))
                session.flush()
                raise RuntimeError("the request fails after its write")
        except RuntimeError:
            pass
        db.session.remove()
        assert read_once(select(func.count(Room.id)), {}) == [(0,)]  # rolled back
