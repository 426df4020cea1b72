"""Choices and scales that more than one questionnaire asks about."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from .model import Choice, Kind, Question, Room

YES_NO_NOT_SURE = (
    Choice("no", _lp("answer to a yes or no question", "No")),
    Choice("not_sure", _lp("answer to a yes or no question", "Not sure")),
    Choice("yes", _lp("answer to a yes or no question", "Yes")),
)

# What would make the room more comfortable; each note is a line of the prep checklist.
ROOM_WISHES = (
    Choice("white_noise", _l("Some background sound, so no one outside can hear"),
           note=_l("Turn on the white-noise machine.")),
    Choice("warmer", _l("A warmer room"), note=_l("Warm the room before the appointment.")),
    Choice("cooler", _l("A cooler room"), note=_l("Cool the room before the appointment.")),
    Choice("seating", _l("A different chair or seat"),
           note=_l("Offer a choice of seat.")),
    Choice("softer_light", _l("Softer light"), note=_l("Use softer lighting.")),
    Choice("door_closed", _l("The door closed"), note=_l("Keep the door closed.")),
    Choice("near_door", _l("Sitting near the door"),
           note=_l("Let the client sit near the door.")),
    Choice("nothing", _l("Nothing, the room is fine"), exclusive=True),
)

# What was uncomfortable in the room; each note is what to do about it next time.
ROOM_PROBLEMS = (
    Choice("too_cold", _l("It was too cold"), note=_l("Warm the room before the appointment.")),
    Choice("too_warm", _l("It was too warm"), note=_l("Cool the room before the appointment.")),
    Choice("overheard", _l("I worried people outside could hear"),
           note=_l("Turn on the white-noise machine.")),
    Choice("noisy", _l("It was noisy"), note=_l("Check for noise before the appointment.")),
    Choice("seating", _l("The seat was not comfortable"), note=_l("Offer a choice of seat.")),
    Choice("light", _l("The light was too bright or too dark"),
           note=_l("Adjust the lighting.")),
    Choice("decorations", _l("Something in the room bothered me (pictures, books, objects)"),
           note=_l("Look at the room's books and decorations with a fresh eye.")),
    Choice("nothing", _l("Nothing, the room was fine"), exclusive=True),
)


def room_problems(key: str) -> Question:
    """Return the "was anything in the room uncomfortable?" question."""
    return Question(
        key,
        Kind.MULTIPLE,
        _l("Was anything in the room uncomfortable today?"),
        hint=_l("Pick all that apply."),
        choices=ROOM_PROBLEMS,
        room=Room.PROBLEMS,
    )


def score(key: str, label, low_label, high_label, short_label=None) -> Question:
    """Return a 0 to 10 question."""
    return Question(key, Kind.SCALE, label, low_label=low_label, high_label=high_label,
                    short_label=short_label)
