"""The client's own words, the timeline and the trends."""

from __future__ import annotations

from intake.brief import Point

from .test_brief_factories import brief, day, periodic, post, record


def test_own_words_lead_with_goals_then_the_latest_check_ins():
    records = (
        record("intake", {"goal_1": "Sleep better", "goal_3": "Talk to my dad"}, days=0,
               locale="es"),
        record("pre_session", {"talk_about": "old topic"}, days=3),
        record("pre_session", {"talk_about": "My exam", "hard_to_say": "I lied last time."},
               days=10, locale="ar"),
        post(11, note="Thank you."),
    )
    words = brief(*records).own_words
    assert [(q.question, q.text, q.locale) for q in words] == [
        ("goal_1", "Sleep better", "es"),
        ("goal_3", "Talk to my dad", "es"),
        ("talk_about", "My exam", "ar"),
        ("hard_to_say", "I lied last time.", "ar"),
        ("note", "Thank you.", "en"),
    ]
    assert words[2].at == day(10)


def test_own_words_are_exactly_as_written():
    text = "  I don't know…\nmaybe <b>work</b>  "
    (quote,) = brief(record("pre_session", {"talk_about": text})).own_words
    assert quote.text == text


def test_own_words_skip_blank_text_and_stale_check_ins():
    records = (record("pre_session", {"talk_about": "last week"}, days=0),
               record("pre_session", {"talk_about": "   "}, days=7))
    assert brief(*records).own_words == []


def test_timeline_is_newest_first_with_notable_answers():
    first = record("intake", {"whose_idea": "self", "beliefs": ["none"], "goal_1": "Sleep"},
                   days=0, locale="zh_Hans")
    second = post(7, listened=8, judged="no", room_problems=["nothing"], overall="rather_not_say")
    entries = brief(first, second).timeline
    assert [(e.record_id, e.questionnaire, e.at) for e in entries] == [
        (second.id, "post_session", day(7)), (first.id, "intake", day(0)),
    ]
    # "None of these" and "nothing" say nothing; "rather not say" is shown as such.
    assert entries[0].highlights == [("listened", 8), ("judged", "no"),
                                     ("overall", "rather_not_say")]
    assert entries[1].highlights == [("goal_1", "Sleep"), ("whose_idea", "self")]
    assert entries[1].locale == "zh_Hans"


def test_timeline_ties_are_ordered_by_id():
    a = record("post_session", {"overall": 5}, id=10)
    b = record("post_session", {"overall": 6}, id=11)
    assert [e.record_id for e in brief(b, a).timeline] == [11, 10]


def test_timeline_ignores_undeclared_answers():
    entry = brief(post(0, overall=7, retired_question="x")).timeline[0]
    assert entry.highlights == [("overall", 7)]


def test_trends_in_time_order_skipping_rather_not_say():
    records = (post(14, listened=6), post(0, listened=9), post(7, listened="rather_not_say"),
               periodic(10, goal_progress_1=3, goal_progress_2="rather_not_say"))
    series = brief(*records).trends
    assert series["listened"] == [Point(day(0), 9), Point(day(14), 6)]
    assert series["goal_progress_1"] == [Point(day(10), 3)]
    assert series["goal_progress_2"] == []


def test_trends_always_hold_every_series():
    assert set(brief().trends) == {
        "listened", "ideas_respected", "worked_on_what_matters", "overall",
        "goal_progress_1", "goal_progress_2", "goal_progress_3",
    }


def test_pre_session_feeling_is_not_a_trend():
    series = brief(record("pre_session", {"feeling_today": 3})).trends
    assert all(points == [] for points in series.values())
