"""The Today page: the day's appointments, each check-in's state, one action, few queries."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import CheckIn, Practice, Role, utcnow
from intake.practice import appointments
from intake.practice.appointments import day_bounds, zone_named
from tests.conftest import add_room, counting_queries, post
from tests.timezones import noon_zone


def at(app, someone, when, **fields) -> int:
    with app.app_context():
        outcome = appointments.add(someone.id, when, **fields)
        appointment_id = outcome.appointment.id
        db.session.remove()
    return appointment_id


ZONE = noon_zone(utcnow())


@pytest.fixture(autouse=True)
def about_noon(app):
    """The practice's clock says about noon: an hour either side of now is still today."""
    with app.app_context(), write_transaction() as session:
        session.execute(update(Practice).values(timezone=ZONE))


def today_at(hours: float):
    """A time today on the practice's clock, `hours` after midnight."""
    start, _end = day_bounds(utcnow(), zone_named(ZONE))
    return start + timedelta(hours=hours)


@pytest.fixture
def desk(client, login, make_staff):
    login(make_staff(Role.FRONTDESK))
    return client


def test_the_front_desk_starts_its_day_on_today(client, login, make_staff):
    assert login(make_staff(Role.FRONTDESK)).headers["Location"] == "/staff/today"


def test_today_lists_the_days_appointments_in_time_order(app, desk, make_client, make_staff):
    ana = make_staff(name="Ana Ruiz")
    late, early = make_client(therapist=ana, reference="LATE"), make_client(reference="EARLY")
    room_id = add_room(app, "Garden room")
    at(app, late, today_at(20), room_id=room_id)
    at(app, early, today_at(1), kind="video")
    at(app, early, today_at(30))  # tomorrow
    at(app, early, today_at(-5))  # yesterday
    html = desk.get("/staff/today").get_data(as_text=True)
    assert html.index("EARLY") < html.index("LATE")
    assert len(re.findall(r'href="/staff/appointments/\d+"', html)) == 2
    assert "Garden room" in html and "Ana Ruiz" in html and "Video" in html
    assert '<meta http-equiv="refresh" content="30">' in html
    assert "<script" not in html


def test_a_therapist_sees_only_their_own_appointments(app, client, login, make_client):
    mine, theirs = make_client(reference="MINE"), make_client(reference="THEIRS")
    at(app, mine, today_at(10))
    at(app, theirs, today_at(11))
    login(mine.therapist)
    html = client.get("/staff/today").get_data(as_text=True)
    assert "MINE" in html and "THEIRS" not in html


def test_each_check_ins_state_and_the_one_action(app, desk, make_client):
    someone = make_client(reference="C-1")
    appointment_id = at(app, someone, utcnow() + timedelta(minutes=20))
    html = desk.get("/staff/today").get_data(as_text=True)
    assert html.count("Not started") == 2
    assert "Start pre-session check-in" in html
    response = post(desk, f"/staff/appointments/{appointment_id}/check-in",
                    token_from="/staff/today")
    check_in_page = desk.get(response.headers["Location"]).get_data(as_text=True)
    code = "".join(re.search(r'class="code" dir="ltr" translate="no">(\w{3}) (\w{3})<',
                             check_in_page).groups())
    assert "qr.svg" in check_in_page
    html = desk.get("/staff/today").get_data(as_text=True)
    assert "Waiting for the client" in html and f"{code[:3]} {code[3:]}" in html
    # The action now shows the open check-in instead of making another.
    assert "Show code" in html
    again = post(desk, f"/staff/appointments/{appointment_id}/check-in",
                 token_from="/staff/today")
    assert again.headers["Location"] == response.headers["Location"]
    tablet = app.test_client()
    post(tablet, "/start", {"code": code})
    html = desk.get("/staff/today").get_data(as_text=True)
    assert "In progress" in html
    with app.app_context(), write_transaction() as session:
        session.execute(update(CheckIn).values(finished_at=utcnow()))
    html = desk.get("/staff/today").get_data(as_text=True)
    assert "Finished" in html and "Start post-session feedback" in html
    post(desk, f"/staff/appointments/{appointment_id}/check-in", token_from="/staff/today")
    with app.app_context():
        assert db.session.scalars(select(CheckIn.questionnaire).order_by(CheckIn.id)).all() \
            == ["pre_session", "post_session"]


def test_after_the_start_the_action_is_post_session_feedback(app, desk, make_client):
    someone = make_client()
    at(app, someone, utcnow() - timedelta(minutes=30))
    assert "Start post-session feedback" in desk.get("/staff/today").get_data(as_text=True)


def test_a_due_survey_is_marked(app, desk, make_client):
    someone = make_client(reference="DUE")
    with app.app_context(), write_transaction() as session:
        session.execute(update(Practice).values(survey_every_appointments=1))
    at(app, someone, utcnow() - timedelta(days=3), state="attended")
    at(app, someone, utcnow() + timedelta(minutes=5))
    assert "Periodic survey due" in desk.get("/staff/today").get_data(as_text=True)


def test_the_query_count_does_not_grow_with_the_day(app, desk, make_client, make_staff):
    therapists = [make_staff() for _ in range(3)]
    room_id = add_room(app, "Room 1")

    def queries_for_a_day_of(count: int) -> int:
        for n in range(count):
            someone = make_client(therapist=therapists[n % 3])
            appointment_id = at(app, someone, today_at(0.5 + n * 0.3), room_id=room_id)
            post(desk, f"/staff/appointments/{appointment_id}/check-in",
                 token_from="/staff/today")
        desk.get("/staff/today")  # warm: the login and page cache are not what we count
        with app.app_context(), write_transaction() as session:
            session.execute(update(Practice).values(crisis_line=f"988-{count}"))
        with counting_queries(app) as statements:
            html = desk.get("/staff/today").get_data(as_text=True)
        assert html.count("Waiting for the client") >= count
        return len(statements)

    few = queries_for_a_day_of(2)
    many = queries_for_a_day_of(20)
    assert few == many
    # A handful: the page's own reads (PostgreSQL adds its per-transaction time-outs).
    assert many <= 12


@pytest.mark.parametrize("locale", ["en", "es", "ar", "zh_Hans"])
def test_the_days_pages_in_every_locale(app, client, login, make_staff, make_client, locale):
    someone = make_client()
    room_id = add_room(app, "Room 1")
    appointment_id = at(app, someone, utcnow() + timedelta(minutes=30), room_id=room_id)
    login(make_staff(Role.FRONTDESK, locale=locale))
    direction = "rtl" if locale == "ar" else "ltr"
    for path in ("/staff/today", f"/staff/appointments/{appointment_id}",
                 f"/staff/clients/{someone.id}/appointments/new",
                 f"/staff/clients/{someone.id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert f'dir="{direction}"' in html.split(">", 2)[1], path
        if locale != "en":
            # Every label of these pages is translated: none of their English shows.
            for english in ("Before the appointment", "Add appointment", "Move appointment",
                            "Add an appointment", "Not started"):
                assert english not in html, (path, english)


def test_a_kept_today_page_costs_one_statement_the_login_with_the_revisions(
        app, client, login, make_staff):
    login(make_staff(Role.FRONTDESK))
    client.get("/staff/today")
    with counting_queries(app) as statements:
        assert client.get("/staff/today").status_code == 200
    assert len(statements) == 1, statements
    assert "staff_session" in statements[0] and "revision" in statements[0]
