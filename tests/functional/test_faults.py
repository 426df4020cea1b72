"""Faults: a write lock held past its time-out, a full database, a statement that runs too
long. Each gets the calm 503 page in the visitor's language, loses nothing, and the next
try after the fault goes through."""

from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, event, select, text

from intake.extensions import db
from intake.models import Answer
from tests.conftest import Kiosk, token_in
from tests.functional.test_kiosk_flow import INTAKE_ANSWERS


@pytest.fixture
def app_config():
    # Short waits, so that a held lock is met quickly; the defaults are tested below.
    return {"DATABASE_LOCK_TIMEOUT": timedelta(milliseconds=200)}


@contextmanager
def write_lock_held(app):
    """Hold the lock a kiosk step needs, from another connection, as another writer would."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_engine(url)
    with engine.connect() as holder:
        transaction = holder.begin()
        # Plain reads go on; a write or a SELECT ... FOR UPDATE waits.
        holder.execute(text("LOCK TABLE check_in, response, answer IN EXCLUSIVE MODE"))
        try:
            yield
        finally:
            transaction.rollback()
    engine.dispose()


def stored_answers(app) -> dict:
    with app.app_context():
        rows = db.session.execute(select(Answer.question, Answer.code)).all()
        db.session.remove()
    return dict(rows)


def test_a_held_write_lock_gives_the_calm_page_in_the_clients_language(app, kiosk,
                                                                       make_check_in):
    kiosk.choose_language("es")
    kiosk.start(make_check_in(questionnaire="intake").code)
    kiosk.answer(INTAKE_ANSWERS[0])
    path, html = kiosk.current()
    data = {"csrf_token": token_in(html), "beliefs": ["told_what_to_do"], "go": "next"}
    with write_lock_held(app):
        response = kiosk.client.post(path, data=data)
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert "No pudimos guardar esta página" in page  # calm, in the client's language
        # The step again, with what the client had chosen: pressing again is all it takes.
        assert re.search(r'value="told_what_to_do" checked', page)
        assert response.headers["Cache-Control"] == "no-store"
    assert stored_answers(app)["expected_length"] == "several"  # nothing lost
    assert kiosk.client.post(path, data=data).status_code == 302  # and it goes on
    assert stored_answers(app)["beliefs"] == "told_what_to_do"


def test_reads_do_not_wait_for_the_write_lock(app, client, login, make_staff, make_check_in):
    kiosk = Kiosk(app.test_client())  # a tablet, apart from the staff member's browser
    login(make_staff())
    assert client.get("/staff/surveys").status_code == 200
    kiosk.start(make_check_in(questionnaire="intake").code)
    with write_lock_held(app):
        assert client.get("/staff/surveys").status_code == 200
        assert client.get("/staff/").status_code == 200
        assert kiosk.client.get("/what-to-expect").status_code == 200
        path, html = kiosk.current()
        assert path.startswith("/checkin/") and "csrf_token" in html


def test_a_full_database_or_a_statement_too_long_is_calm_and_recovers(app, kiosk,
                                                                      make_check_in):
    kiosk.start(make_check_in(questionnaire="intake").code)
    for answers in INTAKE_ANSWERS[:9]:  # up to "what did not work last time"
        kiosk.answer(answers)
    path, html = kiosk.current()
    # A long text, in emoji (four bytes each), that needs new pages in the database.
    data = {"csrf_token": token_in(html), "prior_what_did_not_work": "😀" * 2000,
            "go": "next"}
    with app.app_context():
        engine = db.engine
        sqlite = engine.dialect.name == "sqlite"
        engine.dispose()
    if sqlite:
        own = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"),
                              isolation_level=None)
        own.execute("VACUUM")  # no free page left inside the file
        pages = own.execute("PRAGMA page_count").fetchone()[0]
        own.close()

    def no_room(dbapi_connection, _record):
        # SQLite reports a full database at this size without needing a full disk.
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    def too_slow(dbapi_connection, _record):
        # PostgreSQL has no size limit to set: a statement running past its time-out
        # (an insert made slow on purpose) stands for a database that cannot answer.
        dbapi_connection.execute(
            "CREATE OR REPLACE FUNCTION slow_answer() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_sleep(1); RETURN NEW; END $$")
        dbapi_connection.execute("DROP TRIGGER IF EXISTS slow_answer ON answer")
        dbapi_connection.execute("CREATE TRIGGER slow_answer BEFORE INSERT ON answer "
                                 "FOR EACH ROW EXECUTE FUNCTION slow_answer()")
        dbapi_connection.execute("SET statement_timeout = 300")
        dbapi_connection.commit()

    fault = no_room if sqlite else too_slow
    engine.dispose()
    event.listen(engine, "connect", fault)
    try:
        response = kiosk.client.post(path, data=data)
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert "We could not save this page just now" in page
        assert "😀" * 2000 in page  # what was typed is still there, to send again
    finally:
        event.remove(engine, "connect", fault)
        engine.dispose()
    if not sqlite:
        with engine.begin() as connection:
            connection.execute(text("DROP TRIGGER slow_answer ON answer"))
    assert stored_answers(app)["prior_therapy"] == "harmful"  # nothing lost
    assert "prior_what_did_not_work" not in stored_answers(app)
    assert kiosk.client.post(path, data=data).status_code == 302  # space again: it goes on
    assert "prior_what_did_not_work" in stored_answers(app)


def test_every_connection_waits_a_bounded_time(tmp_path):
    from intake import create_app
    from tests import databases
    from tests.conftest import settings

    url = databases.template_url(tmp_path, purpose="timeouts")
    app = create_app(settings(url))
    try:
        with app.app_context(), db.engine.connect() as connection:
            if db.engine.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
                assert connection.exec_driver_sql(
                    "PRAGMA journal_size_limit").scalar() == 4 * 1024 * 1024
            else:
                assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "5s"
                assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "15s"
        with app.app_context():
            db.engine.dispose()
    finally:
        databases.drop(url)


def test_a_staff_page_does_not_wait_to_refresh_the_idle_clock(app, client, login, make_staff):
    from sqlalchemy import update

    from intake.infra.database import write_transaction
    from intake.models import StaffSession, utcnow

    login(make_staff())
    with app.app_context(), write_transaction() as session:
        session.execute(update(StaffSession).values(last_seen_at=utcnow()
                                                    - timedelta(seconds=45)))
    with write_lock_held(app):
        assert client.get("/staff/surveys").status_code == 200
    assert client.get("/staff/surveys").status_code == 200
    with app.app_context():
        seen = db.session.scalar(select(StaffSession.last_seen_at))
        db.session.remove()
    assert utcnow() - seen < timedelta(seconds=30)  # refreshed once the lock was free
