"""Every client page, in English, Arabic and Chinese, at tablet and phone size: readable
(every glyph has a font), nothing wider than the screen, no serious accessibility fault
(axe-core), and the edges of a visit (pause, language, a phone's goodbye) as clients meet
them."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, TABLET, missing_glyphs, screenshot

AXE = Axe()
LANGUAGES = {"en": "English", "ar": "العربية", "zh_Hans": "简体中文"}
SIZES = {"tablet": TABLET, "phone": PHONE}


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def audited(request, browser):
    # axe is injected into the page, which the app's CSP forbids: this context ignores it.
    context = browser.new_context(viewport=SIZES[request.param], bypass_csp=True)
    page = context.new_page()
    page.size = request.param
    yield page
    context.close()


def check(page, what: str) -> None:
    """Assert what every client page must be, wherever it is in a visit."""
    page.wait_for_load_state("load")
    assert missing_glyphs(page) == [], what
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (what, width)
    serious = [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in AXE.run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == [], what


@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_a_visit_in_every_language_at_every_size(audited, server, arrange, locale):
    page = audited
    code, _ = arrange("post_session", locale=locale, consented=False)
    page.goto(server + "/")
    page.get_by_role("button", name=LANGUAGES[locale]).first.click()
    check(page, f"welcome {locale}")
    page.locator("#code").fill(code)
    page.locator(".code-form button[type=submit]").click()
    # A first questionnaire starts with who reads the answers.
    expect(page.locator(".consent")).to_be_visible()
    check(page, f"consent {locale}")
    page.locator("button[name=choice][value=accepted]").click()
    expect(page.locator("#progress-text")).to_be_visible()
    for number in (1, 2):  # post-session feedback has two pages
        check(page, f"step {number} {locale}")
        if number == 1:
            screenshot(page, f"step1-{locale}-{page.size}")
            # Every point of the 0-10 scale is at least 44 px wide and tall.
            for point in page.locator("#q-listened .point span").all():
                box = point.bounding_box()
                assert box["width"] >= 44 and box["height"] >= 44, box
        page.locator("button[name=go][value=next]").click()
    expect(page.locator(".thanks")).to_be_visible()
    check(page, f"thanks {locale}")
    screenshot(page, f"thanks-{locale}-{page.size}")


def test_pause_clears_the_screen_and_speaks_arabic(audited, server, arrange):
    page = audited
    code, _ = arrange("pre_session", locale="ar")
    page.goto(server + "/")
    page.locator("#code").fill(code)
    page.locator(".code-form button[type=submit]").click()
    page.locator("button[name=go][value=next]").click()  # the client's language: Arabic
    page.locator("textarea[name=talk_about]").fill("كلمات خاصة")
    page.locator("button[name=go][value=pause]").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert "كلمات خاصة" not in page.content()
    check(page, "paused")
    screenshot(page, f"paused-ar-{page.size}")
    page.locator("#code").fill(code)
    page.locator(".code-form button[type=submit]").click()
    expect(page.locator("textarea[name=talk_about]")).to_have_value("كلمات خاصة")


def test_changing_language_on_a_step_keeps_what_was_typed(audited, server, arrange):
    page = audited
    code, _ = arrange("pre_session")
    page.goto(server + "/")
    page.locator("#code").fill(code)
    page.locator(".code-form button[type=submit]").click()
    page.locator("button[name=go][value=next]").click()
    page.locator("textarea[name=talk_about]").fill("My exam")
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("textarea[name=talk_about]")).to_have_value("My exam")
    check(page, "step after a language change")


def test_a_phone_visit_ends_with_a_goodbye_not_the_tablets_welcome(audited, server, arrange,
                                                                   live_app):
    from intake.extensions import db
    from intake.models import CheckIn
    from intake.practice.checkins import link_token

    page = audited
    _code, check_in_id = arrange("pre_session", locale="zh_Hans")
    with live_app.app_context():
        token = link_token(db.session.get(CheckIn, check_in_id), live_app.config["SECRET_KEY"])
        db.session.remove()
    page.goto(f"{server}/link/{token}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    while page.locator("button[name=go][value=next]").count():
        page.locator("button[name=go][value=next]").click()
    page.locator(".thanks a.button").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    assert page.locator("#code").count() == 0  # no code entry on a phone
    check(page, "phone goodbye")
    screenshot(page, f"phone-goodbye-zh-{page.size}")
