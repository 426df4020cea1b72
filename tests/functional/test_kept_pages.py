"""Kept staff pages: every change shows at once, and a kept page reaches no one else."""

from sqlalchemy import func, select

from intake.extensions import db
from intake.infra import changes
from intake.infra.changes import Topic
from intake.models import AuditEvent, Role
from intake.practice import audit
from tests.conftest import counting_queries, post


def revision(app) -> dict:
    with app.test_request_context():
        numbers = dict(changes.current())
        db.session.remove()
        return numbers


def risen(before: dict, after: dict) -> set:
    return {topic.name for topic in Topic if after[topic] > before[topic]}


def test_each_topic_rises_with_what_staff_see_and_not_with_drafts(
    app, kiosk, make_staff, make_client, make_check_in, make_response
):
    therapist = make_staff()
    before = revision(app)
    someone = make_client(therapist=therapist)
    assert risen(before, revision(app)) == {"CLIENTS"}

    before = revision(app)
    check_in = make_check_in(client=someone, questionnaire="pre_session")
    assert risen(before, revision(app)) == {"CHECK_INS"}
    kiosk.start(check_in.code)  # the check-in is now in progress: staff pages show it
    claimed = revision(app)
    assert risen(before, claimed) == {"CHECK_INS"}
    kiosk.answer({"feeling_today": "6"})  # a draft: nothing a staff page shows
    with app.app_context():
        audit.record("brief.viewed", None, someone.id)
    assert revision(app) == claimed

    kiosk.client.get("/done")
    kiosk.start(check_in.code)  # the same code typed again: only the claim changes
    assert revision(app) == claimed

    make_response(someone, "post_session", {"listened": 8})
    assert "ANSWERS" in risen(claimed, revision(app))


def test_the_client_list_shows_a_submission_at_once(client, login, make_staff, make_client,
                                                    make_response):
    therapist = make_staff(Role.THERAPIST)
    someone = make_client(therapist=therapist, reference="K-1")
    login(therapist)
    assert "New answers" not in client.get("/staff/").get_data(as_text=True)
    assert "New answers" not in client.get("/staff/").get_data(as_text=True)  # kept
    make_response(someone, "post_session", {"judged": "yes"})
    html = client.get("/staff/").get_data(as_text=True)
    assert "New answers" in html and "1 alert" in html


def test_a_kept_brief_shows_a_new_submission_at_once(client, login, make_staff, make_client,
                                                     make_response):
    therapist = make_staff(Role.THERAPIST)
    someone = make_client(therapist=therapist)
    login(therapist)
    path = f"/staff/clients/{someone.id}"
    client.get(path)
    assert "Felt judged" not in client.get(path).get_data(as_text=True)
    make_response(someone, "post_session", {"judged": "yes"})
    assert "Felt judged" in client.get(path).get_data(as_text=True)


def test_a_kept_page_reaches_no_one_else(client, login, make_staff, make_client):
    mine, other = make_staff(Role.THERAPIST, name="Mina"), make_staff(Role.THERAPIST, name="Omar")
    someone = make_client(therapist=mine)
    path = f"/staff/clients/{someone.id}"
    login(mine)
    assert client.get(path).status_code == 200
    post(client, "/staff/logout", token_from="/staff/")
    login(other)
    assert client.get(path).status_code == 404
    html = client.get("/staff/").get_data(as_text=True)
    assert someone.reference not in html and "Mina" not in html


def test_each_view_of_a_kept_brief_is_audited_and_costs_few_queries(app, client, login,
                                                                    make_staff, make_client):
    therapist = make_staff(Role.THERAPIST)
    someone = make_client(therapist=therapist)
    login(therapist)
    path = f"/staff/clients/{someone.id}"
    client.get(path)
    with counting_queries(app) as statements:
        assert client.get(path).status_code == 200
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) <= 4  # login, may I see this client, revision, token-free page
    client.get(path)
    with app.app_context():
        views = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "brief.viewed", AuditEvent.client_id == someone.id))
    assert views == 3


def test_a_page_with_a_message_is_shown_with_it_and_then_without(client, login, make_staff,
                                                                 make_client):
    therapist = make_staff(Role.THERAPIST)
    someone = make_client(therapist=therapist)
    login(therapist)
    path = f"/staff/clients/{someone.id}"
    client.get(path)
    response = post(client, f"/staff/clients/{someone.id}/survey-schedule",
                    {"mode": "off"}, token_from=path, follow_redirects=True)
    assert "The survey schedule was saved." in response.get_data(as_text=True)
    assert "The survey schedule was saved." not in client.get(path).get_data(as_text=True)


def test_numbers_read_with_the_login_are_read_again_after_this_request_writes(app):
    from intake.infra import changes
    from intake.infra.database import write_transaction
    from intake.models import Room

    with app.test_request_context("/staff/"):
        before = dict(changes.current())
        changes.remember([0, 0, 0, 0])  # as the login statement would
        assert changes.current()[changes.Topic.PRACTICE] == 0
        with write_transaction() as session:
            session.add(Room(name="Quiet room"))  # a room raises the practice's number
        assert changes.current()[changes.Topic.PRACTICE] > before[changes.Topic.PRACTICE]
