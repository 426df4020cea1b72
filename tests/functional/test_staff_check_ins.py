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
    therapist = make_staff(Role.THERAPIST, locale="ar")  # reads the client's language
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
    assert 'id="check-in-link">https://checkin.example.org/link/' in page.get_data(as_text=True)


def test_the_check_in_page_shows_the_link_and_never_follows_it(app, desk, make_check_in):
    check_in = make_check_in()
    html = desk.get(f"/staff/check-ins/{check_in.id}").get_data(as_text=True)
    link = re.search(r'id="check-in-link">(http[^<]+/link/[^<]+)<', html)
    assert link, html
    # Nothing on the page opens the client's link: it is text to copy, not an address.
    assert f'href="{link.group(1)}"' not in html
    assert "Open the link" not in html
    assert 'data-copy="check-in-link"' in html and "/static/copy.js" in html
    with app.app_context():
        assert db.session.get(CheckIn, check_in.id).link_used_at is None


def test_a_finished_check_in_offers_no_code(app, desk, make_client, make_response):
    someone = make_client()
    make_response(someone, "post_session", {"listened": 8})
    html = desk.get(f"/staff/clients/{someone.id}").get_data(as_text=True)
    assert "Finished" in html
    assert "Show code" not in html


def test_create_code_with_nothing_chosen_shows_the_forms_error(app, desk, make_client):
    someone = make_client()
    response = post(desk, f"/staff/clients/{someone.id}/check-ins", {},
                    token_from=f"/staff/clients/{someone.id}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="field-error" role="alert" id="questionnaire-error">Please choose a ' \
           "questionnaire." in html
    assert 'aria-describedby="questionnaire-error"' in html
    with app.app_context():
        assert db.session.scalar(select(CheckIn.id)) is None


def test_the_check_in_list_names_questionnaires_for_staff_with_the_appointments_date(
        app, desk, make_client, make_response):
    someone = make_client()
    make_response(someone, "post_session", {"listened": 8})
    make_response(someone, "intake", {})
    html = desk.get(f"/staff/clients/{someone.id}").get_data(as_text=True)
    assert "Post-session feedback" in html and "Appointment of " in html
    assert "Intake" in html
    assert "After today's meeting" not in html and "Before your first meeting" not in html


def test_a_code_in_use_is_no_longer_shown_and_a_new_one_keeps_the_draft(app, desk,
                                                                       make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    path = f"/staff/check-ins/{check_in.id}"
    tablet = app.test_client()
    post(tablet, "/start", {"code": check_in.code})
    step = tablet.get("/checkin").headers["Location"]
    post(tablet, step, {"go": "next", "feeling_today": "4"}, token_from=step)
    page = desk.get(path).get_data(as_text=True)
    # Anyone at the desk screen could type it and read the unfinished answers.
    assert check_in.code[:3] not in page and "In progress on a device" in page
    assert desk.get(path + "/qr.svg").status_code == 404
    post(desk, path + "/new-code", token_from=path)
    page = desk.get(path).get_data(as_text=True)
    new = "".join(re.search(r'class="code" dir="ltr" translate="no">(\w{3}) (\w{3})<',
                            page).groups())
    assert new != check_in.code
    assert post(app.test_client(), "/start", {"code": check_in.code}).headers["Location"] == "/"
    # The old device lost its hold; the new code goes on with the same draft.
    assert tablet.get("/checkin").headers["Location"] == "/"
    other = app.test_client()
    assert post(other, "/start", {"code": new}).headers["Location"] == "/checkin"
    assert other.get("/checkin").headers["Location"] == "/checkin/topics"
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "check_in.new_code" in actions


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
    assert 'id="check-in-link">http://127.0.0.1:5000/link/' in page
    assert "evil.example" not in page
    svg = desk.get(f"/staff/check-ins/{check_in.id}/qr.svg", headers=forged)
    assert svg.status_code == 200
    plain = behind_proxy.test_client()
    post(plain, "/staff/login", {"email": staff.email, "password": PASSWORD},
         token_from="/staff/login")
    assert plain.get(f"/staff/check-ins/{check_in.id}/qr.svg").data == svg.data
