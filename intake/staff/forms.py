"""Staff forms."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TimeField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from ..infra import i18n
from ..practice.accounts import languages_read
from ..questionnaires import REGISTRY


def unread_language(therapist, locale: str) -> str | None:
    """Return the name of a client's language when their therapist has not said they read
    it (for a warning before saving); None when they do, or when there is no therapist."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if therapist is None or locale in languages_read(therapist, default):
        return None
    return i18n.language_name(locale)


def language_choices() -> list[SelectChoice]:
    """Return the configured languages as choices, each named for the staff member reading."""
    return [SelectChoice(language.code, i18n.staff_name(language))
            for language in i18n.configured()]


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class CodeForm(FlaskForm):
    """The six-digit code an authenticator app shows."""

    code = StringField(_l("Code from your authenticator app"),
                       validators=[DataRequired(), Length(max=12)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                                  "maxlength": 12, "spellcheck": "false"})

    def refuse(self) -> None:
        """Say the code was not accepted (wrong, stale or already used: the same to a guesser)."""
        self.code.errors.append(_l("This code is not right, or it was already used. Wait for "
                                   "the next code in your app and try again."))


class EnrolForm(CodeForm):
    """The first code from an app that has just scanned its secret (carried, signed)."""

    secret = HiddenField(validators=[DataRequired(), Length(max=400)])


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out is a POST."""


class CheckInForm(FlaskForm):
    """Start a check-in for one client."""

    questionnaire = RadioField(_l("Questionnaire"), validators=[
        DataRequired(message=_l("Please choose a questionnaire."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire.choices = [
            SelectChoice(key, questionnaire.staff_title) for key, questionnaire in REGISTRY.items()
        ]


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class ClientForm(FlaskForm):
    """Add a client, known by a reference rather than a name."""

    reference = StringField(_l("Reference"), validators=[DataRequired(), Length(max=64)],
                            description=_l("A code your practice chooses, not the client's name."))
    therapist = SelectField(_l("Therapist"), validators=[DataRequired()])
    locale = SelectField(_l("Preferred language"))
    # Set once the desk has been told the therapist does not read the client's language.
    language_checked = HiddenField()


class ScheduleForm(FlaskForm):
    """A client's own periodic-survey schedule, or the practice's."""

    mode = RadioField(_l("Periodic survey for this client"), choices=[
        SelectChoice("default", _l("As the practice does")),
        SelectChoice("appointments", _l("Every few appointments")),
        SelectChoice("weeks", _l("Every few weeks")),
        SelectChoice("off", _l("Never")),
    ], validators=[DataRequired()])
    interval = IntegerField(_l("How many appointments or weeks"),
                            validators=[Optional(), NumberRange(min=1, max=52)])

    def validate_interval(self, field) -> None:
        if self.mode.data in ("appointments", "weeks") and not field.data:
            raise ValidationError(_l("Please give a number from 1 to 52."))


class AppointmentForm(FlaskForm):
    """Add or move an appointment: a day and a time on the practice's clock."""

    day = DateField(_l("Day"), validators=[InputRequired()])
    time = TimeField(_l("Time"), validators=[InputRequired()])
    minutes = IntegerField(_l("Length in minutes"),
                           validators=[InputRequired(), NumberRange(min=1, max=720)])
    room = SelectField(_l("Room"), validate_choice=True)
    kind = RadioField(_l("Kind"), choices=[
        SelectChoice("in_person", _l("In person")),
        SelectChoice("video", _l("Video")),
    ], default="in_person", validators=[DataRequired()])

    def set_rooms(self, rooms) -> None:
        self.room.choices = [SelectChoice("", _l("No room")), *(
            SelectChoice(str(room.id), room.name) for room in rooms)]

    def local_start(self) -> datetime:
        return datetime.combine(self.day.data, self.time.data)


class MarkForm(FlaskForm):
    """Mark an appointment attended, a no-show, or scheduled again."""

    state = RadioField(choices=[
        SelectChoice("attended", _l("Attended")),
        SelectChoice("no_show", _l("No-show")),
        SelectChoice("scheduled", _l("Scheduled")),
    ], validators=[DataRequired()])


class EmailLinkForm(FlaskForm):
    """Email a client their intake link: the address is used once and not stored."""

    address = EmailField(_l("Client's email address"), validators=[
        DataRequired(), Length(max=254),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Please type an email address."))],
        description=_l("Used to send this message only; it is not stored."),
        render_kw={"autocomplete": "off", "dir": "ltr", "spellcheck": "false"})
