"""Login throttling: two-factor codes counted on their own, failures that decay, locks that
grow but end, a per-address limit, and accounts that cannot be told apart."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import Staff, utcnow
from intake.practice import accounts
from tests.conftest import PASSWORD, post
from tests.functional.test_two_factor import code_for, send_code, with_two_factor

FLASH = re.compile(r'<p class="flash flash-error"[^>]*>([^<]*)</p>')
ELSEWHERE = {"REMOTE_ADDR": "192.0.2.77"}


def wrong_code(secret: str) -> str:
    return "123456" if code_for(secret) != "123456" else "654321"


def attempt(client, email: str, password: str, address: str = "127.0.0.1"):
    return post(client, "/staff/login", {"email": email, "password": password},
                token_from="/staff/login", environ_base={"REMOTE_ADDR": address})


def flashed(response) -> str:
    found = FLASH.findall(response.get_data(as_text=True))
    assert len(found) == 1, found
    return found[0]


def row(app, staff) -> Staff:
    with app.app_context():
        found = db.session.scalar(select(Staff).where(Staff.id == staff.id))
        db.session.expunge(found)
        db.session.remove()
    return found


def set_row(app, staff, **values) -> None:
    with app.app_context(), write_transaction() as session:
        session.execute(update(Staff).where(Staff.id == staff.id).values(**values))


def test_a_right_password_does_not_forgive_wrong_codes(app, client, login, make_staff):
    staff = make_staff()
    secret = with_two_factor(app, staff)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        # The password typed again between wrong codes, as the probe did.
        assert login(staff).headers["Location"] == "/staff/login/code"
        assert send_code(client, wrong_code(secret)).status_code == 200
    response = login(staff)
    assert response.status_code == 200  # no code step while the codes are locked
    assert "Too many attempts" in response.get_data(as_text=True)
    assert send_code(client, code_for(secret)).headers["Location"] == "/staff/login"
    assert client.get("/staff/").headers["Location"] == "/staff/login"


def test_only_a_right_code_forgives_wrong_codes(app, client, login, make_staff):
    staff = make_staff()
    secret = with_two_factor(app, staff)
    login(staff)
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        send_code(client, wrong_code(secret))
    assert send_code(client, code_for(secret)).headers["Location"] == "/staff/"
    assert row(app, staff).failed_codes == 0
    post(client, "/staff/logout", token_from="/staff/")
    login(staff)
    send_code(client, wrong_code(secret))
    assert row(app, staff).failed_codes == 1


def test_wrong_codes_do_not_count_as_wrong_passwords(app, client, login, make_staff):
    staff = make_staff()
    secret = with_two_factor(app, staff)
    login(staff)
    send_code(client, wrong_code(secret))
    found = row(app, staff)
    assert (found.failed_codes, found.failed_logins) == (1, 0)


def test_unknown_wrong_and_locked_accounts_get_the_same_words(app, client, make_staff):
    staff = make_staff()
    unknown = flashed(attempt(client, "nobody@example.org", "x" * 12))
    wrong = flashed(attempt(client, staff.email, "not the password"))
    set_row(app, staff, locked_until=utcnow() + timedelta(minutes=10))
    locked_right = flashed(attempt(client, staff.email, PASSWORD))
    locked_wrong = flashed(attempt(client, staff.email, "not the password"))
    assert unknown == wrong == locked_right == locked_wrong
    assert "not right" in unknown


@pytest.fixture
def hashing(monkeypatch):
    """Count argon2 verifications and hashes made."""
    counts = {"verify": 0, "hash": 0}
    verify, make = PasswordHasher.verify, PasswordHasher.hash

    def counted_verify(self, *args, **kwargs):
        counts["verify"] += 1
        return verify(self, *args, **kwargs)

    def counted_hash(self, *args, **kwargs):
        counts["hash"] += 1
        return make(self, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "verify", counted_verify)
    monkeypatch.setattr(PasswordHasher, "hash", counted_hash)
    return counts


def test_every_refused_login_verifies_one_hash_and_makes_none(app, client, make_staff,
                                                             hashing):
    staff = make_staff()
    attempt(client, "warm-up@example.org", "x" * 12)  # the process's one dummy hash
    cases = [("nobody@example.org", "x" * 12), ("someone-else@example.org", "y" * 12),
             (staff.email, "not the password")]
    for email, password in cases:
        hashing.update(verify=0, hash=0)
        attempt(client, email, password)
        assert hashing == {"verify": 1, "hash": 0}, email
    set_row(app, staff, locked_until=utcnow() + timedelta(minutes=10))
    for password in (PASSWORD, "not the password"):
        hashing.update(verify=0, hash=0)
        attempt(client, staff.email, password)
        assert hashing == {"verify": 1, "hash": 0}


def test_failures_decay(app, client, login, make_staff):
    staff = make_staff()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        login(staff, password="wrong password")
    set_row(app, staff, failures_since=utcnow() - timedelta(minutes=16))
    login(staff, password="wrong password")  # one new failure after four stale ones
    assert row(app, staff).locked_until is None
    assert login(staff).headers["Location"] == "/staff/"


def test_a_lock_grows_with_each_burst_but_is_bounded(app):
    with app.app_context():
        from intake.staff.blueprint import policy

        locks = [policy().lock_for(earlier) for earlier in range(6)]
    assert locks == [timedelta(minutes=15), timedelta(minutes=30)] + [timedelta(hours=1)] * 4


def test_a_repeated_burst_locks_longer_and_every_lock_ends(app, client, login, make_staff):
    staff = make_staff()
    limit = app.config["LOGIN_MAX_FAILURES"]
    lengths = []
    for burst in range(3):
        for _ in range(limit):
            attempt(client, staff.email, "wrong password", address=f"198.51.100.{burst}")
        found = row(app, staff)
        lengths.append(found.locked_until - utcnow())
        # More failures while locked do not lengthen the lock.
        attempt(client, staff.email, "wrong password", address=f"198.51.100.{burst}")
        assert row(app, staff).locked_until == found.locked_until
        set_row(app, staff, locked_until=utcnow() - timedelta(seconds=1))
    assert [round(length / timedelta(minutes=15)) for length in lengths] == [1, 2, 4]
    assert login(staff).headers["Location"] == "/staff/"
    assert row(app, staff).lockouts == 0


def test_one_address_cannot_lock_every_account(app, client, make_staff):
    victims = [make_staff() for _ in range(3)]
    limit = app.config["LOGIN_MAX_FAILURES"]
    for victim in victims:
        for _ in range(limit):
            attempt(client, victim.email, "wrong password", address="203.0.113.9")
    # Ten failures from one address: the first two accounts are locked, the third is not.
    assert [row(app, victim).locked_until is not None for victim in victims] == [
        True, True, False]
    refused = attempt(client, victims[2].email, PASSWORD, address="203.0.113.9")
    assert "from this network" in flashed(refused)
    elsewhere = app.test_client()
    response = attempt(elsewhere, victims[2].email, PASSWORD, address="192.0.2.10")
    assert response.headers["Location"] == "/staff/"


def test_a_forged_forwarded_address_does_not_escape_the_limit(make_staff, app,
                                                             app_on_same_database):
    staff = make_staff()
    behind_one_proxy = app_on_same_database(BEHIND_PROXY=1)
    client = behind_one_proxy.test_client()
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        post(client, "/staff/login", {"email": f"x{n}@example.org", "password": "x" * 12},
             token_from="/staff/login",
             headers={"X-Forwarded-For": f"10.9.9.{n}, 198.51.100.200"})
    response = post(client, "/staff/login", {"email": staff.email, "password": PASSWORD},
                    token_from="/staff/login",
                    headers={"X-Forwarded-For": "10.9.9.99, 198.51.100.200"})
    assert "from this network" in flashed(response)


def test_the_proxy_setting_is_a_number_of_proxies():
    from intake.config import from_environment

    assert from_environment({"INTAKE_BEHIND_PROXY": "2"})["BEHIND_PROXY"] == 2
    assert from_environment({"INTAKE_BEHIND_PROXY": "1"})["BEHIND_PROXY"] == 1
    assert "BEHIND_PROXY" not in from_environment({})
    with pytest.raises(ValueError):
        from_environment({"INTAKE_BEHIND_PROXY": "yes"})


def test_create_app_trusts_exactly_the_configured_number_of_hops(tmp_path):
    from intake import create_app
    from tests.conftest import settings

    app = create_app(settings(f"sqlite:///{tmp_path / 'x.sqlite'}", BEHIND_PROXY=2))
    seen = {}

    @app.get("/_address")
    def _address():
        from flask import request

        seen["address"] = request.remote_addr
        return ""

    app.test_client().get("/_address", headers={
        "X-Forwarded-For": "6.6.6.6, 203.0.113.5, 10.0.0.1"})
    assert seen["address"] == "203.0.113.5"


def test_a_control_character_in_a_staff_email_is_refused(app):
    with app.app_context():
        for email in ("a\x00b@example.org", "a\nb@example.org", "a b@example.org",
                      "a\u202eb@example.org"):
            with pytest.raises(accounts.AccountError):
                accounts.create_staff(email, PASSWORD, "therapist", _policy())


def _policy():
    from intake.staff.blueprint import policy

    return policy()


def test_failures_at_once_from_a_new_address_are_all_counted(app):
    import threading

    from intake.models import Throttle

    barrier, errors = threading.Barrier(8), []

    def fail_once() -> None:
        with app.app_context():
            barrier.wait()
            try:
                accounts.authenticate("nobody@example.org", "x" * 12, _policy(),
                                      address="198.51.100.99")
            except Exception as error:  # any error fails the test below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=fail_once) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        row = db.session.get(Throttle, "staff-address:198.51.100.99")
        assert row.failures == 8
        db.session.remove()


def test_an_address_cannot_pace_its_failures_under_the_limit(app, client, make_staff):
    from intake.models import Throttle

    staff = make_staff()
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for n in range(limit - 1):
        attempt(client, f"nobody{n}@example.org", "x" * 12, address="203.0.113.50")
    # Twenty minutes later: longer than an account's window, within the address's hour.
    with app.app_context(), write_transaction() as session:
        session.execute(update(Throttle).where(Throttle.key == "staff-address:203.0.113.50")
                        .values(window_started_at=utcnow() - timedelta(minutes=20)))
    attempt(client, "nobody-else@example.org", "x" * 12, address="203.0.113.50")
    refused = attempt(client, staff.email, PASSWORD, address="203.0.113.50")
    assert "from this network" in flashed(refused)
