"""Exports and the client's rights: the admin's exports, one client's export, erasing a client.

The admin exports everything (and reads it as the practice coordinator); a therapist exports
only their own clients, without the answers meant for the coordinator only; the front desk,
which never sees answers, gets a 404 here as everywhere answers are.
"""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import _, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..infra import key_rotation
from ..models import Client, Role
from ..practice import erasure
from ..reports import client_brief, exports, fhir_questionnaire, fhir_response
from .blueprint import bp, requires, visible_client_or_404
from .forms import language_choices


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ExportForm(FlaskForm):
    """Choose the file format, the language of the labels and, if wanted, a period."""

    format = RadioField(_l("Format"), default="csv", validators=[InputRequired()], choices=[
        SelectChoice("csv", _l("CSV, for spreadsheets")),
        SelectChoice("json", _l("JSON, for other software")),
        SelectChoice("fhir", _l("FHIR R4 NDJSON, for a health record system")),
    ])
    locale = SelectField(_l("Language of the labels"), validators=[DataRequired()],
                         description=_l("Questions and answers are labelled in this language. "
                                        "Free text stays as the client wrote it."))
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices()

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date must be on or after the start date."))

    def period(self) -> exports.Period:
        return exports.Period(since=self.since.data, until=self.until.data)


class EraseForm(FlaskForm):
    """Type the client's reference to confirm an erasure."""

    reference = StringField(
        _l("Type the client's reference to confirm"), filters=[_strip],
        validators=[DataRequired(), Length(max=Client.reference.type.length)],
        render_kw={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false",
                   "dir": "ltr"})


def _download(export: exports.Export) -> Response:
    """Stream a file to save, never to display, and never to keep in a cache."""
    response = current_app.response_class(stream_with_context(export.chunks),
                                          mimetype=export.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/exports", methods=["GET", "POST"])
@requires(Role.ADMIN)
def admin_exports():
    form = ExportForm(locale=str(get_locale()))
    if form.validate_on_submit():
        key_rotation.require_every_key()  # before the audit event and the first byte
        if form.format.data == "fhir":
            return _download(fhir_response.export_responses(
                current_user.id, fhir_questionnaire.base_url(), form.period()))
        return _download(exports.export_responses(
            current_user.id, form.format.data, form.locale.data, form.period()))
    return render_template("staff/exports/index.html", form=form)


@bp.post("/clients/<int:client_id>/export")
@requires(Role.THERAPIST, Role.ADMIN)
def client_export(client_id: int):
    # A POST with the CSRF token (checked before any view): a link or an image on another
    # site, followed with the staff cookie, cannot download a client's answers.
    found = visible_client_or_404(client_id)
    file_format = request.form.get("format", "csv")
    if file_format not in (*exports.FORMATS, "fhir"):
        abort(400)
    key_rotation.require_every_key()  # before the audit event and the first byte
    if file_format == "fhir":
        return _download(fhir_response.export_client(
            current_user.id, fhir_questionnaire.base_url(), found.id,
            found.reference, client_brief.audience_of(current_user)))
    # Labels in the reader's language: the one their pages are in.
    return _download(exports.export_client(
        current_user.id, found.id, found.reference, client_brief.audience_of(current_user),
        file_format, str(get_locale())))


@bp.route("/clients/<int:client_id>/erase", methods=["GET", "POST"])
@requires(Role.ADMIN)
def admin_erase_client(client_id: int):
    found = visible_client_or_404(client_id)
    form = EraseForm()
    if form.validate_on_submit():
        try:
            erasure.erase_client(current_user.id, found.id, form.reference.data)
        except erasure.NotFound:
            abort(404)
        except erasure.WrongReference:
            form.reference.errors.append(
                _("This is not the client's reference, so nothing was erased. "
                  "Check it and type it again."))
        else:
            # Never the reference: flashed messages travel in the session cookie.
            flash(_("The client and everything about them were erased."), "info")
            return redirect(url_for("staff.dashboard"))
    return render_template("staff/exports/erase.html", client=found, form=form,
                           summary=erasure.summary(found.id))
