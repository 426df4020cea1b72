"""Fixtures: an app on a fresh migrated database per test, factories, and a CSRF-aware client."""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import event

from intake import create_app
from intake.extensions import db
from intake.infra.database import _Compiled, write_transaction
from intake.models import Practice, Role
from intake.practice import consent
from intake.practice.accounts import create_staff
from intake.practice.checkins import create_check_in
from intake.practice.clients import add_client
from intake.staff.blueprint import policy
from tests import databases

PASSWORD = "correct horse battery"
# One key file for every app of a test run (the browser tests' server too); the first app
# creates it, as a development install does.
TEXT_KEYS = Path(tempfile.mkdtemp(prefix="intake-test-keys-")) / "text_keys"
atexit.register(shutil.rmtree, TEXT_KEYS.parent, True)
TOKEN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def settings(database: Path | str, **overrides) -> dict:
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
        "TEXT_KEYS_FILE": str(TEXT_KEYS),
        **overrides,
    }


@pytest.fixture(autouse=True)
def _push_request_context():
    """Replace pytest-flask's: a request context held across a test would share `g` between
    requests, which no real request ever does."""
    yield


@pytest.fixture
def client(app):
    """Replace pytest-flask's, which keeps the last request's context (and its `g`) alive."""
    return app.test_client()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> str:
    """Build one database by running the real migrations; tests start from copies of it."""
    url = databases.template_url(tmp_path_factory.mktemp("template"))
    app = create_app(settings(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    databases.drop(url)


@pytest.fixture
def app_config() -> dict:
    """Override to change settings for one test module."""
    return {}


@pytest.fixture
def app(tmp_path, migrated_template, app_config):
    url = databases.copy(migrated_template, tmp_path)
    app = create_app(settings(url, **app_config))
    with app.app_context():
        with write_transaction() as session:
            session.add(Practice(name="Test Practice", crisis_line="988",
                                 emergency_number="911"))
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()
    databases.drop(url)


@pytest.fixture
def app_on_same_database(app):
    """Make another app on this test's database with other settings (a proxy in front);
    its connections are closed before the database goes."""
    made = []

    def make(**overrides):
        other = create_app(settings(app.config["SQLALCHEMY_DATABASE_URI"], **overrides))
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()


def token_in(html: str) -> str:
    """Return the CSRF token of the first form on a page."""
    match = TOKEN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def csrf_token(client, path: str = "/") -> str:
    """Return a valid CSRF token for the client's current session."""
    page = client.get(path).get_data(as_text=True)
    match = TOKEN.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def post(client, path: str, data: dict | None = None, token_from: str = "/", **kwargs):
    """POST a form with a valid CSRF token, as a browser would."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client, token_from))
    return client.post(path, data=data, **kwargs)


def export_client(client, path: str, file_format: str | None = None):
    """Ask for one client's export as the page's button does: a POST with the CSRF token."""
    data = {"format": file_format} if file_format else {}
    return post(client, f"{path}/export", data, token_from="/staff/")


@pytest.fixture
def make_staff(app):
    counter = iter(range(1, 10_000))

    def make(role: str = Role.THERAPIST, email: str | None = None, locale: str | None = None,
             name: str = ""):
        email = email or f"{role}{next(counter)}@example.org"
        with app.app_context():
            staff = create_staff(email, PASSWORD, role, policy(), name=name, locale=locale)
            staff_id = staff.id
            db.session.remove()
        return _Ref(id=staff_id, email=email)

    return make


@pytest.fixture
def make_client(app, make_staff):
    counter = iter(range(1, 10_000))

    def make(therapist=None, reference: str | None = None, locale: str = "en",
             consented: bool = True):
        """Make a client; one who has read the consent page and chose to go on, by default."""
        therapist = therapist or make_staff()
        reference = reference or f"C-{next(counter):04d}"
        with app.app_context():
            client = add_client(reference, therapist.email, locale, app.config["LOCALES"])
            client_id = client.id
            if consented:
                consent.record(client_id, "accepted", locale, None)
            db.session.remove()
        return _Ref(id=client_id, reference=reference, therapist=therapist)

    return make


@pytest.fixture
def make_check_in(app, make_client):
    def make(client=None, questionnaire: str = "intake", lifetime=timedelta(hours=24)):
        client = client or make_client()
        with app.app_context():
            check_in = create_check_in(client.id, questionnaire, lifetime)
            ref = _Ref(id=check_in.id, code=check_in.code, client=client,
                       link_nonce=check_in.link_nonce)
            db.session.remove()
        return ref

    return make


@contextmanager
def counting_queries(app):
    """Collect the SQL statements run inside the block, to prove a page's query count."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    # The hottest reads and writes run their compiled SQL on the DBAPI connection, past
    # SQLAlchemy's events (infra/database.py): count those too.
    compiled_run = _Compiled.run

    def run(self, dbapi_connection, params):
        statements.append(self.sql)
        return compiled_run(self, dbapi_connection, params)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    _Compiled.run = run
    try:
        yield statements
    finally:
        _Compiled.run = compiled_run
        event.remove(engine, "before_cursor_execute", record)


def add_room(app, name: str) -> int:
    """Add a room to the practice; return its id."""
    from intake.models import Room

    with app.app_context(), write_transaction() as session:
        room = Room(name=name)
        session.add(room)
        session.flush()
        return room.id


class _Ref:
    """A plain record of what a factory made, usable outside the app context."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


@pytest.fixture
def login(client):
    def do(staff, password: str = PASSWORD):
        return post(client, "/staff/login", {"email": staff.email, "password": password},
                    token_from="/staff/login")

    return do


class Kiosk:
    """Drives the client pages as a browser would: code, steps, Back and Continue."""

    def __init__(self, client):
        self.client = client

    def choose_language(self, code: str):
        return post(self.client, "/language", {"locale": code, "next": "/"})

    def start(self, code: str):
        return post(self.client, "/start", {"code": code})

    def current(self):
        """Follow to the current step; return (path, html)."""
        response = self.client.get("/checkin", follow_redirects=True)
        return response.request.path, response.get_data(as_text=True)

    def answer(self, data: dict | None = None, go: str = "next"):
        path, html = self.current()
        match = TOKEN.search(html)
        fields = dict(data or {})
        fields["csrf_token"] = match.group(1) or match.group(2)
        fields["go"] = go
        return self.client.post(path, data=fields)

    def finish(self, answers_by_step: list[dict]):
        for data in answers_by_step:
            response = self.answer(data)
        return response


@pytest.fixture
def kiosk(client):
    return Kiosk(client)


@pytest.fixture
def make_response(app):
    """Store a submitted response as if the client had filled it, and update the alerts."""
    from intake.answers.submit import record_response
    from intake.models import Appointment, utcnow

    def make(client, questionnaire: str, answers: dict, when=None, locale: str = "en",
             room_id: int | None = None):
        when = when or utcnow()
        with app.app_context():
            with write_transaction() as session:
                appointment_id = None
                if questionnaire in ("pre_session", "post_session"):
                    appointment = Appointment(client_id=client.id, therapist_id=client.therapist.id,
                                              starts_at=when, room_id=room_id,
                                              state="attended")
                    session.add(appointment)
                    session.flush()
                    appointment_id = appointment.id
                response_id = record_response(client.id, questionnaire, answers, locale, when,
                                              appointment_id)
            db.session.remove()
        return response_id

    return make
