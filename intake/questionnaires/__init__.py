"""The four questionnaires, declared once each as data, and the registry that finds them."""

from __future__ import annotations

from .intake import INTAKE
from .model import (
    RATHER_NOT_SAY,
    Choice,
    Condition,
    Kind,
    Question,
    Questionnaire,
    Step,
)
from .periodic import PERIODIC
from .post_session import POST_SESSION
from .pre_session import PRE_SESSION

REGISTRY: dict[str, Questionnaire] = {
    questionnaire.key: questionnaire
    for questionnaire in (INTAKE, PRE_SESSION, POST_SESSION, PERIODIC)
}

__all__ = [
    "RATHER_NOT_SAY",
    "REGISTRY",
    "Choice",
    "Condition",
    "Kind",
    "Question",
    "Questionnaire",
    "Step",
]
