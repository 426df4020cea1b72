"""Consent on staff pages: the practice's limits of confidentiality per language (admin
settings), and what a client chose on the consent page (their page)."""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_babel import _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from ..infra.i18n import LANGUAGES
from ..models import Role
from ..practice import consent
from .blueprint import bp, requires

TOO_LONG = _l("Please keep this to %(max)d characters or fewer.")


def limits_form_class(locales: list[str]) -> type[FlaskForm]:
    """Return a form with one text box per configured language."""
    fields = {
        f"limits_{code}": TextAreaField(
            LANGUAGES[code].native_name,
            validators=[Length(max=consent.LIMITS_MAX, message=TOO_LONG)],
            render_kw={"rows": 4, "lang": LANGUAGES[code].tag, "dir": LANGUAGES[code].direction,
                       "maxlength": consent.LIMITS_MAX})
        for code in locales
    }
    return type("LimitsForm", (FlaskForm,), fields)


@bp.context_processor
def _limits_form() -> dict:
    def limits_form() -> FlaskForm:
        """Return the form, filled with each language's current text (or the default)."""
        locales = current_app.config["LOCALES"]
        data = {f"limits_{code}": consent.limits(code)[0] for code in locales}
        return limits_form_class(locales)(formdata=None, data=data)

    return {"limits_form": limits_form, "latest_consent": consent.latest}


@bp.post("/admin/settings/confidentiality")
@requires(Role.ADMIN)
def admin_confidentiality_limits():
    locales = current_app.config["LOCALES"]
    form = limits_form_class(locales)()
    if not form.validate_on_submit():
        flash(_("The limits of confidentiality were not saved: each text can have at most "
                "%(max)d characters.", max=consent.LIMITS_MAX), "error")
        return redirect(url_for("staff.admin_settings"))
    texts = {code: form[f"limits_{code}"].data or "" for code in locales}
    consent.set_limits(current_user.id, texts, locales)
    flash(_("The limits of confidentiality were saved."), "info")
    return redirect(url_for("staff.admin_settings", _anchor="confidentiality"))
