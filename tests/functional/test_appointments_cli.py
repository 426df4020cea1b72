"""`flask appointments add|import`, `flask rooms add` and `flask checkin` for an appointment."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import Appointment, AuditEvent, CheckIn, Practice, Room, utcnow
from tests.timezones import noon_zone

MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args):
        return runner.invoke(args=list(args))

    return run


@pytest.fixture
def in_madrid(app):
    with app.app_context(), write_transaction() as session:
        session.execute(update(Practice).values(timezone="Europe/Madrid"))


def local(days: int, hour: int = 10, minute: int = 0) -> str:
    """A wall-clock time in Madrid, some days from now."""
    day = (utcnow() + timedelta(days=days)).astimezone(MADRID)
    return f"{day:%Y-%m-%d} {hour:02d}:{minute:02d}"


def next_change(forward: bool) -> datetime:
    """The local date of Madrid's next clock change in that direction."""
    day = utcnow().astimezone(MADRID).replace(hour=12, minute=0, second=0, microsecond=0)
    for _ in range(370):
        following = day + timedelta(days=1)
        before, after = day.utcoffset(), following.astimezone(MADRID).utcoffset()
        if (after > before) if forward else (after < before):
            return following
        day = following
    raise AssertionError("no clock change within a year")


def appointments(app):
    with app.app_context():
        return list(db.session.scalars(select(Appointment).order_by(Appointment.starts_at)))


def test_add_prints_the_appointment_in_the_practices_time(app, cli, make_client, in_madrid):
    someone = make_client(reference="C-7")
    with app.app_context(), write_transaction() as session:
        session.add(Room(name="Blue room"))
    result = cli("appointments", "add", "C-7", "--at", local(3, 9, 30), "--minutes", "45",
                 "--room", "blue ROOM")
    assert result.exit_code == 0, result.output
    assert f"C-7 on {local(3, 9, 30)} (Europe/Madrid), 45 min, in person in Blue room" \
        in result.output
    [stored] = appointments(app)
    assert stored.client_id == someone.id and stored.therapist_id == someone.therapist.id
    assert stored.starts_at.astimezone(MADRID).strftime("%Y-%m-%d %H:%M") == local(3, 9, 30)
    assert stored.state == "scheduled"


def test_add_uses_the_practices_usual_length_and_takes_video(app, cli, make_client):
    make_client(reference="C-8")
    result = cli("appointments", "add", "C-8", "--at", local(2), "--video")
    assert result.exit_code == 0, result.output
    assert "50 min, video" in result.output
    assert appointments(app)[0].kind == "video"


def test_add_warns_of_a_taken_therapist(app, cli, make_client, make_staff):
    therapist = make_staff()
    make_client(therapist=therapist, reference="C-1")
    make_client(therapist=therapist, reference="C-2")
    assert cli("appointments", "add", "C-1", "--at", local(1, 10)).exit_code == 0
    result = cli("appointments", "add", "C-2", "--at", local(1, 10, 30))
    assert result.exit_code == 0
    assert "warning: the therapist is already taken at that time: C-1 at" in result.output
    assert len(appointments(app)) == 2


@pytest.mark.parametrize(("args", "message"), [
    (["NOBODY", "--at", "{t}"], "No client with the reference NOBODY"),
    (["C-9", "--at", "{t}", "--room", "Attic"], "No room called Attic"),
    (["C-9", "--at", "{t}", "--minutes", "-5"], "positive number of minutes"),
    (["C-9", "--at", "{t}", "--minutes", "0"], "positive number of minutes"),
    (["C-9", "--at", "tomorrow at ten"], "YYYY-MM-DD HH:MM"),
    (["C-9", "--at", "{far}"], "more than a year away"),
])
def test_add_refuses_bad_input_and_writes_nothing(app, cli, make_client, in_madrid, args,
                                                  message):
    make_client(reference="C-9")
    args = [arg.format(t=local(1), far=local(400)) for arg in args]
    result = cli("appointments", "add", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert appointments(app) == []


def test_add_refuses_a_time_the_clocks_skip_or_repeat(app, cli, make_client, in_madrid):
    make_client(reference="C-9")
    forward, back = next_change(forward=True), next_change(forward=False)
    skipped = cli("appointments", "add", "C-9", "--at", f"{forward:%Y-%m-%d} 02:30")
    assert skipped.exit_code != 0
    assert "does not exist in Europe/Madrid" in skipped.output
    repeated = cli("appointments", "add", "C-9", "--at", f"{back:%Y-%m-%d} 02:30")
    assert repeated.exit_code != 0
    assert "happens twice in Europe/Madrid" in repeated.output
    assert appointments(app) == []


def test_rooms_add_and_a_taken_name(app, cli):
    assert cli("rooms", "add", "Garden room").output == "added room Garden room\n"
    again = cli("rooms", "add", "garden ROOM")
    assert again.exit_code != 0 and "already exists" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Room.id))) == 1


