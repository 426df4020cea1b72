"""Each kind of question reads, checks, stores and labels its answers by itself."""

import re
from pathlib import Path

import pytest
from flask_babel import lazy_gettext as _l

from intake.questionnaires import RATHER_NOT_SAY, Cell, Choice, Kind, Question, Refused

ROOT = Path(__file__).resolve().parents[2]

COLOUR = Question("colour", Kind.SINGLE, _l("Colour"), choices=(
    Choice("red", _l("Red")),
    Choice("blue", _l("Blue")),
    Choice("green", _l("Green"), retired_in=2),
))
TOPICS = Question("topics", Kind.MULTIPLE, _l("Topics"), choices=(
    Choice("work", _l("Work")), Choice("family", _l("Family")),
    Choice("none", _l("None of these"), exclusive=True),
))
MOOD = Question("mood", Kind.SCALE, _l("Mood"))
NOTE = Question("note", Kind.SHORT_TEXT, _l("Note"), max_length=10)


def checked(question: Question, sent: list):
    data = question.kind.parse(question, sent)
    question.kind.check(question, sent, data)
    return question.kind.value(question, data)


def refused(question: Question, sent: list) -> str:
    with pytest.raises(Refused) as caught:
        checked(question, sent)
    return str(caught.value.message)


def round_trip(question: Question, value):
    return question.kind.read(question.kind.cells(value))


def test_a_single_choice_is_one_offered_code(app):
    with app.test_request_context():
        assert checked(COLOUR, ["blue"]) == "blue"
        assert checked(COLOUR, []) is None
        assert checked(COLOUR, [RATHER_NOT_SAY]) == RATHER_NOT_SAY
        assert refused(COLOUR, ["red", "blue"]) == "Please pick only one answer."
        assert refused(COLOUR, ["purple"]) == "Please pick one of the answers shown."
        # A retired choice is read back on old answers but never offered again.
        assert refused(COLOUR, ["green"]) == "Please pick one of the answers shown."
        assert round_trip(COLOUR, "blue") == "blue"
        assert COLOUR.kind.label(COLOUR, "green", 1) == "Green"
        assert COLOUR.kind.label(COLOUR, RATHER_NOT_SAY, 1) == "Preferred not to say"


def test_a_multiple_choice_keeps_each_code_once_in_the_declared_order(app):
    with app.test_request_context():
        assert checked(TOPICS, ["family", "work", "family"]) == ["work", "family"]
        assert checked(TOPICS, []) is None
        assert refused(TOPICS, ["work", "none"]) == (
            "\u201cNone of these\u201d cannot be picked together with other answers.")
        assert refused(TOPICS, ["work", "gardening"]) == "Please pick one of the answers shown."
        cells = TOPICS.kind.cells(["work", "family"])
        assert [(cell.position, cell.code) for cell in cells] == [(0, "work"), (1, "family")]
        assert TOPICS.kind.read(cells) == ["work", "family"]
        assert TOPICS.kind.label(TOPICS, ["work", "family"], 1) == "Work and Family"


def test_an_answer_stored_as_one_choice_reads_back_as_a_list_after_a_kind_change():
    # A question that became multiple choice in a later version still reads its old rows.
    assert TOPICS.kind.read(COLOUR.kind.cells("work")) == ["work"]


def test_a_scale_is_a_whole_number_in_its_range(app):
    with app.test_request_context():
        assert checked(MOOD, ["7"]) == 7
        assert checked(MOOD, [RATHER_NOT_SAY]) == RATHER_NOT_SAY
        assert refused(MOOD, ["11"]) == "Please pick one of the answers shown."
        assert refused(MOOD, ["-1"]) == "Please pick one of the answers shown."
        assert refused(MOOD, ["3", "4"]) == "Please pick only one answer."
        assert MOOD.kind.cells(7) == [Cell(number=7)]
        assert MOOD.kind.cells(RATHER_NOT_SAY) == [Cell(code=RATHER_NOT_SAY)]
        assert round_trip(MOOD, 0) == 0
        assert MOOD.kind.form_data(7) == "7"
        assert MOOD.kind.label(MOOD, 7, 1) == "7 out of 10"
        assert MOOD.kind.cell_label(MOOD, Cell(number=7), 1) == "7"


def test_text_is_kept_as_written_less_control_characters(app):
    with app.test_request_context():
        assert checked(NOTE, ["  Cafe\u0301\x00 "]) == "Caf\u00e9"
        assert checked(NOTE, ["   "]) is None
        assert refused(NOTE, ["x" * 11]) == "Please shorten this to 10 characters or fewer."
        assert NOTE.kind.cells("Hi") == [Cell(text="Hi")]
        assert round_trip(NOTE, "Hi") == "Hi"
        assert NOTE.kind.cell_label(NOTE, Cell(text="Hi"), 1) == ""
    assert NOTE.kind.is_text and not MOOD.kind.is_text


def test_a_file_sent_for_a_text_answer_is_ignored():
    # A multipart request can send a file part under a text field's name.
    assert NOTE.kind.parse(NOTE, [object()]) is None


def test_every_kind_has_its_macro():
    macros = (ROOT / "templates" / "_macros.html").read_text()
    (table,) = re.findall(r"{% set kinds = {(.*?)} %}", macros)
    drawn = dict(re.findall(r'"(\w+)": (\w+)', table))
    for kind in Kind.ALL:
        assert kind.macro in drawn, kind
        assert f"{{% macro {drawn[kind.macro]}(question, field) %}}" in macros


INTERPRETER = Question("interpreter", Kind.YES_NO, _l("Interpreter?"))
BELIEFS = Question("beliefs", Kind.MULTIPLE, _l("Beliefs"), choices=(
    Choice("a", _l("The therapist will tell me what to do.")),
    Choice("b", _l("One or two meetings will fix everything.")),
    Choice("c", _l("Therapy is only for people with very big problems.")),
))


def test_yes_no_brings_its_own_choices_and_rather_not_say(app):
    assert [c.code for c in INTERPRETER.all_choices] == ["yes", "no", RATHER_NOT_SAY]
    with app.test_request_context():
        assert checked(INTERPRETER, ["yes"]) == "yes"
        assert refused(INTERPRETER, ["maybe"]) == "Please pick one of the answers shown."
        assert refused(INTERPRETER, ["yes", "no"]) == "Please pick only one answer."
        assert INTERPRETER.kind.label(INTERPRETER, "no", 1) == "No"
    assert round_trip(INTERPRETER, "yes") == "yes"


def test_choices_that_are_sentences_read_as_a_list_not_as_full_stops(app):
    with app.test_request_context():
        assert BELIEFS.kind.label(BELIEFS, ["a", "b", "c"], 1) == (
            "The therapist will tell me what to do, One or two meetings will fix everything, "
            "and Therapy is only for people with very big problems")
