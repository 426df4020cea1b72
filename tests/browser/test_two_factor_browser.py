"""Two-factor sign-in in a real browser, in Arabic on a phone: set it up from the QR page,
log out, and log in again with the password and a code."""

import pyotp
from playwright.sync_api import expect

from intake.extensions import db
from intake.models import utcnow
from intake.practice.accounts import create_staff
from intake.staff.blueprint import policy
from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_staff_browser import PASSWORD, log_in


def test_an_arabic_speaking_therapist_sets_it_up_and_logs_in_with_a_code(
    browser, server, live_app
):
    with live_app.app_context():
        email = create_staff(f"2fa{utcnow():%H%M%S%f}@example.org", PASSWORD, "therapist",
                             policy(), locale="ar").email
        db.session.remove()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, server, email)
    page.locator("a.who").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    qr = page.locator(".two-factor-qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 120 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "two-factor-setup-ar-phone")
    totp = pyotp.TOTP(page.locator("code.secret").inner_text().replace(" ", ""))
    first_code = totp.now()
    page.locator("input[name=code]").fill(first_code)
    page.locator(".two-factor button[type=submit]").click()
    expect(page.locator(".flash")).to_contain_text("تم تفعيل تسجيل الدخول بخطوتين")
    page.locator(".staff-header button[type=submit]").click()
    log_in(page, server, email)
    expect(page).to_have_url(server + "/staff/login/code")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")  # the account's language
    field = page.locator("input[name=code]")
    expect(field).to_have_attribute("autocomplete", "one-time-code")
    screenshot(page, "two-factor-code-ar-phone")
    # The code just used to set it up is refused; the app's next one is not.
    field.fill(first_code)
    page.locator(".login button[type=submit]").click()
    expect(page.locator(".field-error")).to_be_visible()
    field = page.locator("input[name=code]")
    field.fill(totp.at(utcnow().timestamp() + 30))
    page.locator(".login button[type=submit]").click()
    expect(page).to_have_url(server + "/staff/")
    context.close()
