"""Two-factor sign-in: setting it up, logging in with a code, replays, lockout, the
practice's requirement, and an admin's reset after a lost phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from sqlalchemy import select, update

from intake.extensions import db
from intake.infra import sealing
from intake.infra.database import write_transaction
from intake.models import AuditEvent, Practice, Role, Staff, utcnow
from intake.practice import two_factor
from tests.conftest import post, token_in

KEY = re.compile(r'<code class="secret" dir="ltr">([A-Z2-7 ]+)</code>')
SIGNED = re.compile(r'name="secret" type="hidden" value="([^"]+)"')


def code_for(secret: str, seconds_from_now: int = 0) -> str:
    return pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=seconds_from_now))


def secret_of(app, staff) -> str | None:
    """Return an account's two-factor secret, opened (it is stored sealed)."""
    with app.app_context():
        sealed, key_id = db.session.execute(
            select(Staff.totp_secret, Staff.totp_sealed_with).where(Staff.id == staff.id)).one()
        db.session.remove()
        if sealed is None:
            return None
        assert len(sealed) > 32 and key_id  # never the secret itself
        return sealing.keyring().open(sealed, key_id, two_factor.binding(staff.id))


def audit_actions(app) -> list[str]:
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
        db.session.remove()
    return actions


def with_two_factor(app, staff) -> str:
    """Give an account two-factor sign-in, as if set up a minute ago; return its secret."""
    secret = two_factor.new_secret()
    with app.app_context():
        a_minute_ago = utcnow() - timedelta(seconds=60)
        assert two_factor.turn_on(staff.id, secret, code_for(secret, -60), a_minute_ago)
        db.session.remove()
    return secret


def require_two_factor(app, required: bool = True) -> None:
    with app.app_context(), write_transaction() as session:
        session.execute(update(Practice).values(require_two_factor=required))
    app.extensions.pop("intake.practice", None)


def send_code(client, code: str):
    return post(client, "/staff/login/code", {"code": code}, token_from="/staff/login/code")


def test_setting_it_up_takes_a_right_code_from_the_app(app, client, login, make_staff):
    staff = make_staff()
    login(staff)
    page = client.get("/staff/account").get_data(as_text=True)
    assert '<svg' in page and 'role="img"' in page
    key = KEY.search(page).group(1).replace(" ", "")
    signed = SIGNED.search(page).group(1)
    wrong = client.post("/staff/account", data={
        "csrf_token": token_in(page), "secret": signed, "code": "000000"})
    assert wrong.status_code == 200
    again = wrong.get_data(as_text=True)
    assert "This code is not right" in again
    assert KEY.search(again).group(1).replace(" ", "") == key  # the scanned key still works
    assert secret_of(app, staff) is None
    right = client.post("/staff/account", data={
        "csrf_token": token_in(page), "secret": signed, "code": code_for(key)})
    assert right.headers["Location"] == "/staff/"
    assert secret_of(app, staff) == key
    assert "two_factor.on" in audit_actions(app)
    assert "Two-factor sign-in is on" in client.get("/staff/account").get_data(as_text=True)


def test_a_setup_form_of_another_account_or_a_forged_one_stores_nothing(
    app, client, login, make_staff
):
    mine, theirs = make_staff(), make_staff()
    login(theirs)
    their_page = client.get("/staff/account").get_data(as_text=True)
    their_signed = SIGNED.search(their_page).group(1)
    their_key = KEY.search(their_page).group(1).replace(" ", "")
    post(client, "/staff/logout", token_from="/staff/")
    login(mine)
    token = token_in(client.get("/staff/account").get_data(as_text=True))
    for signed in (their_signed, their_signed[:-2] + "xx", "not-signed"):
        response = client.post("/staff/account", data={
            "csrf_token": token, "secret": signed, "code": code_for(their_key)})
        assert response.headers["Location"] == "/staff/account"
    assert secret_of(app, mine) is None and secret_of(app, theirs) is None


def test_logging_in_takes_the_password_then_a_code(app, client, login, make_staff):
    staff = make_staff()
    secret = with_two_factor(app, staff)
    response = login(staff)
    assert response.headers["Location"] == "/staff/login/code"
    # Half-way in is not in: no staff page opens before the code.
    assert client.get("/staff/").headers["Location"] == "/staff/login"
    page = client.get("/staff/login/code").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    spaced = code_for(secret)
    response = send_code(client, f"{spaced[:3]} {spaced[3:]}")
    assert response.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_a_code_is_accepted_once(app, client, login, make_staff):
    staff = make_staff()
    secret = with_two_factor(app, staff)
    code = code_for(secret)
    login(staff)
    assert send_code(client, code).headers["Location"] == "/staff/"
    post(client, "/staff/logout", token_from="/staff/")
    login(staff)
    replayed = send_code(client, code)
    assert replayed.status_code == 200
    assert "already used" in replayed.get_data(as_text=True)
    assert client.get("/staff/").headers["Location"] == "/staff/login"
    # The app's next code goes in.
    assert send_code(client, code_for(secret, 30)).headers["Location"] == "/staff/"


def test_the_code_used_to_set_it_up_cannot_log_in(app, client, login, make_staff):
    staff = make_staff()
    secret = two_factor.new_secret()
    code = code_for(secret)
    with app.app_context():
        assert two_factor.turn_on(staff.id, secret, code, utcnow())
        db.session.remove()
    login(staff)
    assert send_code(client, code).status_code == 200


