"""The four questionnaires, filled on the tablet from code to thank-you."""

import re

import pytest
from sqlalchemy import func, select

from intake.extensions import db
from intake.models import Answer, CheckIn, Response
from intake.questionnaires import REGISTRY


def stored(app, check_in_id):
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.check_in_id == check_in_id))
        answers = {}
        for row in response.answers:
            value = row.code if row.code is not None else (
                row.number if row.number is not None else row.written())
            answers.setdefault(row.question, []).append(value)
        return response.submitted_at is not None, response.locale, answers


INTAKE_ANSWERS = [
    {"expected_length": "several", "expected_role": "advice"},
    {"beliefs": ["told_what_to_do", "quick_fix"]},
    {"goal_1": "Sleep through the night", "goal_2": "", "goal_3": ""},
    {"name_pronouns": "Sam, they/them", "meeting_language": "English", "interpreter": "no"},
    {"whose_idea": ["self", "court"], "wants_to_be_here": "3"},
    {"barriers": ["times", "care"], "access_needs": ["breaks"], "safe_contact": "text"},
    {"worried_could_find_out": ["court", "overheard"]},
    {"not_ready_topics": "yes", "set_pace": "yes"},
    {"prior_therapy": "harmful", "what_helped": "Walking"},
    {"prior_what_did_not_work": "They talked more than I did."},
    {"judgement_worry": "rather_not_say", "judgement_topics": ["past"]},
    {"feelings_comfort": "1", "feelings_culture": "discouraged"},
    {"background_matters": ["gender"], "values_to_respect": ""},
    {"room_wishes": ["white_noise", "warmer"]},
]


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_a_whole_intake(app, kiosk, make_check_in, locale):
    check_in = make_check_in(questionnaire="intake")
    kiosk.choose_language(locale)
    assert kiosk.start(check_in.code).status_code == 302
    path, html = kiosk.current()
    assert path == "/checkin/expectations"
    assert f'dir="{"rtl" if locale == "ar" else "ltr"}"' in html
    total = len(INTAKE_ANSWERS)
    for number, data in enumerate(INTAKE_ANSWERS, start=1):
        response = kiosk.answer(data)
        assert response.status_code == 302, (number, response.get_data(as_text=True)[:2000])
    assert response.headers["Location"] == "/thanks"
    submitted, saved_locale, answers = stored(app, check_in.id)
    assert submitted and saved_locale == locale
    assert answers["beliefs"] == ["told_what_to_do", "quick_fix"]
    assert answers["wants_to_be_here"] == [3]
    assert answers["judgement_worry"] == ["rather_not_say"]
    assert answers["goal_1"] == ["Sleep through the night"]
    assert "goal_2" not in answers  # skipped, not stored as empty text
    assert answers["whose_idea"] == ["self", "court"]  # several answers (version 3)
    assert answers["interpreter"] == ["no"]
    assert answers["name_pronouns"] == ["Sam, they/them"]
    assert total == 14
    thanks = kiosk.client.get("/thanks").get_data(as_text=True)
    assert 'id="expect-title"' in thanks  # "What to expect" follows the intake


def progress(html: str) -> tuple[str, int, int]:
    page = re.search(r'id="progress-text">([^<]+)<', html).group(1)
    bar = re.search(r'<progress max="(\d+)" value="(\d+)"', html)
    return page, int(bar.group(2)), int(bar.group(1))


def test_progress_never_jumps_back_when_a_follow_up_step_appears(kiosk, make_check_in):
    check_in = make_check_in(questionnaire="intake")
    kiosk.start(check_in.code)
    _path, html = kiosk.current()
    assert progress(html) == ("Page 1", 1, 14)
    seen = []
    for data in INTAKE_ANSWERS[:9]:
        kiosk.answer(data)
        seen.append(progress(kiosk.current()[1]))
    path, html = kiosk.current()
    assert path == "/checkin/prior_detail"  # a follow-up step appeared on the way
    assert seen[-1] == ("Page 10", 10, 14)
    # The page number and the bar only move forward; the total never changes.
    assert [bar for _page, bar, _of in seen] == sorted({bar for _page, bar, _of in seen})
    assert {of for _page, _bar, of in seen} == {14}


def test_a_conditional_step_is_skipped_when_it_does_not_apply(kiosk, make_check_in):
    check_in = make_check_in(questionnaire="intake")
    kiosk.start(check_in.code)
    for data in INTAKE_ANSWERS[:8]:
        kiosk.answer(data)
    kiosk.answer({"prior_therapy": "helpful"})
    path, _html = kiosk.current()
    assert path == "/checkin/judgement"


def test_back_keeps_what_was_answered(kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "7"})
    kiosk.answer({"talk_about": "My exam"}, go="back")
    path, html = kiosk.current()
    assert path == "/checkin/today"
    assert 'value="7" checked' in html
    kiosk.answer({"feeling_today": "7"})
    _path, html = kiosk.current()
    assert "My exam" in html


