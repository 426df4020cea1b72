"""First-session findings: one rule per source of tension, from the latest intake."""

from __future__ import annotations

import pytest

from intake.brief import text
from intake.brief.findings import first_appointment
from intake.brief.text import message_id
from intake.questionnaires import REGISTRY

from .test_brief_factories import brief, intake, record

INTAKE = REGISTRY["intake"]


def findings(**answers) -> dict:
    return {f.key: f for f in first_appointment(intake(**answers))}


def note(question: str, code: str) -> str:
    return message_id(INTAKE.question(question).choice(code).note)


def test_no_intake_no_findings():
    assert first_appointment(None) == []
    assert brief(record("post_session", {"overall": 9})).first_appointment == []


def test_a_calm_intake_says_nothing():
    calm = dict(
        whose_idea="self", wants_to_be_here=9, worried_could_find_out=["nobody"],
        not_ready_topics="no", set_pace="no_preference", prior_therapy="helpful",
        judgement_worry=1, judgement_topics=[], background_matters=["nothing"],
        feelings_comfort=3, feelings_culture="encouraged", expected_role="listen",
        beliefs=["none"],
    )
    assert findings(**calm) == {}


def test_findings_follow_the_order_of_the_domain_table():
    everything = dict(
        whose_idea="court", worried_could_find_out=["court"], set_pace="yes",
        prior_therapy="harmful", judgement_topics=["past"], background_matters=["religion"],
        feelings_culture="discouraged", beliefs=["quick_fix"], name_pronouns="Sam",
        what_helped="Running", expected_length="few", barriers=["times"],
        access_needs=["hearing"], safe_contact="email",
    )
    assert list(findings(**everything)) == [
        "name_and_language", "readiness", "confidentiality", "pace", "prior_therapy",
        "what_helped", "judgement", "fit", "feelings", "expected_length", "expectations",
        "practical", "access", "contact",
    ]


@pytest.mark.parametrize("who", ["partner", "family", "doctor", "employer", "school",
                                 "other"])
def test_not_self_referred_comes_first(who):
    found = findings(whose_idea=who, wants_to_be_here=8)["readiness"]
    assert found.title == text.NOT_SELF_REFERRED
    assert found.detail is None
    assert found.answers == [("whose_idea", who), ("wants_to_be_here", 8)]
    assert text.ASK_WHAT_TOLD in found.suggestions


def test_not_self_referred_and_not_wanting_to_be_here():
    found = findings(whose_idea=["partner"], wants_to_be_here=2)["readiness"]
    assert (found.title, found.detail) == (text.NOT_SELF_REFERRED, text.WANTS_TO_BE_HERE)
    assert found.params == {"score": 2, "high": 10}


@pytest.mark.parametrize("whose", [["court"], ["self", "court"], ["social_services"],
                                   "court"])
def test_a_court_or_social_services_comes_first_even_beside_the_client_own_wish(whose):
    # Intake version 3 takes several answers; version 2's single code still reads.
    found = findings(whose_idea=whose, wants_to_be_here=2)["readiness"]
    assert (found.title, found.detail) == (text.MANDATED, text.WANTS_TO_BE_HERE)
    assert found.suggestions[0] == text.EXPLAIN_REPORTED


def test_self_and_a_partner_is_not_a_referral():
    assert "readiness" not in findings(whose_idea=["self", "partner"], wants_to_be_here=8)


@pytest.mark.parametrize(("wish", "shown"), [(0, True), (4, True), (5, False), (10, False)])
def test_a_low_wish_to_be_here_is_noted_even_when_self_referred(wish, shown):
    found = findings(whose_idea="self", wants_to_be_here=wish).get("readiness")
    assert (found is not None) is shown
    if shown:
        assert found.title == text.WANTS_TO_BE_HERE
        assert found.params == {"score": wish, "high": 10}


def test_rather_not_say_is_shown_as_such_not_dropped():
    found = findings(whose_idea="rather_not_say", wants_to_be_here=7)["readiness"]
    assert found.title == text.PREFERRED_NOT_TO_SAY
    assert ("whose_idea", "rather_not_say") in found.answers
    assert found.suggestions == []


def test_rather_not_say_on_a_scale_is_shown():
    found = findings(wants_to_be_here="rather_not_say")["readiness"]
    assert found.answers == [("wants_to_be_here", "rather_not_say")]


def test_rather_not_say_stays_visible_beside_a_concern():
    found = findings(whose_idea="partner", wants_to_be_here="rather_not_say")["readiness"]
    assert found.title == text.NOT_SELF_REFERRED
    assert ("wants_to_be_here", "rather_not_say") in found.answers


