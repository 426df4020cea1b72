"""What staff call each questionnaire, beside the words clients read.

The declarations in intake/questionnaires/ title each questionnaire for the client
("Before today's meeting"); on a list of past check-ins or in a brief those words say
nothing. Staff pages use these names, with the appointment's date where there is one.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STAFF_TITLES = {
    "intake": _l("Intake"),
    "pre_session": _l("Pre-session check-in"),
    "post_session": _l("Post-session feedback"),
    "periodic": _l("Periodic survey"),
}


def staff_title(key: str) -> str:
    """Return a questionnaire's name for staff (its key if it has none)."""
    return str(STAFF_TITLES.get(key, key))
