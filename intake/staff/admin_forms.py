"""The admin's forms: practice settings, staff accounts, rooms, reassigning a client."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..models import Role
from ..practice import admin, clients, rooms
from ..practice.accounts import is_acceptable_email
from .forms import language_choices

TOO_LONG = _l("Use at most %(max)d characters.")
OUT_OF_RANGE = _l("Enter a whole number from %(min)d to %(max)d.")

ROLE_CHOICES = [
    SelectChoice(Role.THERAPIST.value, _l("Therapist")),
    SelectChoice(Role.FRONTDESK.value, _l("Front desk")),
    SelectChoice(Role.ADMIN.value, _l("Administrator")),
]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _one_line(form, field) -> None:
    """Refuse line breaks, tabs, NUL and other control characters in a one-line field."""
    if field.data and admin.has_control_characters(field.data):
        raise ValidationError(_l("Use one line of text, without tabs or control characters."))


def _number(label, low: int, high: int, description) -> IntegerField:
    return IntegerField(label, validators=[InputRequired(), NumberRange(low, high, OUT_OF_RANGE)],
                        description=description, render_kw={"min": low, "max": high})


class PracticeForm(FlaskForm):
    """The practice's name, help numbers, language, survey schedule and alert thresholds."""

    name = StringField(_l("Practice name"), filters=[_strip], validators=[
        DataRequired(), Length(max=admin.PRACTICE_NAME_MAX, message=TOO_LONG), _one_line])
    crisis_line = StringField(
        _l("Crisis line"), filters=[_strip],
        validators=[Length(max=admin.CRISIS_LINE_MAX, message=TOO_LONG), _one_line],
        description=_l("Shown to clients on the tablet, with the emergency number."))
    emergency_number = StringField(
        _l("Emergency number"), filters=[_strip],
        validators=[Length(max=admin.EMERGENCY_NUMBER_MAX, message=TOO_LONG), _one_line])
    default_locale = SelectField(_l("Default language"), validators=[DataRequired()])
    survey_mode = RadioField(_l("Periodic survey"), validators=[InputRequired()], choices=[
        SelectChoice("off", _l("Off")),
        SelectChoice("appointments", _l("Every few appointments")),
        SelectChoice("weeks", _l("Every few weeks")),
    ])
    survey_interval = IntegerField(
        _l("How often"),
        description=_l("The number of appointments or weeks between two surveys, "
                       "from 1 to 52. Each client can have their own schedule."),
        render_kw={"min": 1, "max": 52})
    alert_score_drop = _number(
        _l("Alert when a rating falls by"), *admin.RANGES["alert_score_drop"],
        _l("Points a post-session rating must fall since the previous one, from 1 to 10."))
    alert_alliance_floor = _number(
        _l("Low rating for listening and ideas"), *admin.RANGES["alert_alliance_floor"],
        _l("\u201cListened\u201d or \u201cideas taken seriously\u201d at or below this raises "
           "an alert, from 0 to 10. These ratings are usually near the top."))
    alert_score_floor = _number(
        _l("Low rating"), *admin.RANGES["alert_score_floor"],
        _l("Any other post-session rating at or below this raises an alert, from 0 to 10."))
    alert_silence_weeks = _number(
        _l("Alert after weeks without a response"), *admin.RANGES["alert_silence_weeks"],
        _l("Weeks without any response from a client, from 1 to 52."))
    timezone = StringField(
        _l("Time zone"), filters=[_strip], validators=[Length(max=64, message=TOO_LONG)],
        description=_l("Where appointment times are typed and shown: a name such as "
                       "Europe/Madrid or America/New_York. Empty: the server's setting."),
        render_kw={"dir": "ltr", "spellcheck": "false"})
    appointment_minutes = _number(
        _l("Usual appointment length in minutes"), *admin.RANGES["appointment_minutes"],
        _l("Used when an appointment is added without a length, from 5 to 720."))
    require_two_factor = BooleanField(
        _l("Every staff member signs in with a code from an authenticator app"),
        description=_l("Anyone who has not set it up yet is asked to, right after they "
                       "log in, before any other page."))
    keep_client_email = BooleanField(
        _l("Keep a client's email address when the desk emails them their link"),
        description=_l("Off, the address is used once and not kept. On, it is kept sealed "
                       "for the next time; turning it off forgets every kept address."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_locale.choices = language_choices()

    def validate_survey_interval(self, field) -> None:
        # Needed only when a schedule is on; ignored (even if it is not a number) when off.
        low, high = admin.RANGES["survey_interval"]
        if self.survey_mode.data not in ("appointments", "weeks"):
            field.errors[:] = []
            field.data = None
            raise StopValidation()
        if field.data is None or not low <= field.data <= high:
            field.errors[:] = []
            raise StopValidation(OUT_OF_RANGE % {"min": low, "max": high})

    def validate_timezone(self, field) -> None:
        if field.data and not admin.is_time_zone(field.data):
            raise ValidationError(_l("This is not a time zone name. Write it like "
                                     "Europe/Madrid."))

    def settings(self) -> admin.PracticeSettings:
        """Return what was typed, as settings to save."""
        return admin.PracticeSettings(
            name=self.name.data, crisis_line=self.crisis_line.data or "",
            emergency_number=self.emergency_number.data or "",
            default_locale=self.default_locale.data, survey_mode=self.survey_mode.data,
            survey_interval=self.survey_interval.data,
            alert_score_drop=self.alert_score_drop.data,
            alert_alliance_floor=self.alert_alliance_floor.data,
            alert_score_floor=self.alert_score_floor.data,
            alert_silence_weeks=self.alert_silence_weeks.data,
            require_two_factor=bool(self.require_two_factor.data),
            keep_client_email=bool(self.keep_client_email.data),
            timezone=self.timezone.data or "",
            appointment_minutes=self.appointment_minutes.data,
        )


def _password(label) -> PasswordField:
    return PasswordField(label, validators=[
        DataRequired(),
        Length(min=admin.PASSWORD_MIN, message=_l("Use at least %(min)d characters.")),
        Length(max=admin.PASSWORD_MAX, message=TOO_LONG),
    ], description=_l("At least 10 characters. Give it to the person face to face, "
                      "not by email."),
        render_kw={"autocomplete": "new-password", "dir": "ltr"})


NOT_AN_EMAIL = _l("Enter an email address, like name@example.org.")


def _acceptable_email(form, field) -> None:
    # Control, format (bidi) and space characters: refused as accounts.create_staff does.
    if field.data and not is_acceptable_email(field.data):
        raise ValidationError(NOT_AN_EMAIL)


class StaffForm(FlaskForm):
    """Add a staff account."""

    email = EmailField(_l("Email"), filters=[_strip], validators=[
        DataRequired(), Length(max=admin.STAFF_EMAIL_MAX, message=TOO_LONG),
        Regexp(r"^[^@\s]+@[^@\s]+$", message=NOT_AN_EMAIL), _acceptable_email,
    ], render_kw={"autocomplete": "off", "dir": "ltr"})
    name = StringField(_l("Name"), filters=[_strip], validators=[
        Length(max=admin.STAFF_NAME_MAX, message=TOO_LONG), _one_line])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validators=[DataRequired()])
    locale = SelectField(_l("Language"))
    password = _password(_l("Password"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = [
            SelectChoice("", _l("The browser's language")), *language_choices()]


class StaffDetailsForm(FlaskForm):
    """Change an account's email, name and language."""

    email = StaffForm.email
    name = StaffForm.name
    locale = SelectField(_l("Language"))
    reads = SelectMultipleField(
        _l("Languages they read clients' words in"),
        description=_l("Their pages' language always counts. The brief marks what a client "
                       "wrote in any other language."),
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = [
            SelectChoice("", _l("The browser's language")), *language_choices()]
        self.reads.choices = list(language_choices())


class MoveClientsForm(FlaskForm):
    """Give all of a therapist's clients to another therapist."""

    therapist = SelectField(_l("Give them all to"), coerce=int, validators=[DataRequired()])

    def __init__(self, leaving_id: int, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.therapist.choices = [
            SelectChoice(str(staff.id), staff.display_name) for staff in clients.therapists()
            if staff.id != leaving_id
        ]


class RoleForm(FlaskForm):
    """Give a staff account another role."""

    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validators=[DataRequired()])


class PasswordForm(FlaskForm):
    """Set a new password for a staff account."""

    password = _password(_l("New password"))


class RoomForm(FlaskForm):
    """Add or rename a room."""

    name = StringField(_l("Room name"), filters=[_strip], validators=[
        DataRequired(), Length(max=rooms.ROOM_NAME_MAX, message=TOO_LONG), _one_line])


class ReassignForm(FlaskForm):
    """Choose a client's new therapist among the enabled therapists."""

    therapist = SelectField(_l("Therapist"), coerce=int, validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.therapist.choices = [
            SelectChoice(str(staff.id), staff.display_name) for staff in clients.therapists()
        ]
