"""The questionnaires as FHIR R4 `Questionnaire` resources: one per questionnaire and version.

Built from the declarations, like every other reader (docs/decisions.md, "FHIR"):
- one `group` item per step (linkId = the step's key), holding its questions (linkId = the
  question's key); a question asked in a version but no longer in any step sits in a last
  group, `retired_questions`;
- English text, with every other configured language as the `translation` extension;
- the kind gives the type: `choice` (repeating for multiple choice), `integer` from low to
  high for a scale, `string` and `text` for the client's own words;
- choices are codings of a code system per question (`code_system`): a code means one
  thing per question, not per questionnaire ("none" is "None of these" in one question and
  "No, this is my first time" in another);
- "I'd rather not say" is a coded answer option, on a scale too (next to its numbers), and
  "none of these" style choices carry `optionExclusive`;
- a step shown only after some answers becomes `enableWhen` on its group;
- nothing is required: every question is optional.
Only the questions and choices asked in a version, in that version's words.
Pure apart from the translations: nothing here reads the request or the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask import current_app
from flask_babel import LazyString, force_locale

from ..infra.i18n import LANGUAGES
from ..questionnaires import (
    RATHER_NOT_SAY,
    REGISTRY,
    Choice,
    Condition,
    Kind,
    Question,
    Questionnaire,
    Step,
)

FHIR_JSON = "application/fhir+json"
FHIR_NDJSON = "application/fhir+ndjson"
ENGLISH = "en"  # the resources' own language; the others travel as translations
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
RETIRED_GROUP = "retired_questions"

def canonical(base: str, key: str) -> str:
    """Return a questionnaire's canonical URL (the same for every version)."""
    return f"{base}/fhir/Questionnaire/{key}"


def code_system(base: str, key: str, question: str) -> str:
    """Return the code system of one question's choices."""
    return f"{base}/fhir/CodeSystem/{key}/{question}"


def language_tag(locale: str) -> str:
    """Return a catalogue's BCP 47 tag (zh_Hans -> zh-Hans)."""
    language = LANGUAGES.get(locale)
    return language.tag if language else locale.replace("_", "-")


@dataclass(frozen=True, eq=False)
class Group:
    """One step as asked in a version: its key, title and the questions asked."""

    link_id: str
    step: Step | None
    questions: tuple[Question, ...]


def groups_at(questionnaire: Questionnaire, version: int) -> list[Group]:
    """Return the groups of a version in declared order, each with the questions it asked."""
    groups = [Group(step.key, step, tuple(q for q in step.questions if q.asked_at(version)))
              for step in questionnaire.steps]
    retired = tuple(q for q in questionnaire.retired if q.asked_at(version))
    if retired:
        groups.append(Group(RETIRED_GROUP, None, retired))
    return [group for group in groups if group.questions]


def enabled_when(questionnaire: Questionnaire, version: int, group: Group) -> Condition | None:
    """Return the condition that shows a group, if it has one this version can ask."""
    condition = group.step.show_if if group.step is not None else None
    if condition is None:
        return None
    source = questionnaire.question(condition.question)
    return condition if source is not None and source.asked_at(version) else None


def versions(questionnaire: Questionnaire) -> range:
    return range(1, questionnaire.version + 1)


class Words:
    """Says lazy text in English, with the other configured languages as translations."""

    def __init__(self, locales: Iterable[str]):
        self.others = [locale for locale in locales if locale != ENGLISH]

    def english(self, text: LazyString | str) -> str:
        with force_locale(ENGLISH):
            return str(text)

    def translations(self, text: LazyString | str) -> dict:
        """Return the `_text`-style element holding the translation extensions."""
        extensions = []
        for locale in self.others:
            with force_locale(locale):
                content = str(text)
            extensions.append({"url": TRANSLATION, "extension": [
                {"url": "lang", "valueCode": language_tag(locale)},
                {"url": "content", "valueString": content},
            ]})
        return {"extension": extensions}

    def put(self, element: dict, name: str, text: LazyString | str) -> dict:
        """Set `name` to the English text and `_name` to its translations; return element."""
        element[name] = self.english(text)
        if self.others:
            element["_" + name] = self.translations(text)
        return element


