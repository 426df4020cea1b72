"""The audit log is append-only in the database itself, whatever code runs against it."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from intake.extensions import db
from intake.infra.database import write_transaction
from intake.models import AuditEvent, Role, utcnow
from intake.practice import audit
from tests.conftest import post


@pytest.fixture
def event_id(app, make_staff, make_client):
    actor, someone = make_staff(Role.ADMIN), make_client()
    with app.app_context():
        audit.record("brief.viewed", actor.id, someone.id, detail="C-0001")
        found = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
        db.session.remove()
    return found


@pytest.mark.parametrize("change", [
    {"action": "nothing.happened"}, {"at": datetime(2020, 1, 1, tzinfo=UTC)},
    {"actor_id": "other"}, {"client_id": "other"},
], ids=["action", "time", "actor", "client"])
def test_an_event_cannot_be_rewritten(app, event_id, change, make_staff, make_client):
    # Another existing staff member or client: only the trigger can refuse it.
    if change.get("actor_id") == "other":
        change = {"actor_id": make_staff().id}
    if change.get("client_id") == "other":
        change = {"client_id": make_client().id}
    with app.app_context(), pytest.raises(DBAPIError), write_transaction() as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(**change))


def test_an_event_cannot_be_deleted(app, event_id):
    with app.app_context(), pytest.raises(DBAPIError), write_transaction() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == event_id))
    with app.app_context():
        assert db.session.get(AuditEvent, event_id) is not None
        db.session.remove()


def test_erasing_a_client_may_unlink_and_redact_an_event(app, event_id):
    with app.app_context(), write_transaction() as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == event_id)
                        .values(client_id=None, detail="[erased client]"))
    with app.app_context():
        event = db.session.get(AuditEvent, event_id)
        assert (event.action, event.client_id, event.detail) == (
            "brief.viewed", None, "[erased client]")
        db.session.remove()


# Reading the log


def _actions(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(select(AuditEvent.action, AuditEvent.actor_id,
                                         AuditEvent.client_id).order_by(AuditEvent.id)).all()
        db.session.remove()
    return [tuple(row) for row in rows]


@pytest.fixture
def admin_browser(client, login, make_staff):
    admin = make_staff(Role.ADMIN, name="Ada Admin")
    login(admin)
    client.admin = admin
    return client


def test_an_admin_reads_the_log_and_reading_it_is_recorded(app, admin_browser, make_client):
    someone = make_client()
    with app.app_context():
        audit.record("brief.viewed", someone.therapist.id, someone.id)
        db.session.remove()
    page = admin_browser.get("/staff/admin/audit").get_data(as_text=True)
    assert "Opened the client&#39;s answers" in page and someone.reference in page
    assert ("audit.viewed", admin_browser.admin.id, None) in _actions(app)


def test_the_log_is_in_the_readers_language(app, client, login, make_staff, make_client):
    reader = make_staff(Role.ADMIN, locale="es")
    someone = make_client()
    with app.app_context():
        audit.record("brief.viewed", someone.therapist.id, someone.id)
        db.session.remove()
    login(reader)
    page = client.get("/staff/admin/audit").get_data(as_text=True)
    assert "Opened the client&#39;s answers" not in page
    assert "Audit log" not in page


def test_filters_by_staff_client_action_and_dates(app, admin_browser, make_client, make_staff):
    first, second = make_client(), make_client()
    other = make_staff()
    with app.app_context():
        audit.record("brief.viewed", first.therapist.id, first.id)
        audit.record("export.client", other.id, second.id)
        db.session.remove()
    by_client = admin_browser.get(f"/staff/admin/audit?client={second.reference}")
    text = by_client.get_data(as_text=True)
    assert second.reference in text and f">{first.reference}<" not in text
    assert ("audit.viewed", admin_browser.admin.id, second.id) in _actions(app)
    by_staff = admin_browser.get(f"/staff/admin/audit?staff={other.id}").get_data(as_text=True)
    assert "Downloaded the client&#39;s answers" in by_staff
    assert "Opened the client&#39;s answers" not in by_staff
    by_action = admin_browser.get("/staff/admin/audit?action=brief.viewed")
    assert f">{second.reference}<" not in by_action.get_data(as_text=True)
    today = utcnow().date()
    past = admin_browser.get(f"/staff/admin/audit?until={today.replace(year=today.year - 1)}")
    assert "No entries." in past.get_data(as_text=True)
    unknown = admin_browser.get("/staff/admin/audit?client=NOBODY").get_data(as_text=True)
    assert "No client has this reference." in unknown


def test_fifty_a_page(app, admin_browser, make_client):
    someone = make_client()
    with app.app_context():
        with write_transaction() as session:
            for _ in range(120):
                audit.add(session, "brief.viewed", someone.therapist.id, someone.id)
        db.session.remove()
    first = admin_browser.get("/staff/admin/audit?action=brief.viewed").get_data(as_text=True)
    assert first.count("<tr>") == 50 + 1 and "Page 1 of 3" in first
    last = admin_browser.get("/staff/admin/audit?action=brief.viewed&page=3")
    assert last.get_data(as_text=True).count("<tr>") == 20 + 1
    assert 'action=brief.viewed' in first.split('class="pager"')[1]


def test_the_csv_export_is_a_post_and_is_recorded(app, admin_browser, make_client,
                                                  make_staff):
    import csv
    import io

    someone = make_client()
    formula = make_staff(name="=HYPERLINK(1)")
    with app.app_context():
        audit.record("brief.viewed", formula.id, someone.id)
        db.session.remove()
    assert admin_browser.get("/staff/admin/audit/export").status_code == 405
    response = post(admin_browser, "/staff/admin/audit/export", {"action": "brief.viewed"},
                    token_from="/staff/admin/audit")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="intake-audit')
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row["action"] for row in rows] == ["brief.viewed"]
    assert rows[0]["action_label"] == "Opened the client's answers"
    assert rows[0]["client_reference"] == someone.reference
    assert rows[0]["staff"] == "'=HYPERLINK(1)"  # inert in a spreadsheet
    assert ("audit.exported", admin_browser.admin.id, None) in _actions(app)


def test_who_has_seen_a_clients_answers(app, admin_browser, make_client, make_staff):
    someone, other = make_client(), make_client()
    with app.app_context():
        audit.record("brief.viewed", someone.therapist.id, someone.id)
        audit.record("export.client", someone.therapist.id, someone.id)
        audit.record("brief.viewed", other.therapist.id, other.id)
        audit.record("export.responses", admin_browser.admin.id, None, "format=csv")
        audit.record("check_in.created", None, someone.id, "intake")
        db.session.remove()
    page = admin_browser.get(f"/staff/clients/{someone.id}/seen-by").get_data(as_text=True)
    assert page.count("<tr>") == 3 + 1  # viewed, exported, and the practice-wide export
    assert "Downloaded every client&#39;s answers" in page
    assert ("audit.viewed", admin_browser.admin.id, someone.id) in _actions(app)


def test_every_recorded_action_has_a_label():
    import pathlib
    import re

    from intake.models import AppointmentState
    from intake.reports.audit_log import ACTIONS

    source = "\n".join(path.read_text() for path in pathlib.Path("intake").rglob("*.py"))
    recorded = set(re.findall(r'audit\.(?:add|record)\([^"]*"([a-z_]+\.[a-z_]+)"', source))
    recorded |= {"staff.disabled", "room.deactivated"}  # chosen by a condition
    recorded |= {f"appointment.{state}" for state in AppointmentState}  # made from the state
    recorded |= {"consent.accepted", "consent.declined"}
    recorded |= {f"follow_up.{state}" for state in ("open", "contacted", "resolved")}
    assert recorded <= ACTIONS.keys()


@pytest.mark.parametrize("locale", ["en", "es", "ar", "zh_Hans"])
def test_the_audit_pages_in_every_locale(app, client, login, make_staff, make_client, locale):
    reader = make_staff(Role.ADMIN, locale=locale)
    someone = make_client()
    with app.app_context():
        audit.record("brief.viewed", someone.therapist.id, someone.id)
        db.session.remove()
    login(reader)
    direction = "rtl" if locale == "ar" else "ltr"
    for path in ("/staff/admin/audit", f"/staff/clients/{someone.id}/seen-by"):
        page = client.get(path)
        assert page.status_code == 200
        assert f'dir="{direction}"' in page.get_data(as_text=True)
        if locale != "en":
            assert "Opened the client&#39;s answers" not in page.get_data(as_text=True)
