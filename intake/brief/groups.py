"""Alerts grouped by the response that raised them: one card per appointment, not five."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .model import Alert, Pair

MAX_QUESTIONS = 3


@dataclass
class AlertGroup:
    """The alerts one response raised (or one silence), read and acknowledged together."""

    at: datetime
    questionnaire: str | None
    version: int = 1
    alerts: list[Alert] = field(default_factory=list)
    answers: list[Pair] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return [alert.key for alert in self.alerts]

    @property
    def acknowledged_by(self) -> str | None:
        """Who acknowledged it, once every alert in it is acknowledged."""
        if all(alert.acknowledged_by for alert in self.alerts):
            return self.alerts[0].acknowledged_by
        return None

    @property
    def acknowledged_at(self) -> datetime | None:
        return self.alerts[0].acknowledged_at if self.acknowledged_by else None


def group_alerts(alerts: list[Alert]) -> list[AlertGroup]:
    """Group alerts (newest first) by their response, keeping the order; merge what to ask."""
    groups: dict[object, AlertGroup] = {}
    for alert in alerts:
        key = alert.record_id if alert.record_id is not None else alert.key
        group = groups.get(key)
        if group is None:
            group = groups[key] = AlertGroup(alert.at, alert.questionnaire, alert.version)
        group.alerts.append(alert)
        for pair in alert.answers:
            if pair not in group.answers:
                group.answers.append(pair)
        for question in alert.questions:
            if question not in group.questions and len(group.questions) < MAX_QUESTIONS:
                group.questions.append(question)
    return list(groups.values())