def test_skipped_questions_are_not_findings():
    assert findings() == {}


def test_confidentiality_names_the_third_parties():
    found = findings(worried_could_find_out=["parents", "overheard"])["confidentiality"]
    assert found.title == text.WORRIED_OTHERS_FIND_OUT
    assert found.answers == [("worried_could_find_out", ["parents", "overheard"])]
    assert text.EXPLAIN_LIMITS in found.suggestions


def test_confidentiality_nobody_or_rather_not_say():
    assert "confidentiality" not in findings(worried_could_find_out=["nobody"])
    hidden = findings(worried_could_find_out=["rather_not_say"])["confidentiality"]
    assert hidden.title == text.PREFERRED_NOT_TO_SAY


@pytest.mark.parametrize(("not_ready", "set_pace", "title"), [
    ("yes", "yes", text.PACE_AND_NOT_READY),
    ("not_sure", "yes", text.PACE_AND_NOT_READY),
    ("no", "yes", text.SETS_PACE),
    ("yes", "no_preference", text.NOT_READY),
    ("not_sure", None, text.NOT_READY),
    ("no", "no_preference", None),
])
def test_pace(not_ready, set_pace, title):
    found = findings(not_ready_topics=not_ready, set_pace=set_pace).get("pace")
    assert (found and found.title) == title
    if found:
        assert note("beliefs", "must_tell_everything") in map(message_id, found.suggestions)


def test_harmful_prior_therapy_quotes_what_did_not_work():
    words = "They talked about themselves the whole time."
    found = findings(prior_therapy="harmful", prior_what_did_not_work=words)["prior_therapy"]
    assert found.title == text.PRIOR_HARMFUL
    assert ("prior_what_did_not_work", words) in found.answers
    # The client sets the pace: what to avoid, not "what went wrong".
    assert text.ASK_WHAT_TO_AVOID in found.suggestions
    assert note("beliefs", "must_tell_everything") in map(message_id, found.suggestions)


def test_prior_therapy_that_did_not_help():
    found = findings(prior_therapy="not_helpful")["prior_therapy"]
    assert found.title == text.PRIOR_NOT_HELPFUL
    assert text.ASK_WHAT_DID_NOT_WORK in found.suggestions


@pytest.mark.parametrize("prior", ["none", "helpful"])
def test_prior_therapy_that_was_fine(prior):
    assert "prior_therapy" not in findings(prior_therapy=prior)


def test_free_text_keeps_the_language_it_was_written_in():
    answers = {"prior_therapy": "harmful", "prior_what_did_not_work": "No me escuchaba."}
    (found,) = first_appointment(record("intake", answers, locale="es"))
    assert found.locale == "es"


@pytest.mark.parametrize(("worry", "topics", "title", "detail"), [
    (4, ["past", "sexuality"], text.JUDGEMENT_TOPICS, text.JUDGEMENT_WORRY),
    (1, ["religion"], text.JUDGEMENT_TOPICS, None),
    (3, [], text.JUDGEMENT_WORRY, None),
    (2, [], None, None),
])
def test_judgement(worry, topics, title, detail):
    found = findings(judgement_worry=worry, judgement_topics=topics).get("judgement")
    assert (found and found.title) == title
    if found:
        assert found.detail == detail
        assert note("beliefs", "will_be_judged") in map(message_id, found.suggestions)


def test_judgement_worry_is_out_of_four():
    found = findings(judgement_worry=3)["judgement"]
    assert found.params == {"score": 3, "high": 4}


@pytest.mark.parametrize(("comfort", "culture", "shown"), [
    (0, "encouraged", True), (1, None, True), (2, "discouraged", True),
    (2, "neutral", False), (4, "not_sure", False), (None, None, False),
])
def test_feelings(comfort, culture, shown):
    found = findings(feelings_comfort=comfort, feelings_culture=culture).get("feelings")
    assert (found is not None) is shown
    if shown:
        assert found.title == text.FEELINGS_NOT_EASY


@pytest.mark.parametrize(("background", "values", "shown"), [
    (["gender", "language"], None, True),
    (["nothing"], "My faith", True),
    (["nothing"], "   ", False),
    (["nothing"], None, False),
])
def test_fit_is_a_preference_never_a_verdict(background, values, shown):
    found = findings(background_matters=background, values_to_respect=values).get("fit")
    assert (found is not None) is shown
    if shown:
        assert found.title == text.FIT
        assert ("values_to_respect", values) in found.answers or values is None


