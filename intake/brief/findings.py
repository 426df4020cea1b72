"""Before the first appointment: what the latest intake tells the therapist.

Rules run in the order of the table in domain.md (the name to use first, the practical
matters last). A finding appears only when there is something
to say, or when the client chose "I'd rather not say", which is shown as such, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from intake.questionnaires import Question

from . import text
from .declared import codes, note, notes_of_chosen, only_exclusive, question
from .model import Finding, Record, Value
from .text import Text
from .values import answered, chosen, is_rather_not_say, number, written

WHOSE_IDEA = question("intake", "whose_idea")
WANTS_TO_BE_HERE = question("intake", "wants_to_be_here")
WORRIED_COULD_FIND_OUT = question("intake", "worried_could_find_out")
NOT_READY_TOPICS = question("intake", "not_ready_topics")
SET_PACE = question("intake", "set_pace")
PRIOR_THERAPY = question("intake", "prior_therapy")
PRIOR_WHAT_DID_NOT_WORK = question("intake", "prior_what_did_not_work")
JUDGEMENT_WORRY = question("intake", "judgement_worry")
JUDGEMENT_TOPICS = question("intake", "judgement_topics")
BACKGROUND_MATTERS = question("intake", "background_matters")
VALUES_TO_RESPECT = question("intake", "values_to_respect")
FEELINGS_COMFORT = question("intake", "feelings_comfort")
FEELINGS_CULTURE = question("intake", "feelings_culture")
EXPECTED_ROLE = question("intake", "expected_role")
EXPECTED_LENGTH = question("intake", "expected_length")
BELIEFS = question("intake", "beliefs")
NAME_PRONOUNS = question("intake", "name_pronouns")
MEETING_LANGUAGE = question("intake", "meeting_language")
INTERPRETER = question("intake", "interpreter")
BARRIERS = question("intake", "barriers")
ACCESS_NEEDS = question("intake", "access_needs")
SAFE_CONTACT = question("intake", "safe_contact")
WHAT_HELPED = question("intake", "what_helped")

(SELF,) = codes(WHOSE_IDEA, "self")
# Sent by someone who may be told about the therapy: what is reported comes first.
MANDATED = codes(WHOSE_IDEA, "court", "social_services")
(FEW_MEETINGS,) = codes(EXPECTED_LENGTH, "few")
(WANTS_INTERPRETER,) = codes(INTERPRETER, "yes")
(NO_CONTACT,) = codes(SAFE_CONTACT, "none")
NOT_READY = codes(NOT_READY_TOPICS, "yes", "not_sure")
(SETS_PACE,) = codes(SET_PACE, "yes")
(HARMFUL,) = codes(PRIOR_THERAPY, "harmful")
(NOT_HELPFUL,) = codes(PRIOR_THERAPY, "not_helpful")
DISCOURAGED = codes(FEELINGS_CULTURE, "discouraged")

# The sentences the intake's misconception notes already say well, reused as suggestions.
YOU_SET_THE_PACE = note(BELIEFS, "must_tell_everything")
NOT_HERE_TO_JUDGE = note(BELIEFS, "will_be_judged")

LOW_WISH = 4  # wants_to_be_here, 0 to 10: at or below, it is worth a word
HIGH_WORRY = 3  # judgement_worry, 0 to 4: at or above
LOW_COMFORT = 1  # feelings_comfort, 0 to 4: at or below

Answers = Mapping[str, Value]


@dataclass(frozen=True)
class Said:
    """What one rule has to say, before the answers behind it are attached."""

    title: str
    detail: str | None = None
    params: dict[str, object] = field(default_factory=dict)
    suggestions: list[Text] = field(default_factory=list)


def _score(of: Question, value: int) -> dict[str, object]:
    return {"score": value, "high": of.high}


def readiness(answers: Answers) -> Said | None:
    """Not self-referred, or not much wanting to be here."""
    whose = chosen(answers.get(WHOSE_IDEA.key))
    wish = number(answers.get(WANTS_TO_BE_HERE.key))
    low = _score(WANTS_TO_BE_HERE, wish) if wish is not None and wish <= LOW_WISH else None
    # "Mine and the court's" still means a court may be told things: say so first.
    if whose and MANDATED.intersection(whose):
        return Said(
            text.MANDATED,
            text.WANTS_TO_BE_HERE if low else None,
            low or {},
            [text.EXPLAIN_REPORTED, text.ASK_WHAT_TOLD, text.ASK_WORTHWHILE],
        )
    if whose and SELF not in whose:
        return Said(
            text.NOT_SELF_REFERRED,
            text.WANTS_TO_BE_HERE if low else None,
            low or {},
            [text.ASK_WHAT_TOLD, text.ASK_WORTHWHILE],
        )
    if low:
        return Said(text.WANTS_TO_BE_HERE, params=low, suggestions=[text.ASK_WORTHWHILE])
    return None


def confidentiality(answers: Answers) -> Said | None:
    """Third parties the client fears could find out."""
    value = answers.get(WORRIED_COULD_FIND_OUT.key)
    if not chosen(value) or only_exclusive(WORRIED_COULD_FIND_OUT, value):
        return None
    return Said(text.WORRIED_OTHERS_FIND_OUT,
                suggestions=[text.EXPLAIN_LIMITS, text.ASK_WHO_WORRIES])


def pace(answers: Answers) -> Said | None:
    """Topics not ready for yet, and wanting to set the pace."""
    not_ready = bool(NOT_READY.intersection(chosen(answers.get(NOT_READY_TOPICS.key))))
    sets_pace = SETS_PACE in chosen(answers.get(SET_PACE.key))
    if not (not_ready or sets_pace):
        return None
    title = (text.PACE_AND_NOT_READY if not_ready and sets_pace
             else text.SETS_PACE if sets_pace else text.NOT_READY)
    return Said(title, suggestions=[YOU_SET_THE_PACE, text.ASK_TOO_MUCH])


def prior_therapy(answers: Answers) -> Said | None:
    """Previous therapy that did not help or made things worse."""
    prior = answers.get(PRIOR_THERAPY.key)
    if prior == HARMFUL:
        # The client sets the pace: ask what to avoid, not what went wrong.
        return Said(text.PRIOR_HARMFUL,
                    suggestions=[text.ASK_WHAT_TO_AVOID, YOU_SET_THE_PACE])
    if prior == NOT_HELPFUL:
        return Said(text.PRIOR_NOT_HELPFUL,
                    suggestions=[text.ASK_WHAT_DID_NOT_WORK, text.ASK_DIFFERENT_THIS_TIME])
    return None


def judgement(answers: Answers) -> Said | None:
    """Topics the client fears being judged for, and how worried they are."""
    worry = number(answers.get(JUDGEMENT_WORRY.key))
    worried = _score(JUDGEMENT_WORRY, worry) if worry is not None and worry >= HIGH_WORRY else None
    suggestions: list[Text] = [NOT_HERE_TO_JUDGE]
    if chosen(answers.get(JUDGEMENT_TOPICS.key)):
        return Said(text.JUDGEMENT_TOPICS, text.JUDGEMENT_WORRY if worried else None,
                    worried or {}, suggestions)
    if worried:
        return Said(text.JUDGEMENT_WORRY, params=worried, suggestions=suggestions)
    return None


def fit(answers: Answers) -> Said | None:
    """What matters about the therapist: preferences to match, never a verdict."""
    background = answers.get(BACKGROUND_MATTERS.key)
    matters = bool(chosen(background)) and not only_exclusive(BACKGROUND_MATTERS, background)
    if not (matters or written(answers.get(VALUES_TO_RESPECT.key))):
        return None
    return Said(text.FIT, suggestions=[text.ASK_UNDERSTOOD])


def feelings(answers: Answers) -> Said | None:
    """Talking about feelings is hard, or discouraged where the client comes from."""
    comfort = number(answers.get(FEELINGS_COMFORT.key))
    culture = chosen(answers.get(FEELINGS_CULTURE.key))
    if (comfort is None or comfort > LOW_COMFORT) and not DISCOURAGED.intersection(culture):
        return None
    return Said(text.FEELINGS_NOT_EASY, suggestions=[text.ASK_DAY_TO_DAY])


def expected_length(answers: Answers) -> Said | None:
    """Expecting one to three meetings: a known sign of stopping early."""
    if answers.get(EXPECTED_LENGTH.key) != FEW_MEETINGS:
        return None
    return Said(text.EXPECTS_FEW_MEETINGS,
                suggestions=[text.ASK_AFTER_FEW_MEETINGS, text.ASK_HOW_MANY_TO_TRY])


def name_and_language(answers: Answers) -> Said | None:
    """The name and pronouns to use, the language for meetings, an interpreter."""
    interpreter = answers.get(INTERPRETER.key) == WANTS_INTERPRETER
    if interpreter:
        return Said(text.BOOK_INTERPRETER)
    if written(answers.get(NAME_PRONOUNS.key)) or written(answers.get(MEETING_LANGUAGE.key)):
        return Said(text.USE_NAME_AND_LANGUAGE)
    return None


def practical(answers: Answers) -> Said | None:
    """Cost, times, travel, caring for others, video or in person: sort them out early."""
    notes = notes_of_chosen(BARRIERS, answers.get(BARRIERS.key))
    return Said(text.PRACTICAL_BARRIERS, suggestions=notes) if notes else None


def access(answers: Answers) -> Said | None:
    """What the client needs to take part: arrange it before the first appointment."""
    notes = notes_of_chosen(ACCESS_NEEDS, answers.get(ACCESS_NEEDS.key))
    return Said(text.ACCESS_NEEDS, suggestions=notes) if notes else None


def contact(answers: Answers) -> Said | None:
    """How to reach the client safely after a missed appointment, or not at all."""
    how = chosen(answers.get(SAFE_CONTACT.key))
    if not how:
        return None
    return Said(text.DO_NOT_CONTACT if NO_CONTACT in how else text.CONTACT_ONLY_THIS_WAY)


def what_helped(answers: Answers) -> Said | None:
    """What helped the client before: something to build on."""
    if not written(answers.get(WHAT_HELPED.key)):
        return None
    return Said(text.BUILD_ON_WHAT_HELPED, suggestions=[text.ASK_MORE_OF_WHAT_HELPED])


def expectations(answers: Answers) -> Said | None:
    """Misconceptions to correct gently, each with the declaration's suggested sentence."""
    notes = [
        *notes_of_chosen(EXPECTED_ROLE, answers.get(EXPECTED_ROLE.key)),
        *notes_of_chosen(BELIEFS, answers.get(BELIEFS.key)),
    ]
    return Said(text.EXPECTATIONS, suggestions=notes) if notes else None


