"""The intake questionnaire, filled once before the first appointment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from .common import ROOM_WISHES, YES_NO_NOT_SURE
from .model import Choice, Condition, Kind, Question, Questionnaire, Room, Step, Wording

EXPECTATIONS = Step(
    "expectations",
    title=_l("What you expect"),
    questions=(
        Question(
            "expected_length",
            Kind.SINGLE,
            _l("How many meetings do you think you will need?"),
            choices=(
                Choice("few", _l("One to three")),
                Choice("several", _l("About five to ten")),
                Choice("many", _l("More than ten")),
                Choice("not_sure", _lp("answer when unsure", "I don't know")),
            ),
        ),
        Question(
            "expected_role",
            Kind.SINGLE,
            _l("What do you think your therapist will mostly do?"),
            choices=(
                Choice("listen", _l("Listen and help me understand things")),
                Choice("skills", _l("Teach me ways to cope")),
                Choice("advice", _l("Tell me what to do"),
                       note=_l("Say that you will work things out together, and that "
                               "the client stays in charge of their own choices.")),
                Choice("medicine", _l("Give me medicine"),
                       note=_l("Explain what therapy offers, and who to ask "
                               "about medicine if they want to.")),
                Choice("not_sure", _lp("answer when unsure", "I don't know")),
            ),
        ),
    ),
)

BELIEFS = Step(
    "beliefs",
    title=_l("What you have heard about therapy"),
    questions=(
        Question(
            "beliefs",
            Kind.MULTIPLE,
            _l("Do any of these worry you?"),
            hint=_l("Pick any that worry you."),
            # Version 1 read like a quiz, with right and wrong answers.
            earlier=(Wording(2, _l("Which of these do you think are true?"),
                             _l("Pick all that you believe. There are no wrong answers.")),),
            choices=(
                Choice("told_what_to_do", _l("The therapist will tell me what to do."),
                       note=_l("We will work this out together. You decide what "
                               "is right for you.")),
                Choice("shared_with_family", _l("What I say will be told to my family."),
                       note=_l("What you say here stays between us, except in a "
                               "few cases that I will explain now.")),
                Choice("only_serious", _l("Therapy is only for people with very big "
                                          "problems."),
                       note=_l("Many people come here about everyday things. "
                               "You are in the right place.")),
                Choice("quick_fix", _l("One or two meetings will fix everything."),
                       note=_l("Change usually takes a few meetings. Let's agree "
                               "when we will look at how it is going.")),
                Choice("must_tell_everything", _l("I will have to talk about everything, "
                                                  "even if I am not ready."),
                       note=_l("You set the pace. You can always say: not yet.")),
                Choice("will_be_judged", _l("The therapist will judge me."),
                       note=_l("I am not here to judge you. I am here to "
                               "understand.")),
                Choice("none", _l("None of these"), exclusive=True),
            ),
        ),
    ),
)

COMING = Step(
    "coming",
    title=_l("Coming here"),
    questions=(
        Question(
            "whose_idea",
            # Single choice before version 3: "Mine" ruled out "My partner". Old rows read as a
            # list of one.
            Kind.MULTIPLE,
            _l("Whose idea was it for you to come here?"),
            hint=_l("Pick all that apply."),
            earlier=(Wording(3, _l("Whose idea was it for you to come here?")),),
            choices=(
                Choice("self", _lp("whose idea it was to come", "Mine")),
                Choice("partner", _l("My partner")),
                Choice("family", _l("My parent or family")),
                Choice("doctor", _l("A doctor")),
                Choice("court", _l("A court or probation officer")),
                Choice("social_services", _l("Child protection or social services"), since=2),
                Choice("employer", _l("My employer")),
                Choice("school", _l("My school")),
                Choice("other", _l("Someone else")),
            ),
        ),
        Question(
            "wants_to_be_here",
            Kind.SCALE,
            _l("How much do you want to be here?"),
            low_label=_lp("how much do you want to be here", "Not at all"),
            high_label=_lp("how much do you want to be here", "Very much"),
        ),
    ),
)

PRIVACY = Step(
    "privacy",
    title=_l("Privacy"),
    questions=(
        Question(
            "worried_could_find_out",
            Kind.MULTIPLE,
            _l("Are you worried that someone could find out what you say here?"),
            hint=_l("Pick all that apply."),
            choices=(
                Choice("partner_family", _l("My partner or family")),
                Choice("parents", _l("My parents")),
                Choice("court", _l("A court or probation officer")),
                Choice("employer_school", _l("My employer or school")),
                Choice("insurer", _l("An insurance company")),
                Choice("overheard", _l("People in the waiting room or the next room")),
                Choice("nobody", _l("No, I am not worried about this"), exclusive=True),
            ),
        ),
    ),
)

PACE = Step(
    "pace",
    title=_l("Going at your pace"),
    questions=(
        Question(
            "not_ready_topics",
            Kind.SINGLE,
            _l("Is there anything you are not ready to talk about yet?"),
            hint=_l("You don't need to say what it is."),
            choices=YES_NO_NOT_SURE,
        ),
        Question(
            "set_pace",
            Kind.SINGLE,
            _l("Would you like to decide how fast we go with hard topics?"),
            choices=(
                Choice("yes", _l("Yes, I want to set the pace")),
                Choice("no_preference", _l("I don't mind")),
            ),
        ),
    ),
)

PRIOR = Step(
    "prior_therapy",
    title=_l("Therapy before"),
    questions=(
        Question(
            "prior_therapy",
            Kind.SINGLE,
            _l("Have you been to therapy before?"),
            choices=(
                Choice("none", _l("No, this is my first time")),
                Choice("helpful", _l("Yes, and it helped")),
                Choice("not_helpful", _l("Yes, but it did not help")),
                # Translators: earlier therapy harmed the client; keep it as strong as the English.
                Choice("harmful", _l("Yes, and it made things worse")),
            ),
        ),
        Question(
            "what_helped",
            Kind.SHORT_TEXT,
            _l("What has helped you before, in therapy or in life?"),
            hint=_l("For example a person, a habit or something you did."),
            short_label=_l("What helped before"),
            since=3,
        ),
    ),
)

PRIOR_DETAIL = Step(
    "prior_detail",
    title=_l("Therapy before"),
    show_if=Condition("prior_therapy", frozenset({"not_helpful", "harmful"})),
    questions=(
        Question(
            "prior_what_did_not_work",
            Kind.LONG_TEXT,
            _l("What did not work for you last time?"),
            # Also asked after "it made things worse": a few words are enough, no details.
            hint=_l("A few words are enough. You don't need to say what happened."),
            earlier=(Wording(3, _l("What did not work for you last time?"),
                             _l("This helps us not repeat it.")),),
        ),
    ),
)

JUDGEMENT = Step(
    "judgement",
    title=_l("Feeling judged"),
    questions=(
        Question(
            "judgement_worry",
            Kind.SCALE,
            _l("How worried are you about being judged here?"),
            high=4,
            low_label=_lp("worry about being judged", "Not worried"),
            high_label=_lp("worry about being judged", "Very worried"),
        ),
        Question(
            "judgement_topics",
            Kind.MULTIPLE,
            _l("Are there topics you worry about being judged for?"),
            hint=_l("Pick any. You don't have to talk about them."),
            choices=(
                Choice("thoughts", _l("My thoughts or feelings")),
                Choice("past", _l("Things in my past")),
                # Translators: sexual orientation; a neutral, respectful word.
                Choice("sexuality", _l("My sexuality")),
                # Translators: gender identity, not sex; a neutral word.
                Choice("gender", _l("My gender")),
                Choice("religion", _l("My religion or beliefs")),
                # Translators: alcohol or other substances; neutral, never "addict" or "abuse".
                Choice("substances", _l("Drinking or drugs")),
                Choice("relationships", _l("My relationships or family")),
                Choice("money_work", _l("Money or work")),
                Choice("body_health", _l("My body or health")),
                Choice("other", _l("Something else")),
            ),
        ),
    ),
)

FEELINGS = Step(
    "feelings",
    title=_l("Talking about feelings"),
    questions=(
        Question(
            "feelings_comfort",
            Kind.SCALE,
            _l("How easy is it for you to talk about your feelings?"),
            high=4,
            low_label=_lp("talking about feelings", "Very hard"),
            high_label=_lp("talking about feelings", "Very easy"),
        ),
        Question(
            "feelings_culture",
            Kind.SINGLE,
            _l("Where you grew up, do people talk about feelings with someone outside "
               "the family?"),
            # Version 2 mixed family and culture, and ended in an ellipsis.
            earlier=(Wording(3, _l("In your family or culture, is talking about feelings "
                                   "with someone outside the family...")),),
            choices=(
                Choice("encouraged", _l("Yes, that is usual"),
                       earlier=(Wording(3, _l("Encouraged")),)),
                Choice("neutral", _l("Some do, some don't"),
                       earlier=(Wording(3, _l("Neither good nor bad")),)),
                Choice("discouraged", _l("No, it is not done"),
                       earlier=(Wording(3, _l("Not done, or seen as wrong")),)),
                Choice("not_sure", _lp("answer when unsure", "I don't know")),
            ),
        ),
    ),
)

THERAPIST_FIT = Step(
    "therapist_fit",
    title=_l("Your therapist"),
    questions=(
        Question(
            "background_matters",
            Kind.MULTIPLE,
            _l("Does anything about your therapist's background matter to you?"),
            hint=_l("Pick all that apply."),
            choices=(
                # Translators: the therapist's gender (a woman, a man or another); neutral.
                Choice("gender", _l("Their gender")),
                Choice("age", _l("Their age")),
                Choice("religion", _l("Their religion or faith")),
                Choice("culture", _l("Their culture or where they come from")),
                Choice("language", _l("The language they speak")),
                Choice("lgbtq", _l("That they understand LGBTQ+ lives")),
                Choice("politics", _l("Their political views")),
                Choice("nothing", _l("No, none of this matters to me"), exclusive=True),
            ),
        ),
        Question(
            "values_to_respect",
            Kind.SHORT_TEXT,
            _l("Are there values or beliefs you want your therapist to respect?"),
        ),
    ),
)

ABOUT_YOU = Step(
    "about_you",
    title=_l("About you"),
    questions=(
        Question(
            "name_pronouns",
            Kind.SHORT_TEXT,
            _l("What name and pronouns should we use for you?"),
            hint=_l("For example: Sam, they/them. You can leave this empty."),
            max_length=80,
            short_label=_l("Name and pronouns"),
            since=3,
        ),
        Question(
            "meeting_language",
            Kind.SHORT_TEXT,
            _l("Which language do you want to use in your meetings?"),
            max_length=60,
            short_label=_l("Language for meetings"),
            since=3,
        ),
        Question(
            "interpreter",
            Kind.YES_NO,
            _l("Would you like an interpreter?"),
            since=3,
        ),
    ),
)

PRACTICAL = Step(
    "practical",
    title=_l("Getting here"),
    questions=(
        Question(
            "barriers",
            Kind.MULTIPLE,
            _l("Could anything make it hard to come to your meetings?"),
            hint=_l("Pick all that apply."),
            since=3,
            choices=(
                Choice("cost", _l("The cost, or my insurance"),
                       note=_l("Talk about fees and insurance at the first meeting.")),
                Choice("times", _l("The times of the meetings"),
                       note=_l("Ask which times suit the client.")),
                Choice("travel", _l("Getting here"),
                       note=_l("Ask about travel, and offer video meetings if you can.")),
                Choice("care", _l("Looking after children or others"),
                       note=_l("Ask about caring for others, and be flexible with times.")),
                Choice("prefer_video", _l("I would rather meet by video"),
                       note=_l("Offer video meetings if you can.")),
                Choice("prefer_in_person", _l("I would rather meet in person"),
                       note=_l("Offer meetings in person.")),
                Choice("nothing", _l("No, nothing"), exclusive=True),
            ),
        ),
        Question(
            "access_needs",
            Kind.MULTIPLE,
            _l("Do you need anything to take part more easily?"),
            hint=_l("Pick all that apply."),
            since=3,
            choices=(
                Choice("step_free", _l("A way in without stairs"),
                       note=_l("Book a room without stairs.")),
                Choice("hearing", _l("Help with hearing"),
                       note=_l("Ask what helps with hearing, and keep the room quiet.")),
                Choice("sign_language", _l("A sign language interpreter"),
                       note=_l("Book a sign language interpreter.")),
                Choice("reading", _l("Help with reading or writing"),
                       note=_l("Offer to read questions aloud, and keep papers short.")),
                Choice("seeing", _l("Help with seeing"),
                       note=_l("Offer large print, and describe the room.")),
                Choice("breaks", _l("Breaks, or time to move around"),
                       note=_l("Agree on breaks at the start.")),
                Choice("nothing", _l("No, nothing"), exclusive=True),
            ),
        ),
        Question(
            "safe_contact",
            Kind.SINGLE,
            _l("If you miss a meeting, how can we contact you safely?"),
            hint=_l("We will only say that we are from the practice."),
            since=3,
            choices=(
                Choice("phone", _l("A phone call")),
                Choice("text", _l("A text message")),
                Choice("email", _l("An email")),
                Choice("none", _l("Please don't contact me")),
            ),
        ),
    ),
)

ROOM = Step(
    "room",
    title=_l("The room"),
    questions=(
        Question(
            "room_wishes",
            Kind.MULTIPLE,
            _l("What would make the room more comfortable for you?"),
            hint=_l("Pick all that apply."),
            choices=ROOM_WISHES,
            room=Room.WISHES,
        ),
    ),
)

GOALS = Step(
    "goals",
    title=_l("Your goals"),
    questions=(
        Question(
            "goal_1",
            Kind.SHORT_TEXT,
            _l("What would you like to change or get from coming here?"),
            hint=_l("In your own words. You can write up to three goals."),
            states_goal=1, quoted=True, short_label=_l("Goal"),
        ),
        Question("goal_2", Kind.SHORT_TEXT, _l("A second goal (if you have one)"),
                 states_goal=2, quoted=True, short_label=_l("Goal")),
        Question("goal_3", Kind.SHORT_TEXT, _l("A third goal (if you have one)"),
                 states_goal=3, quoted=True, short_label=_l("Goal")),
    ),
)

INTAKE = Questionnaire(
    key="intake",
    # 2: "beliefs" asks what worries the client; "whose_idea" offers social services.
    # 3: "whose_idea" takes several answers; clearer "feelings_culture" and
    #    "prior_what_did_not_work"; name and pronouns, language and interpreter, practical
    #    barriers, access needs, a safe way to contact, and what helped before.
    version=3,
    title=_l("Before your first meeting"),
    staff_title=_l("Intake"),
    intro=_l("A few questions to help your therapist get ready for you. "
             "Skip anything you like."),
    steps=(
        EXPECTATIONS,
        BELIEFS,
        GOALS,
        ABOUT_YOU,
        COMING,
        PRACTICAL,
        PRIVACY,
        PACE,
        PRIOR,
        PRIOR_DETAIL,
        JUDGEMENT,
        FEELINGS,
        THERAPIST_FIT,
        ROOM,
    ),
)
