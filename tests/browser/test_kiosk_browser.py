"""The client side in a real browser, at tablet and phone size."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import saved_answers, screenshot, size_name


def start(page, server, code, language=None):
    page.goto(server + "/")
    if language:
        page.get_by_role("button", name=language).click()
    page.locator("#code").fill(code)
    page.locator(".code-form button[type=submit]").click()
    expect(page.locator("#progress-text")).to_be_visible()
    # The idle timer starts when the deferred script runs: wait for it before moving clocks.
    expect(page.locator("body")).to_have_attribute("data-idle-timer", "on")


def assert_comfortable(page):
    """Whole-row tap targets at least 48 px tall; body text at least 18 px."""
    font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 18
    for target in page.locator(".choice, .point span, .actions .button").all():
        box = target.bounding_box()
        assert box["height"] >= 47.5, (target.inner_text(), box)


def continue_(page):
    page.locator("button[name=go][value=next]").click()


def test_a_whole_intake(page, server, arrange, live_app):
    code, check_in_id = arrange("intake")
    start(page, server, code)
    expect(page.locator("#progress-text")).to_have_text("Page 1")
    assert_comfortable(page)
    screenshot(page, f"intake-step1-en-{size_name(page)}")
    page.get_by_text("About five to ten").click()
    page.get_by_text("Tell me what to do").click()
    continue_(page)
    page.get_by_text("One or two meetings will fix everything.").click()
    continue_(page)
    page.locator("input[name=goal_1]").fill("Sleep through the night")
    continue_(page)
    page.get_by_text("Yes", exact=True).click()  # an interpreter: the yes/no kind
    assert_comfortable(page)
    screenshot(page, f"intake-about-you-en-{size_name(page)}")
    continue_(page)
    page.get_by_text("A court or probation officer").click()
    page.locator(".point", has_text=re.compile(r"^3$")).first.click()
    assert_comfortable(page)
    screenshot(page, f"intake-scale-en-{size_name(page)}")
    continue_(page)
    # Wait for each step before the next click: a click on a page that is going away is lost.
    for number in range(6, 14):
        expect(page.locator("#progress-text")).to_have_text(f"Page {number}")
        continue_(page)
    expect(page.locator("h1")).to_have_text("Thank you")
    expect(page.locator("#expect-title")).to_be_visible()
    screenshot(page, f"intake-thanks-en-{size_name(page)}")
    saved = saved_answers(live_app, check_in_id)
    assert saved["submitted"]
    assert saved["goal_1"] == ["Sleep through the night"]
    assert saved["whose_idea"] == ["court"] and saved["wants_to_be_here"] == [3]
    assert saved["interpreter"] == ["yes"]
    page.get_by_role("link", name="Done").click()
    expect(page.locator("h1")).to_have_text("Welcome")


def test_the_back_button_after_finishing_shows_nothing(page, server, arrange):
    code, _ = arrange("pre_session")
    start(page, server, code)
    continue_(page)
    page.locator("textarea[name=talk_about]").fill("PRIVATE-WORDS")
    continue_(page)
    continue_(page)
    expect(page.locator("h1")).to_have_text("Thank you")
    page.get_by_role("link", name="Done").click()
    for _ in range(4):
        page.go_back()
        page.wait_for_load_state()
        assert "PRIVATE-WORDS" not in page.content()
        # Back after finishing says the visit is over and went well, never "ask at the desk".
        expect(page.locator("h1")).to_have_text(re.compile("^(Thank you|Welcome)$"))


def test_the_idle_reset_warns_then_starts_again_and_keeps_the_draft(
    page, server, arrange, live_app
):
    code, check_in_id = arrange("pre_session")
    page.clock.install()
    start(page, server, code)
    continue_(page)
    page.locator("textarea[name=talk_about]").fill("typed, then walked away")
    warning = page.locator("#idle-warning")
    expect(warning).to_be_hidden()
    page.clock.fast_forward(155_000)
    expect(warning).to_be_visible()
    screenshot(page, f"idle-warning-{size_name(page)}")
    page.clock.fast_forward(30_000)
    expect(page.locator("h1")).to_have_text("Welcome")
    expect(page.locator(".flash")).to_contain_text("For your privacy")
    assert saved_answers(live_app, check_in_id)["talk_about"] == ["typed, then walked away"]
    start(page, server, code)
    expect(page.locator("textarea[name=talk_about]")).to_have_value("typed, then walked away")


def test_still_here_keeps_the_page(page, server, arrange):
    code, _ = arrange("pre_session")
    page.clock.install()
    start(page, server, code)
    page.clock.fast_forward(155_000)
    page.get_by_role("button", name="I'm still here").click()
    expect(page.locator("#idle-warning")).to_be_hidden()
    page.clock.fast_forward(100_000)
    expect(page.locator("#progress-text")).to_be_visible()


@pytest.mark.parametrize("locale,name", [("ar", "العربية"), ("fa", "فارسی"), ("ur", "اردو")])
def test_right_to_left_languages_mirror_scales_and_buttons(page, server, arrange, locale, name):
    code, _ = arrange("post_session")
    start(page, server, code, language=name)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_comfortable(page)
    zero = page.locator("#q-listened .point").first.bounding_box()
    ten = page.locator("#q-listened .point").last.bounding_box()
    assert zero["x"] > ten["x"]  # the scale starts on the right, where Arabic reading starts
    page.locator("#q-listened .point").nth(8).click()
    continue_(page)
    forward = page.locator("button[name=go][value=next]").bounding_box()
    back = page.locator("button[name=go][value=back]").bounding_box()
    assert forward["x"] < back["x"]  # Continue is on the left: forward right to left
    screenshot(page, f"post-session-{locale}-{size_name(page)}")
    page.goto(server + "/timeout")
    page.get_by_role("button", name=name).click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screenshot(page, f"welcome-{locale}-{size_name(page)}")


def test_no_client_page_scrolls_sideways(page, server, arrange):
    """Nothing is wider than the screen, at tablet or phone size, in any language."""
    code, _ = arrange("post_session")
    for language in ("English", "العربية", "简体中文", "Español"):
        page.goto(server + "/timeout")
        page.get_by_role("button", name=language).click()
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], (language, width)
    start(page, server, code)
    for number in (1, 2):  # post-session version 2 has two steps
        # In the last language chosen (Spanish).
        expect(page.locator("#progress-text")).to_have_text(f"Página {number}")
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], (page.url, width)
        if number == 2:
            screenshot(page, f"post-session-last-step-{size_name(page)}")
        continue_(page)
    expect(page.locator("h1")).to_have_text("Gracias")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


def test_the_consent_page_before_the_first_question(page, server, arrange, live_app):
    """Seen in English and in Arabic; the choice is kept, and the first step follows."""
    from sqlalchemy import select

    from intake.extensions import db
    from intake.models import CheckIn, Consent

    for language, name in (("English", "en"), ("العربية", "ar")):
        code, check_in_id = arrange("intake", consented=False)
        page.goto(server + "/")
        page.get_by_role("button", name=language).click()
        page.locator("#code").fill(code)
        page.locator(".code-form button[type=submit]").click()
        expect(page.locator("#consent-title")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if name == "ar" else "ltr")
        assert_comfortable(page)
        screenshot(page, f"consent-{name}-{size_name(page)}")
        page.locator("button[name=choice][value=accepted]").click()
        expect(page.locator("#progress-text")).to_be_visible()
        with live_app.app_context():
            client_id = db.session.scalar(select(CheckIn.client_id)
                                          .where(CheckIn.id == check_in_id))
            choices = db.session.scalars(select(Consent.locale)
                                         .where(Consent.client_id == client_id)).all()
            db.session.remove()
        assert choices == [name]
        page.context.clear_cookies()
