"""Appointments on the staff side: add, move, cancel and mark; therapists only their own."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import Appointment, AuditEvent, CheckIn, Practice, Role, utcnow
from intake.practice import appointments
from tests.conftest import add_room, post

MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture
def desk(client, login, make_staff):
    login(make_staff(Role.FRONTDESK))
    return client


def stored(app):
    with app.app_context():
        return list(db.session.scalars(select(Appointment).order_by(Appointment.id)))


def form(days: int = 1, time: str = "10:00", minutes: int = 50, room: str = "",
         kind: str = "in_person") -> dict:
    day = (utcnow() + timedelta(days=days)).astimezone(MADRID)
    return {"day": f"{day:%Y-%m-%d}", "time": time, "minutes": str(minutes), "room": room,
            "kind": kind}


@pytest.fixture
def in_madrid(app):
    with app.app_context(), write_transaction() as session:
        session.execute(update(Practice).values(timezone="Europe/Madrid"))


def add(app, someone, hours: float = 24, **fields):
    with app.app_context():
        outcome = appointments.add(someone.id, utcnow() + timedelta(hours=hours), **fields)
        appointment_id = outcome.appointment.id
        db.session.remove()
    return appointment_id


def test_the_desk_adds_an_appointment_in_the_practices_time(app, desk, make_client, in_madrid):
    someone = make_client()
    room_id = add_room(app, "Room 1")
    path = f"/staff/clients/{someone.id}/appointments/new"
    page = desk.get(path).get_data(as_text=True)
    assert "Europe/Madrid" in page and 'value="50"' in page
    response = post(desk, path, form(room=str(room_id), minutes=45), token_from=path)
    assert response.status_code == 302
    [made] = stored(app)
    assert response.headers["Location"] == f"/staff/appointments/{made.id}"
    assert made.starts_at.astimezone(MADRID).strftime("%H:%M") == "10:00"
    assert (made.minutes, made.room_id, made.kind, made.state) == (45, room_id, "in_person",
                                                                   "scheduled")
    assert made.therapist_id == someone.therapist.id
    shown = desk.get(response.headers["Location"]).get_data(as_text=True)
    assert "Appointment added." in shown
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(
            AuditEvent.client_id == someone.id,
            AuditEvent.action.like("appointment.%"))) == "appointment.added"


def test_a_taken_therapist_or_room_is_a_warning_not_a_refusal(app, desk, make_client,
                                                              make_staff):
    therapist = make_staff()
    first, second = make_client(therapist=therapist), make_client(therapist=therapist)
    third = make_client()
    room_id = add_room(app, "Room 1")
    path = f"/staff/clients/{first.id}/appointments/new"
    post(desk, path, form(room=str(room_id)), token_from=path)
    path = f"/staff/clients/{second.id}/appointments/new"
    response = post(desk, path, form(time="10:30"), token_from=path, follow_redirects=True)
    assert "The therapist already has an appointment at that time" in response.get_data(
        as_text=True)
    path = f"/staff/clients/{third.id}/appointments/new"
    response = post(desk, path, form(time="10:20", room=str(room_id)), token_from=path,
                    follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The room is already taken at that time" in html and first.reference in html
    assert len(stored(app)) == 3


@pytest.mark.parametrize(("fields", "message"), [
    ({"minutes": "0"}, "Number must be between"),
    ({"minutes": "-50"}, "Number must be between"),
    ({"day": "2026-02-30"}, "Not a valid date"),
    ({"time": ""}, "This field is required"),
    ({"room": "9999"}, "Not a valid choice"),
])
def test_bad_input_is_refused_with_the_forms_error(app, desk, make_client, fields, message):
    someone = make_client()
    path = f"/staff/clients/{someone.id}/appointments/new"
    response = post(desk, path, {**form(), **fields}, token_from=path)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert stored(app) == []


def test_a_time_the_clocks_skip_is_refused_on_the_form(app, desk, make_client, in_madrid):
    someone = make_client()
    # Madrid's next spring-forward day: the last Sunday of March.
    today = utcnow().astimezone(MADRID)
    year = today.year + (1 if (today.month, today.day) >= (3, 25) else 0)
    march_end = [f"{year}-03-{day}" for day in range(25, 32)]
    sunday = next(day for day in march_end if date.fromisoformat(day).weekday() == 6)
    path = f"/staff/clients/{someone.id}/appointments/new"
    response = post(desk, path, {**form(), "day": sunday, "time": "02:30"}, token_from=path)
    assert "does not exist in Europe/Madrid" in response.get_data(as_text=True)
    assert stored(app) == []


def test_the_desk_moves_cancels_and_marks(app, desk, make_client, in_madrid):
    someone = make_client()
    appointment_id = add(app, someone)
    path = f"/staff/appointments/{appointment_id}"
    response = post(desk, path, form(days=2, time="16:15", minutes=30), token_from=path)
    assert response.headers["Location"] == path
    [moved] = stored(app)
    assert moved.starts_at.astimezone(MADRID).strftime("%H:%M") == "16:15"
    assert moved.minutes == 30
    post(desk, f"{path}/mark", {"state": "no_show"}, token_from=path)
    assert stored(app)[0].state == "no_show"
    post(desk, f"{path}/cancel", token_from=path)
    assert stored(app)[0].state == "cancelled"
    assert "Cancelled" in desk.get(path).get_data(as_text=True)
    post(desk, f"{path}/mark", {"state": "made_up"}, token_from=path)
    assert stored(app)[0].state == "cancelled"
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.client_id == someone.id, AuditEvent.action.like("appointment.%"))
            .order_by(AuditEvent.id)).all()
    assert actions == ["appointment.added", "appointment.moved", "appointment.no_show",
                       "appointment.cancelled"]


def test_a_therapist_adds_for_their_own_clients_only(app, client, login, make_client):
    mine = make_client()
    theirs = make_client()
    login(mine.therapist)
    path = f"/staff/clients/{mine.id}/appointments/new"
    assert post(client, path, form(), token_from=path).status_code == 302
    other = f"/staff/clients/{theirs.id}/appointments/new"
    assert client.get(other).status_code == 404
    assert post(client, other, form(), token_from=path).status_code == 404
    theirs_id = add(app, theirs)
    for route in ("", "/cancel", "/mark", "/check-in"):
        assert post(client, f"/staff/appointments/{theirs_id}{route}", {"state": "attended"},
                    token_from=path).status_code == 404, route
    assert client.get(f"/staff/appointments/{theirs_id}").status_code == 404
    # Their own appointment: they see it, but moving and cancelling are the desk's.
    [own] = [a for a in stored(app) if a.client_id == mine.id]
    assert client.get(f"/staff/appointments/{own.id}").status_code == 200
    assert post(client, f"/staff/appointments/{own.id}/cancel",
                token_from=path).status_code == 404
    assert post(client, f"/staff/appointments/{own.id}", form(days=3),
                token_from=path).status_code == 404


def test_checking_in_for_an_appointment_marks_it_attended(app, kiosk, desk, make_client):
    someone = make_client()
    appointment_id = add(app, someone, hours=0.2)
    response = post(desk, f"/staff/appointments/{appointment_id}/check-in",
                    token_from="/staff/today")
    with app.app_context():
        check_in = db.session.scalar(select(CheckIn))
        assert response.headers["Location"] == f"/staff/check-ins/{check_in.id}"
        assert (check_in.appointment_id, check_in.questionnaire) == (appointment_id,
                                                                     "pre_session")
        code = check_in.code
    assert stored(app)[0].state == "scheduled"
    kiosk.start(code)
    assert stored(app)[0].state == "attended"


def test_a_cancelled_appointment_stays_cancelled_and_starts_no_check_in(app, desk,
                                                                        make_client):
    someone = make_client()
    appointment_id = add(app, someone, hours=0.2)
    with app.app_context():
        appointments.cancel(appointment_id)
    post(desk, f"/staff/appointments/{appointment_id}/check-in", token_from="/staff/today")
    with app.app_context():
        assert db.session.scalar(select(func.count(CheckIn.id))) == 0


def test_the_survey_counts_only_attended_appointments(app, client, login, make_staff,
                                                      make_client):
    someone = make_client(reference="COUNTED")
    with app.app_context(), write_transaction() as session:
        session.execute(update(Practice).values(survey_every_appointments=2))
    ids = [add(app, someone, hours=-24 * days) for days in (9, 6, 3)]
    with app.app_context():
        appointments.mark(ids[0], "attended")
        appointments.mark(ids[1], "no_show")
        appointments.cancel(ids[2])
    login(make_staff(Role.FRONTDESK))
    assert "COUNTED" not in client.get("/staff/surveys").get_data(as_text=True)
    with app.app_context():
        appointments.mark(ids[1], "attended")
    assert "COUNTED" in client.get("/staff/surveys").get_data(as_text=True)


def test_the_dashboards_next_appointment_is_a_scheduled_one(app, client, login, make_client):
    someone = make_client()
    cancelled = add(app, someone, hours=2)
    with app.app_context():
        appointments.cancel(cancelled)
    login(someone.therapist)
    row = client.get("/staff/").get_data(as_text=True)
    assert "Next appointment" in row
    kept = add(app, someone, hours=48)
    with app.app_context():
        expected = db.session.get(Appointment, kept).starts_at
    html = client.get("/staff/").get_data(as_text=True)
    from flask_babel import format_datetime

    with app.test_request_context():
        assert format_datetime(expected, "short") in html


def test_erasing_a_client_removes_their_appointments(app, make_client):
    from intake.practice.erasure import erase_client

    someone = make_client()
    add(app, someone)
    with app.app_context():
        erase_client(None, someone.id, someone.reference)
    assert stored(app) == []
