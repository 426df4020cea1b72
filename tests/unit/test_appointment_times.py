"""Wall-clock times in the practice's zone: gaps and repeated hours are refused, not guessed."""

from datetime import UTC, datetime, timedelta

import pytest

from intake.practice.appointments import (
    AppointmentError,
    check_times,
    day_bounds,
    parse_local,
    to_utc,
    zone_named,
)

MADRID = zone_named("Europe/Madrid")
NEW_YORK = zone_named("America/New_York")
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_an_ordinary_time_becomes_utc():
    assert to_utc(parse_local("2026-12-01 09:30"), MADRID) == datetime(2026, 12, 1, 8, 30,
                                                                       tzinfo=UTC)
    assert to_utc(parse_local("2026-07-01 09:30"), MADRID) == datetime(2026, 7, 1, 7, 30,
                                                                       tzinfo=UTC)


@pytest.mark.parametrize(("text", "zone"), [
    ("2027-03-28 02:30", MADRID),    # Madrid skips 02:00-03:00 on the last Sunday of March
    ("2027-03-14 02:15", NEW_YORK),  # New York skips 02:00-03:00 on the second Sunday
])
def test_a_time_the_clocks_skip_is_refused(text, zone):
    with pytest.raises(AppointmentError, match="does not exist"):
        to_utc(parse_local(text), zone)


@pytest.mark.parametrize(("text", "zone"), [
    ("2026-10-25 02:30", MADRID),
    ("2026-11-01 01:30", NEW_YORK),
])
def test_a_time_that_happens_twice_is_refused(text, zone):
    with pytest.raises(AppointmentError, match="happens twice"):
        to_utc(parse_local(text), zone)


def test_the_hours_around_a_change_are_accepted():
    assert to_utc(parse_local("2027-03-28 03:00"), MADRID) == datetime(2027, 3, 28, 1, 0,
                                                                       tzinfo=UTC)
    assert to_utc(parse_local("2026-10-25 03:00"), MADRID) == datetime(2026, 10, 25, 2, 0,
                                                                       tzinfo=UTC)


@pytest.mark.parametrize("text", ["tomorrow", "2026-13-01 09:00", "2026-12-01", "09:00",
                                  "2026-12-01 25:00", ""])
def test_anything_but_a_date_and_time_is_refused(text):
    with pytest.raises(AppointmentError, match="YYYY-MM-DD HH:MM"):
        parse_local(text)


def test_an_unknown_zone_is_refused():
    with pytest.raises(AppointmentError, match="Unknown time zone"):
        zone_named("Mars/Olympus_Mons")


@pytest.mark.parametrize("minutes", [0, -50])
def test_a_length_must_be_positive(minutes):
    with pytest.raises(AppointmentError, match="positive"):
        check_times(NOW, minutes, NOW)


def test_a_start_more_than_a_year_away_is_refused():
    check_times(NOW + timedelta(days=365), 50, NOW)
    with pytest.raises(AppointmentError, match="more than a year"):
        check_times(NOW + timedelta(days=400), 50, NOW)
    with pytest.raises(AppointmentError, match="more than a year"):
        check_times(NOW - timedelta(days=400), 50, NOW)


def test_a_day_is_the_practices_calendar_day():
    start, end = day_bounds(datetime(2026, 10, 25, 12, 0, tzinfo=UTC), MADRID)
    # The day the clocks go back is 25 hours long.
    assert start == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=25)
