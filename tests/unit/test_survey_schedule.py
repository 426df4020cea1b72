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
    assert Schedule.of_client("off", 3, practice) == Schedule("off", early=False)
    assert Schedule.of_client("weeks", 2, practice) == Schedule("weeks", 2)


@pytest.mark.parametrize(("held_in_all", "since_survey", "expected"), [
    (1, 1, Due.NOT_YET),  # the first appointment: too early to ask
    (2, 2, Due.DUE),  # after the second: asked even with no schedule
    (3, 1, Due.DUE),  # after the third, once more
    (3, 0, Due.NOT_YET),  # already asked since the third
    (4, 1, Due.NOT_YET),  # from then on, the schedule decides (here: off)
])
def test_the_early_surveys_are_due_after_the_second_and_third_appointments(
        held_in_all, since_survey, expected):
    assert status(Schedule("off"), since_survey, NOW, NOW, held_in_all) is expected


def test_a_client_whose_own_schedule_is_off_is_not_asked_early():
    schedule = Schedule.of_client("off", None, Schedule("appointments", 4))
    assert status(schedule, 2, NOW, NOW, 2) is Due.NOT_YET
    assert Schedule.of_client(None, None, Schedule("off")).early