def test_pre_session_in_spanish(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.choose_language("es")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "4"})
    kiosk.answer({"talk_about": "Mi trabajo", "hard_to_say": "Lo de mi madre"})
    response = kiosk.answer({"room_wishes": ["nothing"]})
    assert response.headers["Location"] == "/thanks"
    submitted, locale, answers = stored(app, check_in.id)
    assert submitted and locale == "es"
    assert answers["hard_to_say"] == ["Lo de mi madre"]
    with app.app_context():
        row = db.session.scalar(select(Answer).where(Answer.question == "hard_to_say"))
        assert row.text_locale == "es"


def test_post_session_feedback(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="post_session")
    kiosk.start(check_in.code)
    # Version 2: the ratings and "judged" on one page, the room and a note on the other.
    kiosk.answer({"listened": "9", "ideas_respected": "8", "worked_on_what_matters": "7",
                  "judged": "no"})
    response = kiosk.answer({"room_problems": ["too_cold", "overheard"], "note": ""})
    assert response.headers["Location"] == "/thanks"
    _submitted, _locale, answers = stored(app, check_in.id)
    assert answers["room_problems"] == ["too_cold", "overheard"]
    assert answers["listened"] == [9]


def test_periodic_survey_asks_about_the_clients_own_goals(app, kiosk, make_check_in,
                                                           make_client):
    client = make_client()
    intake = make_check_in(client=client, questionnaire="intake")
    kiosk.start(intake.code)
    kiosk.answer(INTAKE_ANSWERS[0])
    kiosk.answer(INTAKE_ANSWERS[1])
    kiosk.answer({"goal_1": "Feel calmer <b>at work</b>", "goal_2": "Call my brother"})
    for _ in range(10):
        kiosk.answer({})
    assert kiosk.client.get("/thanks").status_code == 200
    kiosk.client.get("/done")

    periodic = make_check_in(client=client, questionnaire="periodic")
    kiosk.start(periodic.code)
    path, html = kiosk.current()
    assert path == "/checkin/goals"
    assert "Feel calmer &lt;b&gt;at work&lt;/b&gt;" in html
    assert 'name="goal_progress_2"' in html and 'name="goal_progress_3"' not in html
    kiosk.answer({"goal_progress_1": "6", "goal_progress_2": "2"})
    kiosk.answer({"thinking_of_stopping": "not_sure", "prefer_different_therapist": "yes"})
    path, _html = kiosk.current()
    assert path == "/checkin/who_may_see"
    kiosk.answer({"prefer_different_visibility": "coordinator"})
    kiosk.answer({"waiting_room": "good", "scheduling": "poor", "welcome": "mostly"})
    response = kiosk.answer({"room_problems": ["nothing"]})
    assert response.headers["Location"] == "/thanks"
    _submitted, _locale, answers = stored(app, periodic.id)
    assert answers["goal_progress_1"] == [6]
    assert answers["prefer_different_visibility"] == ["coordinator"]


def test_every_questionnaire_can_be_finished_by_skipping_everything(app, kiosk, make_check_in):
    for key, questionnaire in REGISTRY.items():
        check_in = make_check_in(questionnaire=key)
        kiosk.start(check_in.code)
        for _ in questionnaire.steps:
            response = kiosk.answer({})
            if response.headers["Location"] == "/thanks":
                break
        assert response.headers["Location"] == "/thanks", key
        kiosk.client.get("/done")
        submitted, _locale, _answers = stored(app, check_in.id)
        assert submitted, key


def test_finishing_clears_the_session_language_included(kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.choose_language("ar")
    kiosk.start(check_in.code)
    kiosk.finish([{}, {}, {}])
    assert 'dir="rtl"' in kiosk.client.get("/thanks").get_data(as_text=True)
    kiosk.client.get("/done")
    welcome = kiosk.client.get("/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in welcome  # the next person starts fresh
    # The browser's Back right after: the visit is over, said in the client's language.
    back = kiosk.client.get("/checkin/today")
    assert 'dir="rtl"' in back.get_data(as_text=True)


def test_the_clients_preferred_language_is_used_unless_one_was_chosen(kiosk, make_client,
                                                                       make_check_in):
    client = make_client(locale="es")
    kiosk.start(make_check_in(client=client).code)
    _path, html = kiosk.current()
    assert '<html lang="es"' in html
    kiosk.client.get("/done")
    kiosk.choose_language("zh_Hans")
    kiosk.start(make_check_in(client=client).code)
    _path, html = kiosk.current()
    assert '<html lang="zh-Hans"' in html


def test_one_response_per_check_in(app, kiosk, make_check_in):
    check_in = make_check_in(questionnaire="pre_session")
    kiosk.start(check_in.code)
    kiosk.answer({"feeling_today": "5"})
    with app.app_context():
        count = db.session.scalar(select(func.count(Response.id)))
        assert count == 1
        assert db.session.get(CheckIn, check_in.id).started_at is not None


def test_the_kept_welcome_page_carries_each_visitors_own_token(app):
    # The welcome page is rendered once per language and kept; every form on it must still
    # carry the token of the browser that asked, or the language menu would refuse them.
    first, second = app.test_client(), app.test_client()
    first.get("/")
    for browser in (first, second):
        html = browser.get("/").get_data(as_text=True)
        tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
        assert len(tokens) == 1
        response = browser.post("/language", data={"csrf_token": tokens.pop(), "locale": "ar",
                                                   "next": "/"})
        assert response.status_code == 302
        assert 'lang="ar"' in browser.get("/").get_data(as_text=True)
