"""The periodic survey: every few appointments or weeks, how things are going overall."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from .common import YES_NO_NOT_SURE, room_problems
from .model import Choice, Condition, Kind, Question, Questionnaire, Step, Wording

GOOD_OK_POOR = (
    Choice("good", _lp("how things are at the practice", "Good")),
    Choice("okay", _lp("how things are at the practice", "Okay")),
    Choice("poor", _lp("how things are at the practice", "Not good")),
)


def _goal_progress(number: int) -> Question:
    return Question(
        f"goal_progress_{number}",
        Kind.SCALE,
        _l("How much progress have you made on this goal?"),
        low_label=_lp("progress on a goal", "None yet"),
        high_label=_lp("progress on a goal", "Reached it"),
        goal=number,
        short_label=_l("Goal %(number)d", number=number),
    )


# Whether the client would prefer another therapist is for the practice coordinator, unless
# the client chose to tell their therapist. Even who may see it is kept from the therapist:
# it is only asked after "yes" or "not sure", so it would tell them what it hides.
SHARED_WITH_THERAPIST = Condition("prefer_different_visibility", frozenset({"therapist"}))

PERIODIC = Questionnaire(
    key="periodic",
    # 2: the questions about stopping and changing therapist say who reads the answer and
    #    what happens next; "the practice office", not "the practice coordinator".
    version=2,
    title=_l("How things are going"),
    staff_title=_l("Periodic survey"),
    intro=_l("A few questions about your therapy so far. Skip anything you like."),
    steps=(
        Step(
            "goals",
            title=_l("Your goals"),
            questions=tuple(_goal_progress(number) for number in (1, 2, 3)),
        ),
        Step(
            "continuing",
            title=_l("Your therapy"),
            questions=(
                Question(
                    "thinking_of_stopping",
                    Kind.SINGLE,
                    _l("Are you thinking about stopping therapy?"),
                    # Translators: said to a client; "meeting" is one therapy appointment.
                    hint=_l("Your therapist reads this before your next meeting. It is fine "
                            "to say yes. They will talk with you about what would help."),
                    earlier=(Wording(2, _l("Are you thinking about stopping therapy?")),),
                    choices=YES_NO_NOT_SURE,
                ),
                Question(
                    "prefer_different_therapist",
                    Kind.SINGLE,
                    _l("Would you prefer to see a different therapist?"),
                    hint=_l("It is fine to say so. Many people change therapist. Only the "
                            "practice office reads this, not your therapist, unless you say "
                            "so next. The office will contact you to talk about your choices."),
                    earlier=(Wording(2, _l("Would you prefer to see a different therapist?"),
                                     _l("It is fine to say so. Many people change "
                                        "therapist.")),),
                    choices=YES_NO_NOT_SURE,
                    for_coordinator_unless=SHARED_WITH_THERAPIST,
                ),
            ),
        ),
        Step(
            "who_may_see",
            title=_l("Your therapy"),
            show_if=Condition("prefer_different_therapist", frozenset({"yes", "not_sure"})),
            questions=(
                Question(
                    "prefer_different_visibility",
                    Kind.SINGLE,
                    _l("Who may see your answer about changing therapist?"),
                    hint=_l("If you don't choose, only the practice office will see it."),
                    earlier=(Wording(2, _l("Who may see your answer about changing therapist?"),
                                     _l("If you don't choose, only the practice coordinator "
                                        "will see it.")),),
                    choices=(
                        Choice("therapist", _l("My therapist")),
                        Choice("coordinator", _l("Only the practice office"),
                               earlier=(Wording(2, _l("Only the practice coordinator")),)),
                    ),
                    rather_not_say=False,
                    for_coordinator_unless=SHARED_WITH_THERAPIST,
                ),
            ),
        ),
        Step(
            "practice",
            title=_l("Our practice"),
            questions=(
                Question("waiting_room", Kind.SINGLE, _l("How is the waiting room?"),
                         choices=GOOD_OK_POOR),
                Question("scheduling", Kind.SINGLE, _l("How easy is it to get appointments?"),
                         choices=GOOD_OK_POOR),
                Question("welcome", Kind.SINGLE, _l("Do you feel welcome here?"),
                         choices=(
                             Choice("yes", _lp("do you feel welcome", "Yes")),
                             Choice("mostly", _lp("do you feel welcome", "Mostly")),
                             Choice("no", _lp("do you feel welcome", "No")),
                         )),
            ),
        ),
        Step("room", title=_l("The room"), questions=(room_problems("room_problems"),)),
    ),
)
