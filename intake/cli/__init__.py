"""Command-line tools: `flask --app wsgi staff|clients|checkin|demo` (and `i18n`)."""

from flask import Flask

from .commands import backup, checkin, clients, demo, keys, staff


def init_app(app: Flask) -> None:
    for command in (staff, clients, checkin, demo, backup, keys):
        app.cli.add_command(command)
