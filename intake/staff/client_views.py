"""Client pages: add a client, and one client's page with their check-ins."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import _, get_locale
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from ..infra.keeping import with_token, without_token
from ..models import Role, utcnow
from ..practice import appointments, checkins, clients
from ..practice.accounts import languages_read
from ..practice.clients import ClientError
from ..reports import client_brief
from ..reports.trend_charts import trend_charts
from .blueprint import bp, requires, visible_client_or_404
from .forms import (
    ActionForm,
    CheckInForm,
    ClientForm,
    EmailLinkForm,
    ScheduleForm,
    language_choices,
    unread_language,
)
from .kept_pages import CLIENT_PAGE, kept_page


@bp.route("/clients/new", methods=["GET", "POST"])
@requires(Role.FRONTDESK, Role.ADMIN)
def new_client():
    form = ClientForm()
    therapists = clients.therapists()
    form.therapist.choices = [SelectChoice(staff.email, staff.display_name) for staff in therapists]
    form.locale.choices = language_choices()
    if form.validate_on_submit():
        unread = _not_read_by(therapists, form.therapist.data, form.locale.data)
        if unread and not form.language_checked.data:
            # Said before saving: the desk may choose another therapist, or go on.
            form.language_checked.data = "1"
            return render_template("staff/client_new.html", form=form, warning=unread)
        try:
            client = clients.add_client(form.reference.data, form.therapist.data,
                                        form.locale.data, current_app.config["LOCALES"])
        except ClientError:
            form.reference.errors.append(
                _("This reference is already used, or has characters that are not allowed "
                  "(use letters, digits, dots, dashes)."))
        else:
            flash(_("Client added."), "info")
            return redirect(url_for("staff.client", client_id=client.id))
    return render_template("staff/client_new.html", form=form)


def _not_read_by(therapists, therapist_email: str, locale: str) -> str | None:
    """Say so when a therapist has not said they read a client's language (None if they do)."""
    therapist = next((t for t in therapists if t.email == therapist_email), None)
    if (language := unread_language(therapist, locale)) is None:
        return None
    return _("%(therapist)s has not said they read %(language)s: the brief will mark what "
             "this client writes in it. Save again to go on, or choose another therapist.",
             therapist=therapist.display_name, language=language)


READS_ANSWERS = (Role.THERAPIST, Role.ADMIN)
TIMELINE_LIMIT = 12  # the latest responses; the rest on request


@bp.get("/clients/<int:client_id>")
def client(client_id: int):
    if not clients.is_visible(current_user, client_id):
        abort(404)
    # The front desk sees check-ins, never answers.
    reads_answers = current_user.has_role(*READS_ANSWERS)
    page = kept_page(CLIENT_PAGE, "staff/client.html",
                     lambda: _client_page(client_id, reads_answers))
    if reads_answers:
        # Last, once the page is made; no record, no page.
        client_brief.record_view(current_user.id, client_id, utcnow())
    return page


def client_page_with(client_id: int, form: CheckInForm, **forms) -> str:
    """Render a client's page afresh with a form that has errors to show."""
    reads_answers = current_user.has_role(*READS_ANSWERS)
    page = render_template("staff/client.html",
                           **{**_client_page(client_id, reads_answers), "form": form, **forms})
    if reads_answers:
        client_brief.record_view(current_user.id, client_id, utcnow())
    return page


def _client_page(client_id: int, reads_answers: bool) -> dict:
    found = visible_client_or_404(client_id)
    return {
        "client": found,
        "brief_html": _brief_html(found, request.args.get("timeline") == "all")
        if reads_answers else None,
        "check_ins": checkins.for_client(found.id),
        "appointments": appointments.upcoming_for_client(found.id, utcnow()),
        "schedule_form": _schedule_form(found) if reads_answers else None,
        "form": CheckInForm(),
        "action": ActionForm(),
        # Offered only when the practice can send mail, and to the desk.
        "email_form": _email_form(found.id) if current_app.config.get("SMTP_URL")
        and current_user.has_role(Role.FRONTDESK, Role.ADMIN) else None,
        "now": utcnow(),
    }


def _brief_html(found, full: bool) -> Markup:
    """Render the brief once per language and brief (it outlives the page around it)."""
    kept = client_brief.cached_brief(found, client_brief.audience_of(current_user), utcnow())
    locale = str(get_locale())
    # What the reader cannot read is marked: the brief differs by the languages they read.
    reads = languages_read(current_user, current_app.config["BABEL_DEFAULT_LOCALE"])
    key = f"html:{locale}:{full}:{','.join(sorted(reads))}"
    html = kept.drawing(key, lambda brief: without_token(render_template(
        "staff/_brief.html", brief=brief, client=found, can_acknowledge=True,
        charts=kept.drawing(f"charts:{locale}", trend_charts), full_timeline=full,
        timeline_limit=TIMELINE_LIMIT, reads=reads)))
    # Our own template, escaped as it was rendered: safe to mark as such.
    return Markup(with_token(html))  # noqa: S704


def _email_form(client_id: int) -> EmailLinkForm:
    """The form to email the intake link, with the address the practice kept, if any."""
    return EmailLinkForm(formdata=None, data={"address": clients.email_of(client_id) or ""})


def _schedule_form(found) -> ScheduleForm:
    mode = found.survey_mode or "default"
    return ScheduleForm(formdata=None, data={"mode": mode, "interval": found.survey_interval})


@bp.post("/clients/<int:client_id>/alerts")
@requires(*READS_ANSWERS)
def acknowledge_alert(client_id: int):
    found = visible_client_or_404(client_id)
    if ActionForm().validate_on_submit():
        # One card may hold several alerts raised by the same response: all are seen at once.
        keys = [key[:128] for key in request.form.getlist("key")[:20]]
        client_brief.acknowledge(current_user, found, keys)
    return redirect(url_for("staff.client", client_id=found.id, _anchor="alerts"))
