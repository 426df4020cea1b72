"""The schedule rule: due after N appointments or M weeks, overdue after half as much again."""

from datetime import UTC, datetime, timedelta

import pytest

from intake.practice.surveys import Due, Schedule, status

NOW = datetime(2026, 11, 26, tzinfo=UTC)


@pytest.mark.parametrize("held,expected", [(3, Due.NOT_YET), (4, Due.DUE), (5, Due.DUE),
                                           (6, Due.OVERDUE)])
def test_every_n_appointments(held, expected):
    assert status(Schedule("appointments", 4), held, NOW, NOW) is expected


@pytest.mark.parametrize("weeks,expected", [(5, Due.NOT_YET), (6, Due.DUE), (8, Due.DUE),
                                            (9, Due.OVERDUE)])
def test_every_m_weeks(weeks, expected):
    assert status(Schedule("weeks", 6), 0, NOW - timedelta(weeks=weeks), NOW) is expected


def test_off_is_never_due():
    assert status(Schedule("off"), 100, NOW - timedelta(weeks=100), NOW) is Due.NOT_YET


def test_a_client_schedule_overrides_the_practice():
    practice = Schedule("appointments", 4)
    assert Schedule.of_client(None, None, practice) == practice
    assert Schedule.of_client("off", 3, practice) == Schedule("off")
    assert Schedule.of_client("weeks", 2, practice) == Schedule("weeks", 2)
