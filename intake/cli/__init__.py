"""Command-line tools: `flask --app wsgi staff|clients|rooms|appointments|checkin|fhir|...`."""

from flask import Flask

from .appointments import appointments, rooms
from .commands import backup, checkin, clients, demo, keys, staff
from .fhir import fhir


def init_app(app: Flask) -> None:
    for command in (staff, clients, checkin, demo, backup, keys, appointments, rooms, fhir):
        app.cli.add_command(command)
