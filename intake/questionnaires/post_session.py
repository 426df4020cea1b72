"""The post-session feedback: under one minute, after each appointment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .common import room_problems, score
from .model import Choice, Kind, Question, Questionnaire, Step

POST_SESSION = Questionnaire(
    key="post_session",
    version=1,
    title=_l("After today's meeting"),
    staff_title=_l("Post-session feedback"),
    offers_survey=True,
    intro=_l("How did today go? Your answers help your therapist do better."),
    steps=(
        Step(
            "relationship",
            questions=(
                score("listened", _l("Did your therapist listen to you?"),
                      _l("Not at all"), _l("Completely"), short_label=_l("Listened")),
                score("ideas_respected", _l("Were your ideas taken seriously?"),
                      _l("Not at all"), _l("Completely"),
                      short_label=_l("Ideas taken seriously")),
                Question(
                    "judged",
                    Kind.SINGLE,
                    _l("Did you feel judged?"),
                    choices=(
                        Choice("no", _l("No")),
                        Choice("a_little", _l("A little")),
                        Choice("yes", _l("Yes")),
                    ),
                ),
            ),
        ),
        Step(
            "work",
            questions=(
                score("worked_on_what_matters",
                      _l("Did you work on what matters to you?"),
                      _l("Not at all"), _l("Completely"),
                      short_label=_l("Worked on what matters")),
                score("overall", _l("Overall, how was today's meeting?"),
                      _l("Very bad"), _l("Very good"), short_label=_l("Overall")),
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
)