def test_wrong_codes_lock_the_account_like_wrong_passwords(app, client, login, make_staff):
    staff = make_staff()
    secret = with_two_factor(app, staff)
    login(staff)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert send_code(client, "123456" if code_for(secret) != "123456" else "654321")
    response = send_code(client, code_for(secret))
    assert response.headers["Location"] == "/staff/login"
    assert "Too many attempts" in client.get("/staff/login").get_data(as_text=True)
    assert client.get("/staff/").headers["Location"] == "/staff/login"


def test_a_password_step_left_too_long_starts_again(app, client, login, make_staff):
    staff = make_staff()
    secret = with_two_factor(app, staff)
    login(staff)
    token = token_in(client.get("/staff/login/code").get_data(as_text=True))
    with client.session_transaction() as session:
        pending = session["two_factor_pending"]
        session["two_factor_pending"] = {**pending, "at": pending["at"] - 301}
    response = client.post("/staff/login/code", data={"csrf_token": token,
                                                      "code": code_for(secret)})
    assert response.headers["Location"] == "/staff/login"
    assert "Please log in again" in client.get("/staff/login").get_data(as_text=True)


def test_a_practice_that_requires_it_sends_everyone_to_set_it_up_first(
    app, client, login, make_staff, make_client
):
    require_two_factor(app)
    therapist = make_staff()
    someone = make_client(therapist)
    assert login(therapist).headers["Location"] == "/staff/"
    for path in ("/staff/", f"/staff/clients/{someone.id}", "/staff/surveys"):
        assert client.get(path).headers["Location"] == "/staff/account", path
    page = client.get("/staff/account").get_data(as_text=True)
    assert "Your practice asks every staff member" in page
    key = KEY.search(page).group(1).replace(" ", "")
    client.post("/staff/account", data={"csrf_token": token_in(page),
                                         "secret": SIGNED.search(page).group(1),
                                         "code": code_for(key)})
    assert client.get(f"/staff/clients/{someone.id}").status_code == 200
    # While it is required, it cannot be turned off by the person themselves.
    page = client.get("/staff/account").get_data(as_text=True)
    assert "Turn off two-factor sign-in" not in page
    post(client, "/staff/account", {"code": code_for(key, 30)}, token_from="/staff/account")
    assert secret_of(app, therapist) == key


def test_turning_it_off_takes_a_right_code(app, client, login, make_staff):
    staff = make_staff()
    secret = with_two_factor(app, staff)
    login(staff)
    send_code(client, code_for(secret))
    wrong = post(client, "/staff/account", {"code": "99999x"}, token_from="/staff/account")
    assert "This code is not right" in wrong.get_data(as_text=True)
    assert secret_of(app, staff) == secret
    post(client, "/staff/account", {"code": code_for(secret, 30)}, token_from="/staff/account")
    assert secret_of(app, staff) is None
    assert audit_actions(app).count("two_factor.off") == 1


def test_an_admin_turns_it_off_after_a_lost_phone(app, client, login, make_staff):
    admin, therapist = make_staff(Role.ADMIN), make_staff()
    with_two_factor(app, therapist)
    login(admin)
    member_page = f"/staff/admin/staff/{therapist.id}"
    assert "this person logs in with a password and a code" in client.get(
        member_page).get_data(as_text=True)
    post(client, f"/staff/admin/staff/{therapist.id}/two-factor/off", token_from=member_page)
    assert secret_of(app, therapist) is None
    assert "two_factor.off" in audit_actions(app)
    post(client, "/staff/logout", token_from="/staff/")
    assert login(therapist).headers["Location"] == "/staff/"


def test_only_an_admin_can_turn_it_off_for_someone_else(app, client, login, make_staff):
    therapist, other = make_staff(), make_staff()
    with_two_factor(app, other)
    login(therapist)
    response = post(client, f"/staff/admin/staff/{other.id}/two-factor/off",
                    token_from="/staff/")
    assert response.status_code == 404
    assert secret_of(app, other) is not None


def test_the_admin_settings_turn_the_requirement_on(app, client, login, make_staff):
    login(make_staff(Role.ADMIN))
    page = client.get("/staff/admin/settings").get_data(as_text=True)
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', page))
    fields.update({"survey_mode": "off", "require_two_factor": "y",
                   "csrf_token": token_in(page)})
    response = client.post("/staff/admin/settings", data=fields)
    assert response.headers["Location"] == "/staff/admin/settings"
    with app.app_context():
        assert db.session.scalar(select(Practice.require_two_factor)) is True
        db.session.remove()
    # The admin who turned it on has not set it up yet: they are asked to, first.
    assert client.get("/staff/").headers["Location"] == "/staff/account"


def test_the_practices_rule_holds_at_once_on_every_worker(app, client, login, make_staff):
    therapist = make_staff()
    login(therapist)
    assert client.get("/staff/").status_code == 200  # the settings are now kept here
    # Turned on elsewhere (another worker, or the command line): nothing here forgets.
    with app.app_context(), write_transaction() as session:
        session.execute(update(Practice).values(require_two_factor=True))
    assert client.get("/staff/").headers["Location"] == "/staff/account"
