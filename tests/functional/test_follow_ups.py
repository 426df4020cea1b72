"""The coordinator's follow-up when a client would prefer a different therapist: a task with
states (open, contacted, resolved) and its trail of audit events, on an admin page."""

from sqlalchemy import select

from intake.extensions import db
from intake.models import AuditEvent, FollowUp, Role
from tests.conftest import post


def follow_ups(app):
    with app.app_context():
        rows = db.session.scalars(select(FollowUp).order_by(FollowUp.id)).all()
        db.session.expunge_all()
        return rows


def test_preferring_another_therapist_opens_a_follow_up(app, make_client, make_response):
    someone = make_client()
    make_response(someone, "periodic", {"thinking_of_stopping": "yes"})
    assert follow_ups(app) == []
    response_id = make_response(someone, "periodic", {"prefer_different_therapist": "yes"})
    (task,) = follow_ups(app)
    assert (task.client_id, task.state) == (someone.id, "open")
    assert task.alert_key == f"prefer_different_therapist:{response_id}"


def test_the_coordinator_moves_it_along_and_each_step_is_in_its_trail(
        app, client, login, make_staff, make_client, make_response):
    someone = make_client(reference="WANTS-CHANGE")
    make_response(someone, "periodic", {"prefer_different_therapist": "not_sure"})
    (task,) = follow_ups(app)
    coordinator = make_staff(Role.ADMIN)
    login(coordinator)
    page = client.get("/staff/admin/follow-ups").get_data(as_text=True)
    assert "WANTS-CHANGE" in page and "Mark as contacted" in page
    brief = client.get(f"/staff/clients/{someone.id}").get_data(as_text=True)
    assert 'href="/staff/admin/follow-ups"' in brief.split('id="alerts"')[1]
    for state in ("contacted", "resolved"):
        response = post(client, f"/staff/admin/follow-ups/{task.id}", {"state": state},
                        token_from="/staff/admin/follow-ups")
        assert response.headers["Location"] == "/staff/admin/follow-ups"
    (task,) = follow_ups(app)
    assert task.state == "resolved" and task.changed_by_id == coordinator.id
    with app.app_context():
        trail = db.session.execute(
            select(AuditEvent.action, AuditEvent.client_id, AuditEvent.actor_id)
            .where(AuditEvent.action.like("follow_up.%")).order_by(AuditEvent.id)).all()
    assert [tuple(row) for row in trail] == [
        ("follow_up.contacted", someone.id, coordinator.id),
        ("follow_up.resolved", someone.id, coordinator.id)]
    page = client.get("/staff/admin/follow-ups").get_data(as_text=True)
    assert "Contacted on" in page and "Resolved on" in page and "Open again" in page


def test_a_state_change_needs_the_csrf_token_and_a_known_state(app, client, login, make_staff,
                                                              make_client, make_response):
    make_response(make_client(), "periodic", {"prefer_different_therapist": "yes"})
    (task,) = follow_ups(app)
    login(make_staff(Role.ADMIN))
    assert client.post(f"/staff/admin/follow-ups/{task.id}",
                       data={"state": "resolved"}).status_code == 400
    response = post(client, f"/staff/admin/follow-ups/{task.id}", {"state": "deleted"},
                    token_from="/staff/admin/follow-ups")
    assert response.status_code == 400
    response = post(client, "/staff/admin/follow-ups/999", {"state": "resolved"},
                    token_from="/staff/admin/follow-ups")
    assert response.status_code == 404
    assert follow_ups(app)[0].state == "open"


def test_therapists_never_see_the_follow_ups(client, login, make_staff, make_client,
                                             make_response):
    therapist = make_staff(Role.THERAPIST)
    make_response(make_client(therapist=therapist), "periodic",
                  {"prefer_different_therapist": "yes"})
    login(therapist)
    assert client.get("/staff/admin/follow-ups").status_code == 404


def test_the_printed_brief_is_marked_and_leaves_out_links_and_forms(client, login, make_staff,
                                                                    make_client, make_response):
    therapist = make_staff(Role.THERAPIST)
    someone = make_client(therapist=therapist)
    make_response(someone, "post_session", {"listened": 6})
    login(therapist)
    html = client.get(f"/staff/clients/{someone.id}").get_data(as_text=True)
    assert 'class="print-only print-mark" hidden><span>Confidential</span>' in html
    assert "Printed on" in html
    assert '/static/print.css" media="print"' in html
    with client.get("/static/print.css") as response:
        css = response.get_data(as_text=True)
    assert ".client-data" in css and "#survey-schedule" in css