Rule = Callable[[Answers], Said | None]
# (key, the questions whose answers it shows, rule), in the order of domain.md's table.
RULES: tuple[tuple[str, tuple[Question, ...], Rule], ...] = (
    ("name_and_language", (NAME_PRONOUNS, MEETING_LANGUAGE, INTERPRETER), name_and_language),
    ("readiness", (WHOSE_IDEA, WANTS_TO_BE_HERE), readiness),
    ("confidentiality", (WORRIED_COULD_FIND_OUT,), confidentiality),
    ("pace", (NOT_READY_TOPICS, SET_PACE), pace),
    ("prior_therapy", (PRIOR_THERAPY, PRIOR_WHAT_DID_NOT_WORK), prior_therapy),
    ("what_helped", (WHAT_HELPED,), what_helped),
    ("judgement", (JUDGEMENT_WORRY, JUDGEMENT_TOPICS), judgement),
    ("fit", (BACKGROUND_MATTERS, VALUES_TO_RESPECT), fit),
    ("feelings", (FEELINGS_COMFORT, FEELINGS_CULTURE), feelings),
    ("expected_length", (EXPECTED_LENGTH,), expected_length),
    ("expectations", (EXPECTED_ROLE, BELIEFS), expectations),
    # Not a source of tension but what keeps a client coming: after the table's rows.
    ("practical", (BARRIERS,), practical),
    ("access", (ACCESS_NEEDS,), access),
    ("contact", (SAFE_CONTACT,), contact),
)


def finding(
    key: str, questions: tuple[Question, ...], rule: Rule, record: Record
) -> Finding | None:
    """Run one rule on an intake; show "I'd rather not say" even when the rule is silent."""
    answers = record.answers
    shown = [(q.key, answers[q.key]) for q in questions if answered(answers.get(q.key))]
    said = rule(answers)
    if said is None:
        if not any(is_rather_not_say(value) for _, value in shown):
            return None
        said = Said(text.PREFERRED_NOT_TO_SAY)
    return Finding(key, said.title, said.detail, said.params, shown, said.suggestions,
                   record.locale, record.version)


def first_appointment(intake: Record | None) -> list[Finding]:
    """Return the findings of the latest intake, in the order of domain.md's table."""
    if intake is None:
        return []
    found = (finding(key, questions, rule, intake) for key, questions, rule in RULES)
    return [item for item in found if item is not None]
