"""Which codes match a secret: the current step and one either side, typed loosely."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from intake.practice.two_factor import matching_step, new_secret, provisioning_uri

NOW = datetime(2026, 11, 27, 9, 30, 10, tzinfo=UTC)
SECRET = new_secret()
TOTP = pyotp.TOTP(SECRET)
STEP = TOTP.timecode(NOW)


@pytest.mark.parametrize("offset,expected", [(-30, STEP - 1), (0, STEP), (30, STEP + 1)])
def test_a_code_of_the_step_before_now_or_after_matches_its_step(offset, expected):
    assert matching_step(SECRET, TOTP.at(NOW + timedelta(seconds=offset)), NOW) == expected


@pytest.mark.parametrize("offset", [-90, -60, 60, 90])
def test_an_older_or_later_code_does_not_match(offset):
    code = TOTP.at(NOW + timedelta(seconds=offset))
    assert code not in {TOTP.at(NOW + timedelta(seconds=s)) for s in (-30, 0, 30)}
    assert matching_step(SECRET, code, NOW) is None


def test_spaces_and_dashes_people_type_are_ignored():
    code = TOTP.at(NOW)
    for typed in (f"{code[:3]} {code[3:]}", f" {code[:3]}-{code[3:]} ", f"{code}\n"):
        assert matching_step(SECRET, typed, NOW) == STEP


def test_arabic_and_persian_digits_are_the_same_code():
    code = TOTP.at(NOW)
    for zero in ("\u0660", "\u06f0"):  # the Arabic-Indic and the Persian zero
        typed = "".join(chr(ord(zero) + int(digit)) for digit in code)
        assert matching_step(SECRET, typed, NOW) == STEP


@pytest.mark.parametrize("typed", [None, "", "12345", "1234567", "abcdef", "12345x", "１２３４５"])
def test_anything_but_six_digits_matches_nothing(typed):
    assert matching_step(SECRET, typed, NOW) is None


def test_a_secret_is_new_each_time_and_long_enough():
    secrets = {new_secret() for _ in range(50)}
    assert len(secrets) == 50
    assert all(len(secret) == 32 for secret in secrets)  # 160 bits in base32


def test_the_app_is_told_the_practice_and_the_account():
    uri = provisioning_uri(SECRET, "ana@example.org", "Riverside Counselling")
    assert uri.startswith("otpauth://totp/Riverside%20Counselling:ana%40example.org?")
    assert f"secret={SECRET}" in uri and "issuer=Riverside%20Counselling" in uri
