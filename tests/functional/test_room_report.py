"""The room feedback page: counts of clients per room and month, for admins only."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_skeleton

from intake.infra.database import write_transaction
from intake.models import Appointment, Role, utcnow
from tests.conftest import add_room, counting_queries

PATH = "/staff/admin/room-feedback"
HIDDEN = "Not enough answers to show (fewer than 5)"
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def this_month() -> datetime:
    """A moment early in the current UTC month, so a slow test never crosses into the next."""
    now = utcnow()
    return datetime(now.year, now.month, 1, 0, 1, tzinfo=UTC)


def month_name(moment: datetime, locale: str = "en") -> str:
    return format_skeleton("yMMMM", moment.date(), locale=locale)


def add_appointment(app, someone, room_id: int | None, starts_at: datetime) -> None:
    with app.app_context(), write_transaction() as session:
        session.add(Appointment(client_id=someone.id, therapist_id=someone.therapist.id,
                                room_id=room_id, starts_at=starts_at))


@pytest.fixture
def therapist(make_staff):
    return make_staff(Role.THERAPIST)


@pytest.fixture
def people(make_client, therapist):
    """Ten clients with references that must never appear on the page."""
    return [make_client(therapist=therapist, reference=f"REF-{n:03d}") for n in range(10)]


@pytest.fixture
def feedback(app, make_response, people):
    """Garden room: six clients this month (one answering twice); Blue room: four."""
    garden, blue = add_room(app, "Garden room"), add_room(app, "Blue room")
    when = this_month()

    def post_session(someone, room_id, *codes, later=timedelta(0)):
        make_response(someone, "post_session", {"room_problems": list(codes)}, when=when + later,
                      room_id=room_id)

    post_session(people[0], garden, "too_cold", "overheard")
    post_session(people[0], garden, "too_cold", later=timedelta(minutes=5))  # counts once
    post_session(people[1], garden, "too_cold")
    post_session(people[2], garden, "too_cold")
    post_session(people[3], garden, "overheard")
    post_session(people[4], garden, "nothing")
    # A periodic survey counts for the room of the client's latest appointment before it.
    add_appointment(app, people[5], blue, when - timedelta(days=40))
    add_appointment(app, people[5], garden, when - timedelta(days=3))
    make_response(people[5], "periodic", {"room_problems": ["rather_not_say"]}, when=when)
    for someone in people[6:]:
        post_session(someone, blue, "noisy")
    return {"garden": garden, "blue": blue}


def page_of(client) -> str:
    response = client.get(PATH)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_an_admin_sees_counts_of_clients_per_room_and_month(client, login, make_staff,
                                                            feedback, people, locale):
    login(make_staff(Role.ADMIN, locale=locale))
    page = page_of(client)
    assert f'<html lang="{locale}" dir="{"rtl" if locale == "ar" else "ltr"}">' in page
    garden = page.split("<bdi>Garden room</bdi>")[1].split("</section>")[0]
    assert month_name(this_month(), locale) in garden
    assert "<td>6</td>" in garden  # six clients answered, one of them twice
    # Too cold: 3 of 6; worried about being overheard: 2 of 6 (in the page's language).
    cells = re.findall(r"<td>([^<]*\(\d+\s?%\))</td>", garden)
    assert [re.findall(r"\d+", cell)[:2] for cell in cells][:2] == [["3", "6"], ["2", "6"]]
    if locale == "en":
        assert "3 of 6 clients (50%)" in garden and "2 of 6 clients (33%)" in garden
    labels = {"en": ("It was too cold", "I worried people outside could hear"),
              "ar": ("كانت الغرفة باردة جدًا",)}[locale]
    assert all(label in garden for label in labels)
    [svg] = SVG.findall(garden)
    assert 'role="img"' in svg and "style=" not in svg
    assert f'direction="{"rtl" if locale == "ar" else "ltr"}"' in svg
    assert ">100%</text>" in svg  # the y axis is in per cent


def test_a_room_and_month_with_four_clients_shows_no_numbers(client, login, make_staff,
                                                             feedback):
    login(make_staff(Role.ADMIN))
    page = page_of(client)
    blue = page.split("<bdi>Blue room</bdi>")[1].split("</section>")[0]
    assert "Not enough answers to show for any month (fewer than 5 each month)." in blue
    text = re.sub(r"<[^>]+>", "", blue)
    assert not re.search(r"\d", text.replace("fewer than 5", "")), text
    assert "<svg" not in blue and "<table" not in blue
    # Its only problem is not named anywhere, not even as a column of another room.
    assert "It was noisy" not in page
    # Months without enough answers in a room that has figures say so, in the table.
    garden = page.split("<bdi>Garden room</bdi>")[1].split("</section>")[0]
    assert garden.count(HIDDEN) == 11


def test_the_page_never_names_or_links_to_a_client(client, login, make_staff, feedback, people):
    login(make_staff(Role.ADMIN))
    page = page_of(client)
    assert "REF-" not in page
    assert "/staff/clients/" not in page
    assert not any(f"client_id={someone.id}" in page for someone in people)


def test_the_filter_chooses_how_many_months_are_shown(client, login, make_staff, feedback):
    login(make_staff(Role.ADMIN))
    default = page_of(client)
    assert default.count(HIDDEN) == 11
    assert '<option value="12" selected>The last 12 months</option>' in default
    three = client.get(PATH, query_string={"months": 3}).get_data(as_text=True)
    assert three.count(HIDDEN) == 2
    assert '<option value="3" selected>The last 3 months</option>' in three
    for nonsense in ("7", "-1", "lots", "100000"):
        page = client.get(PATH, query_string={"months": nonsense}).get_data(as_text=True)
        assert page.count(HIDDEN) == 11, nonsense


def test_old_answers_fall_outside_the_window(app, client, login, make_staff, make_response,
                                             people):
    garden = add_room(app, "Garden room")
    long_ago = this_month() - timedelta(days=400)
    for someone in people[:5]:
        make_response(someone, "post_session", {"room_problems": ["light"]}, when=long_ago,
                      room_id=garden)
    login(make_staff(Role.ADMIN))
    page = page_of(client)
    assert "Not enough answers to show for any month" in page
    two_years = client.get(PATH, query_string={"months": 24}).get_data(as_text=True)
    assert month_name(long_ago) in two_years
    assert "5 of 5 clients (100%)" in two_years


def test_the_number_of_queries_does_not_grow_with_the_answers(app, client, login, make_staff,
                                                              make_response, people):
    garden = add_room(app, "Garden room")
    login(make_staff(Role.ADMIN))

    def queries() -> int:
        """Count the statements that read answers or appointments for one page."""
        with counting_queries(app) as statements:
            page_of(client)
        return sum(bool(re.search(r"\b(response|answer|appointment)\b", s, re.I))
                   for s in statements)

    add_appointment(app, people[0], garden, this_month() - timedelta(days=1))
    make_response(people[0], "periodic", {"room_problems": ["seating"]}, when=this_month())
    assert queries() == 1
    for someone in people:
        add_appointment(app, someone, garden, this_month() - timedelta(days=2))
        make_response(someone, "periodic", {"room_problems": ["seating"]}, when=this_month())
        make_response(someone, "post_session", {"room_problems": ["light"]}, when=this_month(),
                      room_id=garden)
    assert queries() == 1
    assert "10 of 10 clients (100%)" in page_of(client)


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.FRONTDESK])
def test_everyone_but_an_admin_gets_a_404(client, login, make_staff, feedback, role):
    login(make_staff(role))
    assert client.get(PATH).status_code == 404
    assert PATH not in client.get("/staff/").get_data(as_text=True)


def test_the_admin_menu_links_to_the_page(client, login, make_staff):
    login(make_staff(Role.ADMIN))
    rooms = client.get("/staff/admin/rooms").get_data(as_text=True)
    assert f'<a href="{PATH}">Room feedback</a>' in rooms
    assert f'<a href="{PATH}" aria-current="page">Room feedback</a>' in page_of(client)
    assert "No rooms yet." in page_of(client)


def test_a_cancelled_appointment_does_not_place_a_periodic_survey(app, client, login,
                                                                 make_staff, make_response,
                                                                 people):
    from sqlalchemy import update

    from intake.models import Appointment

    garden, blue = add_room(app, "Garden room"), add_room(app, "Blue room")
    when = this_month()
    # Five clients were last in the Garden room; each had a Blue room appointment after it
    # that was cancelled: their surveys speak of the Garden room.
    for someone in people[:5]:
        add_appointment(app, someone, garden, when - timedelta(days=10))
        add_appointment(app, someone, blue, when - timedelta(days=1))
        make_response(someone, "periodic", {"room_problems": ["seating"]}, when=when)
    with app.app_context(), write_transaction() as session:
        session.execute(update(Appointment).where(Appointment.room_id == blue)
                        .values(state="cancelled"))
    login(make_staff(Role.ADMIN))
    page = page_of(client)
    garden_part = page.split("<bdi>Garden room</bdi>")[1].split("</section>")[0]
    assert "<td>5</td>" in garden_part
