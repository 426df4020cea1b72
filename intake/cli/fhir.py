"""`flask fhir`: the questionnaires as FHIR files, and every response as NDJSON."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..infra import key_rotation
from ..infra.sealing import KeyFileError, SealError
from ..reports import fhir_questionnaire, fhir_response
from ..reports.exports import Period

fhir = AppGroup("fhir", help="Export FHIR R4 Questionnaires and QuestionnaireResponses.")


def _locales() -> list[str]:
    return list(current_app.config["LOCALES"])


@fhir.command("questionnaires")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def questionnaires(directory: Path) -> None:
    """Write each questionnaire in each version to DIRECTORY, one JSON file each."""
    base = fhir_questionnaire.base_url()
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    for resource in fhir_questionnaire.every_questionnaire(base, _locales()):
        path = directory / f"Questionnaire-{resource['id']}.json"
        path.write_text(json.dumps(resource, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
        written += 1
    click.echo(f"wrote {written} questionnaires to {directory}")


@fhir.command("export")
@click.argument("target", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Only responses submitted on or after this day (UTC), YYYY-MM-DD.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Only responses submitted on or before this day (UTC), YYYY-MM-DD.")
def export(target: Path, since: datetime | None, until: datetime | None) -> None:
    """Write every submitted response to TARGET as NDJSON, one QuestionnaireResponse a line."""
    period = Period(since=since.date() if since else None,
                    until=until.date() if until else None)
    if period.since and period.until and period.until < period.since:
        raise click.BadParameter("--until is before --since")
    try:
        key_rotation.require_every_key()  # before the audit event and the first line
    except (KeyFileError, SealError) as error:
        raise click.ClickException(f"a key that seals free text is missing: {error}") from None
    if not target.parent.is_dir():
        raise click.BadParameter(f"no directory {str(target.parent)!r}")
    # Written beside the target and moved in place at the end: never half a file.
    partial = target.with_name(target.name + ".partial")
    lines = 0
    try:
        with partial.open("w", encoding="utf-8") as out:
            made = fhir_response.export_responses(None, fhir_questionnaire.base_url(), period,
                                                  via="cli")
            for chunk in made.chunks:
                out.write(chunk)
                lines += chunk.count("\n")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"wrote {lines} responses to {target}")
