"""Front desk and therapists start, show and cancel check-ins; nobody sees another's clients."""

import re

import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.models import AuditEvent, CheckIn, Client, Role
from tests.conftest import PASSWORD, post


@pytest.fixture
def desk(client, login, make_staff):
    login(make_staff(Role.FRONTDESK))
    return client


def test_the_front_desk_starts_a_check_in_and_the_client_uses_it(app, desk, make_client):
    someone = make_client()
    response = post(desk, f"/staff/clients/{someone.id}/check-ins",
                    {"questionnaire": "pre_session"}, token_from=f"/staff/clients/{someone.id}")
    assert response.status_code == 302
    page = desk.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r'class="code" dir="ltr" translate="no">(\w{3}) (\w{3})<', page)
    assert code, page
    assert "Waiting" in page
    qr = desk.get(response.headers["Location"] + "/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    tablet = app.test_client()
    assert post(tablet, "/start", {"code": code.group(1) + code.group(2)}).headers[
        "Location"] == "/checkin"
    assert "In progress" in desk.get(response.headers["Location"]).get_data(as_text=True)


def test_cancelling_a_check_in_stops_its_code(app, desk, make_check_in):
    check_in = make_check_in()
    post(desk, f"/staff/check-ins/{check_in.id}/cancel",
         token_from=f"/staff/check-ins/{check_in.id}")
    assert "Cancelled" in desk.get(f"/staff/check-ins/{check_in.id}").get_data(as_text=True)
    tablet = app.test_client()
    assert post(tablet, "/start", {"code": check_in.code}).headers["Location"] == "/"
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "check_in.cancelled" in actions


def test_an_unknown_questionnaire_is_refused(app, desk, make_client):
    someone = make_client()
    post(desk, f"/staff/clients/{someone.id}/check-ins", {"questionnaire": "survey"},
         token_from=f"/staff/clients/{someone.id}")
    with app.app_context():
        assert db.session.scalar(select(CheckIn)) is None


def test_the_front_desk_adds_a_client_by_reference(app, desk, make_staff):
    therapist = make_staff(Role.THERAPIST)
    response = post(desk, "/staff/clients/new", {"reference": "R-77",
                                                 "therapist": therapist.email, "locale": "ar"},
                    token_from="/staff/clients/new")
    assert response.status_code == 302
    again = post(desk, "/staff/clients/new", {"reference": "R-77",
                                              "therapist": therapist.email, "locale": "ar"},
                 token_from="/staff/clients/new")
    assert again.status_code == 200 and "already used" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Client.locale).where(Client.reference == "R-77")) == "ar"


def test_a_therapist_cannot_add_clients(client, login, make_staff):
    login(make_staff(Role.THERAPIST))
    assert client.get("/staff/clients/new").status_code == 404


def test_a_therapist_sees_only_their_own_clients(client, login, make_staff, make_client,
                                                 make_check_in):
    me, colleague = make_staff(), make_staff()
    mine = make_client(therapist=me)
    theirs = make_client(therapist=colleague)
    their_check_in = make_check_in(client=theirs)
    login(me)
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert mine.reference in dashboard and theirs.reference not in dashboard
    assert client.get(f"/staff/clients/{mine.id}").status_code == 200
    for path in (f"/staff/clients/{theirs.id}", f"/staff/check-ins/{their_check_in.id}",
                 f"/staff/check-ins/{their_check_in.id}/qr.svg"):
        assert client.get(path).status_code == 404, path
    for path in (f"/staff/clients/{theirs.id}/check-ins",
                 f"/staff/check-ins/{their_check_in.id}/cancel"):
        assert post(client, path, {"questionnaire": "intake"},
                    token_from="/staff/").status_code == 404, path


def test_the_qr_link_uses_the_configured_address(app, desk, make_check_in):
    app.config["BASE_URL"] = "https://checkin.example.org"
    check_in = make_check_in()
    page = desk.get(f"/staff/check-ins/{check_in.id}")
    assert 'href="https://checkin.example.org/link/' in page.get_data(as_text=True)


def test_a_forged_host_never_reaches_the_link_or_the_qr_code(app, make_staff, make_check_in,
                                                             app_on_same_database):
    # Behind one proxy, X-Forwarded-Host becomes the request's host (as a forged Host would
    # without a proxy; the test client would not send the login cookie to another host).
    forged = {"X-Forwarded-Host": "evil.example"}
    # INTAKE_BASE_URL left unset: development's own address, never the request's.
    behind_proxy = app_on_same_database(BEHIND_PROXY=1)
    desk = behind_proxy.test_client()
    staff = make_staff(Role.FRONTDESK)
    post(desk, "/staff/login", {"email": staff.email, "password": PASSWORD},
         token_from="/staff/login")
    check_in = make_check_in()
    page = desk.get(f"/staff/check-ins/{check_in.id}", headers=forged).get_data(as_text=True)
    assert 'href="http://127.0.0.1:5000/link/' in page
    assert "evil.example" not in page
    svg = desk.get(f"/staff/check-ins/{check_in.id}/qr.svg", headers=forged)
    assert svg.status_code == 200
    plain = behind_proxy.test_client()
    post(plain, "/staff/login", {"email": staff.email, "password": PASSWORD},
         token_from="/staff/login")
    assert plain.get(f"/staff/check-ins/{check_in.id}/qr.svg").data == svg.data
