"""The pre-session check-in: under two minutes, before each appointment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from .common import ROOM_WISHES, score
from .model import Kind, Question, Questionnaire, Room, Step

PRE_SESSION = Questionnaire(
    key="pre_session",
    version=1,
    title=_l("Before today's meeting"),
    staff_title=_l("Pre-session check-in"),
    intro=_l("Three short questions. Skip anything you like."),
    steps=(
        Step(
            "today",
            questions=(
                score(
                    "feeling_today",
                    _l("How are you feeling today?"),
                    _lp("how are you feeling", "Very bad"),
                    _lp("how are you feeling", "Very good"),
                ),
            ),
        ),
        Step(
            "topics",
            questions=(
                Question(
                    "talk_about",
                    Kind.LONG_TEXT,
                    _l("What would you like to talk about today?"),
                    quoted=True,
                    short_label=_l("Wants to talk about"),
                ),
                Question(
                    "hard_to_say",
                    Kind.LONG_TEXT,
                    _l("Is there something that was hard to say last time?"),
                    hint=_l("You can write it here if it is easier than saying it."),
                    quoted=True,
                    short_label=_l("Was hard to say last time"),
                ),
            ),
        ),
        Step(
            "room",
            questions=(
                Question(
                    "room_wishes",
                    Kind.MULTIPLE,
                    _l("Is there anything about the room we could change today?"),
                    hint=_l("Pick all that apply."),
                    choices=ROOM_WISHES,
                    room=Room.WISHES,
                ),
            ),
        ),
    ),
)
