"""A whole first visit in each of the sixteen languages, every page seen at tablet and at
phone size (welcome, what to expect, consent, every step of the four questionnaires, a
pause, thanks, not found, a refused link): every letter has a font, nothing is wider than
the screen, and the page is in its language and direction."""

from __future__ import annotations

import subprocess

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
    assert missing_glyphs(page) == [], (locale, what)  # the same letters at either size
    for name, size in (("tablet", TABLET), ("phone", PHONE)):
        page.set_viewport_size(size)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], (locale, what, name, width)
        if what in SHOWN:
            screenshot(page, f"{locale}-{what.replace(' ', '')}-{name}")
    page.set_viewport_size(TABLET)


def go_on(page) -> None:
    """Continue, and wait for the next page (never count buttons on the page leaving)."""
    with page.expect_navigation():
        page.locator("button[name=go][value=next]").click()


def type_code(page, code: str) -> None:
    page.locator("#code").fill(code)
    with page.expect_navigation():
        page.locator(".code-form button[type=submit]").click()


def every_step(page, locale: str, label: str, pause_with: str | None = None) -> int:
    """Check each step of a questionnaire and go on, to its thanks; return how many.

    With `pause_with` (the code), pause on the second step and come back with the code.
    """
    expect(page.locator("button[name=go][value=next]")).to_be_visible()
    steps = 0
    while page.locator("button[name=go][value=next]").count():
        steps += 1
        seen_at_both_sizes(page, locale, f"{label} {steps}")
        if steps == 2 and pause_with:  # the tablet clears; the code brings the client back
            with page.expect_navigation():
                page.locator("button[name=go][value=pause]").click()
            seen_at_both_sizes(page, locale, "paused")
            type_code(page, pause_with)
            expect(page.locator("button[name=go][value=next]")).to_be_visible()
        go_on(page)
    expect(page.locator(".thanks")).to_be_visible()
    return steps


@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_a_first_visit_in_every_language(browser, server, arrange, locale):
    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    code, _ = arrange("intake", locale="en", consented=False)
    page.goto(server + "/")
    with page.expect_navigation():
        page.locator(f'.languages button[value="{locale}"]').click()
    seen_at_both_sizes(page, locale, "welcome")

    with page.expect_navigation():
        page.locator("main a[href$='/what-to-expect']").first.click()
    seen_at_both_sizes(page, locale, "what to expect")
    page.go_back()

    type_code(page, code)
    expect(page.locator(".consent")).to_be_visible()
    seen_at_both_sizes(page, locale, "consent")
    page.locator("button[name=choice][value=accepted]").click()
    expect(page.locator("button[name=go][value=next]")).to_be_visible()
    steps = every_step(page, locale, "step", pause_with=code)
    assert steps >= 12, steps  # the whole intake, its optional steps left out
    seen_at_both_sizes(page, locale, "thanks")

    page.goto(server + "/nowhere")
    seen_at_both_sizes(page, locale, "not found")
    page.goto(server + "/link/not-a-link")
    seen_at_both_sizes(page, locale, "link refused")

    # The other questionnaires, in the language of the client's record this time.
    for questionnaire in ("pre_session", "post_session", "periodic"):
        code, _ = arrange(questionnaire, locale=locale)
        page.goto(server + "/")
        type_code(page, code)
        assert every_step(page, locale, f"{questionnaire} step") >= 1, questionnaire
    context.close()


def test_the_glyph_check_finds_a_letter_no_font_draws(browser):
    # Letters of recent Unicode versions (Kawi, Nag Mundari, CJK extension I) that no font
    # here has, next to Korean and Vietnamese that the fonts cover.
    candidates = ["\U00011F04", "\U0001E4D0", "\U0002EBF0"]
    fontless = [letter for letter in candidates if not subprocess.run(  # noqa: S603
        ["fc-list", f":charset={ord(letter):x}"],  # noqa: S607  (fontconfig's own tool)
        capture_output=True, text=True).stdout.strip()]
    assert fontless, "every candidate letter has a font on this machine: pick another"
    page = browser.new_page()
    page.set_content(f"<body>한국어 Tiếng Việt {' '.join(candidates)}</body>")
    assert missing_glyphs(page) == fontless
    page.close()
