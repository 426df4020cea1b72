"""The client-side blueprint (waiting-room tablet and phone)."""

from flask import Flask

from . import (  # noqa: F401  (importing a view module registers its routes)
    consent_views,
    step_views,
    visit_views,
)
from .blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
