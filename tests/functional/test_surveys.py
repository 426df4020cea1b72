"""Periodic surveys: the due list, a client's own schedule, the offer after feedback."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import CheckIn, Client, Practice, Role, utcnow
from tests.conftest import post, token_in


@pytest.fixture
def every_two_appointments(app):
    with app.app_context():
        with write_transaction() as session:
            session.execute(update(Practice).values(survey_every_appointments=2))
        db.session.remove()


def post_session(make_response, someone, days_ago):
    make_response(someone, "post_session", {"listened": 9},
                  when=utcnow() - timedelta(days=days_ago))


def test_a_client_is_due_after_n_appointments(client, login, make_staff, make_client,
                                              make_response, every_two_appointments):
    therapist = make_staff(Role.THERAPIST)
    one, two = make_client(therapist=therapist, reference="ONE"), make_client(
        therapist=therapist, reference="TWO")
    post_session(make_response, one, 10)
    # TWO had the early surveys' appointments, a survey, then two more appointments.
    for days in (20, 15, 12):
        post_session(make_response, two, days)
    make_response(two, "periodic", {"thinking_of_stopping": "no"},
                  when=utcnow() - timedelta(days=11))
    for days in (10, 3):
        post_session(make_response, two, days)
    login(therapist)
    html = client.get("/staff/surveys").get_data(as_text=True)
    assert "TWO" in html and "ONE" not in html
    assert "2 appointments since the last survey" in html


def test_a_survey_resets_the_count(client, login, make_staff, make_client, make_response,
                                   every_two_appointments):
    therapist = make_staff(Role.THERAPIST)
    someone = make_client(therapist=therapist, reference="DONE")
    for days in (12, 10, 8):  # past the early surveys (after the 2nd and 3rd appointments)
        post_session(make_response, someone, days)
    make_response(someone, "periodic", {"thinking_of_stopping": "no"},
                  when=utcnow() - timedelta(days=7))
    post_session(make_response, someone, 2)
    login(therapist)
    assert "DONE" not in client.get("/staff/surveys").get_data(as_text=True)


def test_weeks_schedules_and_overrides(app, client, login, make_staff, make_client,
                                       make_response):
    therapist = make_staff(Role.THERAPIST)
    someone = make_client(therapist=therapist, reference="WEEKLY")
    with app.app_context():
        with write_transaction() as session:
            session.execute(update(Client).values(created_at=utcnow() - timedelta(weeks=3)))
        db.session.remove()
    login(therapist)
    assert "WEEKLY" not in client.get("/staff/surveys").get_data(as_text=True)  # practice: off
    post(client, f"/staff/clients/{someone.id}/survey-schedule",
         {"mode": "weeks", "interval": "2"}, token_from=f"/staff/clients/{someone.id}")
    html = client.get("/staff/surveys").get_data(as_text=True)
    assert "WEEKLY" in html and "3 weeks since the last survey" in html
    post(client, f"/staff/clients/{someone.id}/survey-schedule",
         {"mode": "off"}, token_from=f"/staff/clients/{someone.id}")
    assert "WEEKLY" not in client.get("/staff/surveys").get_data(as_text=True)


def test_a_bad_schedule_is_refused(app, client, login, make_staff, make_client):
    therapist = make_staff(Role.THERAPIST)
    someone = make_client(therapist=therapist)
    login(therapist)
    for data in ({"mode": "weeks"}, {"mode": "weeks", "interval": "99"}, {"mode": "daily"}):
        post(client, f"/staff/clients/{someone.id}/survey-schedule", data,
             token_from=f"/staff/clients/{someone.id}")
    with app.app_context():
        assert db.session.get(Client, someone.id).survey_mode is None


def test_the_front_desk_starts_a_due_survey_with_one_action(app, client, login, make_staff,
                                                            make_client, make_response,
                                                            every_two_appointments):
    someone = make_client(reference="DUE-1")
    for days in (10, 3):
        post_session(make_response, someone, days)
    login(make_staff(Role.FRONTDESK))
    html = client.get("/staff/surveys").get_data(as_text=True)
    assert "DUE-1" in html and "Start the survey" in html
    response = post(client, f"/staff/clients/{someone.id}/check-ins",
                    {"questionnaire": "periodic"}, token_from="/staff/surveys")
    assert response.headers["Location"].startswith("/staff/check-ins/")
    html = client.get("/staff/surveys").get_data(as_text=True)
    assert "Show code" in html  # started: no second check-in offered


def test_other_therapists_clients_are_not_listed(client, login, make_staff, make_client,
                                                 make_response, every_two_appointments):
    someone = make_client(reference="NOT-MINE")
    for days in (10, 3):
        post_session(make_response, someone, days)
    login(make_staff(Role.THERAPIST))
    assert "NOT-MINE" not in client.get("/staff/surveys").get_data(as_text=True)
    assert post(client, f"/staff/clients/{someone.id}/survey-schedule", {"mode": "off"},
                token_from="/staff/").status_code == 404


@pytest.mark.parametrize("locale", ["en", "es"])
def test_the_kiosk_offers_the_survey_after_post_session_feedback(
    app, kiosk, make_client, make_check_in, make_response, every_two_appointments, locale
):
    someone = make_client(locale=locale)
    post_session(make_response, someone, 7)
    check_in = make_check_in(client=someone, questionnaire="post_session")
    with app.app_context():
        with write_transaction() as session:
            from intake.models import Appointment

            appointment = Appointment(client_id=someone.id, therapist_id=someone.therapist.id,
                                      starts_at=utcnow() - timedelta(hours=1))
            session.add(appointment)
            session.flush()
            session.execute(update(CheckIn).where(CheckIn.id == check_in.id)
                            .values(appointment_id=appointment.id))
        db.session.remove()
    kiosk.start(check_in.code)
    kiosk.finish([{"listened": "8"}, {}])
    thanks = kiosk.client.get("/thanks").get_data(as_text=True)
    assert 'action="/thanks/survey"' in thanks
    response = post(kiosk.client, "/thanks/survey", token_from="/thanks")
    assert response.headers["Location"] == "/checkin"
    path, html = kiosk.current()
    assert path.startswith("/checkin/")
    assert f'<html lang="{locale}"' in html
    with app.app_context():
        periodic = db.session.scalar(select(CheckIn).where(CheckIn.questionnaire == "periodic"))
        assert periodic.client_id == someone.id
        assert periodic.appointment_id is not None


def test_the_client_may_decline_the_survey(app, kiosk, make_client, make_check_in,
                                           make_response, every_two_appointments):
    someone = make_client()
    post_session(make_response, someone, 7)
    post_session(make_response, someone, 3)
    check_in = make_check_in(client=someone, questionnaire="post_session")
    kiosk.start(check_in.code)
    kiosk.finish([{}, {}])
    assert "One more short survey?" in kiosk.client.get("/thanks").get_data(as_text=True)
    kiosk.client.get("/done")
    assert post(kiosk.client, "/thanks/survey", token_from="/").headers["Location"] == "/done"
    with app.app_context():
        assert db.session.scalar(select(CheckIn).where(CheckIn.questionnaire == "periodic")) is None


def test_no_offer_when_nothing_is_due(kiosk, make_client, make_check_in):
    check_in = make_check_in(questionnaire="post_session")
    kiosk.start(check_in.code)
    kiosk.finish([{}, {}])
    assert "One more short survey?" not in kiosk.client.get("/thanks").get_data(as_text=True)


def test_a_double_tap_on_finish_keeps_the_offer(app, kiosk, make_client, make_check_in,
                                                make_response, every_two_appointments):
    from tests.conftest import token_in

    someone = make_client()
    post_session(make_response, someone, 7)
    post_session(make_response, someone, 3)
    check_in = make_check_in(client=someone, questionnaire="post_session")
    kiosk.start(check_in.code)
    kiosk.answer({})
    path, html = kiosk.current()
    data = {"csrf_token": token_in(html), "go": "next"}
    with kiosk.client.session_transaction() as before:
        stale = dict(before)
    assert kiosk.client.post(path, data=data).headers["Location"] == "/thanks"
    with kiosk.client.session_transaction() as session:  # the second tap's older cookie
        session.clear()
        session.update(stale)
    assert kiosk.client.post(path, data=data).headers["Location"] == "/thanks"
    assert "One more short survey?" in kiosk.client.get("/thanks").get_data(as_text=True)


def test_a_replayed_offer_starts_no_second_survey(app, kiosk, make_client, make_check_in,
                                                  make_response, every_two_appointments):
    someone = make_client()
    post_session(make_response, someone, 7)
    post_session(make_response, someone, 3)
    check_in = make_check_in(client=someone, questionnaire="post_session")
    kiosk.start(check_in.code)
    kiosk.finish([{}, {}, {}])
    kiosk.client.get("/thanks")
    name = app.config["SESSION_COOKIE_NAME"]
    saved = kiosk.client.get_cookie(name).value  # the cookie of the thank-you page
    token = token_in(kiosk.client.get("/thanks").get_data(as_text=True))
    for _ in range(3):
        kiosk.client.set_cookie(name, saved)
        kiosk.client.post("/thanks/survey", data={"csrf_token": token})
        kiosk.client.get("/done")
    with app.app_context():
        surveys = db.session.scalars(
            select(CheckIn).where(CheckIn.questionnaire == "periodic")).all()
    assert len(surveys) == 1


def test_the_early_surveys_are_due_after_the_second_and_third_appointments_by_default(
        client, login, make_staff, make_client, make_response):
    """No schedule set (a default install): the survey that asks about stopping and about
    changing therapist is still due after the second and the third appointments."""
    therapist = make_staff(Role.THERAPIST)
    first, second = (make_client(therapist=therapist, reference=reference)
                     for reference in ("FIRST", "SECOND"))
    post_session(make_response, first, 9)
    for days in (9, 5):
        post_session(make_response, second, days)
    login(therapist)
    html = client.get("/staff/surveys").get_data(as_text=True)
    assert "SECOND" in html and "FIRST" not in html
    assert "Asked after the second and third appointments" in html

    def survey(days_ago):
        make_response(second, "periodic", {"thinking_of_stopping": "no"},
                      when=utcnow() - timedelta(days=days_ago))

    survey(4)
    assert "SECOND" not in client.get("/staff/surveys").get_data(as_text=True)
    post_session(make_response, second, 3)  # the third appointment
    assert "SECOND" in client.get("/staff/surveys").get_data(as_text=True)
    survey(2)
    post_session(make_response, second, 1)  # a fourth: the schedule decides (off)
    assert "SECOND" not in client.get("/staff/surveys").get_data(as_text=True)
