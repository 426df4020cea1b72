"""Client pages: add a client, and one client's page with their check-ins."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import checkins, clients, i18n
from ..clients import ClientError
from ..models import Role, utcnow
from .blueprint import bp, requires
from .forms import ActionForm, CheckInForm, ClientForm


@bp.route("/clients/new", methods=["GET", "POST"])
@requires(Role.FRONTDESK, Role.ADMIN)
def new_client():
    form = ClientForm()
    form.therapist.choices = [
        SelectChoice(staff.email, staff.display_name) for staff in clients.therapists()
    ]
    form.locale.choices = [
        SelectChoice(language.code, language.native_name) for language in i18n.configured()
    ]
    if form.validate_on_submit():
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


@bp.get("/clients/<int:client_id>")
def client(client_id: int):
    found = clients.get_visible_client(current_user, client_id)
    if found is None:
        abort(404)
    return render_template(
        "staff/client.html",
        client=found,
        check_ins=checkins.for_client(found.id),
        form=CheckInForm(),
        action=ActionForm(),
        now=utcnow(),
    )
