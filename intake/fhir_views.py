"""The questionnaires' FHIR definitions, at their canonical URLs, open to anyone.

Its own blueprint, not a hole in the staff one's default-deny (docs/decisions.md, "FHIR"):
these pages hold the questions as declared and nothing about any client, and a record
system that resolves a canonical URL has no login here.
"""

from __future__ import annotations

import json

from flask import Blueprint, Flask, abort, current_app, request

from .infra import i18n
from .questionnaires import REGISTRY
from .reports import fhir_questionnaire as fhir

bp = Blueprint("fhir", __name__, url_prefix="/fhir")


@bp.get("/Questionnaire/<key>")
def questionnaire(key: str):
    declared = REGISTRY.get(key)
    if declared is None:
        abort(404)
    version = request.args.get("version", str(declared.version))
    if not version.isascii() or not version.isdigit() or int(version) not in fhir.versions(
            declared):
        abort(404)
    resource = fhir.questionnaire_resource(
        fhir.base_url(), declared, int(version),
        [language.code for language in i18n.configured()])
    return current_app.response_class(json.dumps(resource, ensure_ascii=False),
                                      mimetype=fhir.FHIR_JSON)


@bp.errorhandler(404)
def _not_found(error):
    outcome = {"resourceType": "OperationOutcome",
               "issue": [{"severity": "error", "code": "not-found"}]}
    return current_app.response_class(json.dumps(outcome), status=404, mimetype=fhir.FHIR_JSON)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
