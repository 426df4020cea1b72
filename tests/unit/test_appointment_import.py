"""Reading CSV and iCalendar files into appointments: pure, no database."""

from datetime import UTC, datetime, timedelta

from intake.practice.appointment_import import MAX_ROWS, read, read_csv, read_ics
from intake.practice.appointments import zone_named
from intake.practice.checkins import right_questionnaire

MADRID = zone_named("Europe/Madrid")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_csv_rows_and_their_defaults():
    rows, problems = read_csv("reference,start,minutes,room,kind\n"
                              "C-1,2026-12-01 09:00,,,\n"
                              "\n"
                              "C-2,2026-12-01 10:30,30,Room 1,video\n", MADRID)
    assert problems == []
    assert [(r.line, r.names, r.starts_at, r.minutes, r.room, r.kind) for r in rows] == [
        (2, ("C-1",), datetime(2026, 12, 1, 8, 0, tzinfo=UTC), None, None, "in_person"),
        (4, ("C-2",), datetime(2026, 12, 1, 9, 30, tzinfo=UTC), 30, "Room 1", "video"),
    ]


def test_csv_columns_may_be_left_out_and_a_spreadsheets_bom_is_fine():
    rows, problems = read("day.csv", "\ufeffReference,Start\nC-1,2026-12-01 09:00\n".encode(),
                          MADRID, NOW)
    assert problems == [] and rows[0].minutes is None and rows[0].names == ("C-1",)


def test_csv_problems_name_their_lines():
    _rows, problems = read_csv("reference,start,minutes,room,kind\n"
                               ",2026-12-01 09:00,,,\n"
                               "C-1,2026-12-01 09:00,fifty,,\n"
                               "C-1,2026-12-01 09:00,,,,extra\n", MADRID)
    assert [(p.line, p.reason) for p in problems] == [
        (2, "no client reference"),
        (3, "'fifty' is not a number of minutes"),
        (4, "6 cells, the header has 5"),
    ]


def test_a_csv_with_another_header_is_one_problem():
    rows, problems = read_csv("client,when\nC-1,2026-12-01 09:00\n", MADRID)
    assert rows == [] and problems[0].line == 1


def calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{event}\r\nEND:VEVENT\r\n" for event in events)
    return (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{body}"
            "END:VCALENDAR\r\n").encode()


def test_ics_recurrences_are_expanded_within_a_year_and_keyed_by_occurrence():
    rows, problems = read_ics(calendar(
        "UID:w@x\r\nDTSTART;TZID=Europe/Madrid:20261202T100000\r\nDURATION:PT50M\r\n"
        "RRULE:FREQ=MONTHLY\r\nSUMMARY:C-1"), MADRID, NOW)
    assert problems == []
    assert len(rows) == 12  # a monthly event: the next twelve months, not forever
    assert rows[0].starts_at == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    assert rows[0].uid == "w@x/20261202T090000Z" and len({r.uid for r in rows}) == 12
    assert all(r.minutes == 50 for r in rows)


def test_an_overridden_occurrence_keeps_its_key():
    rows, _ = read_ics(calendar(
        "UID:w@x\r\nDTSTART:20261202T100000Z\r\nDURATION:PT50M\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\n"
        "SUMMARY:C-1",
        "UID:w@x\r\nRECURRENCE-ID:20261209T100000Z\r\nDTSTART:20261210T150000Z\r\n"
        "DURATION:PT50M\r\nSUMMARY:C-1"), MADRID, NOW)
    moved = next(r for r in rows if r.starts_at.day == 10)
    assert moved.uid == "w@x/20261209T100000Z"


def test_a_single_event_is_keyed_by_its_uid_alone():
    [row], _ = read_ics(calendar("UID:one@x\r\nDTSTART:20261203T100000Z\r\n"
                                 "DTEND:20261203T110000Z\r\nSUMMARY:C-1"), MADRID, NOW)
    assert row.uid == "one@x" and row.minutes == 60


def test_floating_times_are_the_practices_and_a_gap_is_a_problem():
    rows, problems = read_ics(calendar(
        "UID:a@x\r\nDTSTART:20261203T100000\r\nDURATION:PT50M\r\nSUMMARY:C-1",
        "UID:b@x\r\nDTSTART:20270328T023000\r\nDURATION:PT50M\r\nSUMMARY:C-1"), MADRID, NOW)
    assert rows[0].starts_at == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert len(problems) == 1 and "does not exist" in problems[0].reason
    assert problems[0].line == 11  # the line of its UID


def test_a_web_address_as_location_makes_a_video_appointment():
    [row], _ = read_ics(calendar("UID:v@x\r\nDTSTART:20261203T100000Z\r\nDURATION:PT30M\r\n"
                                 "SUMMARY:C-1\r\nLOCATION:https://meet.example/abc"),
                        MADRID, NOW)
    assert (row.kind, row.room) == ("video", None)


def test_past_and_far_events_are_outside_the_window():
    rows, _ = read_ics(calendar(
        "UID:old@x\r\nDTSTART:20261101T100000Z\r\nDURATION:PT50M\r\nSUMMARY:C-1",
        "UID:far@x\r\nDTSTART:20280101T100000Z\r\nDURATION:PT50M\r\nSUMMARY:C-1"),
        MADRID, NOW)
    assert rows == []


def test_the_right_check_in_for_an_appointment():
    start = NOW + timedelta(minutes=10)
    assert right_questionnaire(start, NOW, set(), survey_due=False) == "pre_session"
    assert right_questionnaire(start, NOW, {"pre_session"}, False) == "post_session"
    later = start + timedelta(minutes=1)
    assert right_questionnaire(start, later, set(), False) == "post_session"
    assert right_questionnaire(start, later, {"post_session"}, False) is None
    assert right_questionnaire(start, later, {"post_session"}, True) == "periodic"
    assert right_questionnaire(start, later, {"post_session", "periodic"}, True) is None


def test_a_rule_repeating_every_minute_stops_at_the_limit():
    rows, problems = read_ics(calendar(
        "UID:m@x\r\nDTSTART:20261201T100000Z\r\nDURATION:PT1M\r\nRRULE:FREQ=MINUTELY\r\n"
        "SUMMARY:C-1"), MADRID, NOW)
    assert len(rows) + len(problems) == MAX_ROWS + 1
    assert problems[-1].reason == f"more than {MAX_ROWS} events"
