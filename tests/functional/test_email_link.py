"""Emailing the intake link: a real SMTP server, the client's language, no address kept."""

import email
import re
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from intake.extensions import db
from intake.models import AuditEvent, CheckIn, Role
from tests.conftest import post


class Inbox:
    """An SMTP handler that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it so
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(
            envelope.content, policy=policy.default)))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def desk_for(app, client, login, make_staff, url):
    app.config["SMTP_URL"] = url
    login(make_staff(Role.FRONTDESK))
    return client


@pytest.mark.parametrize(("locale", "greeting"), [("en", "Hello,"), ("es", "Hola:"),
                                                  ("ar", "مرحبًا،")])
def test_the_desk_emails_the_intake_link_in_the_clients_language(
        app, client, login, make_staff, make_client, inbox, locale, greeting):
    handler, port = inbox
    desk = desk_for(app, client, login, make_staff,
                    f"smtp://127.0.0.1:{port}/?from=desk@practice.example")
    someone = make_client(locale=locale)
    page = f"/staff/clients/{someone.id}"
    assert "Email the intake link" in desk.get(page).get_data(as_text=True)
    response = post(desk, f"{page}/email-intake", {"address": "client@mail.example"},
                    token_from=page)
    assert response.headers["Location"] == page
    assert "The intake link was emailed" in desk.get(page).get_data(as_text=True)
    [(recipients, message)] = handler.messages
    assert recipients == ["client@mail.example"]
    assert "Test Practice" in message["Subject"] and "Test Practice" in message["From"]
    body = message.get_content()
    assert greeting in body
    with app.app_context():
        check_in = db.session.scalar(select(CheckIn))
        assert check_in.questionnaire == "intake" and check_in.client_id == someone.id
        events = db.session.execute(select(AuditEvent.action, AuditEvent.detail)
                                    .where(AuditEvent.client_id == someone.id)).all()
    assert "/link/" in body
    # Nothing clinical in it, and the address nowhere in the database.
    for word in ("therap", "terap", "intake"):
        assert word not in body.lower() and word not in message["Subject"].lower()
    assert ("check_in.emailed", f"check_in_id={check_in.id}") in events
    assert all("mail.example" not in detail for _, detail in events)


def test_without_smtp_the_button_is_not_offered(app, client, login, make_staff, make_client):
    login(make_staff(Role.FRONTDESK))
    someone = make_client()
    page = f"/staff/clients/{someone.id}"
    assert "Email the intake link" not in client.get(page).get_data(as_text=True)
    assert post(client, f"{page}/email-intake", {"address": "a@b.example"},
                token_from=page).status_code == 404


def test_a_bad_address_shows_the_forms_error(app, client, login, make_staff, make_client,
                                             inbox):
    handler, port = inbox
    desk = desk_for(app, client, login, make_staff, f"smtp://127.0.0.1:{port}/?from=d@p.example")
    someone = make_client()
    page = f"/staff/clients/{someone.id}"
    response = post(desk, f"{page}/email-intake", {"address": "not an address"},
                    token_from=page)
    assert response.status_code == 400
    assert "Please type an email address." in response.get_data(as_text=True)
    assert handler.messages == []


def test_a_server_that_is_down_sends_nothing_and_keeps_nothing(app, client, login, make_staff,
                                                               make_client):
    desk = desk_for(app, client, login, make_staff,
                    f"smtp://127.0.0.1:{free_port()}/?from=d@p.example")
    someone = make_client()
    page = f"/staff/clients/{someone.id}"
    post(desk, f"{page}/email-intake", {"address": "client@mail.example"}, token_from=page)
    assert "The email could not be sent" in desk.get(page).get_data(as_text=True)
    with app.app_context():
        check_in = db.session.scalar(select(CheckIn))
        assert check_in.cancelled_at is not None


def test_the_front_desk_only(app, client, login, make_client):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:1/?from=d@p.example"
    someone = make_client()
    login(someone.therapist)
    page = f"/staff/clients/{someone.id}"
    assert post(client, f"{page}/email-intake", {"address": "a@b.example"},
                token_from=page).status_code == 404


def test_the_address_is_kept_sealed_only_while_the_practice_says_so(
        app, client, login, make_staff, make_client, inbox):
    from sqlalchemy import update

    from intake.infra.database import write_transaction
    from intake.models import Client, Practice

    handler, port = inbox
    desk = desk_for(app, client, login, make_staff,
                    f"smtp://127.0.0.1:{port}/?from=desk@practice.example")
    someone = make_client()
    page = f"/staff/clients/{someone.id}"

    def stored():
        with app.app_context():
            value = db.session.scalar(select(Client.email).where(Client.id == someone.id))
            db.session.remove()
            return value

    post(desk, f"{page}/email-intake", {"address": "first@mail.example"}, token_from=page)
    assert stored() is None  # by default the address is used once
    with app.app_context(), write_transaction() as session:
        session.execute(update(Practice).values(keep_client_email=True))
    post(desk, f"{page}/email-intake", {"address": "kept@mail.example"}, token_from=page)
    assert stored() is not None and "kept@mail.example" not in stored()  # sealed
    assert 'value="kept@mail.example"' in desk.get(page).get_data(as_text=True)
    # An admin turns keeping off: every kept address is forgotten.
    admin = app.test_client()
    login_as = make_staff(Role.ADMIN)
    post(admin, "/staff/login", {"email": login_as.email, "password": "correct horse battery"},
         token_from="/staff/login")
    settings = admin.get("/staff/admin/settings").get_data(as_text=True)
    form = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', settings))
    form.pop("keep_client_email", None)
    form.pop("require_two_factor", None)
    form["survey_mode"] = "off"
    response = post(admin, "/staff/admin/settings", form, token_from="/staff/admin/settings")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert stored() is None
    assert len(handler.messages) == 2
