"""The staff blueprint (therapists, front desk, admins)."""

from flask import Flask

from ..answers import labels as answers
from ..brief import group_alerts
from ..extensions import login_manager
from . import (  # noqa: F401  (importing a view module registers its routes)
    account_views,
    admin_views,
    appointment_views,
    audit_views,
    auth,
    checkin_views,
    client_views,
    consent_admin_views,
    dashboard,
    device_views,
    export_views,
    follow_up_views,
    room_report_views,
    survey_views,
    today_views,
)
from .blueprint import bp


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        question_label=answers.question_label,
        answer_label=answers.answer_label,
        is_text=answers.is_text,
        short_label=answers.short_label,
        translate=answers.translate,
        group_alerts=group_alerts,
        staff_title=answers.staff_title,
    )
    login_manager.login_view = "staff.login"
    login_manager.session_protection = None  # login sessions live on the server
    app.register_blueprint(bp)
