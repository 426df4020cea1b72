"""A questionnaire's versions as FHIR: what each version asked, in its words, and nothing else."""

from fhir.resources.R4B.questionnaire import Questionnaire as FhirQuestionnaire
from flask_babel import lazy_pgettext as _lp

from intake.questionnaires import Choice, Kind, Question, Questionnaire, Step, Wording
from intake.reports.fhir_questionnaire import RETIRED_GROUP, questionnaire_resource

YES_NO = "answer to a yes or no question"  # short words need their context

BASE = "https://practice.example.org"

# Version 1 asked "old" and offered "maybe"; version 2 reworded "mood", added "sleep" and
# the choice "great", and stopped asking "old" and offering "maybe".
DECLARED = Questionnaire(
    key="sample",
    version=2,
    title=_lp(YES_NO, "Yes"),
    intro=_lp(YES_NO, "No"),
    steps=(Step("only", questions=(
        Question("mood", Kind.SINGLE, _lp(YES_NO, "No"),
                 earlier=(Wording(2, _lp(YES_NO, "Yes")),), choices=(
            Choice("fine", _lp(YES_NO, "Yes")),
            Choice("maybe", _lp(YES_NO, "Not sure"), retired_in=2),
            Choice("great", _lp(YES_NO, "No"), since=2),
        )),
        Question("sleep", Kind.SCALE, _lp(YES_NO, "Yes"), since=2, rather_not_say=False),
    )),),
    retired=(Question("old", Kind.LONG_TEXT, _lp(YES_NO, "Yes"), retired_in=2),),
)


def items(resource: dict) -> dict[str, dict]:
    return {item["linkId"]: item for group in resource["item"] for item in group["item"]}


def test_each_version_asks_its_own_questions_in_its_own_words(app):
    with app.app_context():
        first = questionnaire_resource(BASE, DECLARED, 1, ["en", "es"])
        second = questionnaire_resource(BASE, DECLARED, 2, ["en", "es"])
    for resource in (first, second):
        FhirQuestionnaire.model_validate(resource)
    assert [g["linkId"] for g in first["item"]] == ["only", RETIRED_GROUP]
    assert [g["linkId"] for g in second["item"]] == ["only"]
    assert set(items(first)) == {"mood", "old"}
    assert set(items(second)) == {"mood", "sleep"}
    assert (items(first)["mood"]["text"], items(second)["mood"]["text"]) == ("Yes", "No")
    codes = [[o["valueCoding"]["code"] for o in items(r)["mood"]["answerOption"]]
             for r in (first, second)]
    assert codes == [["fine", "maybe", "rather_not_say"], ["fine", "great", "rather_not_say"]]
    # A scale without "I'd rather not say" offers only its numbers.
    assert items(second)["sleep"]["answerOption"] == [{"valueInteger": n} for n in range(11)]
    assert items(first)["old"] == {**items(first)["old"], "type": "text", "maxLength": 2000}
    assert (first["status"], second["status"]) == ("retired", "active")


def test_a_translation_is_given_for_every_configured_language_but_english(app):
    with app.app_context():
        resource = questionnaire_resource(BASE, DECLARED, 2, ["en", "ar", "zh_Hans"])
        only_english = questionnaire_resource(BASE, DECLARED, 2, ["en"])
    mood = items(resource)["mood"]
    assert [e["extension"][0]["valueCode"] for e in mood["_text"]["extension"]] == [
        "ar", "zh-Hans"]
    assert mood["_text"]["extension"][0]["extension"][1]["valueString"] not in ("", "No")
    assert "_text" not in items(only_english)["mood"]
