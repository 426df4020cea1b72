"""The front desk's day in a real browser at desktop size: Today, one action, the code and QR,
the client on the tablet, and Today again."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import Practice, Room, utcnow
from intake.practice import appointments
from intake.practice.accounts import create_staff
from intake.practice.clients import add_client
from intake.staff.blueprint import policy
from tests.browser.conftest import TABLET, screenshot
from tests.timezones import noon_zone

PASSWORD = "a long password"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def a_day(live_app):
    """A front desk account and a client whose appointment starts in twenty minutes, in a
    practice where it is about noon (so the appointment is today whenever this runs)."""
    with live_app.app_context(), write_transaction() as session:
        session.execute(update(Practice).values(timezone=noon_zone(utcnow())))

    def make(locale: str):
        stamp = f"{utcnow():%H%M%S%f}"
        with live_app.app_context():
            create_staff(f"desk{stamp}@example.org", PASSWORD, "frontdesk", policy(),
                         locale=locale)
            therapist = create_staff(f"t{stamp}@example.org", PASSWORD, "therapist", policy(),
                                     name="Ana Ruiz")
            client = add_client(f"TODAY-{stamp}", therapist.email, "en",
                                live_app.config["LOCALES"])
            with write_transaction() as session:
                room = Room(name=f"Garden {stamp}")
                session.add(room)
                session.flush()
                room_id = room.id
            appointments.add(client.id, utcnow() + timedelta(minutes=20), room_id=room_id)
            db.session.remove()
        return f"desk{stamp}@example.org", f"TODAY-{stamp}"

    yield make
    with live_app.app_context(), write_transaction() as session:
        session.execute(update(Practice).values(timezone=None))


@pytest.mark.parametrize(("locale", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_the_front_desk_runs_a_check_in_from_today(browser, server, a_day, locale, direction):
    email, reference = a_day(locale)
    context = browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    page.goto(server + "/staff/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator(".login button[type=submit]").click()
    expect(page).to_have_url(server + "/staff/today")
    expect(page.locator("html")).to_have_attribute("dir", direction)
    row = page.locator("table.today tbody tr", has_text=reference)
    expect(row).to_contain_text("Ana Ruiz")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    screenshot(page, f"today-{locale}-desktop")
    row.locator("form button.primary").click()

    # The check-in page: code, QR and the link as text; nothing on it opens the link.
    code = page.locator(".check-in-card .code").inner_text().replace(" ", "")
    assert len(code) == 6
    expect(page.locator("img.qr")).to_be_visible()
    link = page.locator("#check-in-link").inner_text()
    assert "/link/" in link
    assert page.locator(f'a[href="{link}"]').count() == 0
    copy = page.locator("button[data-copy]")
    expect(copy).to_be_visible()
    copy.click()
    assert page.evaluate("navigator.clipboard.readText()") == link
    screenshot(page, f"today-check-in-{locale}-desktop")

    # The client types the code on the tablet; Today then says it is under way.
    tablet = browser.new_context(viewport=TABLET).new_page()
    tablet.goto(server + "/")
    tablet.locator("#code").fill(code)
    tablet.locator(".code-form button[type=submit]").click()
    # A new client: who reads the answers comes first.
    tablet.locator("button[name=choice][value=accepted]").click()
    expect(tablet.locator("#progress-text")).to_be_visible()
    tablet.context.close()
    page.goto(server + "/staff/today")
    expect(row.locator(".state-in_progress")).to_be_visible()
    # On a tablet at the desk, each appointment is a card; nothing scrolls sideways.
    page.set_viewport_size(TABLET)
    page.reload()
    expect(row).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    screenshot(page, f"today-{locale}-tablet")
    # The appointment's own page: its check-ins, and moving, marking and cancelling it.
    row.locator(".today-time a").click()
    expect(page.locator("form.mark-form")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    screenshot(page, f"appointment-{locale}-tablet")
    context.close()
