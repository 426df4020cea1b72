"""The practice's side in a real browser: the surveys-due list and the room feedback page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import Practice, Room, utcnow
from intake.practice.accounts import create_staff
from intake.practice.clients import add_client
from intake.staff.blueprint import policy
from tests.browser.conftest import TABLET, screenshot
from tests.browser.test_staff_browser import PASSWORD, log_in, submitted


@pytest.fixture(scope="module")
def practice(live_app):
    """An admin and a front desk, and six clients of one therapist, each with two
    appointments in one room this month (a survey every two appointments is due)."""
    stamp = utcnow().strftime("%H%M%S%f")
    with live_app.app_context():
        admin = create_staff(f"admin{stamp}@example.org", PASSWORD, "admin", policy(),
                             locale="en")
        desk = create_staff(f"desk{stamp}@example.org", PASSWORD, "frontdesk", policy(),
                            locale="ar")
        therapist = create_staff(f"t{stamp}@example.org", PASSWORD, "therapist", policy())
        emails = {"admin": admin.email, "desk": desk.email, "therapist": therapist.email}
        with write_transaction() as session:
            session.execute(update(Practice).values(survey_every_appointments=2))
            room = Room(name=f"Garden room {stamp}")
            session.add(room)
            session.flush()
            room_id = room.id
        now = utcnow()
        for n in range(6):
            client = add_client(f"G-{stamp}-{n}", emails["therapist"], "en",
                                live_app.config["LOCALES"])
            with write_transaction() as session:
                for days, problems in ((3, ["too_cold"]), (1, ["too_cold", "overheard"]
                                                           if n % 2 else ["nothing"])):
                    submitted(session, client, "post_session", {"room_problems": problems},
                              now - timedelta(days=days), locale="en", room_id=room_id)
        db.session.remove()
    return {**emails, "stamp": stamp}


def test_the_front_desk_sees_the_surveys_due_in_arabic(browser, server, practice):
    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    log_in(page, server, practice["desk"])
    page.goto(server + "/staff/surveys")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    rows = page.locator("tbody tr", has_text=practice["stamp"])
    expect(rows).to_have_count(6)
    screenshot(page, "surveys-due-ar-tablet")
    rows.first.locator("button[type=submit]").click()
    expect(page.locator(".code")).to_be_visible()
    expect(page.locator("img.qr")).to_be_visible()
    screenshot(page, "check-in-code-ar-tablet")
    context.close()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_admin_reads_room_feedback(browser, server, practice, locale):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, server, practice["admin"])
    if locale == "ar":
        page.get_by_role("button", name="العربية").click()
    page.goto(server + "/staff/admin/room-feedback")
    section = page.locator("section", has_text=f"Garden room {practice['stamp']}")
    expect(section.locator("svg").first).to_be_visible()
    assert practice["stamp"] + "-" not in page.content()  # no client reference anywhere
    if locale == "en":
        expect(section).to_contain_text("6 of 6")
    screenshot(page, f"room-feedback-{locale}")
    context.close()
