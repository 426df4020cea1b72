"""The staff start page: own clients only, those that need attention first."""

import re
from datetime import timedelta

from intake.models import Role, utcnow
from intake.reports.client_list import PAGE_SIZE
from tests.conftest import post


def references(html: str) -> list[str]:
    return re.findall(r'<a href="/staff/clients/\d+"><bdi>([^<]+)</bdi></a>', html)


def test_clients_that_need_attention_come_first(client, login, make_staff, make_client,
                                                make_response):
    therapist = make_staff(Role.THERAPIST)
    calm = make_client(therapist=therapist, reference="A-calm")
    alerted = make_client(therapist=therapist, reference="Z-alert")
    make_response(calm, "post_session", {"listened": 9, "judged": "no"},
                  when=utcnow() - timedelta(days=2))
    make_response(alerted, "post_session", {"listened": 9, "judged": "yes"},
                  when=utcnow() - timedelta(days=2))
    login(therapist)
    html = client.get("/staff/").get_data(as_text=True)
    assert references(html)[0] == "Z-alert"
    assert "1 alert" in html and "New answers" in html
    client.get(f"/staff/clients/{calm.id}")  # reading the brief clears "new answers"
    html = client.get("/staff/").get_data(as_text=True)
    row = html.split("A-calm")[1].split("</tr>")[0]
    assert "New answers" not in row


def test_a_quiet_client_is_flagged(app, client, login, make_staff, make_client, make_response):
    from intake.practice import appointments

    therapist = make_staff(Role.THERAPIST)
    quiet = make_client(therapist=therapist, reference="Q-1")
    make_response(quiet, "pre_session", {"feeling_today": 5}, when=utcnow() - timedelta(weeks=6))
    coming = make_client(therapist=therapist, reference="Q-2")  # still comes, never answers
    make_response(coming, "pre_session", {"feeling_today": 5},
                  when=utcnow() - timedelta(weeks=6))
    booked = make_client(therapist=therapist, reference="Q-3")  # quiet, but booked
    make_response(booked, "pre_session", {"feeling_today": 5},
                  when=utcnow() - timedelta(weeks=6))
    with app.app_context():
        appointments.add(coming.id, utcnow() - timedelta(days=3),
                         state=appointments.AppointmentState.ATTENDED)
        appointments.add(booked.id, utcnow() + timedelta(days=3))
    login(therapist)
    for someone in (quiet, coming, booked):
        client.get(f"/staff/clients/{someone.id}")
    html = client.get("/staff/").get_data(as_text=True)
    rows = {reference: html.split(reference)[1].split("</tr>")[0]
            for reference in ("Q-1", "Q-2", "Q-3")}
    assert "Not seen for 6 weeks, nothing booked" in rows["Q-1"]
    assert "Not seen" not in rows["Q-2"] and "Not seen" not in rows["Q-3"]


def test_the_front_desk_sees_every_client_but_no_alerts(client, login, make_staff, make_client,
                                                         make_response):
    first, second = make_staff(Role.THERAPIST), make_staff(Role.THERAPIST)
    one = make_client(therapist=first, reference="F-1")
    make_client(therapist=second, reference="F-2")
    make_response(one, "post_session", {"judged": "yes"})
    login(make_staff(Role.FRONTDESK))
    html = client.get("/staff/").get_data(as_text=True)
    assert set(references(html)) == {"F-1", "F-2"}
    assert "alert" not in html.split("<tbody>")[1] and "New answers" not in html


def test_search_treats_wildcards_as_text(client, login, make_staff, make_client):
    therapist = make_staff(Role.THERAPIST)
    make_client(therapist=therapist, reference="R_1")
    make_client(therapist=therapist, reference="RX1")
    login(therapist)
    assert references(client.get("/staff/?q=R_1").get_data(as_text=True)) == ["R_1"]
    assert references(client.get("/staff/?q=%25").get_data(as_text=True)) == []


def test_a_long_list_is_paged(client, login, make_staff, make_client):
    therapist = make_staff(Role.THERAPIST)
    for n in range(PAGE_SIZE + 3):
        make_client(therapist=therapist, reference=f"P-{n:03d}")
    login(therapist)
    first = client.get("/staff/").get_data(as_text=True)
    assert len(references(first)) == PAGE_SIZE
    assert "Page 1 of 2" in first
    second = client.get("/staff/?page=2").get_data(as_text=True)
    assert len(references(second)) == 3
    assert client.get("/staff/?page=banana").status_code == 200


def test_a_therapist_sees_only_their_clients_on_the_dashboard(client, login, make_staff,
                                                              make_client):
    me, other = make_staff(Role.THERAPIST), make_staff(Role.THERAPIST)
    make_client(therapist=me, reference="MINE")
    make_client(therapist=other, reference="THEIRS")
    login(me)
    assert references(client.get("/staff/").get_data(as_text=True)) == ["MINE"]
    assert references(client.get("/staff/?q=THEIRS").get_data(as_text=True)) == []
    post(client, "/staff/logout", token_from="/staff/")


def test_each_row_shows_the_latest_check_in_by_name(client, login, make_staff, make_check_in):
    check_in = make_check_in(questionnaire="post_session")
    login(make_staff(Role.FRONTDESK))
    html = client.get("/staff/").get_data(as_text=True)
    row = html.split(check_in.client.reference)[1].split("</tr>")[0]
    assert "Post-session feedback" in row and "Waiting" in row
    assert "post_session" not in row
