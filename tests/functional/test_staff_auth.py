"""Staff login: default-deny, throttling per account, server-side sessions and time-outs."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import Role, StaffSession, utcnow
from tests.conftest import post


def test_the_login_page_is_the_only_staff_page_open_without_a_login(app, client):
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff.") or rule.endpoint == "staff.login":
            continue
        path = rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(path, method=method)
            if method == "POST":
                assert response.status_code in (302, 400), (rule, method)
            else:
                assert response.status_code == 302, (rule, method)
                assert response.headers["Location"] == "/staff/login"


def test_no_staff_page_is_reachable_from_a_client_session(app, kiosk, make_check_in):
    kiosk.start(make_check_in().code)
    kiosk.current()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("staff.") and rule.endpoint != "staff.login" and (
            "GET" in rule.methods
        ):
            path = rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1]
            response = kiosk.client.get(path)
            assert response.status_code == 302, rule
            assert response.headers["Location"] == "/staff/login"


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_a_therapist_logs_in_and_out(client, login, make_staff, locale):
    staff = make_staff(Role.THERAPIST, locale=locale)
    response = login(staff)
    assert response.headers["Location"] == "/staff/"
    page = client.get("/staff/").get_data(as_text=True)
    assert f'dir="{"rtl" if locale == "ar" else "ltr"}"' in page
    response = post(client, "/staff/logout", token_from="/staff/")
    assert response.headers["Location"] == "/staff/login"
    assert client.get("/staff/").headers["Location"] == "/staff/login"


def test_logout_needs_a_post(client, login, make_staff):
    login(make_staff())
    assert client.get("/staff/logout").status_code == 405
    assert client.get("/staff/").status_code == 200


def test_logout_ends_the_session_on_the_server(app, client, login, make_staff):
    login(make_staff())
    with client.session_transaction() as session:
        stolen = dict(session)
    post(client, "/staff/logout", token_from="/staff/")
    replay = app.test_client()
    with replay.session_transaction() as session:
        session.update(stolen)
    assert replay.get("/staff/").headers["Location"] == "/staff/login"


def test_login_starts_a_new_session(client, login, make_staff):
    client.get("/staff/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(make_staff())
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"]


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, login, make_staff):
    staff = make_staff()
    wrong = login(staff, password="not the password")
    text = wrong.get_data(as_text=True)
    assert "The email or the password is not right." in text
    unknown = post(client, "/staff/login", {"email": "nobody@example.org", "password": "x" * 12},
                   token_from="/staff/login")
    assert "The email or the password is not right." in unknown.get_data(as_text=True)


def test_an_account_is_locked_after_five_failures_whatever_the_address(
    app, client, login, make_staff
):
    staff = make_staff()
    for _ in range(5):
        login(staff, password="wrong password")
    other = app.test_client()  # another tablet on the same waiting-room network
    response = post(other, "/staff/login",
                    {"email": staff.email, "password": "correct horse battery"},
                    token_from="/staff/login")
    # A locked account says no more than an unknown one (test_login_throttle.py).
    assert "The email or the password is not right." in response.get_data(as_text=True)
    assert other.get("/staff/").headers["Location"] == "/staff/login"


def test_other_accounts_are_not_locked(client, login, make_staff):
    victim, colleague = make_staff(), make_staff()
    for _ in range(5):
        login(victim, password="wrong password")
    assert login(colleague).headers["Location"] == "/staff/"


@pytest.mark.parametrize("field,age", [("last_seen_at", timedelta(minutes=16)),
                                       ("created_at", timedelta(hours=9))])
def test_idle_and_absolute_time_outs(app, client, login, make_staff, field, age):
    login(make_staff())
    assert client.get("/staff/").status_code == 200
    with app.app_context():
        with write_transaction() as session:
            session.execute(update(StaffSession).values({field: utcnow() - age}))
        db.session.remove()
    assert client.get("/staff/").headers["Location"] == "/staff/login"


def test_login_without_csrf_is_refused_calmly(client, make_staff):
    staff = make_staff()
    response = client.post("/staff/login", data={"email": staff.email,
                                                 "password": "correct horse battery"})
    assert response.status_code == 400
    assert "Please start again" in response.get_data(as_text=True)


def test_a_disabled_account_cannot_log_in(app, client, login, make_staff):
    staff = make_staff()
    with app.app_context():
        from intake.models import Staff

        with write_transaction() as session:
            session.execute(update(Staff).where(Staff.id == staff.id).values(is_enabled=False))
    assert login(staff).status_code == 200
    assert client.get("/staff/").headers["Location"] == "/staff/login"