def questionnaire_resource(base: str, questionnaire: Questionnaire, version: int,
                           locales: Iterable[str]) -> dict:
    """Return one version of a questionnaire as a FHIR R4 Questionnaire."""
    if version not in versions(questionnaire):
        raise ValueError(f"{questionnaire.key} has no version {version}")
    words = Words(locales)
    resource: dict = {
        "resourceType": "Questionnaire",
        "id": f"{questionnaire.key.replace('_', '-')}-{version}",
        "language": ENGLISH,
        "url": canonical(base, questionnaire.key),
        "version": str(version),
        "name": "".join(part.capitalize() for part in questionnaire.key.split("_")),
    }
    title = questionnaire.staff_title  # `or` would say the lazy text in no language
    words.put(resource, "title", questionnaire.title if title is None else title)
    # Earlier versions stay readable (old responses name them) but are no longer asked.
    resource["status"] = "active" if version == questionnaire.version else "retired"
    resource["subjectType"] = ["Patient"]
    words.put(resource, "description", questionnaire.intro)
    resource["item"] = [_group(base, questionnaire, version, group, words)
                        for group in groups_at(questionnaire, version)]
    return resource


def _group(base: str, questionnaire: Questionnaire, version: int, group: Group,
           words: Words) -> dict:
    key = questionnaire.key
    item: dict = {"linkId": group.link_id}
    if group.step is not None and group.step.title is not None:
        words.put(item, "text", group.step.title)
    item["type"] = "group"
    item["required"] = False
    condition = enabled_when(questionnaire, version, group)
    if condition is not None:
        item["enableWhen"] = [
            {"question": condition.question, "operator": "=",
             "answerCoding": {"system": code_system(base, key, condition.question),
                              "code": code}}
            for code in sorted(condition.codes)]
        if len(condition.codes) > 1:
            item["enableBehavior"] = "any"
    item["item"] = [_question(base, key, version, question, words)
                    for question in group.questions]
    return item


def _question(base: str, key: str, version: int, question: Question, words: Words) -> dict:
    kind = question.kind
    item: dict = {"linkId": question.key}
    words.put(item, "text", question.label_at(version))
    item["type"] = kind.fhir_type
    item["required"] = False
    if kind is Kind.MULTIPLE:
        item["repeats"] = True
    if kind.is_text and question.max_length:
        item["maxLength"] = question.max_length
    if kind is Kind.SCALE:
        item["extension"] = [{"url": MIN_VALUE, "valueInteger": question.low},
                             {"url": MAX_VALUE, "valueInteger": question.high}]
        item["answerOption"] = [{"valueInteger": n}
                                for n in range(question.low, question.high + 1)]
        if question.rather_not_say:
            item["answerOption"].append(_option(base, key, version, question,
                                                question.choice(RATHER_NOT_SAY), words))
    elif kind.offers_choices:
        item["answerOption"] = [_option(base, key, version, question, choice, words)
                                for choice in question.choices_at(version)]
    return item


def _option(base: str, key: str, version: int, question: Question, choice: Choice,
            words: Words) -> dict:
    coding = {"system": code_system(base, key, question.key), "code": choice.code}
    words.put(coding, "display", choice.label_at(version))
    option: dict = {"valueCoding": coding}
    if choice.exclusive:
        option["extension"] = [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}]
    return option


def every_questionnaire(base: str, locales: Iterable[str]) -> Iterator[dict]:
    """Yield every questionnaire in every version, oldest version first."""
    locales = list(locales)
    for questionnaire in REGISTRY.values():
        for version in versions(questionnaire):
            yield questionnaire_resource(base, questionnaire, version, locales)




def base_url() -> str:
    """Return the practice's base URL (INTAKE_BASE_URL): never the request's own host."""
    return current_app.config["BASE_URL"]
