"""The therapist's brief: in the reader's language, only for the right people, audited."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.models import Alert, AuditEvent, Role, utcnow
from tests.conftest import counting_queries, post

SPANISH_INTAKE = {
    "goal_1": "Dormir mejor <script>alert(1)</script>",
    "whose_idea": "court",
    "wants_to_be_here": 2,
    "worried_could_find_out": ["court", "overheard"],
    "beliefs": ["told_what_to_do"],
    "prior_therapy": "harmful",
    "prior_what_did_not_work": "No me escuchaban.",
    "judgement_worry": "rather_not_say",
    "room_wishes": ["white_noise"],
}


@pytest.fixture
def therapist(make_staff):
    return make_staff(Role.THERAPIST, locale="en", name="Tess Therapist")


@pytest.fixture
def spanish_client(make_client, make_response, therapist):
    someone = make_client(therapist=therapist, locale="es")
    make_response(someone, "intake", SPANISH_INTAKE, locale="es",
                  when=utcnow() - timedelta(days=20))
    return someone


def page(client, someone):
    response = client.get(f"/staff/clients/{someone.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_english_therapist_reads_a_spanish_intake_in_english(client, login, therapist,
                                                                spanish_client):
    login(therapist)
    html = page(client, spanish_client)
    assert "In the client's words" in html
    assert "Dormir mejor &lt;script&gt;alert(1)&lt;/script&gt;" in html  # as written, escaped
    assert 'lang="es" dir="auto"' in html
    assert "written in Spanish" in html
    assert "A court or probation officer" in html  # a code shown in the reader's language
    assert "Preferred not to say" in html  # never a blank
    assert "Turn on the white-noise machine." in html
    assert "Previous therapy made things worse" in html


def test_an_arabic_therapist_reads_the_same_brief_in_arabic(client, login, make_staff,
                                                             make_client, make_response):
    therapist = make_staff(Role.THERAPIST, locale="ar")
    someone = make_client(therapist=therapist, locale="es")
    make_response(someone, "intake", SPANISH_INTAKE, locale="es")
    login(therapist)
    html = page(client, someone)
    assert '<html lang="ar" dir="rtl">' in html
    assert "Dormir mejor" in html
    assert "A court or probation officer" not in html


def test_the_front_desk_sees_check_ins_but_never_answers(client, login, make_staff,
                                                         spanish_client):
    login(make_staff(Role.FRONTDESK))
    html = page(client, spanish_client)
    assert "Check-ins" in html
    assert "Dormir mejor" not in html and "In the client" not in html
    assert post(client, f"/staff/clients/{spanish_client.id}/alerts", {"key": "judged:1"},
                token_from="/staff/").status_code == 404


def test_another_therapist_gets_404_everywhere(client, login, make_staff, spanish_client):
    login(make_staff(Role.THERAPIST))
    assert client.get(f"/staff/clients/{spanish_client.id}").status_code == 404
    assert post(client, f"/staff/clients/{spanish_client.id}/alerts", {"key": "judged:1"},
                token_from="/staff/").status_code == 404


def test_every_view_is_audited_without_answers(app, client, login, therapist, spanish_client):
    login(therapist)
    page(client, spanish_client)
    page(client, spanish_client)
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "brief.viewed")).all()
        assert len(events) == 2
        assert {event.client_id for event in events} == {spanish_client.id}
        assert all("Dormir" not in event.detail for event in events)


def test_acknowledging_an_alert_keeps_who_and_when(app, client, login, therapist, make_client,
                                                   make_response):
    someone = make_client(therapist=therapist)
    response_id = make_response(someone, "post_session",
                                {"listened": 9, "judged": "yes", "overall": 8})
    login(therapist)
    html = page(client, someone)
    assert "Felt judged in an appointment." in html
    key = f"judged:{response_id}"
    for _ in range(2):  # a double tap acknowledges once
        post(client, f"/staff/clients/{someone.id}/alerts", {"key": key},
             token_from=f"/staff/clients/{someone.id}")
    html = page(client, someone)
    assert "Acknowledged by Tess Therapist" in html
    with app.app_context():
        alert = db.session.scalar(select(Alert).where(Alert.key == key))
        assert alert.acknowledged_at is not None
        acks = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "alert.acknowledged")).all()
        assert len(acks) == 1


def test_a_forged_alert_key_changes_nothing(app, client, login, therapist, make_client):
    someone = make_client(therapist=therapist)
    login(therapist)
    for key in ("judged:999", "x" * 500, "'; DROP TABLE alert; --"):
        response = post(client, f"/staff/clients/{someone.id}/alerts", {"key": key},
                        token_from=f"/staff/clients/{someone.id}")
        assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Alert)) is None


def test_a_coordinator_only_answer_never_reaches_the_therapist(client, app, login, therapist,
                                                                make_staff, make_client,
                                                                make_response):
    someone = make_client(therapist=therapist)
    make_response(someone, "periodic", {"prefer_different_therapist": "yes",
                                        "prefer_different_visibility": "coordinator"})
    login(therapist)
    html = page(client, someone)
    assert "Would prefer a different therapist." not in html
    assert "different therapist" not in html
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert "alert" not in dashboard.split("<tbody>")[1]
    post(client, "/staff/logout", token_from="/staff/")
    login(make_staff(Role.ADMIN))
    assert "Would prefer a different therapist." in page(client, someone)


def test_an_answer_the_client_shared_with_the_therapist_reaches_them(client, login, therapist,
                                                                      make_client, make_response):
    someone = make_client(therapist=therapist)
    make_response(someone, "periodic", {"prefer_different_therapist": "yes",
                                        "prefer_different_visibility": "therapist"})
    login(therapist)
    assert "Would prefer a different therapist." in page(client, someone)


def count_queries(app, client, path):
    with counting_queries(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_brief_takes_the_same_number_of_queries_for_5_and_500_appointments(
    app, client, login, therapist, make_client
):
    from intake.practice.demo import bulk_clients

    login(therapist)
    counts = {}
    for appointments in (5, 500):
        with app.app_context():
            (reference,) = bulk_clients(1, appointments)
            from intake.models import Client
            newest = db.session.scalar(select(Client).where(Client.reference == reference))
            newest.therapist_id = therapist.id
            db.session.commit()
            client_id = newest.id
            db.session.remove()
        counts[appointments] = count_queries(app, client, f"/staff/clients/{client_id}")
    assert counts[5] == counts[500]
    assert counts[500] < 25
