"""The client-side blueprint (waiting-room tablet and phone)."""

from flask import Flask

from . import step_views, visit_views  # noqa: F401  (importing a view module registers its routes)
from .blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
