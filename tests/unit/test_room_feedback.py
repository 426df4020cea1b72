"""Room feedback: distinct clients per room and month, the privacy threshold, which room."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from intake.reports.room_feedback import (
    MIN_CLIENTS,
    PROBLEM_CODES,
    AnswerRow,
    AppointmentRow,
    RoomRef,
    aggregate,
    attribute,
    last_months,
    month_of,
)

ROOM_A, ROOM_B = RoomRef(1, "Room A"), RoomRef(2, "Room B")
NOVEMBER = date(2026, 11, 1)
MID_NOVEMBER = datetime(2026, 11, 15, 10, tzinfo=UTC)


def answered(client_id: int, *codes: str, room=ROOM_A, at=MID_NOVEMBER,
             questionnaire: str = "post_session") -> list[AnswerRow]:
    room_id = room.id if room is not None else None
    return [AnswerRow(client_id, at, questionnaire, room_id, code) for code in codes]


def each(clients, *codes: str, **where) -> list[AnswerRow]:
    """Return the rows of each of these clients answering the same."""
    return [row for n in clients for row in answered(n, *codes, **where)]


def cells(answers, appointments=(), rooms=(ROOM_A,), months=(NOVEMBER,)):
    """Return {(room id, month): cell} for the report of these rows."""
    report = aggregate(answers, appointments, list(rooms), list(months))
    return {(room.room_id, cell.month): cell for room in report for cell in room.cells}


def test_a_client_counts_once_however_often_they_answered():
    rows = [
        *answered(1, "too_cold"),
        *answered(1, "too_cold", "noisy", at=MID_NOVEMBER + timedelta(days=7)),
        *answered(1, "nothing", at=MID_NOVEMBER + timedelta(days=14)),
        *answered(2, "too_cold"),
        *answered(3, "overheard"),
        *answered(4, "nothing"),
        *answered(5, "nothing"),
    ]
    cell = cells(rows)[ROOM_A.id, NOVEMBER]
    assert cell.clients == 5
    assert cell.problems == {"too_cold": 2, "noisy": 1, "overheard": 1}
    assert cell.share("too_cold") == 40
    assert cell.share("light") == 0


@pytest.mark.parametrize("clients,shown", [(MIN_CLIENTS - 1, False), (MIN_CLIENTS, True)])
def test_a_room_and_month_below_the_threshold_carries_no_figures(clients, shown):
    rows = each(range(clients), "too_cold")
    # Many answers from few clients never reach the threshold.
    rows += answered(0, "overheard", at=MID_NOVEMBER + timedelta(days=1)) * 10
    cell = cells(rows)[ROOM_A.id, NOVEMBER]
    assert cell.is_shown is shown
    if shown:
        assert cell.clients == MIN_CLIENTS
        assert cell.problems == {"too_cold": MIN_CLIENTS, "overheard": 1}
    else:
        assert cell.clients is None and cell.problems == {}
        assert cell.share("too_cold") is None


def test_nobody_and_a_few_look_the_same():
    few = cells(answered(1, "too_cold"), rooms=(ROOM_A, ROOM_B))
    assert few[ROOM_A.id, NOVEMBER] == few[ROOM_B.id, NOVEMBER]


def test_problems_of_hidden_months_are_not_named():
    october = date(2026, 10, 1)
    rows = each(range(5), "nothing")
    rows += answered(9, "decorations", at=datetime(2026, 10, 3, tzinfo=UTC))
    [room] = aggregate(rows, [], [ROOM_A], [october, NOVEMBER])
    assert room.has_figures
    assert room.problem_codes == ()


def test_nothing_and_rather_not_say_count_as_responding_but_not_as_problems():
    rows = [*answered(1, "nothing"), *answered(2, "rather_not_say"), *answered(3, "too_warm"),
            *answered(4, "nothing"), *answered(5, "an_old_code")]
    cell = cells(rows)[ROOM_A.id, NOVEMBER]
    assert cell.clients == 5
    assert cell.problems == {"too_warm": 1}
    assert "nothing" not in PROBLEM_CODES and "rather_not_say" not in PROBLEM_CODES
    assert PROBLEM_CODES[:2] == ("too_cold", "too_warm")  # the questionnaire's order


def test_each_room_is_counted_on_its_own():
    rows = each(range(5), "too_cold")
    rows += each(range(3, 8), "noisy", room=ROOM_B)
    result = cells(rows, rooms=(ROOM_A, ROOM_B))
    assert result[ROOM_A.id, NOVEMBER].problems == {"too_cold": 5}
    assert result[ROOM_B.id, NOVEMBER].problems == {"noisy": 5}


def test_months_are_utc_calendar_months():
    new_year = datetime(2027, 1, 1, 0, 30, tzinfo=UTC)
    assert month_of(new_year) == date(2027, 1, 1)
    # Half past midnight in UTC is still 31 December in New York: the UTC month counts.
    assert month_of(new_year.astimezone(ZoneInfo("America/New_York"))) == date(2027, 1, 1)
    assert last_months(new_year, 3) == (date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1))
    assert last_months(datetime(2026, 12, 31, 23, 59, tzinfo=UTC), 1) == (date(2026, 12, 1),)
    assert len(last_months(MID_NOVEMBER, 12)) == 12


def test_answers_are_counted_in_their_own_month_and_outside_months_ignored():
    december, september = date(2026, 12, 1), datetime(2026, 9, 30, 23, tzinfo=UTC)
    rows = each(range(5), "too_cold")
    rows += each(range(5, 10), "noisy", at=datetime(2026, 12, 1, tzinfo=UTC))
    rows += each(range(10, 20), "light", at=september)
    result = cells(rows, months=(NOVEMBER, december))
    assert result[ROOM_A.id, NOVEMBER].problems == {"too_cold": 5}
    assert result[ROOM_A.id, december].problems == {"noisy": 5}
    assert len(result) == 2


def test_a_periodic_survey_counts_for_the_latest_appointment_up_to_it():
    survey = MID_NOVEMBER
    appointments = [
        AppointmentRow(1, survey - timedelta(days=30), ROOM_B.id),
        AppointmentRow(1, survey - timedelta(days=2), ROOM_A.id),  # the latest before
        AppointmentRow(1, survey + timedelta(days=5), ROOM_B.id),  # after: not it
        AppointmentRow(2, survey, ROOM_B.id),  # at the same moment counts
        AppointmentRow(3, survey - timedelta(days=1), None),  # latest has no room: left out
        AppointmentRow(3, survey - timedelta(days=9), ROOM_A.id),
        AppointmentRow(4, survey + timedelta(hours=1), ROOM_A.id),  # only later ones: left out
    ]
    rows = each(range(1, 6), "too_cold", room=None, questionnaire="periodic")
    # A post-session answer keeps its own appointment's room; one without a room is left out.
    rows += answered(6, "noisy", room=ROOM_B)
    rows += answered(7, "noisy", room=None)
    placed = sorted(attribute(reversed(rows), reversed(appointments)))
    assert placed == [
        (ROOM_A.id, 1, NOVEMBER, "too_cold"),
        (ROOM_B.id, 2, NOVEMBER, "too_cold"),
        (ROOM_B.id, 6, NOVEMBER, "noisy"),
    ]


def test_periodic_and_post_session_answers_add_up_by_client():
    appointments = [AppointmentRow(n, MID_NOVEMBER - timedelta(days=1), ROOM_A.id)
                    for n in range(3)]
    rows = each(range(3), "overheard", room=None, questionnaire="periodic")
    rows += each(range(1, 5), "overheard")
    cell = cells(rows, appointments)[ROOM_A.id, NOVEMBER]
    assert (cell.clients, cell.problems) == (5, {"overheard": 5})


def test_every_room_is_listed_in_the_order_given():
    report = aggregate([], [], [ROOM_B, ROOM_A], [NOVEMBER])
    assert [room.name for room in report] == ["Room B", "Room A"]
    assert not any(room.has_figures for room in report)
