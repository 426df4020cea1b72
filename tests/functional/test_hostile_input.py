"""Hostile input on every route: ids no row can have, and file parts where text belongs."""

from __future__ import annotations

from io import BytesIO

import pytest

from intake.models import Role
from tests.conftest import csrf_token, token_in
from tests.functional.test_kiosk_flow import INTAKE_ANSWERS

HUGE = [2**31, 2**63, 2**64, 10**30]
# Every text field name a form of the app has, sent as a file.
FIELD_NAMES = ("email", "password", "code", "reference", "name", "locale", "questionnaire",
               "secret", "go", "format", "therapist", "role", "next", "crisis_line")


def rules(app, methods=None):
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if methods is None or method in methods:
                yield rule, method


def path_of(rule, number: int) -> str:
    args = {name: number if name.endswith("_id") else "x" for name in rule.arguments}
    return rule.build(args, append_unknown=False)[1]


@pytest.fixture
def as_admin(client, login, make_staff):
    login(make_staff(Role.ADMIN))
    return client


def test_ids_no_row_can_have_are_404_on_every_route(app, as_admin):
    token = csrf_token(as_admin, "/staff/")
    walked = 0
    for rule, method in rules(app):
        if not any(name.endswith("_id") for name in rule.arguments):
            continue
        for number in HUGE:
            response = as_admin.open(path_of(rule, number), method=method,
                                     data={"csrf_token": token} if method == "POST" else None)
            assert response.status_code == 404, (rule.rule, method, number)
            walked += 1
    assert walked >= 13 * len(HUGE)


def test_a_huge_page_number_is_not_an_error_on_any_page(app, as_admin):
    visitor = app.test_client()
    for rule, _method in rules(app, {"GET"}):
        # The kiosk's pages end a visit (and the session with it): a client of their own.
        browser = visitor if rule.endpoint.startswith("kiosk.") else as_admin
        for page in ("9223372036854775808", "-1", "1e99", "٣"):
            path = path_of(rule, 1) + f"?page={page}&months={page}"
            assert browser.get(path).status_code in (200, 302, 404), (rule.rule, page)
    assert as_admin.get("/staff/?page=9223372036854775808").status_code == 200


def file_part() -> tuple:
    return (BytesIO(b"not a text"), "note.txt", "text/plain")


def test_a_file_part_is_a_bad_request_on_every_post_route(app, as_admin):
    token = csrf_token(as_admin, "/staff/")
    for rule, _method in rules(app, {"POST"}):
        for name in FIELD_NAMES:
            response = as_admin.post(path_of(rule, 1), content_type="multipart/form-data",
                                     data={"csrf_token": token, name: file_part()})
            assert response.status_code == 400, (rule.rule, name)


@pytest.mark.parametrize("path,field", [("/staff/login", "email"),
                                        ("/staff/login", "password"),
                                        ("/start", "code")])
def test_a_file_in_a_text_field_without_a_login(client, path, field):
    token = csrf_token(client, "/staff/login" if path.startswith("/staff") else "/")
    response = client.post(path, content_type="multipart/form-data",
                           data={"csrf_token": token, "email": "a@example.org",
                                 "password": "x" * 12, field: file_part()})
    assert response.status_code == 400


def test_a_file_in_a_kiosk_text_field_keeps_the_step(kiosk, make_check_in):
    kiosk.start(make_check_in(questionnaire="intake").code)
    kiosk.answer(INTAKE_ANSWERS[0])
    kiosk.answer(INTAKE_ANSWERS[1])
    path, html = kiosk.current()
    response = kiosk.client.post(path, content_type="multipart/form-data", data={
        "csrf_token": token_in(html), "goal_1": file_part(), "go": "next"})
    assert response.status_code == 400
    assert kiosk.current()[0] == path  # the visit goes on where it was


def test_a_file_as_a_room_name_or_an_erase_confirmation(app, as_admin, make_client):
    someone = make_client()
    token = csrf_token(as_admin, "/staff/admin/rooms")
    for path, field in (("/staff/admin/rooms", "name"),
                        (f"/staff/clients/{someone.id}/erase", "reference")):
        response = as_admin.post(path, content_type="multipart/form-data",
                                 data={"csrf_token": token, field: file_part()})
        assert response.status_code == 400, path
    assert as_admin.get(f"/staff/clients/{someone.id}").status_code == 200  # not erased


def test_a_missing_static_file_is_not_kept(client):
    response = client.get("/static/nothing-here.css")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    with client.get("/static/style.css") as found:
        assert found.status_code == 200
        assert "no-store" not in found.headers.get("Cache-Control", "")
