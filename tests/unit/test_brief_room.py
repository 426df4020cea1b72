"""The room checklist: notes of wishes and problems, newest first, each note once."""

from __future__ import annotations

from intake.brief.text import message_id
from intake.questionnaires.common import ROOM_PROBLEMS, ROOM_WISHES

from .test_brief_factories import brief, periodic, post, record

WISH = {c.code: message_id(c.note) for c in ROOM_WISHES if c.note}
PROBLEM = {c.code: message_id(c.note) for c in ROOM_PROBLEMS if c.note}


def checklist(*records) -> list[tuple[str, str]]:
    return [(message_id(i.text), i.source) for i in brief(*records).room_checklist]


def test_intake_wishes_are_the_checklist():
    wishes = record("intake", {"room_wishes": ["white_noise", "near_door"]})
    assert checklist(wishes) == [(WISH["white_noise"], "intake"), (WISH["near_door"], "intake")]


def test_items_are_the_declarations_own_lazy_notes():
    (item,) = brief(record("intake", {"room_wishes": ["seating"]})).room_checklist
    assert item.text is next(c.note for c in ROOM_WISHES if c.code == "seating")


def test_nothing_and_rather_not_say_add_nothing():
    assert checklist(record("intake", {"room_wishes": ["nothing"]})) == []
    assert checklist(record("intake", {"room_wishes": ["rather_not_say"]})) == []
    assert checklist(post(room_problems=["nothing"])) == []


def test_the_same_note_from_several_sources_appears_once():
    # "warmer" (a wish) and "too_cold" (a problem) carry the same sentence.
    assert WISH["warmer"] == PROBLEM["too_cold"]
    records = (
        record("intake", {"room_wishes": ["warmer", "white_noise"]}, days=0),
        record("pre_session", {"room_wishes": ["warmer"]}, days=14),
        post(7, room_problems=["too_cold", "overheard", "light"]),
    )
    assert checklist(*records) == [
        (WISH["warmer"], "pre_session"),
        (PROBLEM["overheard"], "post_session"),  # the same note as white_noise
        (PROBLEM["light"], "post_session"),
    ]


def test_latest_pre_session_only():
    records = (record("pre_session", {"room_wishes": ["cooler"]}, days=0),
               record("pre_session", {"room_wishes": ["door_closed"]}, days=7))
    assert checklist(*records) == [(WISH["door_closed"], "pre_session")]


def test_only_the_newest_feedback_on_the_room_counts():
    older = post(0, room_problems=["too_cold"])
    newer = periodic(7, room_problems=["noisy"])
    assert checklist(older, newer) == [(PROBLEM["noisy"], "periodic")]
    fixed = post(14, room_problems=["nothing"])
    assert checklist(older, newer, fixed) == []


def test_a_post_session_newer_than_the_periodic_wins():
    assert checklist(periodic(0, room_problems=["noisy"]), post(7, room_problems=["light"])) == [
        (PROBLEM["light"], "post_session"),
    ]
