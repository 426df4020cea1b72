"""Command-line tools: `flask --app wsgi staff|clients|checkin|demo|fhir` (and `i18n`)."""

from flask import Flask

from .commands import backup, checkin, clients, demo, keys, staff
from .fhir import fhir


def init_app(app: Flask) -> None:
    for command in (staff, clients, checkin, demo, backup, keys, fhir):
        app.cli.add_command(command)
