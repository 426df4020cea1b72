"""Alerts: each kind raised, not raised, keyed per occurrence and acknowledged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from intake.brief import AlertKind, Thresholds, text

from .test_brief_factories import T0, brief, day, periodic, post, record


def unacknowledged(built) -> bool:
    return any(alert.acknowledged_by is None for alert in built.alerts)

def kinds(*records, **options) -> list[str]:
    return [alert.kind for alert in brief(*records, **options).alerts]


def only(kind, *records, **options):
    return [a for a in brief(*records, **options).alerts if a.kind == kind]


@pytest.mark.parametrize(("judged", "why"), [
    ("yes", text.WHY_JUDGED), ("a_little", text.WHY_JUDGED_A_LITTLE),
])
def test_judged(judged, why):
    feedback = post(judged=judged)
    (alert,) = only(AlertKind.JUDGED, feedback)
    assert alert.key == f"judged:{feedback.id}"
    assert alert.why == why
    assert alert.answers == [("judged", judged)]
    assert alert.record_id == feedback.id
    assert alert.questionnaire == "post_session"
    assert 2 <= len(alert.questions) <= 3


@pytest.mark.parametrize("judged", ["no", "rather_not_say", None])
def test_not_judged(judged):
    assert kinds(post(judged=judged)) == []


@pytest.mark.parametrize(("kind", "item", "why"), [
    (AlertKind.NOT_LISTENED, "listened", text.WHY_NOT_LISTENED),
    (AlertKind.IDEAS_DISMISSED, "ideas_respected", text.WHY_IDEAS_DISMISSED),
])
def test_low_listening_and_respect(kind, item, why):
    # Below 8 of 10: relationship ratings cluster near the top.
    (alert,) = only(kind, post(**{item: 7}))
    assert alert.why == why
    assert alert.params == {"score": 7, "high": 10}
    assert alert.answers == [(item, 7)]
    assert only(kind, post(**{item: 8})) == []
    assert only(kind, post(**{item: "rather_not_say"})) == []


def test_the_alliance_floor_is_a_threshold_of_its_own():
    feedback = post(listened=6, worked_on_what_matters=6)
    assert kinds(feedback) == [AlertKind.NOT_LISTENED]
    assert kinds(feedback, thresholds=Thresholds(alliance_floor=5)) == []
    assert kinds(feedback, thresholds=Thresholds(alliance_floor=5, score_floor=6)) == [
        AlertKind.SCORE_LOW]


def test_the_defaults_are_one_source():
    from intake.models import Practice
    from intake.practice.admin import PracticeSettings

    defaults = Thresholds()
    assert (defaults.alliance_floor, defaults.score_floor, defaults.score_drop) == (7, 5, 3)
    columns = Practice.__table__.c
    assert columns.alert_score_floor.default.arg == defaults.score_floor
    assert columns.alert_alliance_floor.default.arg == defaults.alliance_floor
    assert columns.alert_score_drop.default.arg == defaults.score_drop
    assert columns.alert_silence_weeks.default.arg == defaults.silence_weeks
    settings = PracticeSettings()
    assert (settings.alert_alliance_floor, settings.alert_score_floor) == (7, 5)


def test_a_slow_slide_over_three_appointments():
    # Never 3 points at once, so no drop alert: 9, 8, 7 slides by 2 in all.
    records = (post(0, listened=10), post(7, listened=9, worked_on_what_matters=9),
               post(14, listened=9, worked_on_what_matters=9),
               post(21, listened=8, worked_on_what_matters=8))
    assert only(AlertKind.SCORE_SLIDE, *records) == []
    sliding = (post(0, ideas_respected=10), post(7, ideas_respected=9),
               post(14, ideas_respected=8))
    (alert,) = only(AlertKind.SCORE_SLIDE, *sliding)
    assert alert.key == f"score_slide:{sliding[2].id}"
    assert alert.answers == [("ideas_respected", 8)]
    assert alert.why == text.WHY_SCORE_SLIDE
    assert only(AlertKind.SCORE_DROP, *sliding) == []


def test_a_slide_must_fall_each_time_and_far_enough():
    level_then_down = (post(0, listened=10), post(7, listened=10), post(14, listened=8))
    assert only(AlertKind.SCORE_SLIDE, *level_then_down) == []
    records = (post(0, listened=10), post(7, listened=9), post(14, listened=8))
    assert only(AlertKind.SCORE_SLIDE, *records, thresholds=Thresholds(score_slide=3)) == []
    # A fall big enough to be a drop is reported as a drop, once.
    steep = (post(0, listened=10), post(7, listened=9), post(14, listened=5))
    assert only(AlertKind.SCORE_SLIDE, *steep) == []
    assert only(AlertKind.SCORE_DROP, *steep)


def test_score_low_covers_the_ratings_without_their_own_alert():
    feedback = post(listened=2, ideas_respected=9, worked_on_what_matters=4, overall=3)
    # "overall" is retired (post-session version 2): older responses still count.
    alerts = brief(feedback).alerts
    assert [a.kind for a in alerts] == [AlertKind.NOT_LISTENED, AlertKind.SCORE_LOW]
    (low,) = [a for a in alerts if a.kind == AlertKind.SCORE_LOW]
    assert low.answers == [("worked_on_what_matters", 4), ("overall", 3)]
    assert low.why == text.WHY_SCORE_LOW
    assert low.key == f"score_low:{feedback.id}"


def test_score_low_not_raised_for_good_ratings():
    assert kinds(post(worked_on_what_matters=6, overall=10)) == []


def test_score_drop_from_the_previous_feedback():
    first = post(0, listened=10, overall=8)
    second = post(7, listened=7, overall=7)
    (alert,) = only(AlertKind.SCORE_DROP, first, second)
    assert alert.key == f"score_drop:{second.id}"
    assert alert.answers == [("listened", 7)]
    assert alert.params == {"drop": 3, "previous": {"listened": 10}}
    assert alert.why == text.WHY_SCORE_DROP


def test_a_drop_smaller_than_the_threshold_is_not_an_alert():
    records = (post(0, overall=9), post(7, overall=7))
    assert only(AlertKind.SCORE_DROP, *records) == []
    assert only(AlertKind.SCORE_DROP, *records, thresholds=Thresholds(score_drop=2))


def test_score_drop_compares_with_the_last_value_given():
    # The middle feedback skipped the rating: compare with the one before it.
    records = (post(0, overall=9), post(7, overall="rather_not_say"), post(14, overall=6))
    (alert,) = only(AlertKind.SCORE_DROP, *records)
    assert alert.record_id == records[2].id


def test_score_drop_is_counted_in_time_order_whatever_the_input_order():
    first, second = post(0, overall=9), post(7, overall=5)
    assert only(AlertKind.SCORE_DROP, second, first)[0].record_id == second.id
    rising = (post(0, overall=4), post(7, overall=9))
    assert only(AlertKind.SCORE_DROP, *reversed(rising)) == []


def test_several_ratings_dropping_at_once_are_one_alert():
    records = (post(0, listened=10, overall=10), post(7, listened=6, overall=5))
    (alert,) = only(AlertKind.SCORE_DROP, *records)
    assert alert.answers == [("listened", 6), ("overall", 5)]
    assert alert.params["drop"] == 5


def test_room_discomfort_fires_on_the_second_report():
    first = post(0, room_problems=["too_cold"])
    fine = post(7, room_problems=["nothing"])
    second = periodic(14, room_problems=["noisy"])
    third = post(21, room_problems=["overheard"])
    assert only(AlertKind.ROOM_DISCOMFORT, first, fine) == []
    alerts = only(AlertKind.ROOM_DISCOMFORT, first, fine, second, third)
    assert [a.key for a in alerts] == [f"room_discomfort:{third.id}",
                                       f"room_discomfort:{second.id}"]
    assert [a.params["count"] for a in alerts] == [3, 2]
    assert alerts[1].answers == [("room_problems", ["noisy"])]


def test_room_rather_not_say_is_not_discomfort():
    records = (post(0, room_problems=["too_cold"]), post(7, room_problems=["rather_not_say"]))
    assert only(AlertKind.ROOM_DISCOMFORT, *records) == []


def test_room_wishes_are_not_discomfort():
    records = (record("pre_session", {"room_wishes": ["warmer"]}),
               record("pre_session", {"room_wishes": ["warmer"]}, days=7))
    assert only(AlertKind.ROOM_DISCOMFORT, *records) == []


@pytest.mark.parametrize(("answer", "why"), [
    ("yes", text.WHY_STOPPING), ("not_sure", text.WHY_STOPPING_NOT_SURE), ("no", None),
    ("rather_not_say", None),
])
def test_thinking_of_stopping(answer, why):
    survey = periodic(thinking_of_stopping=answer)
    alerts = only(AlertKind.THINKING_OF_STOPPING, survey)
    assert [a.why for a in alerts] == ([why] if why else [])
    if why:
        assert alerts[0].key == f"thinking_of_stopping:{survey.id}"


@pytest.mark.parametrize("answer", ["yes", "not_sure"])
def test_prefer_different_therapist_shown_when_the_client_allowed_it(answer):
    survey = periodic(prefer_different_therapist=answer, prefer_different_visibility="therapist")
    (alert,) = only(AlertKind.PREFER_DIFFERENT_THERAPIST, survey)
    assert alert.key == f"prefer_different_therapist:{survey.id}"
    assert alert.answers == [("prefer_different_therapist", answer)]


@pytest.mark.parametrize("visibility", ["coordinator", None])
def test_prefer_different_therapist_is_coordinator_only_otherwise(visibility):
    survey = periodic(prefer_different_therapist="yes", prefer_different_visibility=visibility)
    for_therapist = brief(survey)
    assert [a.kind for a in for_therapist.alerts] == []
    (alert,) = only(AlertKind.PREFER_DIFFERENT_THERAPIST, survey, audience="coordinator")
    assert alert.why == text.WHY_DIFFERENT_THERAPIST


def test_prefer_the_same_therapist_is_no_alert():
    survey = periodic(prefer_different_therapist="no")
    assert kinds(survey, audience="coordinator") == []


def test_silence_after_the_latest_response():
    last = post(0, overall=9)
    assert kinds(last, now=day(27)) == []
    (alert,) = brief(last, now=day(29)).alerts
    assert alert.kind == AlertKind.SILENCE
    assert alert.key == f"silence:{T0.date().isoformat()}"
    assert alert.at == day(28)
    assert alert.params == {"weeks": 4}
    assert alert.record_id is None


def test_silence_key_is_stable_as_time_passes():
    last = post(0, overall=9)
    keys = {brief(last, now=day(n)).alerts[0].key for n in (28, 40, 90)}
    assert len(keys) == 1
    assert brief(last, now=day(90)).alerts[0].params == {"weeks": 12}


def test_silence_counts_from_client_since_without_responses():
    alerts = brief(now=T0 + timedelta(weeks=5), client_since=T0).alerts
    assert [a.kind for a in alerts] == [AlertKind.SILENCE]
    assert brief(now=T0 + timedelta(weeks=3), client_since=T0).alerts == []


def test_silence_weeks_is_a_threshold():
    last = post(0, overall=9)
    assert kinds(last, now=day(15), thresholds=Thresholds(silence_weeks=2)) == ["silence"]
    assert kinds(last, now=day(15)) == []


def test_a_new_response_ends_the_silence_and_a_later_one_gets_a_new_key():
    first = post(0, overall=9)
    old = brief(first, now=day(30)).alerts[0].key
    second = post(31, overall=9)
    assert kinds(first, second, now=day(32)) == []
    new = brief(first, second, now=day(70)).alerts[0].key
    assert new != old


def test_acknowledged_alerts_are_marked():
    feedback = post(judged="yes")
    key = f"judged:{feedback.id}"
    done = brief(feedback, acknowledged={key: ("Dr Rivera", day(2))})
    (alert,) = done.alerts
    assert (alert.acknowledged_by, alert.acknowledged_at) == ("Dr Rivera", day(2))
    assert not unacknowledged(done)
    assert unacknowledged(brief(feedback))


def test_acknowledging_one_occurrence_does_not_hide_a_later_one():
    first, later = post(0, judged="yes"), post(7, judged="yes")
    done = brief(first, later, acknowledged={f"judged:{first.id}": ("Dr Rivera", day(1))})
    assert [a.acknowledged_by for a in done.alerts] == [None, "Dr Rivera"]
    assert unacknowledged(done)


def test_keys_are_unique_and_stable():
    records = [post(n * 7, judged="yes", listened=2, ideas_respected=1, overall=1,
                    room_problems=["noisy"]) for n in range(4)]
    first = [a.key for a in brief(*records, now=day(60)).alerts]
    again = [a.key for a in brief(*reversed(records), now=day(60)).alerts]
    assert first == again
    assert len(first) == len(set(first))


def test_alerts_are_newest_first_and_keep_rule_order_within_a_response():
    older = post(0, judged="yes", listened=9)
    newer = post(7, judged="a_little", listened=3, overall=2)
    alerts = brief(older, newer).alerts
    assert [(a.record_id, a.kind) for a in alerts] == [
        (newer.id, AlertKind.JUDGED), (newer.id, AlertKind.NOT_LISTENED),
        (newer.id, AlertKind.SCORE_LOW), (newer.id, AlertKind.SCORE_DROP),
        (older.id, AlertKind.JUDGED),
    ]


def test_every_kind_has_two_or_three_questions():
    from intake.brief.alerts import QUESTIONS

    assert set(QUESTIONS) == set(AlertKind)
    assert all(2 <= len(questions) <= 3 for questions in QUESTIONS.values())


def test_thresholds_refuse_values_that_would_alert_on_everything():
    with pytest.raises(ValueError, match="thresholds"):
        Thresholds(score_drop=0)
    with pytest.raises(ValueError, match="thresholds"):
        Thresholds(silence_weeks=0)


def test_alerts_at_the_same_moment_follow_the_newer_response():
    a = record("post_session", {"judged": "yes"}, id=20)
    b = record("post_session", {"judged": "yes"}, id=21)
    assert [alert.record_id for alert in brief(a, b).alerts] == [21, 20]


def test_stopping_opens_with_thanks_and_offers_a_good_ending():
    (alert,) = brief(periodic(thinking_of_stopping="yes")).alerts
    assert alert.questions == [text.THANK_STOPPING, text.ASK_WHAT_NOT_WORKING,
                               text.OFFER_GOOD_ENDING]


def test_a_different_therapist_opens_with_thanks_and_offers_a_warm_referral():
    survey = periodic(prefer_different_therapist="yes", prefer_different_visibility="therapist")
    (alert,) = brief(survey).alerts
    assert alert.questions[0] == text.THANK_DIFFERENT_THERAPIST
    assert text.OFFER_REFERRAL in alert.questions


def test_silence_asks_about_the_client_not_about_the_app():
    last = post(0, listened=9)
    (alert,) = [a for a in brief(last, now=day(40)).alerts if a.kind == AlertKind.SILENCE]
    assert text.ASK_WHAT_GETS_IN_THE_WAY in alert.questions
    assert not any("questions" in question for question in alert.questions)