def test_the_commands_have_help(cli):
    assert "--video" in cli("appointments", "add", "--help").output
    text = cli("appointments", "import", "--help").output
    assert "reference,start,minutes,room,kind" in text
    assert "--dry-run" in text


CSV_HEADER = "reference,start,minutes,room,kind\n"


def test_csv_import_twice_changes_nothing(app, cli, make_client, tmp_path, in_madrid):
    make_client(reference="C-1")
    make_client(reference="C-2")
    add_room_named(app, "Room 1")
    path = tmp_path / "day.csv"
    path.write_text(CSV_HEADER + f"C-1,{local(1, 9)},,Room 1,\nC-2,{local(1, 10)},30,,video\n")
    dry = cli("appointments", "import", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"would add: C-1 on {local(1, 9)}, 50 min, in person in Room 1" in dry.output
    assert "dry run: 2 new, 0 moved, 0 unchanged" in dry.output
    assert appointments(app) == []
    first = cli("appointments", "import", str(path))
    assert first.exit_code == 0, first.output
    assert "2 new" in first.output
    second = cli("appointments", "import", str(path))
    assert second.exit_code == 0
    assert "0 new, 0 moved, 2 unchanged" in second.output
    stored = appointments(app)
    assert [(a.minutes, a.kind) for a in stored] == [(50, "in_person"), (30, "video")]
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "appointments.imported")) == 1


def test_a_csv_with_bad_rows_imports_nothing_and_lists_every_one(app, cli, make_client,
                                                                 tmp_path, in_madrid):
    make_client(reference="C-1")
    forward = next_change(forward=True)
    path = tmp_path / "bad.csv"
    path.write_text(CSV_HEADER + "\n".join([
        f"C-1,{local(1, 9)},,,",                 # line 2: fine
        f"C-404,{local(1, 10)},,,",              # 3: unknown client
        f"C-1,{local(1, 11)},,Attic,",           # 4: unknown room
        f"C-1,{forward:%Y-%m-%d} 02:30,,,",      # 5: skipped by the clocks
        f"C-1,{local(1, 12)},-10,,",             # 6: negative length
        "C-1,not a time,,,",                     # 7
        f"C-1,{local(1, 13)},,,by pigeon",       # 8: unknown kind
        f"C-1,{local(1, 9)},,,",                 # 9: the same as line 2
    ]) + "\n")
    result = cli("appointments", "import", str(path))
    assert result.exit_code != 0
    for line, reason in [(3, "no client with the reference 'C-404'"),
                         (4, "no room called 'Attic'"), (5, "does not exist"),
                         (6, "positive number of minutes"), (7, "YYYY-MM-DD HH:MM"),
                         (8, "Unknown kind"), (9, "appears twice")]:
        assert f"line {line}: " in result.output and reason in result.output, (line, reason)
    assert "line 2:" not in result.output
    assert "7 problems: nothing was imported" in result.output
    assert appointments(app) == []


