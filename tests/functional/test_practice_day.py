"""A practice's day from its calendar file to the admin's room feedback and a due survey."""

import re
from datetime import timedelta

from sqlalchemy import select, update

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import Appointment, Practice, Role, utcnow
from intake.practice.appointments import day_bounds, zone_named
from tests.conftest import PASSWORD, Kiosk, add_room, post
from tests.timezones import noon_zone

CODE = re.compile(r'class="code" dir="ltr" translate="no">(\w{3}) (\w{3})<')


def stamp(moment) -> str:
    return f"{moment:%Y%m%dT%H%M%S}Z"


def test_a_day_from_the_calendar_to_room_feedback_and_a_due_survey(
        app, client, login, make_staff, make_client, tmp_path):
    now = utcnow()
    zone = noon_zone(now)  # the day has room before and after now
    with app.app_context(), write_transaction() as session:
        session.execute(update(Practice).values(survey_every_appointments=2, timezone=zone))
    add_room(app, "Garden room")
    therapist = make_staff(name="Ana Ruiz")
    people = [make_client(therapist=therapist, reference=f"C-10{n}") for n in range(5)]
    today, _ = day_bounds(now, zone_named(zone))
    started = (now - timedelta(minutes=30)).replace(second=0, microsecond=0)
    upcoming = now + timedelta(minutes=40)
    events = [
        # C-100 comes every week; today's occurrence is still to come.
        f"UID:weekly-c100@calendar.example\nDTSTART:{stamp(upcoming)}\nDURATION:PT50M\n"
        "RRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:C-100 weekly\nLOCATION:Garden room",
        # Five clients already in the Garden room today (C-100's earlier, extra one too).
        *(f"UID:today-{n}@calendar.example\nDTSTART:{stamp(started)}\nDURATION:PT50M\n"
          f"SUMMARY:Session\nDESCRIPTION:Client {someone.reference}\nLOCATION:Garden room"
          for n, someone in enumerate(people)),
    ]
    calendar = tmp_path / "practice.ics"
    calendar.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + "".join(
        f"BEGIN:VEVENT\r\n{event}\r\nEND:VEVENT\r\n" for event in events) + "END:VCALENDAR\r\n")
    imported = app.test_cli_runner().invoke(args=["appointments", "import", str(calendar)])
    assert "8 new, 0 moved, 0 unchanged" in imported.output, imported.output

    # Last week's appointment, from the old booking list, which the desk marks attended.
    history = tmp_path / "last-week.csv"
    last_week_there = (now - timedelta(days=7)).astimezone(zone_named(zone))
    history.write_text("reference,start,minutes,room,kind\n"
                       f"C-100,{last_week_there:%Y-%m-%d %H:%M},50,Garden room,\n")
    imported = app.test_cli_runner().invoke(args=["appointments", "import", str(history)])
    assert "1 new" in imported.output, imported.output
    with app.app_context():
        last_week = db.session.scalar(select(Appointment.id).where(
            Appointment.starts_at < today))
    login(make_staff(Role.FRONTDESK))
    post(client, f"/staff/appointments/{last_week}/mark", {"state": "attended"},
         token_from=f"/staff/appointments/{last_week}")
    today_page = client.get("/staff/today").get_data(as_text=True)
    assert today_page.count("Garden room") == 6  # the weekly one's later dates are not today

    with app.app_context():
        rows = db.session.execute(select(Appointment.id, Appointment.client_id,
                                         Appointment.starts_at)
                                  .where(Appointment.starts_at >= today)).all()
    before = next(row.id for row in rows if row.starts_at > now)
    after = {row.client_id: row.id for row in rows if row.starts_at <= now}

    def check_in_for(appointment_id) -> str:
        response = post(client, f"/staff/appointments/{appointment_id}/check-in",
                        token_from="/staff/today")
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        return "".join(CODE.search(page).groups())

    # Before: C-100's upcoming appointment takes the pre-session check-in.
    tablet = Kiosk(app.test_client())
    tablet.start(check_in_for(before))
    tablet.finish([{"feeling_today": "6"}, {}, {}])
    # After: each of the five gives post-session feedback about the room.
    for someone in people:
        tablet = Kiosk(app.test_client())
        tablet.start(check_in_for(after[someone.id]))
        tablet.finish([{"listened": "8"}, {"room_problems": "too_cold"}])
    today_page = client.get("/staff/today").get_data(as_text=True)
    assert today_page.count("Finished") == 6

    with app.app_context():
        states = dict(db.session.execute(select(Appointment.id, Appointment.state)).all())
    assert states[before] == "attended" and all(states[a] == "attended" for a in after.values())

    admin = app.test_client()
    post(admin, "/staff/login", {"email": make_staff(Role.ADMIN).email, "password": PASSWORD},
         token_from="/staff/login")
    garden = admin.get("/staff/admin/room-feedback").get_data(as_text=True).split(
        "<bdi>Garden room</bdi>")[1].split("</section>")[0]
    assert "<td>5</td>" in garden and "5 of 5 clients (100%)" in garden

    # Two attended appointments that took place: C-100's survey is due (today's upcoming
    # one counts once it has begun); the others have had one.
    due = admin.get("/staff/surveys").get_data(as_text=True)
    assert "C-100" in due
    assert not any(someone.reference in due for someone in people[1:])
