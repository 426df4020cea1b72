"""Every English message the therapist reads in the brief, marked for translation at render time.

The template translates with `_(message, **params)`; the questionnaires' own `Choice.note`s are
already lazy and are used as they are. Messages are whole sentences, `%(name)s` placeholders only.
"""

from __future__ import annotations

from typing import Protocol


# The gettext_noop convention: the extractor finds N_("...") and the template translates it.
def N_(message: str) -> str:
    """Mark a message for extraction without translating it now."""
    return message


class Lazy(Protocol):
    """A lazily translated message, such as a declaration's `Choice.note`."""

    def __html__(self) -> str: ...


# What the brief holds where a sentence goes: an N_ message (str) or a declaration's lazy note.
Text = str | Lazy


def message_id(text: Text) -> str:
    """Return the untranslated message, so equal notes compare equal in any language."""
    if isinstance(text, str):
        return text
    # flask_babel's LazyString keeps gettext's arguments: the first is the message id. Comparing
    # ids rather than translations keeps the result independent of the request's language.
    args = getattr(text, "_args", None)
    return args[0] if args and isinstance(args[0], str) else str(text)


# First-session findings (intake).
PREFERRED_NOT_TO_SAY = N_("The client preferred not to say.")
NOT_SELF_REFERRED = N_(
    "Not self-referred: explain confidentiality and exactly what is reported to whom, "
    "before anything else."
)
WANTS_TO_BE_HERE = N_("How much the client wants to be here: %(score)s out of %(high)s.")
WORRIED_OTHERS_FIND_OUT = N_(
    "Worried that others could find out what is said here: explain the limits of "
    "confidentiality."
)
PACE_AND_NOT_READY = N_(
    "Wants to set the pace, and may not be ready to discuss some topics yet: do not push."
)
SETS_PACE = N_("Wants to set the pace on difficult topics: do not push.")
NOT_READY = N_("May not be ready to discuss some topics yet: do not push.")
PRIOR_HARMFUL = N_("Previous therapy felt harmful: ask what went wrong, early.")
PRIOR_NOT_HELPFUL = N_("Previous therapy did not help: ask what did not work, early.")
JUDGEMENT_TOPICS = N_("Worried about being judged for some topics: take care there.")
JUDGEMENT_WORRY = N_("Worry about being judged here: %(score)s out of %(high)s.")
FEELINGS_NOT_EASY = N_("Talking about feelings may not come easily: start with concrete topics.")
FIT = N_(
    "Has preferences about their therapist: match them where you can, and consider discussing "
    "fit or a referral if it applies."
)
EXPECTATIONS = N_("Some expectations about therapy to talk through gently.")

# Suggestions that go with the findings.
ASK_WORTHWHILE = N_("What would make coming here worthwhile for you?")
ASK_WHAT_TOLD = N_("What were you told about what happens here?")
EXPLAIN_LIMITS = N_("Explain what stays between you, and the few cases when it does not.")
ASK_WHO_WORRIES = N_("Who are you worried could find out, and what would that mean for you?")
ASK_TOO_MUCH = N_("How will I know when something feels like too much?")
ASK_WHAT_WENT_WRONG = N_("What happened in your previous therapy that made things harder?")
ASK_WHAT_DID_NOT_WORK = N_("What did not work for you in your previous therapy?")
ASK_DIFFERENT_THIS_TIME = N_("What would you like to be different this time?")
ASK_DAY_TO_DAY = N_("What has a usual day been like for you lately?")
ASK_UNDERSTOOD = N_("What would help you feel understood here?")

# Alerts: why each one is raised.
WHY_JUDGED = N_("Felt judged in an appointment.")
WHY_JUDGED_A_LITTLE = N_("Felt a little judged in an appointment.")
WHY_NOT_LISTENED = N_("Rated being listened to at %(score)s out of %(high)s.")
WHY_IDEAS_DISMISSED = N_("Rated how seriously their ideas were taken at %(score)s out of %(high)s.")
WHY_SCORE_DROP = N_("Ratings dropped since the previous appointment.")
WHY_SCORE_LOW = N_("Some ratings after an appointment were low.")
WHY_ROOM_DISCOMFORT = N_("Something in the room was uncomfortable again (%(count)s times so far).")
WHY_STOPPING = N_("Is thinking about stopping therapy.")
WHY_STOPPING_NOT_SURE = N_("Is not sure about continuing therapy.")
WHY_DIFFERENT_THERAPIST = N_("Would prefer a different therapist.")
WHY_DIFFERENT_THERAPIST_NOT_SURE = N_("Is not sure about keeping the same therapist.")
WHY_SILENCE = N_("No answers from the client for %(weeks)s weeks.")

# Alerts: questions the therapist could ask.
ASK_FELT_JUDGED = N_("Was there something I said or did last time that felt judging?")
ASK_ACCEPTED = N_("What would help you feel more accepted here?")
ASK_UNDERSTOOD_LAST_TIME = N_("Did you feel I understood what you were telling me last time?")
ASK_MISSED = N_("Is there something you said that I missed?")
ASK_IDEAS = N_("Which of your ideas would you like us to look at more closely?")
ASK_BRUSHED_ASIDE = N_("Did you feel I brushed something aside last time?")
ASK_COMPARED = N_("How did our last meeting feel compared with the one before?")
ASK_DIFFERENTLY = N_("What could we do differently next time?")
ASK_MORE_USEFUL = N_("What would have made our last meeting more useful for you?")
ASK_ROOM = N_("Is there anything about the room we could change to make it easier to talk?")
ASK_OTHER_ROOM = N_("Would another seat or room suit you better?")
ASK_HOW_GOING = N_("How do you feel therapy is going so far?")
ASK_WORTH_CONTINUING = N_("What would need to change for therapy to feel worth continuing?")
ASK_WORK_TOGETHER = N_("How do you feel our work together is going?")
ASK_ANOTHER_THERAPIST = N_(
    "Would it help to talk about whether another therapist might suit you better?"
)
ASK_SINCE = N_("How have things been since we last heard from you?")
ASK_FEWER_QUESTIONS = N_("Would you like fewer questions between appointments?")
