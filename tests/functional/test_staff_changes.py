"""An admin edits a staff member, and moves a leaving therapist's clients in one action."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import Appointment, AuditEvent, Client, Role, Staff, utcnow
from tests.conftest import post


@pytest.fixture
def admin(client, login, make_staff):
    login(make_staff(Role.ADMIN))
    return client


def test_the_admin_edits_a_staff_members_name_email_and_language(app, admin, make_staff):
    member = make_staff(Role.FRONTDESK, name="Dana")
    page = f"/staff/admin/staff/{member.id}"
    response = post(admin, f"{page}/details", {"email": "Dana.New@Example.org",
                                               "name": "Dana Desk", "locale": "ar"},
                    token_from=page)
    assert response.headers["Location"] == page
    with app.app_context():
        saved = db.session.get(Staff, member.id)
        assert (saved.email, saved.name, saved.locale) == ("dana.new@example.org", "Dana Desk",
                                                           "ar")
        detail = db.session.scalar(select(AuditEvent.detail).where(
            AuditEvent.action == "staff.updated"))
    assert "email" in detail and "example.org" not in detail


def test_a_taken_email_is_refused(app, admin, make_staff):
    member, other = make_staff(), make_staff()
    page = f"/staff/admin/staff/{member.id}"
    response = post(admin, f"{page}/details", {"email": other.email, "name": "", "locale": ""},
                    token_from=page)
    assert response.status_code == 200
    assert "There is already an account with this email." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Staff, member.id).email == member.email


def test_moving_a_leaving_therapists_clients_and_future_appointments(app, admin, make_staff,
                                                                     make_client):
    leaving, taking = make_staff(name="Leaving"), make_staff(name="Taking")
    first, second = make_client(therapist=leaving), make_client(therapist=leaving)
    with app.app_context(), write_transaction() as session:
        for someone, days in ((first, -7), (first, 7), (second, 3)):
            session.add(Appointment(client_id=someone.id, therapist_id=leaving.id,
                                    starts_at=utcnow() + timedelta(days=days)))
    page = f"/staff/admin/staff/{leaving.id}"
    assert "Move all these clients" in admin.get(page).get_data(as_text=True)
    response = post(admin, f"{page}/move-clients", {"therapist": str(taking.id)},
                    token_from=page)
    assert response.headers["Location"] == page
    assert "2 clients moved" in admin.get(page).get_data(as_text=True)
    with app.app_context():
        assert set(db.session.scalars(select(Client.therapist_id))) == {taking.id}
        held = db.session.execute(select(Appointment.starts_at, Appointment.therapist_id)
                                  .order_by(Appointment.starts_at)).all()
        assert [therapist for _, therapist in held] == [leaving.id, taking.id, taking.id]
        events = db.session.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "staff.clients_moved")).all()
    assert events == [f"from={leaving.id} to={taking.id} clients=2 appointments=2"]


def test_clients_cannot_move_to_someone_who_is_not_a_therapist(app, admin, make_staff,
                                                              make_client):
    leaving, desk = make_staff(), make_staff(Role.FRONTDESK)
    make_staff()  # another therapist: the form is offered
    someone = make_client(therapist=leaving)
    page = f"/staff/admin/staff/{leaving.id}"
    for target in (desk.id, leaving.id):
        response = post(admin, f"{page}/move-clients", {"therapist": str(target)},
                        token_from=page)
        assert response.status_code == 200
        assert "Not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Client, someone.id).therapist_id == leaving.id


def test_only_admins_edit_staff(client, login, make_staff):
    member = make_staff()
    login(make_staff(Role.FRONTDESK))
    for route in ("details", "move-clients"):
        assert post(client, f"/staff/admin/staff/{member.id}/{route}", {},
                    token_from="/staff/").status_code == 404
