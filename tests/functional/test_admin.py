"""The admin's pages: practice settings, staff, rooms, reassigning clients; admins only."""

from datetime import timedelta

import pytest
from flask import render_template, url_for
from flask_login import login_user
from sqlalchemy import func, select

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import (
    Appointment,
    AuditEvent,
    Client,
    Practice,
    Role,
    Room,
    Staff,
    StaffSession,
    utcnow,
)
from intake.practice.admin import InvalidValue, PracticeSettings, update_practice
from tests.conftest import PASSWORD, add_room, post

NEW_PASSWORD = "a brand new passphrase"
SETTINGS = {
    "name": "Riverside Counselling",
    "crisis_line": "988",
    "emergency_number": "112",
    "default_locale": "es",
    "survey_mode": "weeks",
    "survey_interval": "6",
    "alert_score_drop": "2",
    "alert_alliance_floor": "6",
    "alert_score_floor": "4",
    "alert_silence_weeks": "8",
    "timezone": "Europe/Madrid",
    "appointment_minutes": "45",
}


def html_tag(locale: str) -> str:
    return f'<html lang="{locale}" dir="{"rtl" if locale == "ar" else "ltr"}">'


ADMIN_ACTIONS = ("practice.", "staff.", "room.", "client.reassigned")


def audited(app) -> list[tuple[str, int | None, str]]:
    """Return the admin's audit events (opening a client's page records others)."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(AuditEvent.action, AuditEvent.client_id, AuditEvent.detail)
            .order_by(AuditEvent.id)) if row.action.startswith(ADMIN_ACTIONS)]


def actions(app) -> list[str]:
    return [action for action, _client_id, _detail in audited(app)]


def log_in(app, staff, password: str = PASSWORD):
    """Log in on a browser of its own; return it."""
    browser = app.test_client()
    response = post(browser, "/staff/login", {"email": staff.email, "password": password},
                    token_from="/staff/login")
    assert response.headers["Location"] == "/staff/", response.get_data(as_text=True)
    return browser


def read(app, model, object_id):
    with app.app_context():
        found = db.session.get(model, object_id)
        db.session.expunge_all()
        return found


@pytest.fixture
def me(make_staff):
    return make_staff(Role.ADMIN, name="Ada Admin")


@pytest.fixture
def admin(client, login, me):
    login(me)
    return client


# Every page, in English and in Arabic; nobody else gets in.


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_every_admin_page_works_for_an_admin(app, client, login, make_staff, locale):
    login(make_staff(Role.ADMIN, locale=locale))
    colleague = make_staff(Role.FRONTDESK, name="زينب")
    room_id = add_room(app, "Garden room")
    for path in ("/staff/admin/settings", "/staff/admin/staff",
                 f"/staff/admin/staff/{colleague.id}", "/staff/admin/rooms",
                 f"/staff/admin/rooms/{room_id}", "/staff/admin/follow-ups"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert html_tag(locale) in page, path
        assert 'href="/staff/admin/settings"' in page, path  # the Admin menu link
    staff_list = client.get("/staff/admin/staff").get_data(as_text=True)
    assert "<bdi>زينب</bdi>" in staff_list and f"<bdi>{colleague.email}</bdi>" in staff_list
    error = post(client, "/staff/admin/rooms", {"name": "x" * 81},
                 token_from="/staff/admin/rooms")
    assert error.status_code == 200
    assert html_tag(locale) in error.get_data(as_text=True)
    assert 'class="field-error"' in error.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.FRONTDESK])
def test_every_admin_route_is_a_404_for_everyone_else(app, client, login, make_staff,
                                                      make_client, role):
    someone = make_client()
    other = make_staff(Role.FRONTDESK)
    ids = {"client_id": someone.id, "staff_id": other.id, "room_id": add_room(app, "Room 1"),
           "follow_up_id": 1}
    login(make_staff(role))
    assert 'href="/staff/admin/settings"' not in client.get("/staff/").get_data(as_text=True)
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("staff.admin")]
    assert len(rules) >= 12
    for rule in rules:
        path = rule.build({arg: ids[arg] for arg in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "POST":
                response = post(client, path, {"name": "Taken over", "role": "admin",
                                               "password": NEW_PASSWORD,
                                               "therapist": str(other.id)},
                                token_from="/staff/")
            else:
                response = client.get(path)
            assert response.status_code == 404, (rule.endpoint, method)
    assert actions(app) == []
    assert read(app, Staff, other.id).is_enabled


def test_a_form_without_its_csrf_token_is_refused_calmly(app, admin, make_client, make_staff):
    someone, therapist = make_client(), make_staff()
    for path, data in (
        ("/staff/admin/rooms", {"name": "Quiet room"}),
        ("/staff/admin/settings", SETTINGS),
        (f"/staff/admin/clients/{someone.id}/therapist", {"therapist": str(therapist.id)}),
    ):
        response = admin.post(path, data=data)
        assert response.status_code == 400, path
        assert "Please start again" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Room.id))) == 0
        assert db.session.scalar(select(Practice.name)) == "Test Practice"
    assert read(app, Client, someone.id).therapist_id == someone.therapist.id
    assert actions(app) == []


# Practice settings


def test_the_admin_saves_the_practice_settings(app, admin):
    response = post(admin, "/staff/admin/settings", SETTINGS, token_from="/staff/admin/settings")
    assert response.headers["Location"] == "/staff/admin/settings"
    page = admin.get("/staff/admin/settings").get_data(as_text=True)
    assert "The practice settings were saved." in page
    assert "Riverside Counselling" in page.split("</header>")[0]  # not the cached old name
    with app.app_context():
        practice = db.session.scalar(select(Practice))
        assert (practice.name, practice.crisis_line, practice.emergency_number,
                practice.default_locale) == ("Riverside Counselling", "988", "112", "es")
        assert (practice.survey_every_weeks, practice.survey_every_appointments) == (6, None)
        assert (practice.alert_score_drop, practice.alert_alliance_floor,
                practice.alert_score_floor, practice.alert_silence_weeks) == (2, 6, 4, 8)
        assert (practice.timezone, practice.appointment_minutes) == ("Europe/Madrid", 45)
    action, client_id, detail = audited(app)[-1]
    assert action == "practice.updated" and client_id is None
    assert "name" in detail and "Riverside" not in detail


@pytest.mark.parametrize("mode,interval,appointments,weeks", [
    ("appointments", "4", 4, None),
    ("off", "not a number", None, None),
    ("weeks", "٣", None, 3),  # Arabic-Indic digits, as an Arabic keyboard types them
])
def test_at_most_one_survey_schedule_is_kept(app, admin, mode, interval, appointments, weeks):
    post(admin, "/staff/admin/settings", SETTINGS, token_from="/staff/admin/settings")
    response = post(admin, "/staff/admin/settings",
                    {**SETTINGS, "survey_mode": mode, "survey_interval": interval},
                    token_from="/staff/admin/settings")
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        practice = db.session.scalar(select(Practice))
        assert (practice.survey_every_appointments, practice.survey_every_weeks) == (
            appointments, weeks)


@pytest.mark.parametrize("field,value,message", [
    ("name", "x" * 121, "Use at most 120 characters."),
    ("name", "", "This field is required."),
    ("name", "Two\nlines", "Use one line of text"),
    ("crisis_line", "9" * 121, "Use at most 120 characters."),
    ("emergency_number", "1" * 41, "Use at most 40 characters."),
    ("default_locale", "de", "Not a valid choice"),
    ("survey_mode", "daily", "Not a valid choice"),
    ("survey_interval", "", "Enter a whole number from 1 to 52."),
    ("survey_interval", "53", "Enter a whole number from 1 to 52."),
    ("alert_score_drop", "0", "Enter a whole number from 1 to 10."),
    ("alert_score_drop", "11", "Enter a whole number from 1 to 10."),
    ("alert_score_floor", "-1", "Enter a whole number from 0 to 10."),
    ("alert_silence_weeks", "53", "Enter a whole number from 1 to 52."),
    ("alert_silence_weeks", "", "This field is required."),
    ("timezone", "Mars/Olympus_Mons", "This is not a time zone name"),
    ("timezone", "../../etc/passwd", "This is not a time zone name"),
    ("appointment_minutes", "0", "Enter a whole number from 5 to 720."),
])
def test_invalid_settings_show_an_error_and_save_nothing(app, admin, field, value, message):
    response = post(admin, "/staff/admin/settings", {**SETTINGS, field: value},
                    token_from="/staff/admin/settings")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="field-error"' in page and message in page
    with app.app_context():
        practice = db.session.scalar(select(Practice))
        assert practice.name == "Test Practice" and practice.alert_score_drop == 3
    assert actions(app) == []


def test_the_settings_are_checked_again_below_the_form(app, me):
    with app.app_context():
        for wrong in ({"alert_score_drop": 0}, {"alert_silence_weeks": 53},
                      {"survey_mode": "weeks", "survey_interval": None},
                      {"default_locale": "de"}, {"name": "x" * 121}, {"name": "NUL\x00"}):
            settings = PracticeSettings(**{"name": "Riverside", **wrong})
            with pytest.raises(InvalidValue):
                update_practice(me.id, settings, app.config["LOCALES"])
        assert db.session.scalar(select(Practice.name)) == "Test Practice"
    assert actions(app) == []


# Staff


def test_the_admin_adds_a_staff_member_who_can_then_log_in(app, admin):
    response = post(admin, "/staff/admin/staff", {
        "email": " New.Therapist@Example.org ", "name": "Noor", "role": "therapist",
        "locale": "ar", "password": NEW_PASSWORD}, token_from="/staff/admin/staff")
    assert response.headers["Location"] == "/staff/admin/staff"
    page = admin.get("/staff/admin/staff").get_data(as_text=True)
    assert "Added new.therapist@example.org." in page
    assert "<bdi>new.therapist@example.org</bdi>" in page
    with app.app_context():
        added = db.session.scalar(select(Staff).where(Staff.email == "new.therapist@example.org"))
        assert (added.name, added.role, added.locale, added.is_enabled) == (
            "Noor", "therapist", "ar", True)
        added_id = added.id
    assert ("staff.added", None, f"staff_id={added_id} role=therapist") in audited(app)
    newcomer = log_in(app, read(app, Staff, added_id), password=NEW_PASSWORD)
    assert html_tag("ar") in newcomer.get("/staff/").get_data(as_text=True)


@pytest.mark.parametrize("field,value,message", [
    ("email", "THERAPIST1@example.org", "There is already an account with this email."),
    ("email", "not an email", "Enter an email address"),
    ("email", "some\x00one@example.org", "Enter an email address"),
    ("email", "some\x7fone@example.org", "Enter an email address"),
    ("email", "some\u202eone@example.org", "Enter an email address"),
    ("email", "a@" + "b" * 253, "Use at most 254 characters."),
    ("password", "too short", "Use at least 10 characters."),
    ("name", "n" * 121, "Use at most 120 characters."),
    ("role", "owner", "Not a valid choice"),
    ("locale", "de", "Not a valid choice"),
])
def test_adding_staff_refuses_bad_input_and_saves_nothing(app, admin, make_staff, field, value,
                                                           message):
    make_staff(Role.THERAPIST, email="therapist1@example.org")
    data = {"email": "someone@example.org", "name": "Someone", "role": "frontdesk",
            "locale": "", "password": NEW_PASSWORD, field: value}
    response = post(admin, "/staff/admin/staff", data, token_from="/staff/admin/staff")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="field-error"' in page and message in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Staff.id))) == 2
    assert actions(app) == []


def test_disabling_ends_the_staff_members_sessions(app, admin, make_staff):
    therapist = make_staff(Role.THERAPIST)
    their_browser = log_in(app, therapist)
    assert their_browser.get("/staff/").status_code == 200
    response = post(admin, f"/staff/admin/staff/{therapist.id}/disable",
                    token_from="/staff/admin/staff")
    assert response.headers["Location"] == f"/staff/admin/staff/{therapist.id}"
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "can no longer log in" in page and "Disabled" in page
    assert their_browser.get("/staff/").headers["Location"] == "/staff/login"
    with app.app_context():
        assert db.session.scalar(select(func.count(StaffSession.id)).where(
            StaffSession.staff_id == therapist.id, StaffSession.ended_at.is_(None))) == 0
    assert ("staff.disabled", None, f"staff_id={therapist.id}") in audited(app)

    post(admin, f"/staff/admin/staff/{therapist.id}/enable", token_from="/staff/admin/staff")
    assert ("staff.enabled", None, f"staff_id={therapist.id}") in audited(app)
    # Enabling again does not bring the old session back; logging in again works.
    assert their_browser.get("/staff/").headers["Location"] == "/staff/login"
    assert log_in(app, therapist).get("/staff/").status_code == 200


def test_an_admin_cannot_disable_themselves_or_change_their_own_role(app, admin, me):
    page = admin.get(f"/staff/admin/staff/{me.id}").get_data(as_text=True)
    assert "You cannot disable your own account" in page
    response = post(admin, f"/staff/admin/staff/{me.id}/disable", token_from="/staff/admin/staff")
    assert "You cannot disable your own account" in admin.get(
        response.headers["Location"]).get_data(as_text=True)
    response = post(admin, f"/staff/admin/staff/{me.id}/role", {"role": "therapist"},
                    token_from="/staff/admin/staff")
    assert response.status_code == 200
    assert "You cannot change your own role" in response.get_data(as_text=True)
    mine = read(app, Staff, me.id)
    assert mine.is_enabled and mine.role == "admin"
    assert admin.get("/staff/admin/staff").status_code == 200
    assert actions(app) == []


def test_the_admin_changes_a_role(app, admin, make_staff):
    desk = make_staff(Role.FRONTDESK)
    response = post(admin, f"/staff/admin/staff/{desk.id}/role", {"role": "admin"},
                    token_from="/staff/admin/staff")
    assert response.headers["Location"] == f"/staff/admin/staff/{desk.id}"
    assert read(app, Staff, desk.id).role == "admin"
    assert ("staff.role_changed", None, f"staff_id={desk.id} from=frontdesk to=admin"
            ) in audited(app)
    promoted = log_in(app, desk)
    assert promoted.get("/staff/admin/settings").status_code == 200


def test_a_therapist_with_clients_keeps_the_role_until_they_are_reassigned(
    app, admin, make_staff, make_client
):
    leaving, staying = make_staff(Role.THERAPIST), make_staff(Role.THERAPIST)
    someone = make_client(therapist=leaving)
    response = post(admin, f"/staff/admin/staff/{leaving.id}/role", {"role": "frontdesk"},
                    token_from="/staff/admin/staff")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This therapist still has 1 client." in page and someone.reference in page
    assert read(app, Staff, leaving.id).role == "therapist"
    assert "staff.role_changed" not in actions(app)

    post(admin, f"/staff/admin/clients/{someone.id}/therapist", {"therapist": str(staying.id)},
         token_from=f"/staff/clients/{someone.id}")
    response = post(admin, f"/staff/admin/staff/{leaving.id}/role", {"role": "frontdesk"},
                    token_from="/staff/admin/staff")
    assert response.status_code == 302
    assert read(app, Staff, leaving.id).role == "frontdesk"


def test_the_admin_sets_a_new_password(app, admin, make_staff):
    therapist = make_staff(Role.THERAPIST)
    their_browser = log_in(app, therapist)
    response = post(admin, f"/staff/admin/staff/{therapist.id}/password",
                    {"password": NEW_PASSWORD}, token_from="/staff/admin/staff")
    assert response.headers["Location"] == f"/staff/admin/staff/{therapist.id}"
    assert their_browser.get("/staff/").headers["Location"] == "/staff/login"
    stranger = app.test_client()
    refused = post(stranger, "/staff/login", {"email": therapist.email, "password": PASSWORD},
                   token_from="/staff/login")
    assert "The email or the password is not right." in refused.get_data(as_text=True)
    log_in(app, therapist, password=NEW_PASSWORD)
    events = audited(app)
    assert ("staff.password_reset", None, f"staff_id={therapist.id}") in events
    assert not any(NEW_PASSWORD in detail or PASSWORD in detail for _a, _c, detail in events)


def test_an_admin_who_sets_their_own_password_logs_in_again(app, admin, me):
    response = post(admin, f"/staff/admin/staff/{me.id}/password", {"password": NEW_PASSWORD},
                    token_from="/staff/admin/staff")
    assert response.headers["Location"] == "/staff/login"
    page = admin.get("/staff/login").get_data(as_text=True)
    assert "Your password was changed. Please log in with the new one." in page
    assert admin.get("/staff/admin/settings").headers["Location"] == "/staff/login"
    assert log_in(app, me, password=NEW_PASSWORD).get("/staff/admin/settings").status_code == 200


def test_a_short_password_is_refused_and_nothing_changes(app, admin, make_staff):
    therapist = make_staff(Role.THERAPIST)
    before = read(app, Staff, therapist.id).password_hash
    response = post(admin, f"/staff/admin/staff/{therapist.id}/password",
                    {"password": "short"}, token_from="/staff/admin/staff")
    assert response.status_code == 200
    assert "Use at least 10 characters." in response.get_data(as_text=True)
    assert read(app, Staff, therapist.id).password_hash == before
    assert actions(app) == []


def test_an_unknown_staff_member_is_a_404(admin):
    assert admin.get("/staff/admin/staff/9999").status_code == 404
    assert post(admin, "/staff/admin/staff/9999/disable",
                token_from="/staff/admin/staff").status_code == 404


# Rooms


def test_the_admin_adds_renames_and_deactivates_rooms(app, admin):
    response = post(admin, "/staff/admin/rooms", {"name": "  Garden room "},
                    token_from="/staff/admin/rooms")
    assert response.headers["Location"] == "/staff/admin/rooms"
    page = admin.get("/staff/admin/rooms").get_data(as_text=True)
    assert "<bdi>Garden room</bdi>" in page and "In use" in page
    with app.app_context():
        room_id = db.session.scalar(select(Room.id).where(Room.name == "Garden room"))

    response = post(admin, f"/staff/admin/rooms/{room_id}", {"name": "غرفة الحديقة"},
                    token_from="/staff/admin/rooms")
    assert response.headers["Location"] == "/staff/admin/rooms"
    post(admin, f"/staff/admin/rooms/{room_id}/deactivate", token_from="/staff/admin/rooms")
    room = read(app, Room, room_id)
    assert (room.name, room.is_active) == ("غرفة الحديقة", False)
    assert "Not in use" in admin.get("/staff/admin/rooms").get_data(as_text=True)
    post(admin, f"/staff/admin/rooms/{room_id}/reactivate", token_from="/staff/admin/rooms")
    assert read(app, Room, room_id).is_active
    assert actions(app) == ["room.added", "room.renamed", "room.deactivated", "room.reactivated"]
    assert all(detail == f"room_id={room_id}" for _a, _c, detail in audited(app))


@pytest.mark.parametrize("name,message", [
    ("garden ROOM", "There is already a room with this name."),
    ("r" * 81, "Use at most 80 characters."),
    ("   ", "This field is required."),
])
def test_a_room_name_must_be_new_and_short(app, admin, name, message):
    first = add_room(app, "Garden room")
    second = add_room(app, "Blue room")
    for path in ("/staff/admin/rooms", f"/staff/admin/rooms/{second}"):
        response = post(admin, path, {"name": name}, token_from="/staff/admin/rooms")
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert 'class="field-error"' in page and message in page, path
    with app.app_context():
        assert db.session.scalars(select(Room.name).order_by(Room.id)).all() == [
            "Garden room", "Blue room"]
    assert read(app, Room, first).is_active
    assert actions(app) == []


def test_a_room_keeps_its_appointments_when_deactivated(app, admin, make_client):
    someone = make_client()
    room_id = add_room(app, "Garden room")
    with app.app_context(), write_transaction() as session:
        session.add(Appointment(client_id=someone.id, therapist_id=someone.therapist.id,
                                room_id=room_id, starts_at=utcnow() - timedelta(days=7)))
    post(admin, f"/staff/admin/rooms/{room_id}/deactivate", token_from="/staff/admin/rooms")
    with app.app_context():
        assert db.session.scalar(select(Appointment.room_id)) == room_id


# Reassigning a client


def test_reassigning_moves_the_client_to_the_new_therapist(app, admin, make_staff, make_client):
    old, new = make_staff(Role.THERAPIST), make_staff(Role.THERAPIST, name="Dr New")
    someone = make_client(therapist=old)
    with app.app_context(), write_transaction() as session:
        session.add_all([
            Appointment(client_id=someone.id, therapist_id=old.id,
                        starts_at=utcnow() - timedelta(days=7)),
            Appointment(client_id=someone.id, therapist_id=old.id,
                        starts_at=utcnow() + timedelta(days=7)),
        ])
    response = post(admin, f"/staff/admin/clients/{someone.id}/therapist",
                    {"therapist": str(new.id)}, token_from=f"/staff/clients/{someone.id}")
    assert response.headers["Location"] == f"/staff/clients/{someone.id}"
    # The session cookie is signed, not sealed: anyone holding it can read it.
    with admin.session_transaction() as session:
        assert someone.reference not in repr(dict(session))
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dr New is now this client&#39;s therapist." in page
    assert log_in(app, new).get(f"/staff/clients/{someone.id}").status_code == 200
    assert log_in(app, old).get(f"/staff/clients/{someone.id}").status_code == 404
    assert ("client.reassigned", someone.id, f"from={old.id} to={new.id} appointments=1"
            ) in audited(app)
    with app.app_context():
        held = db.session.scalars(select(Appointment.therapist_id).order_by(
            Appointment.starts_at)).all()
    assert held == [old.id, new.id]  # the past stays with who held it


@pytest.mark.parametrize("target", ["disabled", "frontdesk", "unknown", "not a number"])
def test_a_client_goes_only_to_an_enabled_therapist(app, admin, make_staff, make_client, target):
    someone = make_client()
    if target == "disabled":
        chosen = str(make_staff(Role.THERAPIST).id)
        with app.app_context(), write_transaction() as session:
            session.get(Staff, int(chosen)).is_enabled = False
    elif target == "frontdesk":
        chosen = str(make_staff(Role.FRONTDESK).id)
    else:
        chosen = "9999" if target == "unknown" else target
    response = post(admin, f"/staff/admin/clients/{someone.id}/therapist", {"therapist": chosen},
                    token_from=f"/staff/clients/{someone.id}")
    assert response.headers["Location"] == f"/staff/clients/{someone.id}"
    assert "Please choose a therapist." in admin.get(
        response.headers["Location"]).get_data(as_text=True)
    assert read(app, Client, someone.id).therapist_id == someone.therapist.id
    assert actions(app) == []


def test_reassigning_an_unknown_client_is_a_404(admin, make_staff):
    therapist = make_staff(Role.THERAPIST)
    assert post(admin, "/staff/admin/clients/9999/therapist", {"therapist": str(therapist.id)},
                token_from="/staff/").status_code == 404


@pytest.mark.parametrize("role,shown", [(Role.ADMIN, True), (Role.FRONTDESK, False)])
def test_the_reassign_form_renders_where_it_is_included(app, make_staff, make_client, role,
                                                        shown):
    someone = make_client()
    other = make_staff(Role.THERAPIST, name="Dr Other")
    viewer = make_staff(role)
    with app.test_request_context(f"/staff/clients/{someone.id}"):
        staff = db.session.get(Staff, viewer.id)
        staff.session_token = "not used"
        login_user(staff)
        html = render_template("staff/_reassign.html", client=db.session.get(Client, someone.id))
        action = url_for("staff.admin_reassign_client", client_id=someone.id)
    assert (f'action="{action}"' in html) is shown
    if shown:
        assert 'name="csrf_token"' in html
        assert f'<option value="{other.id}">Dr Other</option>' in html
        assert f'<option selected value="{someone.therapist.id}">' in html
