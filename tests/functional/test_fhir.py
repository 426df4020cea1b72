"""FHIR R4: the questionnaires as Questionnaires, responses as QuestionnaireResponses.

Every resource the tests make is validated with fhir.resources' R4B models (the release line
8.x carries R4B, whose Questionnaire and QuestionnaireResponse are R4's), and every response
is checked against the Questionnaire version it names: items that exist there, in the same
group, with answers of the item's type and codes among its options.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from sqlalchemy import select, update

from intake.extensions import db
from intake.infra.i18n import LANGUAGES
from intake.models import AuditEvent, Response, Role
from intake.questionnaires import RATHER_NOT_SAY, REGISTRY, Kind
from intake.reports import fhir_questionnaire
from tests.conftest import PASSWORD, export_client, post

BASE = "https://practice.example.org"
WHEN = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
TEXT = {"es": "Quiero dormir mejor, sin pesadillas", "ar": "أريد أن أنام بشكل أفضل"}
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
CODE = re.compile(r"^[^\s]+( [^\s]+)*$")  # FHIR's code type


@pytest.fixture
def app_config():
    return {"BASE_URL": BASE}


@pytest.fixture
def admin(make_staff):
    return make_staff(Role.ADMIN, locale="en")


@pytest.fixture
def therapist(make_staff):
    return make_staff(Role.THERAPIST, locale="en")


def every_answer(questionnaire: str, locale: str, rather_not_say: bool = False) -> dict:
    """Answer every question asked now: a choice, two choices, a number, text."""
    answers: dict = {}
    for question in REGISTRY[questionnaire].questions():
        choices = [c for c in question.choices_at(REGISTRY[questionnaire].version)
                   if not c.exclusive]
        if question.kind is Kind.MULTIPLE:
            answers[question.key] = [choice.code for choice in choices[:2]]
        elif question.kind.offers_choices:  # single choice, yes/no
            answers[question.key] = choices[-1].code
        elif question.kind is Kind.SCALE:
            answers[question.key] = RATHER_NOT_SAY if rather_not_say else question.high - 3
        else:
            answers[question.key] = TEXT[locale]
    return answers


@pytest.fixture
def answered(app, make_client, make_response, therapist):
    """A client who answered every questionnaire in Spanish and in Arabic, and the intake
    once more under its version 1."""
    someone = make_client(therapist=therapist, locale="es", reference="ES-0001")
    for day, (locale, rather_not_say) in enumerate([("es", False), ("ar", True)]):
        for hour, key in enumerate(REGISTRY):
            answers = every_answer(key, locale, rather_not_say)
            if key == "periodic":  # shared with the therapist, so both exports differ below
                answers["prefer_different_visibility"] = "therapist" if day else "coordinator"
            make_response(someone, key, answers, locale=locale,
                          when=WHEN + timedelta(days=day, hours=hour))
    old = make_response(someone, "intake", {"beliefs": ["told_what_to_do"], "whose_idea": "self"},
                        locale="es", when=WHEN - timedelta(days=30))
    with app.app_context():
        db.session.execute(update(Response).where(Response.id == old).values(version=1))
        db.session.commit()
    return someone


def every_questionnaire() -> dict[str, dict]:
    """Return every Questionnaire version by its canonical URL with the version."""
    found = {}
    for resource in fhir_questionnaire.every_questionnaire(BASE, ["en", "es", "ar", "zh_Hans"]):
        found[f"{resource['url']}|{resource['version']}"] = resource
    return found


def check_questionnaire(resource: dict) -> None:
    Questionnaire.model_validate(resource)
    assert resource["status"] in ("active", "retired")
    for group in resource["item"]:
        for item in group["item"]:
            assert item["required"] is False
            for option in item.get("answerOption", ()):
                if "valueCoding" in option:
                    assert CODE.match(option["valueCoding"]["code"])


def check_response(resource: dict, questionnaires: dict[str, dict]) -> None:
    """Validate a QuestionnaireResponse and check it against its Questionnaire version."""
    QuestionnaireResponse.model_validate(resource)
    assert resource["status"] == "completed"
    defined = questionnaires[resource["questionnaire"]]
    groups = {group["linkId"]: group for group in defined["item"]}
    given = {_option(answer) for answers in answers_by_link(resource).values()
             for answer in answers}
    for group in resource.get("item", ()):
        assert group["linkId"] in groups, group["linkId"]
        conditions = groups[group["linkId"]].get("enableWhen")
        if conditions:  # answers only in a group that is enabled (enableBehavior any)
            assert any(("coding", c["answerCoding"]["system"], c["answerCoding"]["code"])
                       in {g[:3] for g in given} for c in conditions), group["linkId"]
        items = {item["linkId"]: item for item in groups[group["linkId"]]["item"]}
        assert group["item"], "an empty group"
        for answered_item in group["item"]:
            item = items[answered_item["linkId"]]
            assert answered_item["answer"], answered_item["linkId"]
            if not item.get("repeats"):
                assert len(answered_item["answer"]) == 1, answered_item["linkId"]
            allowed = {_option(option) for option in item.get("answerOption", ())}
            for answer in answered_item["answer"]:
                (kind,) = answer
                if item["type"] in ("string", "text"):
                    assert kind == "valueString"
                    continue
                if item["type"] == "choice":
                    assert kind == "valueCoding"
                else:
                    assert item["type"] == "integer" and kind in ("valueInteger", "valueCoding")
                assert _option(answer) in allowed, (answered_item["linkId"], answer)


def _option(option: dict) -> tuple:
    """Return an answer option, or an answer, as what it allows: a number or a coding."""
    if "valueInteger" in option:
        return ("integer", option["valueInteger"])
    if "valueString" in option:
        return ("string", option["valueString"])
    coding = option["valueCoding"]
    return ("coding", coding["system"], coding["code"], coding.get("display"))


def bundle_of(response) -> dict:
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    body = json.loads(response.get_data(as_text=True))
    Bundle.model_validate(body)
    return body


def responses_in(bundle: dict) -> list[dict]:
    return [entry["resource"] for entry in bundle["entry"]]


def answers_by_link(resource: dict) -> dict[str, list[dict]]:
    return {item["linkId"]: item["answer"] for group in resource.get("item", ())
            for item in group["item"]}


# The two-language export


def test_a_client_answering_in_spanish_and_arabic_exports_valid_fhir(app, client, login, admin,
                                                                    answered):
    questionnaires = every_questionnaire()
    for resource in questionnaires.values():
        check_questionnaire(resource)
    login(admin)
    bundle = bundle_of(export_client(client, f"/staff/clients/{answered.id}", "fhir"))
    assert bundle["type"] == "transaction"
    responses = responses_in(bundle)
    for resource in responses:
        check_response(resource, questionnaires)
    # A Questionnaire per version of each (8 today), 9 responses (4 in each language, 1 older).
    versions = sum(declared.version for declared in REGISTRY.values())
    assert (len(questionnaires), len(responses)) == (versions, 9)
    assert sorted(r["language"] for r in responses) == ["ar"] * 4 + ["es"] * 5
    for resource in responses[1:]:  # every question of every questionnaire, answered
        key = resource["questionnaire"].split("/")[-1].split("|")[0]
        assert set(answers_by_link(resource)) == {q.key for q in REGISTRY[key].questions()}
    assert {r["subject"]["identifier"]["value"] for r in responses} == {"ES-0001"}
    assert {r["subject"]["identifier"]["system"] for r in responses} == {
        f"{BASE}/fhir/client-reference"}
    assert responses[0]["questionnaire"] == f"{BASE}/fhir/Questionnaire/intake|1"
    assert responses[1]["questionnaire"] == (
        f"{BASE}/fhir/Questionnaire/intake|{REGISTRY['intake'].version}")
    assert responses[1]["authored"] == "2026-03-10T09:30:00Z"
    for entry in bundle["entry"]:
        identifier = entry["resource"]["identifier"]
        assert entry["request"] == {
            "method": "POST", "url": "QuestionnaireResponse",
            "ifNoneExist": f"identifier={identifier['system']}|{identifier['value']}"}


def test_answers_travel_as_codings_integers_and_opened_text(client, login, admin, answered):
    login(admin)
    responses = responses_in(bundle_of(
        export_client(client, f"/staff/clients/{answered.id}", "fhir")))
    spanish, arabic = (answers_by_link(r) for r in responses[1:9:4])  # the two intakes
    assert spanish["goal_1"] == [{"valueString": TEXT["es"]}]
    assert arabic["goal_1"] == [{"valueString": TEXT["ar"]}]
    assert spanish["wants_to_be_here"] == [{"valueInteger": 7}]
    # "I'd rather not say" on a scale is a coding, the same one its answer options hold.
    assert arabic["wants_to_be_here"] == [{"valueCoding": {
        "system": f"{BASE}/fhir/CodeSystem/intake/wants_to_be_here",
        "code": "rather_not_say", "display": "I'd rather not say"}}]
    # Displays are English whatever language the client answered in.
    # Version 3 takes several answers to "whose idea was it".
    assert [(a["valueCoding"]["code"], a["valueCoding"]["display"])
            for a in spanish["whose_idea"]] == [("self", "Mine"), ("partner", "My partner")]
    assert [a["valueCoding"]["code"] for a in spanish["beliefs"]] == [
        "told_what_to_do", "shared_with_family"]
    # The older intake keeps its version's choices and nests in its version's groups.
    old = responses[0]
    assert [g["linkId"] for g in old["item"]] == ["beliefs", "coming"]


def test_a_therapist_never_gets_the_answers_meant_for_the_coordinator(app, therapist, admin,
                                                                     answered):
    private = {"prefer_different_therapist", "prefer_different_visibility"}

    def periodic(staff) -> list[set[str]]:
        browser = app.test_client()
        post(browser, "/staff/login", {"email": staff.email, "password": PASSWORD},
             token_from="/staff/login")
        bundle = bundle_of(export_client(browser, f"/staff/clients/{answered.id}", "fhir"))
        return [set(answers_by_link(r)) for r in responses_in(bundle)
                if "/periodic|" in r["questionnaire"]]

    as_therapist = periodic(therapist)
    as_admin = periodic(admin)
    # The Spanish survey was for the coordinator only; the Arabic one shared with the therapist.
    assert not private & as_therapist[0]
    assert private <= as_therapist[1]
    assert private <= as_admin[0] and private <= as_admin[1]
    with app.app_context():
        details = db.session.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "export.client")).all()
    assert details == ["format=fhir", "format=fhir"]


def test_another_therapists_client_is_not_found(client, login, make_staff, answered):
    login(make_staff(Role.THERAPIST))
    assert export_client(client, f"/staff/clients/{answered.id}", "fhir").status_code == 404


def test_the_front_desk_gets_no_fhir_export(client, login, make_staff, answered):
    login(make_staff(Role.FRONTDESK))
    assert export_client(client, f"/staff/clients/{answered.id}", "fhir").status_code == 404


# The whole practice as NDJSON


def test_the_admin_exports_every_response_as_ndjson(app, client, login, admin, answered):
    login(admin)
    response = post(client, "/staff/exports", {"format": "fhir", "locale": "en",
                                               "since": "2026-03-10"},
                    token_from="/staff/exports")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+ndjson"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].endswith('.ndjson"')
    lines = response.get_data(as_text=True).splitlines()
    questionnaires = every_questionnaire()
    resources = [json.loads(line) for line in lines]
    for resource in resources:
        check_response(resource, questionnaires)
    assert len(resources) == 8  # the version-1 intake was submitted before --since
    with app.app_context():
        (detail,) = db.session.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "export.responses")).all()
    assert detail == "format=fhir responses=8 via=web from=2026-03-10"


# The questionnaires at their canonical URLs


def test_a_questionnaire_is_served_at_its_canonical_url_without_a_login(client):
    response = client.get("/fhir/Questionnaire/intake")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    resource = json.loads(response.get_data(as_text=True))
    check_questionnaire(resource)
    assert (resource["url"], resource["version"], resource["status"]) == (
        f"{BASE}/fhir/Questionnaire/intake", str(REGISTRY["intake"].version), "active")
    assert resource["title"] == "Intake"
    languages = [ext["extension"][0]["valueCode"] for ext in resource["_title"]["extension"]]
    assert languages == [LANGUAGES[code].tag for code in client.application.config["LOCALES"]
                         if code != "en"]
    assert "zh-Hant" in languages and "fil" in languages and len(languages) == 15


def test_an_earlier_version_has_its_own_words_and_choices(client):
    old = json.loads(client.get("/fhir/Questionnaire/intake?version=1").get_data(as_text=True))
    new = json.loads(client.get("/fhir/Questionnaire/intake").get_data(as_text=True))
    check_questionnaire(old)
    assert (old["version"], old["status"]) == ("1", "retired")

    def item(resource, link_id):
        return next(i for g in resource["item"] for i in g["item"] if i["linkId"] == link_id)

    assert item(old, "beliefs")["text"] == "Which of these do you think are true?"
    assert item(new, "beliefs")["text"] == "Do any of these worry you?"
    codes = [o["valueCoding"]["code"] for o in item(old, "whose_idea")["answerOption"]]
    assert "social_services" not in codes and codes[-1] == "rather_not_say"
    assert "social_services" in [o["valueCoding"]["code"]
                                 for o in item(new, "whose_idea")["answerOption"]]


def test_kinds_become_fhir_types_and_conditions_enable_when(client):
    resource = json.loads(client.get("/fhir/Questionnaire/intake").get_data(as_text=True))
    items = {i["linkId"]: i for g in resource["item"] for i in g["item"]}
    assert items["prior_therapy"]["type"] == "choice" and "repeats" not in items["prior_therapy"]
    assert items["whose_idea"]["type"] == "choice" and items["whose_idea"]["repeats"] is True
    assert items["interpreter"]["type"] == "choice"  # the yes/no kind: a coded yes or no
    assert items["beliefs"]["type"] == "choice" and items["beliefs"]["repeats"] is True
    scale = items["wants_to_be_here"]
    assert scale["type"] == "integer"
    assert [e["valueInteger"] for e in scale["extension"]] == [0, 10]
    assert scale["answerOption"][-1]["valueCoding"]["code"] == "rather_not_say"
    assert items["goal_1"]["type"] == "string"
    spanish = [e["extension"][1]["valueString"] for e in
               items["whose_idea"]["answerOption"][0]["valueCoding"]["_display"]["extension"]
               if e["extension"][0]["valueCode"] == "es"]
    assert spanish and spanish[0] != items["whose_idea"]["answerOption"][0]["valueCoding"][
        "display"]
    (follow_up,) = [g for g in resource["item"] if "enableWhen" in g]
    assert follow_up["enableBehavior"] == "any"
    assert {w["answerCoding"]["code"] for w in follow_up["enableWhen"]} == {
        "not_helpful", "harmful"}
    assert {w["question"] for w in follow_up["enableWhen"]} == {"prior_therapy"}


@pytest.mark.parametrize("path", [
    "/fhir/Questionnaire/nope", "/fhir/Questionnaire/intake?version=99",
    "/fhir/Questionnaire/intake?version=0", "/fhir/Questionnaire/intake?version=abc",
    "/fhir/Questionnaire/intake?version=%D9%A1", "/fhir/Questionnaire/intake?version=" + "9" * 40,
])
def test_an_unknown_questionnaire_or_version_is_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/fhir+json"
    assert json.loads(response.get_data(as_text=True))["resourceType"] == "OperationOutcome"


def test_every_questionnaire_page_is_served(client):
    for key, declared in REGISTRY.items():
        for version in range(1, declared.version + 1):
            response = client.get(f"/fhir/Questionnaire/{key}?version={version}")
            check_questionnaire(json.loads(response.get_data(as_text=True)))


# The command line


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_the_cli_writes_every_questionnaire_version(cli, tmp_path):
    result = cli("fhir", "questionnaires", str(tmp_path / "q"))
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in (tmp_path / "q").iterdir())
    assert names == sorted(f"Questionnaire-{key.replace('_', '-')}-{version}.json"
                           for key, declared in REGISTRY.items()
                           for version in range(1, declared.version + 1))
    for path in (tmp_path / "q").iterdir():
        check_questionnaire(json.loads(path.read_text(encoding="utf-8")))


def test_the_cli_exports_every_response_as_ndjson(app, cli, tmp_path, answered):
    target = tmp_path / "responses.ndjson"
    result = cli("fhir", "export", str(target))
    assert result.exit_code == 0, result.output
    assert "wrote 9 responses" in result.output
    questionnaires = every_questionnaire()
    lines = target.read_text(encoding="utf-8").splitlines()
    for line in lines:
        check_response(json.loads(line), questionnaires)
    assert len(lines) == 9
    result = cli("fhir", "export", str(target), "--since", "2026-03-11")
    assert result.exit_code == 0, result.output
    assert len(target.read_text(encoding="utf-8").splitlines()) == 4
    with app.app_context():
        details = db.session.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "export.responses").order_by(AuditEvent.id)).all()
    assert details == ["format=fhir responses=9 via=cli",
                       "format=fhir responses=4 via=cli from=2026-03-11"]


@pytest.mark.parametrize("args", [["--since", "yesterday"],
                                  ["--since", "2026-03-11", "--until", "2026-03-10"]])
def test_a_wrong_cli_argument_writes_nothing(app, cli, tmp_path, args):
    out = tmp_path / "out"
    out.mkdir()
    result = cli("fhir", "export", str(out / "responses.ndjson"), *args)
    assert result.exit_code != 0
    assert list(out.iterdir()) == []
    with app.app_context():
        assert db.session.scalars(select(AuditEvent)).all() == []


def test_a_missing_directory_is_refused_before_anything_is_recorded(app, cli, tmp_path):
    result = cli("fhir", "export", str(tmp_path / "nowhere" / "responses.ndjson"))
    assert result.exit_code != 0
    assert "no directory" in result.output
    with app.app_context():
        assert db.session.scalars(select(AuditEvent)).all() == []


def test_a_resource_stays_on_one_line_whatever_the_client_wrote(app, cli, tmp_path, make_client,
                                                                 make_response):
    someone = make_client(locale="ar")
    written = "سطر\u2028line\u2029break\x85end ‮bidi‬ <script>"
    make_response(someone, "post_session", {"note": written, "overall": 3}, locale="ar")
    target = tmp_path / "responses.ndjson"
    assert cli("fhir", "export", str(target)).exit_code == 0
    body = target.read_text(encoding="utf-8")
    (line,) = body.splitlines()
    assert body == line + "\n"
    resource = json.loads(line)
    check_response(resource, every_questionnaire())
    assert answers_by_link(resource)["note"] == [{"valueString": written}]


def test_answers_left_in_a_step_no_longer_shown_stay_out(client, login, admin, make_client,
                                                         make_response):
    someone = make_client()
    # The client said therapy had not helped, wrote why, then went back: first time.
    make_response(someone, "intake", {"prior_therapy": "none",
                                       "prior_what_did_not_work": "They never listened",
                                       "whose_idea": "self"})
    login(admin)
    (resource,) = responses_in(bundle_of(
        export_client(client, f"/staff/clients/{someone.id}", "fhir")))
    check_response(resource, every_questionnaire())
    assert set(answers_by_link(resource)) == {"prior_therapy", "whose_idea"}
