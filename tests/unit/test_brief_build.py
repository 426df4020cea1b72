"""The whole brief: audiences, purity, messages fit for translation, and speed."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from intake.brief import Audience, Brief, build_brief, text, visible_answers

from .test_brief_factories import brief, day, history, periodic, post, record

PACKAGE = Path(text.__file__).parent
MESSAGES = {
    name: value for name, value in vars(text).items()
    if name.isupper() and isinstance(value, str)
}
FORBIDDEN = ("flask", "flask_babel", "flask_login", "flask_wtf", "sqlalchemy", "intake.extensions",
             "intake.models", "intake.answers", "intake.infra.database")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def busy_history(appointments: int):
    """Return a history with an intake and, per appointment, three check-ins that say a lot."""
    records = [record("intake", {
        "whose_idea": "court", "wants_to_be_here": 2, "worried_could_find_out": ["court"],
        "not_ready_topics": "yes", "set_pace": "yes", "prior_therapy": "harmful",
        "prior_what_did_not_work": "Too fast.", "judgement_worry": 4,
        "judgement_topics": ["past"], "background_matters": ["gender"],
        "values_to_respect": "My faith", "feelings_comfort": 0,
        "feelings_culture": "discouraged", "expected_role": "advice", "beliefs": ["quick_fix"],
        "room_wishes": ["white_noise", "warmer"], "goal_1": "Sleep", "goal_2": "Work",
    })]
    for n in range(appointments):
        records.append(record("pre_session", {"feeling_today": n % 11, "talk_about": f"t{n}",
                                              "room_wishes": ["cooler"]}, days=7 * n))
        records.append(post(7 * n + 0.1, listened=10 - (n % 2) * 7, ideas_respected=n % 11,
                            judged=("no", "a_little", "yes")[n % 3], overall=n % 11,
                            worked_on_what_matters=(n * 3) % 11, room_problems=["noisy"],
                            note=f"n{n}"))
        if n % 4 == 0:
            records.append(periodic(7 * n + 0.2, goal_progress_1=n % 11,
                                    thinking_of_stopping="not_sure",
                                    prefer_different_therapist="yes",
                                    prefer_different_visibility="therapist",
                                    room_problems=["light"]))
    return history(*records, now=day(7 * appointments + 60))


def test_an_empty_history_is_an_empty_brief():
    empty = brief()
    assert empty == Brief([], [], [], [], empty.trends, [])


def test_every_part_is_filled_from_a_busy_history():
    built = build_brief(busy_history(8))
    assert built.own_words and built.first_appointment and built.room_checklist
    assert built.timeline and built.alerts
    assert all(built.trends[key] for key in ("listened", "overall", "goal_progress_1"))


def test_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="'client'"):
        brief(audience="client")


@pytest.mark.parametrize("visibility", ["coordinator", None])
def test_coordinator_only_answers_never_reach_the_therapist(visibility):
    answers = {"prefer_different_therapist": "yes", "prefer_different_visibility": visibility,
               "thinking_of_stopping": "no"}
    answers = {k: v for k, v in answers.items() if v is not None}
    survey = periodic(**answers)
    therapist = brief(survey)
    keys = {key for entry in therapist.timeline for key, _ in entry.highlights}
    assert keys == {"thinking_of_stopping"}
    assert all(a.kind != "prefer_different_therapist" for a in therapist.alerts)
    assert visible_answers("periodic", answers, "therapist") == {"thinking_of_stopping": "no"}
    coordinator = brief(survey, audience=Audience.COORDINATOR)
    shown = {key for entry in coordinator.timeline for key, _ in entry.highlights}
    assert "prefer_different_therapist" in shown
    assert visible_answers("periodic", answers, "coordinator") == answers


def test_even_no_is_hidden_when_the_client_did_not_choose_the_therapist():
    # Showing "no" but hiding "yes" would give the "yes" away.
    assert visible_answers("periodic", {"prefer_different_therapist": "no"}, "therapist") == {}


def test_the_therapist_sees_what_the_client_allowed():
    answers = {"prefer_different_therapist": "not_sure",
               "prefer_different_visibility": "therapist"}
    assert visible_answers("periodic", answers, "therapist") == answers
    entry = brief(periodic(**answers)).timeline[0]
    assert ("prefer_different_therapist", "not_sure") in entry.highlights


def test_visible_answers_does_not_change_its_input():
    answers = {"prefer_different_therapist": "yes"}
    visible_answers("periodic", answers, "therapist")
    assert answers == {"prefer_different_therapist": "yes"}


def test_building_twice_gives_the_same_brief():
    busy = busy_history(6)
    assert build_brief(busy) == build_brief(busy)


def test_no_flask_no_database_no_clock():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                # Relative imports stay inside the package.
                assert node.level <= 1, (path.name, node.module)
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith(FORBIDDEN), (path.name, name)
        # Time comes from History.now, never from the clock.
        assert not re.search(r"\.(utc)?now\(|\.today\(", path.read_text()), path.name


def test_n_marks_only_literal_whole_messages():
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
                (argument,) = node.args
                assert isinstance(argument, ast.Constant), (path.name, node.lineno)
                assert isinstance(argument.value, str)


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_messages_are_plain_calm_sentences(name):
    message = MESSAGES[name]
    assert message == message.strip() and "  " not in message
    assert message[0].isupper() and message[-1] in ".?", name
    assert "<" not in message and ">" not in message and "{" not in message
    # Named placeholders only: a translator may need to reorder them.
    assert "%" not in PLACEHOLDER.sub("", message), name
    assert "!" not in message


def test_the_extractor_finds_every_message_with_the_n_keyword():
    found = {
        message for _, message, _, _ in extract_from_file(
            "python", str(PACKAGE / "text.py"), keywords={"N_": None}
        )
    }
    assert found == set(MESSAGES.values())


def test_messages_are_few_and_each_is_used():
    sources = "".join(p.read_text() for p in PACKAGE.glob("*.py") if p.name != "text.py")
    unused = [name for name in MESSAGES if f"text.{name}" not in sources]
    assert unused == []
    # Intake version 3 added six findings (name, practical matters, access, contact, ...).
    assert len(MESSAGES) == len(set(MESSAGES.values())) <= 75


def test_every_sentence_in_a_brief_is_a_message_and_formats_with_its_params():
    built = build_brief(busy_history(8))
    known = set(MESSAGES.values())
    for finding in built.first_appointment:
        for message in (finding.title, finding.detail):
            if message is not None:
                assert message in known
                assert message % finding.params
        assert all(s in known for s in finding.suggestions if isinstance(s, str))
    for alert in built.alerts:
        assert alert.why in known and alert.why % alert.params
        assert set(alert.questions) <= known


def calls_to_build(history) -> int:
    """Count the function calls building a brief makes: a measure of work that no clock disturbs."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        build_brief(history)
    finally:
        sys.setprofile(None)
    return calls


def test_five_hundred_appointments_are_all_in_the_timeline():
    busy = busy_history(500)
    assert len(build_brief(busy).timeline) == len(busy.records)


def test_work_grows_linearly_with_the_history():
    small, large = busy_history(250), busy_history(2000)
    per_record = [calls_to_build(case) / len(case.records) for case in (small, large)]
    # Eight times the records: linear work keeps the calls per record level; quadratic work
    # would multiply them by eight.
    assert per_record[1] < per_record[0] * 1.1, per_record


def test_a_key_or_code_the_declarations_lack_fails_loudly():
    from intake.brief.declared import codes, note, question

    with pytest.raises(LookupError):
        question("intake", "whose_idee")
    with pytest.raises(LookupError):
        codes(question("intake", "whose_idea"), "self", "sef")
    with pytest.raises(LookupError):
        note(question("intake", "beliefs"), "none")
