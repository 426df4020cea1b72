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
MANDATED = N_(
    "Sent by a court or social services: explain exactly what is reported to them, and "
    "what is not, before anything else."
)
PRIOR_HARMFUL = N_(
    "Previous therapy made things worse: let the client decide if and when to talk about "
    "it, and ask early what to avoid."
)
PRIOR_NOT_HELPFUL = N_("Previous therapy did not help: ask what did not work, early.")
JUDGEMENT_TOPICS = N_(
    "Worried about being judged for some topics: when one comes up, stay curious and calm, "
    "keep your face and words neutral, and let the client choose how much to say."
)
JUDGEMENT_WORRY = N_("Worry about being judged here: %(score)s out of %(high)s.")
FEELINGS_NOT_EASY = N_("Talking about feelings may not come easily: start with concrete topics.")
FIT = N_(
    "Has preferences about their therapist: match them where you can, and consider discussing "
    "fit or a referral if it applies."
)
EXPECTATIONS = N_("Some expectations about therapy to talk through gently.")
EXPECTS_FEW_MEETINGS = N_(
    "Expects one to three meetings: clients who expect few meetings often stop early. Agree "
    "early on how many meetings to try, and make the first ones count."
)
BOOK_INTERPRETER = N_("Wants an interpreter: book one before the first appointment.")
USE_NAME_AND_LANGUAGE = N_("Use the name, pronouns and language the client gave.")
PRACTICAL_BARRIERS = N_(
    "Practical matters could stop the client coming: sort them out at the first appointment."
)
ACCESS_NEEDS = N_("Has access needs: arrange them before the first appointment.")
CONTACT_ONLY_THIS_WAY = N_("After a missed appointment, contact the client only this way.")
DO_NOT_CONTACT = N_("The client asked not to be contacted after a missed appointment.")
BUILD_ON_WHAT_HELPED = N_("Something has helped the client before: build on it.")

# Suggestions that go with the findings.
ASK_WORTHWHILE = N_("What would make coming here worthwhile for you?")
ASK_WHAT_TOLD = N_("What were you told about what happens here?")
EXPLAIN_LIMITS = N_("Explain what stays between you, and the few cases when it does not.")
ASK_WHO_WORRIES = N_("Who are you worried could find out, and what would that mean for you?")
ASK_TOO_MUCH = N_("How will I know when something feels like too much?")
EXPLAIN_REPORTED = N_("Explain what you will report, to whom, and what stays between you.")
ASK_WHAT_TO_AVOID = N_("Is there anything from your last therapy that you want me to avoid?")
ASK_AFTER_FEW_MEETINGS = N_("What would you like to be different after our first few meetings?")
ASK_HOW_MANY_TO_TRY = N_("How many meetings shall we try before we look at how it is going?")
ASK_MORE_OF_WHAT_HELPED = N_("How could we do more of what helped you before?")
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
WHY_SCORE_SLIDE = N_(
    "Ratings have gone down a little at each of the last three appointments."
)
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
THANK_STOPPING = N_(
    "Thank you for telling me you are thinking about stopping. It helps me to know."
)
ASK_WHAT_NOT_WORKING = N_(
    "What is not working for you, or what is missing? I would like to hear it."
)
OFFER_GOOD_ENDING = N_(
    "If stopping is right for you, we can plan a good ending together, or I can help you "
    "find other support."
)
THANK_DIFFERENT_THERAPIST = N_(
    "Thank you for being open about this. It is not easy to say, and it is fine."
)
ASK_BETTER_FIT = N_("What would a therapist who suits you better be like?")
OFFER_REFERRAL = N_(
    "If you would like to change, I will help you find someone who fits you better."
)
ASK_SINCE = N_("How have things been since we last heard from you?")
ASK_WHAT_GETS_IN_THE_WAY = N_("Has anything made it harder to come, or to answer, lately?")
