"""Every route, with who may reach it; a new route without an entry here fails the suite.

Each route is opened by each kind of visitor, with every method it takes (a POST with a
valid CSRF token of that visitor's own session): someone it is not for gets a 404 (or a
403), or is sent to the staff login; everyone else gets the page, a redirect elsewhere
or a form error. Nobody gets a 500.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from intake.models import Role, utcnow
from intake.practice import appointments
from tests.conftest import Kiosk, add_room, csrf_token, post, token_in

VISITOR, CLIENT = "visitor", "client"  # no session at all; a client's visit on the tablet
THERAPIST, FRONTDESK, ADMIN = Role.THERAPIST.value, Role.FRONTDESK.value, Role.ADMIN.value

EVERYONE = frozenset({VISITOR, CLIENT, THERAPIST, FRONTDESK, ADMIN})
STAFF = frozenset({THERAPIST, FRONTDESK, ADMIN})
READS_ANSWERS = frozenset({THERAPIST, ADMIN})
DESK = frozenset({FRONTDESK, ADMIN})
ADMIN_ONLY = frozenset({ADMIN})
# Only within a login, or half-way through one (the password given, the code not yet):
# everyone probed here is sent to the login page (staff by logging them out).
WITHIN_A_LOGIN = frozenset()

ROUTES: dict[str, frozenset | dict[str, frozenset]] = {
    # The client's pages: public, and never showing an answer already given.
    "kiosk.welcome": EVERYONE,
    "kiosk.language": EVERYONE,
    "kiosk.start": EVERYONE,
    "kiosk.link": EVERYONE,
    "kiosk.resume": EVERYONE,
    "kiosk.step": EVERYONE,
    "kiosk.save_step": EVERYONE,
    "kiosk.keepalive": EVERYONE,
    "kiosk.thanks": EVERYONE,
    "kiosk.accept_survey": EVERYONE,
    "kiosk.done": EVERYONE,
    "kiosk.timeout": EVERYONE,
    "kiosk.what_to_expect": EVERYONE,
    "kiosk.consent_page": EVERYONE,
    "kiosk.consent_choice": EVERYONE,
    "static": EVERYONE,
    # The questionnaires' definitions for a health record: public, no client data.
    "fhir.questionnaire": EVERYONE,
    # Logging in and out.
    "staff.login": EVERYONE,
    "staff.login_code": WITHIN_A_LOGIN,
    "staff.logout": WITHIN_A_LOGIN,
    # Every staff member.
    "staff.dashboard": STAFF,
    "staff.account": STAFF,
    "staff.client": STAFF,  # the front desk sees the client, not the answers
    "staff.start_check_in": STAFF,
    "staff.check_in": STAFF,
    "staff.check_in_qr": STAFF,
    "staff.cancel_check_in": STAFF,
    "staff.surveys_due": STAFF,
    "staff.today": STAFF,  # a therapist sees their own appointments
    "staff.renew_check_in_code": STAFF,
    "staff.new_appointment": STAFF,  # a therapist books their own clients
    "staff.start_appointment_check_in": STAFF,
    # Everyone reads an appointment they may see; only the desk moves it.
    "staff.appointment": {"GET": STAFF, "POST": DESK},
    # The answers: therapists (their own clients) and admins.
    "staff.acknowledge_alert": READS_ANSWERS,
    "staff.client_export": READS_ANSWERS,
    "staff.survey_schedule": READS_ANSWERS,
    # The front desk and admins.
    "staff.new_client": DESK,
    "staff.cancel_appointment": DESK,
    "staff.mark_appointment": DESK,
    "staff.email_intake_link": DESK,
    "staff.devices": DESK,
    "staff.clear_device": DESK,
    # Admins only.
    "staff.admin_settings": ADMIN_ONLY,
    "staff.admin_staff": ADMIN_ONLY,
    "staff.admin_staff_member": ADMIN_ONLY,
    "staff.admin_staff_details": ADMIN_ONLY,
    "staff.admin_staff_move_clients": ADMIN_ONLY,
    "staff.admin_staff_role": ADMIN_ONLY,
    "staff.admin_staff_password": ADMIN_ONLY,
    "staff.admin_staff_disable": ADMIN_ONLY,
    "staff.admin_staff_enable": ADMIN_ONLY,
    "staff.admin_staff_two_factor_off": ADMIN_ONLY,
    "staff.admin_rooms": ADMIN_ONLY,
    "staff.admin_room": ADMIN_ONLY,
    "staff.admin_room_deactivate": ADMIN_ONLY,
    "staff.admin_room_reactivate": ADMIN_ONLY,
    "staff.admin_reassign_client": ADMIN_ONLY,
    "staff.admin_exports": ADMIN_ONLY,
    "staff.admin_erase_client": ADMIN_ONLY,
    "staff.admin_feedback_by_room": ADMIN_ONLY,
    "staff.admin_audit": ADMIN_ONLY,
    "staff.admin_follow_ups": ADMIN_ONLY,
    "staff.admin_follow_up_state": ADMIN_ONLY,
    "staff.admin_confidentiality_limits": ADMIN_ONLY,
    "staff.admin_audit_export": ADMIN_ONLY,
    "staff.client_seen_by": ADMIN_ONLY,
}


def test_every_route_is_in_the_inventory(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - ROUTES.keys() == set(), "add the new route to ROUTES, with its audience"
    assert ROUTES.keys() - endpoints == set(), "a route in ROUTES no longer exists"


def _denied(response) -> bool:
    if response.status_code in (403, 404):
        return True
    return response.status_code in (302, 303) and response.headers["Location"] == "/staff/login"


@pytest.fixture
def world(app, make_staff, make_client, make_check_in):
    """One of each kind of staff member, a client of the therapist, and what ids name."""
    people = {role: make_staff(role) for role in (THERAPIST, FRONTDESK, ADMIN)}
    someone = make_client(therapist=people[THERAPIST])
    # With a mail server set, "email the intake link" is offered (its form then asks for an
    # address: nothing is sent here).
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9/?from=desk@example.org"
    with app.app_context():
        appointment_id = appointments.add(someone.id, utcnow() + timedelta(days=2)).appointment.id
    return {
        "people": people,
        "check_in": make_check_in(client=someone),
        "ids": {"client_id": someone.id, "check_in_id": make_check_in(client=someone).id,
                "room_id": add_room(app, "Garden room"), "staff_id": make_staff().id,
                "appointment_id": appointment_id, "key": "intake", "follow_up_id": 1,
                # The QR code exists only while the check-in waits: one no other route ends.
                "waiting_check_in_id": make_check_in(client=someone).id},
    }


def _browser(app, who: str, world):
    """A fresh browser for this kind of visitor, and a CSRF token of its session."""
    browser = app.test_client()
    if who == VISITOR:
        return browser, csrf_token(browser, "/")
    if who == CLIENT:
        kiosk = Kiosk(browser)
        kiosk.start(world["check_in"].code)
        _path, html = kiosk.current()
        return browser, token_in(html)
    staff = world["people"][who]
    response = post(browser, "/staff/login", {"email": staff.email,
                                              "password": "correct horse battery"},
                    token_from="/staff/login")
    assert response.headers["Location"] in ("/staff/", "/staff/today"), who
    return browser, csrf_token(browser, "/staff/")


def _path(rule, ids: dict) -> str:
    values = {name: ids.get(name, "x") for name in rule.arguments}
    if rule.endpoint == "static":
        values["filename"] = "style.css"
    if rule.endpoint == "staff.check_in_qr":
        values["check_in_id"] = ids["waiting_check_in_id"]
    return rule.build(values, append_unknown=False)[1]


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_each_visitor_reaches_exactly_the_routes_listed_for_them(app, world, who):
    wrong = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            browser, token = _browser(app, who, world)
            path = _path(rule, world["ids"])
            data = {"csrf_token": token} if method == "POST" else None
            with browser.open(path, method=method, data=data) as response:
                assert response.status_code < 500, (rule.rule, method, who)
                reached = not _denied(response)
            audience = ROUTES[rule.endpoint]
            if isinstance(audience, dict):
                audience = audience[method]
            if reached != (who in audience):
                wrong.append((method, rule.rule, response.status_code,
                              re.sub(r"\?.*", "", response.headers.get("Location", ""))))
    assert wrong == [], f"{who} reaches what the inventory does not say, or not what it says"
