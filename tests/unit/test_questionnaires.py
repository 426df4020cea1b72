"""The declarations are the single source of the forms, the storage and the brief."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import LazyString

from intake.questionnaires import RATHER_NOT_SAY, REGISTRY, Kind
from intake.questionnaires.flow import visible_steps

ROOT = Path(__file__).resolve().parents[2]
QUESTIONNAIRES = list(REGISTRY.values())


def catalogue_ids() -> set[tuple[str | None, str]]:
    """Return every (context, message) extracted into the template catalogue."""
    with open(ROOT / "translations" / "messages.pot", "rb") as handle:
        return {(message.context, message.id) for message in read_po(handle) if message.id}


def extracted(text: LazyString) -> tuple[str | None, str]:
    """Return what a lazy text looks up: (context, message); no context for plain ones."""
    if len(text._args) == 2:  # lazy_pgettext(context, message)
        return text._args[0], text._args[1]
    return None, text._args[0]


def test_the_four_questionnaires_are_declared():
    assert set(REGISTRY) == {"intake", "pre_session", "post_session", "periodic"}
    assert all(isinstance(q.version, int) and q.version >= 1 for q in QUESTIONNAIRES)


@pytest.mark.parametrize("questionnaire", QUESTIONNAIRES, ids=lambda q: q.key)
def test_keys_are_unique(questionnaire):
    keys = [question.key for question in questionnaire.questions()]
    assert len(keys) == len(set(keys))
    steps = [step.key for step in questionnaire.steps]
    assert len(steps) == len(set(steps))
    for question in questionnaire.questions():
        codes = [choice.code for choice in question.all_choices]
        assert len(codes) == len(set(codes)), question.key


@pytest.mark.parametrize("questionnaire", QUESTIONNAIRES, ids=lambda q: q.key)
def test_every_text_is_lazy_and_in_the_catalogue(questionnaire):
    ids = catalogue_ids()
    texts = [questionnaire.title, questionnaire.intro]
    for step in questionnaire.steps:
        texts.extend(t for t in [step.title] if t is not None)
        for question in step.questions:
            texts.extend(t for t in (question.label, question.hint, question.low_label,
                                     question.high_label) if t is not None)
            for choice in question.all_choices:
                assert choice.label is not None, (question.key, choice.code)
                texts.extend(t for t in (choice.label, choice.note) if t is not None)
    for text in texts:
        assert isinstance(text, LazyString), text
        assert extracted(text) in ids, f"not extracted: {extracted(text)!r}"


@pytest.mark.parametrize("questionnaire", QUESTIONNAIRES, ids=lambda q: q.key)
def test_choice_and_scale_questions_offer_rather_not_say(questionnaire):
    for question in questionnaire.questions():
        if question.kind in (Kind.SINGLE, Kind.MULTIPLE) and question.rather_not_say:
            assert question.all_choices[-1].code == RATHER_NOT_SAY
            assert question.all_choices[-1].exclusive
        if question.kind is Kind.SCALE:
            assert question.rather_not_say and question.low_label and question.high_label


@pytest.mark.parametrize("questionnaire", QUESTIONNAIRES, ids=lambda q: q.key)
def test_every_step_is_reachable(questionnaire):
    """A conditional step depends on an earlier question whose choices can satisfy it."""
    goals = {1: "a", 2: "b", 3: "c"}
    seen: set[str] = set()
    for step in questionnaire.steps:
        if step.show_if:
            assert step.show_if.question in seen, step.key
            source = questionnaire.question(step.show_if.question)
            codes = {choice.code for choice in source.all_choices}
            assert step.show_if.codes <= codes
            answers = {step.show_if.question: next(iter(step.show_if.codes))}
            assert step in visible_steps(questionnaire, answers, goals)
        seen.update(question.key for question in step.questions)


def test_everything_is_optional():
    assert all(q.optional for questionnaire in QUESTIONNAIRES for q in questionnaire.questions())


def test_intake_covers_every_source_of_tension():
    intake = REGISTRY["intake"]
    for key in ("expected_length", "expected_role", "beliefs", "whose_idea", "wants_to_be_here",
                "worried_could_find_out", "not_ready_topics", "set_pace", "prior_therapy",
                "prior_what_did_not_work", "judgement_worry", "judgement_topics",
                "feelings_comfort", "feelings_culture", "background_matters",
                "values_to_respect", "room_wishes", "goal_1", "goal_2", "goal_3"):
        assert intake.question(key) is not None, key
    assert intake.question("judgement_worry").high == 4
    assert intake.question("feelings_comfort").high == 4


def test_misconceptions_come_with_a_sentence_for_the_therapist():
    beliefs = REGISTRY["intake"].question("beliefs")
    assert all(c.note for c in beliefs.choices if c.code != "none")


def test_periodic_goal_questions_follow_the_clients_goals():
    periodic = REGISTRY["periodic"]
    with_goal = visible_steps(periodic, {}, {1: "Sleep better"})
    without = visible_steps(periodic, {}, {})
    assert with_goal[0].key == "goals"
    assert "goals" not in [step.key for step in without]


def test_short_answers_carry_a_context_for_translators():
    # "No", "Yes", "Okay" and the scales' ends mean different things in different questions:
    # each is translated with a context that says which.
    short = {"No", "Yes", "Not sure", "Okay", "Good", "Not good", "Not at all", "Completely",
             "Very bad", "Very good", "Mostly", "A little", "I don't know", "Mine"}
    for questionnaire in QUESTIONNAIRES:
        for question in questionnaire.questions():
            texts = [c.label for c in question.all_choices if c.code != RATHER_NOT_SAY]
            texts += [t for t in (question.low_label, question.high_label) if t is not None]
            for text in texts:
                context, message = extracted(text)
                if message in short:
                    assert context, (questionnaire.key, question.key, message)
