"""The staff side in a real browser: the brief of a Spanish-speaking client, read in English
and in Arabic, and the surveys-due list."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from intake.answers.submit import record_response
from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import Appointment, utcnow
from intake.practice.accounts import create_staff
from intake.practice.clients import add_client
from intake.staff.blueprint import policy
from tests.browser.conftest import PHONE, screenshot

PASSWORD = "a long password"


def submitted(session, client, questionnaire, answers, when, locale="es", room_id=None):
    # The client checked in for it: attended.
    appointment = Appointment(client_id=client.id, therapist_id=client.therapist_id,
                              starts_at=when, room_id=room_id, state="attended")
    session.add(appointment)
    session.flush()
    record_response(client.id, questionnaire, answers, locale, when, appointment.id)


@pytest.fixture(scope="module")
def spanish_client(live_app):
    """A Spanish-speaking client with an intake and a few weeks of feedback, and two
    therapists who read Spanish answers in English and in Arabic."""
    stamp = utcnow().strftime("%H%M%S%f")
    with live_app.app_context():
        english = create_staff(f"en{stamp}@example.org", PASSWORD, "therapist", policy(),
                               name="Erin", locale="en")
        arabic = create_staff(f"ar{stamp}@example.org", PASSWORD, "therapist", policy(),
                              name="Amal", locale="ar")
        references = []
        for therapist in (english, arabic):
            client = add_client(f"ES-{therapist.id}-{stamp}", therapist.email, "es",
                                live_app.config["LOCALES"])
            with write_transaction() as session:
                start = utcnow() - timedelta(weeks=5)
                submitted(session, client, "intake", {
                    "goal_1": "Volver a disfrutar de mi trabajo", "whose_idea": "partner",
                    "wants_to_be_here": 4, "worried_could_find_out": ["employer_school"],
                    "beliefs": ["told_what_to_do"], "prior_therapy": "harmful",
                    "prior_what_did_not_work": "No me escuchaban.",
                    "room_wishes": ["white_noise"], "judgement_worry": "rather_not_say",
                }, start)
                for week, score in enumerate((8, 8, 7, 4)):
                    submitted(session, client, "post_session", {
                        "listened": score, "ideas_respected": score,
                        "worked_on_what_matters": score,
                        "judged": "a_little" if score < 5 else "no",
                        "room_problems": ["too_cold"] if week > 1 else ["nothing"],
                    }, start + timedelta(weeks=week + 1))
            references.append((therapist.email, client.id))
        db.session.remove()
    return references


def log_in(page, server, email):
    page.goto(server + "/staff/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator(".login button[type=submit]").click()


@pytest.mark.parametrize("which,direction", [(0, "ltr"), (1, "rtl")], ids=["english", "arabic"])
def test_the_brief_of_a_spanish_speaking_client(browser, server, spanish_client, which,
                                                direction):
    email, client_id = spanish_client[which]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, server, email)
    page.goto(f"{server}/staff/clients/{client_id}")
    expect(page.locator("html")).to_have_attribute("dir", direction)
    quote = page.locator("blockquote").first
    expect(quote).to_have_attribute("lang", "es")
    expect(quote).to_contain_text("Volver a disfrutar de mi trabajo")
    expect(page.locator(".alert").first).to_be_visible()
    expect(page.locator("svg.line-chart").first).to_be_visible()
    if direction == "ltr":
        expect(page.get_by_text("Turn on the white-noise machine.")).to_be_visible()
        expect(page.get_by_text("Preferred not to say").first).to_be_visible()
    else:
        expect(page.get_by_text("Turn on the white-noise machine.")).to_have_count(0)
    screenshot(page, f"brief-spanish-client-{'en' if which == 0 else 'ar'}-therapist")
    expect(page.locator(".print-mark")).to_be_hidden()
    page.emulate_media(media="print")
    # On paper: marked confidential and dated; no download links, no forms.
    expect(page.locator(".print-mark")).to_be_visible()
    expect(page.locator(".client-data")).to_be_hidden()
    expect(page.locator("#survey-schedule")).to_be_hidden()
    expect(page.locator("form.start-check-in")).to_be_hidden()
    screenshot(page, f"brief-print-{'en' if which == 0 else 'ar'}")
    context.close()


@pytest.mark.parametrize("which", [0, 1], ids=["english", "arabic"])
def test_the_client_list_fits_a_phone(browser, server, spanish_client, which):
    email, _ = spanish_client[which]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, server, email)
    row = page.locator("table.clients tbody tr").first
    expect(row).to_contain_text("Spanish" if which == 0 else "الإسبانية")
    # Each row is a card: every cell is on screen, none behind a sideways scroll,
    # and each says which column it is.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for cell in row.locator("td").all():
        box = cell.bounding_box()
        if box is None:
            continue  # an empty cell is not shown at all
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    language = row.locator("td").last
    label = page.evaluate("td => getComputedStyle(td, '::before').content",
                          language.element_handle())
    assert ("Language" if which == 0 else "اللغة") in label
    screenshot(page, f"client-list-{'en' if which == 0 else 'ar'}-phone")
    context.close()
