"""The post-session feedback: under one minute, after each appointment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from .common import room_problems
from .model import Choice, Kind, Question, Questionnaire, Step, Wording


def _rating(key: str, label, earlier: str, short_label) -> Question:
    """Return a 0 to 10 rating of the appointment, from "Not at all" to "Completely"."""
    return Question(key, Kind.SCALE, label, low_label=_lp("end of a 0 to 10 rating", "Not at all"),
                    high_label=_lp("end of a 0 to 10 rating", "Completely"),
                    short_label=short_label,
                    earlier=(Wording(2, earlier),))


POST_SESSION = Questionnaire(
    key="post_session",
    # 2: ratings ask "how well" rather than a yes/no question on a scale; "judged" says by
    #    whom; "overall" is no longer asked (no rule acted on it alone); two pages, not three.
    version=2,
    title=_l("After today's meeting"),
    staff_title=_l("Post-session feedback"),
    offers_survey=True,
    intro=_l("How did today go? Your answers help your therapist do better."),
    steps=(
        Step(
            "relationship",
            questions=(
                _rating("listened", _l("How well did your therapist listen to you today?"),
                        _l("Did your therapist listen to you?"), _l("Listened")),
                _rating("ideas_respected",
                        _l("How seriously did your therapist take your ideas today?"),
                        _l("Were your ideas taken seriously?"), _l("Ideas taken seriously")),
                _rating("worked_on_what_matters",
                        _l("How much did you work on what matters to you?"),
                        _l("Did you work on what matters to you?"),
                        _l("Worked on what matters")),
                Question(
                    "judged",
                    Kind.SINGLE,
                    _l("Did you feel judged by your therapist today?"),
                    earlier=(Wording(2, _l("Did you feel judged?")),),
                    choices=(
                        Choice("no", _lp("did you feel judged", "No")),
                        Choice("a_little", _lp("did you feel judged", "A little")),
                        Choice("yes", _lp("did you feel judged", "Yes")),
                    ),
                ),
            ),
        ),
        Step(
            "room_and_note",
            questions=(
                room_problems("room_problems"),
                Question(
                    "note",
                    Kind.LONG_TEXT,
                    _l("Anything else you want your therapist to know?"),
                    quoted=True,
                    short_label=_l("Note after an appointment"),
                ),
            ),
        ),
    ),
    retired=(
        Question("overall", Kind.SCALE, _l("Overall, how was today's meeting?"),
                 low_label=_lp("how was the meeting", "Very bad"),
                 high_label=_lp("how was the meeting", "Very good"),
                 short_label=_l("Overall"), retired_in=2),
    ),
)
