"""The audit log for admins: who did what, filtered, 50 a page, as CSV; and for one client,
who has seen their answers (the accounting of disclosures a client may ask for)."""

from __future__ import annotations

from flask import current_app, render_template, request, stream_with_context
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..infra.security import page_number
from ..models import Role, utcnow
from ..practice import admin
from ..reports import audit_log
from .blueprint import bp, requires, visible_client_or_404


class AuditFilterForm(FlaskForm):
    """What to look for in the log; a GET form, so it has no CSRF token."""

    class Meta:
        csrf = False

    staff = SelectField(_l("Staff member"), validators=[Optional()])
    client = StringField(_l("Client reference"), validators=[Optional(), Length(max=64)],
                         render_kw={"dir": "ltr", "autocomplete": "off"})
    action = SelectField(_l("What they did"), validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anyone = SelectChoice("", _l("Anyone"))
        self.staff.choices = [anyone] + [
            SelectChoice(str(person.staff.id), person.staff.display_name)
            for person in admin.list_staff()]
        self.action.choices = [SelectChoice("", _l("Anything"))] + [
            SelectChoice(code, label) for code, label in audit_log.ACTIONS.items()]

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date must be on or after the start date."))

    def filters(self) -> audit_log.Filters | None:
        """Return the filters asked for; None when a client reference names nobody."""
        client_id = None
        if self.client.data and self.client.data.strip():
            client_id = audit_log.client_id_of(self.client.data)
            if client_id is None:
                return None
        return audit_log.Filters(
            staff_id=int(self.staff.data) if self.staff.data else None, client_id=client_id,
            action=self.action.data or None, since=self.since.data, until=self.until.data)


def _filters_from(source) -> tuple[AuditFilterForm, audit_log.Filters | None]:
    form = AuditFilterForm(formdata=source)
    if not form.validate():
        return form, audit_log.Filters(nothing=True)
    return form, form.filters()


@bp.get("/admin/audit")
@requires(Role.ADMIN)
def admin_audit():
    form, filters = _filters_from(request.args)
    page = audit_log.read_page(current_user.id, filters or audit_log.Filters(nothing=True),
                               page_number(request.args.get("page")))
    return render_template("staff/admin/audit.html", form=form, page=page,
                           unknown_client=filters is None,
                           query={key: value for key, value in request.args.items()
                                  if key != "page" and value})


@bp.post("/admin/audit/export")
@requires(Role.ADMIN)
def admin_audit_export():
    # A POST with the CSRF token, like every download.
    _form, filters = _filters_from(request.form)
    chunks = audit_log.export_csv(current_user.id,
                                  filters or audit_log.Filters(nothing=True),
                                  lambda at: format_datetime(at, "short"))
    response = current_app.response_class(stream_with_context(chunks), mimetype="text/csv")
    name = f"intake-audit-{utcnow().date().isoformat()}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/clients/<int:client_id>/seen-by")
@requires(Role.ADMIN)
def client_seen_by(client_id: int):
    found = visible_client_or_404(client_id)
    return render_template("staff/client_seen_by.html", client=found,
                           entries=audit_log.seen_by(current_user.id, found.id))