def test_misconceptions_suggest_each_declared_note():
    found = findings(expected_role="advice", beliefs=["shared_with_family", "quick_fix"])
    suggestions = [message_id(s) for s in found["expectations"].suggestions]
    assert suggestions == [
        note("expected_role", "advice"),
        note("beliefs", "shared_with_family"),
        note("beliefs", "quick_fix"),
    ]
    assert found["expectations"].title == text.EXPECTATIONS


def test_medicine_expectation_has_its_note():
    found = findings(expected_role="medicine")["expectations"]
    assert [message_id(s) for s in found.suggestions] == [note("expected_role", "medicine")]


def test_suggestions_are_the_declarations_own_lazy_notes():
    found = findings(beliefs=["will_be_judged"])["expectations"]
    assert found.suggestions[0] is INTAKE.question("beliefs").choice("will_be_judged").note


def test_expectations_without_a_misconception():
    assert "expectations" not in findings(expected_role="skills", beliefs=["none"])


def test_findings_come_from_the_latest_intake_only():
    older = record("intake", {"whose_idea": "court"}, days=0)
    newer = record("intake", {"whose_idea": "self"}, days=5)
    assert brief(newer, older).first_appointment == []


def test_blank_free_text_is_not_shown_beside_a_finding():
    found = findings(background_matters=["gender"], values_to_respect="  ")["fit"]
    assert found.answers == [("background_matters", ["gender"])]


@pytest.mark.parametrize(("length", "shown"), [("few", True), ("several", False),
                                                ("not_sure", False), (None, False)])
def test_expecting_few_meetings_is_a_sign_of_stopping_early(length, shown):
    found = findings(expected_length=length).get("expected_length")
    assert (found is not None) is shown
    if shown:
        assert found.title == text.EXPECTS_FEW_MEETINGS
        assert found.answers == [("expected_length", "few")]
        assert text.ASK_HOW_MANY_TO_TRY in found.suggestions


def test_name_pronouns_and_language_are_used():
    found = findings(name_pronouns="Sam, they/them", meeting_language="Tigrinya")
    assert found["name_and_language"].title == text.USE_NAME_AND_LANGUAGE
    assert ("name_pronouns", "Sam, they/them") in found["name_and_language"].answers
    assert "name_and_language" not in findings(name_pronouns="  ")


def test_an_interpreter_is_booked_before_anything():
    found = findings(meeting_language="Tigrinya", interpreter="yes")
    assert found["name_and_language"].title == text.BOOK_INTERPRETER
    assert next(iter(found)) == "name_and_language"
    assert "name_and_language" not in findings(interpreter="no")
    assert findings(interpreter="rather_not_say")["name_and_language"].title == \
        text.PREFERRED_NOT_TO_SAY


def test_practical_barriers_bring_their_notes():
    found = findings(barriers=["cost", "care"])["practical"]
    assert found.title == text.PRACTICAL_BARRIERS
    assert [message_id(s) for s in found.suggestions] == [
        note("barriers", "cost"), note("barriers", "care")]
    assert "practical" not in findings(barriers=["nothing"])


def test_access_needs_bring_their_notes():
    found = findings(access_needs=["step_free", "breaks"])["access"]
    assert found.title == text.ACCESS_NEEDS
    assert [message_id(s) for s in found.suggestions] == [
        note("access_needs", "step_free"), note("access_needs", "breaks")]
    assert "access" not in findings(access_needs=["nothing"])


@pytest.mark.parametrize(("how", "title"), [
    ("text", text.CONTACT_ONLY_THIS_WAY), ("phone", text.CONTACT_ONLY_THIS_WAY),
    ("none", text.DO_NOT_CONTACT), ("rather_not_say", text.PREFERRED_NOT_TO_SAY),
])
def test_a_safe_way_to_contact(how, title):
    found = findings(safe_contact=how)["contact"]
    assert found.title == title
    assert found.answers == [("safe_contact", how)]


def test_what_helped_before_is_built_on():
    found = findings(what_helped="Walking with my sister")["what_helped"]
    assert found.title == text.BUILD_ON_WHAT_HELPED
    assert found.answers == [("what_helped", "Walking with my sister")]
    assert "what_helped" not in findings(what_helped="")


def test_the_wording_says_what_care_means_and_leaves_the_pace_to_the_client():
    assert "take care there" not in text.JUDGEMENT_TOPICS
    assert "let the client choose how much to say" in text.JUDGEMENT_TOPICS
    assert "what went wrong" not in text.PRIOR_HARMFUL
    assert "let the client decide if and when" in text.PRIOR_HARMFUL