def test_a_csv_without_the_header_is_refused(app, cli, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("C-1,2026-12-01 10:00\n")
    result = cli("appointments", "import", str(path))
    assert result.exit_code != 0 and "the header must be" in result.output


def add_room_named(app, name):
    with app.app_context(), write_transaction() as session:
        session.add(Room(name=name))


def ics(*events: str) -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n"


def stamp(days: int, hour: int) -> str:
    day = (utcnow() + timedelta(days=days)).astimezone(MADRID)
    return f"{day:%Y%m%d}T{hour:02d}0000"


def test_ics_import_expands_a_recurring_event_and_is_idempotent(app, cli, make_client,
                                                                tmp_path, in_madrid):
    make_client(reference="C-1001")
    make_client(reference="C-1002")
    add_room_named(app, "Room 1")
    path = tmp_path / "calendar.ics"
    path.write_text(ics(
        f"""UID:weekly@example.org
DTSTART;TZID=Europe/Madrid:{stamp(1, 10)}
DTEND;TZID=Europe/Madrid:{stamp(1, 10).replace("T1000", "T1050")}
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:C-1001 weekly
LOCATION:Room 1""",
        f"""UID:video@example.org
DTSTART;TZID=Europe/Madrid:{stamp(2, 16)}
DURATION:PT30M
SUMMARY:Video call
DESCRIPTION:Client: C-1002
LOCATION:https://meet.example.org/abc""",
        f"""UID:cancelled@example.org
STATUS:CANCELLED
DTSTART;TZID=Europe/Madrid:{stamp(3, 9)}
DURATION:PT50M
SUMMARY:C-1002"""))
    first = cli("appointments", "import", str(path))
    assert first.exit_code == 0, first.output
    assert "5 new, 0 moved, 0 unchanged" in first.output
    stored = appointments(app)
    weekly = [a for a in stored if a.kind == "in_person"]
    assert len(weekly) == 4
    assert {a.minutes for a in weekly} == {50}
    assert all(a.room_id is not None for a in weekly)
    assert [a.starts_at.astimezone(MADRID).hour for a in weekly] == [10] * 4
    video = next(a for a in stored if a.kind == "video")
    assert video.minutes == 30 and video.room_id is None
    again = cli("appointments", "import", str(path))
    assert "0 new, 0 moved, 5 unchanged" in again.output
    assert len(appointments(app)) == 5


def test_an_event_moved_in_the_calendar_moves_on_the_next_import(app, cli, make_client,
                                                                 tmp_path, in_madrid):
    make_client(reference="C-5")
    path = tmp_path / "c.ics"
    path.write_text(ics(f"UID:one@x\nDTSTART;TZID=Europe/Madrid:{stamp(2, 10)}\n"
                        "DURATION:PT50M\nSUMMARY:C-5"))
    assert cli("appointments", "import", str(path)).exit_code == 0
    path.write_text(ics(f"UID:one@x\nDTSTART;TZID=Europe/Madrid:{stamp(2, 12)}\n"
                        "DURATION:PT50M\nSUMMARY:C-5"))
    result = cli("appointments", "import", str(path))
    assert "0 new, 1 moved, 0 unchanged" in result.output
    [moved] = appointments(app)
    assert moved.starts_at.astimezone(MADRID).hour == 12


def test_an_ics_with_bad_events_imports_nothing(app, cli, make_client, tmp_path, in_madrid):
    make_client(reference="C-1")
    path = tmp_path / "c.ics"
    path.write_text(ics(
        f"UID:fine@x\nDTSTART;TZID=Europe/Madrid:{stamp(1, 10)}\nDURATION:PT50M\nSUMMARY:C-1",
        f"UID:lunch@x\nDTSTART;TZID=Europe/Madrid:{stamp(1, 13)}\nDURATION:PT1H\n"
        "SUMMARY:Lunch",
        f"UID:allday@x\nDTSTART;VALUE=DATE:{stamp(2, 0)[:8]}\nSUMMARY:C-1",
        f"UID:attic@x\nDTSTART;TZID=Europe/Madrid:{stamp(3, 10)}\nDURATION:PT50M\n"
        "SUMMARY:C-1\nLOCATION:Attic"))
    result = cli("appointments", "import", str(path))
    assert result.exit_code != 0
    assert "names no client" in result.output
    assert "all-day event" in result.output
    assert "no room called 'Attic'" in result.output
    assert "3 problems: nothing was imported" in result.output
    assert appointments(app) == []


def test_a_broken_ics_is_one_problem(app, cli, tmp_path):
    path = tmp_path / "c.ics"
    path.write_text("BEGIN:VCALENDAR\nthis is not iCalendar\n")
    result = cli("appointments", "import", str(path))
    assert result.exit_code != 0 and "not a readable iCalendar file" in result.output


def test_checkin_attaches_to_the_appointment_of_today(app, cli, make_client):
    with app.app_context(), write_transaction() as session:
        session.execute(update(Practice).values(timezone=noon_zone(utcnow())))
    someone = make_client(reference="C-3")
    with app.app_context(), write_transaction() as session:
        today = Appointment(client_id=someone.id, therapist_id=someone.therapist.id,
                            starts_at=utcnow() + timedelta(minutes=5))
        later = Appointment(client_id=someone.id, therapist_id=someone.therapist.id,
                            starts_at=utcnow() + timedelta(days=7))
        session.add_all([today, later])
        session.flush()
        today_id, later_id = today.id, later.id
    result = cli("checkin", "C-3", "pre_session")
    assert result.exit_code == 0, result.output
    assert f"for appointment {today_id}" in result.output
    chosen = cli("checkin", "C-3", "post_session", "--appointment", str(later_id))
    assert f"for appointment {later_id}" in chosen.output
    intake = cli("checkin", "C-3", "intake")
    assert "for appointment" not in intake.output
    with app.app_context():
        assert db.session.scalars(select(CheckIn.appointment_id).order_by(CheckIn.id)).all() \
            == [today_id, later_id, None]
    other = make_client(reference="C-4")
    refused = cli("checkin", other.reference, "pre_session", "--appointment", str(later_id))
    assert refused.exit_code != 0 and "no appointment" in refused.output
