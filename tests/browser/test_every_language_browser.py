"""A whole first visit in each of the sixteen languages, every page seen at tablet and at
phone size (welcome, what to expect, consent, every step, a pause, thanks, not found, a
refused link): every letter has a font, nothing is wider than the screen, and the page
is in its language and direction."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from intake.infra.i18n import LANGUAGES
from tests.browser.conftest import PHONE, TABLET, missing_glyphs, screenshot

# Each page a screenshot is kept of, per language: the welcome, one step and the thanks.
SHOWN = {"welcome", "step 1", "thanks"}


def seen_at_both_sizes(page, locale: str, what: str) -> None:
    """Assert the page fits a tablet and a phone and draws every letter, in its language."""
    page.wait_for_load_state("load")
    language = LANGUAGES[locale]
    expect(page.locator("html")).to_have_attribute("lang", language.tag)
    expect(page.locator("html")).to_have_attribute("dir", language.direction)
    for name, size in (("tablet", TABLET), ("phone", PHONE)):
        page.set_viewport_size(size)
        assert missing_glyphs(page) == [], (locale, what, name)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], (locale, what, name, width)
        if what in SHOWN:
            screenshot(page, f"{locale}-{what.replace(' ', '')}-{name}")
    page.set_viewport_size(TABLET)


@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_a_first_visit_in_every_language(browser, server, arrange, locale):
    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    code, _ = arrange("intake", locale="en", consented=False)
    page.goto(server + "/")
    page.locator(f'.languages button[value="{locale}"]').click()
    seen_at_both_sizes(page, locale, "welcome")

    page.locator(".languages ~ * a[href$='/what-to-expect'], main a[href$='/what-to-expect']"
                 ).first.click()
    seen_at_both_sizes(page, locale, "what to expect")
    page.go_back()

    page.locator("#code").fill(code)
    page.locator(".code-form button[type=submit]").click()
    expect(page.locator(".consent")).to_be_visible()
    seen_at_both_sizes(page, locale, "consent")
    page.locator("button[name=choice][value=accepted]").click()

    steps = 0
    while page.locator("button[name=go][value=next]").count():
        steps += 1
        seen_at_both_sizes(page, locale, f"step {steps}")
        if steps == 2:  # a pause: the tablet clears, the code brings the client back
            page.locator("button[name=go][value=pause]").click()
            seen_at_both_sizes(page, locale, "paused")
            page.locator("#code").fill(code)
            page.locator(".code-form button[type=submit]").click()
            expect(page.locator("button[name=go][value=next]")).to_be_visible()
        page.locator("button[name=go][value=next]").click()
    expect(page.locator(".thanks")).to_be_visible()
    assert steps >= 12, steps  # the whole intake, its optional steps left out
    seen_at_both_sizes(page, locale, "thanks")

    page.goto(server + "/nowhere")
    seen_at_both_sizes(page, locale, "not found")
    page.goto(server + "/link/not-a-link")
    seen_at_both_sizes(page, locale, "link refused")
    context.close()
