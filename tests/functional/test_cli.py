"""The command line: each command works, and fails cleanly on a wrong argument."""

import pytest
from sqlalchemy import func, select

from intake.extensions import db
from intake.models import CheckIn, Client, Practice, Response, Staff


@pytest.fixture
def cli(app, monkeypatch):
    monkeypatch.setenv("INTAKE_PASSWORD", "a long enough password")
    runner = app.test_cli_runner()

    def run(*args):
        return runner.invoke(args=list(args))

    return run


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_staff_add(app, cli):
    result = cli("staff", "add", "Ana@Example.org", "--role", "therapist", "--name", "Ana",
                 "--locale", "es")
    assert result.exit_code == 0, result.output
    with app.app_context():
        staff = db.session.scalar(select(Staff))
        assert (staff.email, staff.role, staff.locale) == ("ana@example.org", "therapist", "es")
        assert staff.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize("args,message", [
    (["x@example.org", "--role", "janitor"], "Invalid value for '--role'"),
    (["not-an-email", "--role", "admin"], "not an email address"),
    (["x@example.org", "--role", "admin", "--locale", "de"], "unknown locale"),
])
def test_staff_add_refuses_bad_arguments(app, cli, args, message):
    result = cli("staff", "add", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert count(app, Staff) == 0


def test_staff_add_refuses_a_duplicate(app, cli):
    cli("staff", "add", "a@example.org", "--role", "admin")
    result = cli("staff", "add", "A@example.org", "--role", "therapist")
    assert result.exit_code == 1 and "already exists" in result.output
    assert count(app, Staff) == 1


def test_staff_add_prompts_for_a_password(app, monkeypatch):
    monkeypatch.delenv("INTAKE_PASSWORD", raising=False)
    result = app.test_cli_runner().invoke(
        args=["staff", "add", "p@example.org", "--role", "frontdesk"],
        input="prompted password\nprompted password\n",
    )
    assert result.exit_code == 0, result.output
    assert "prompted password" not in result.output


def test_clients_add_and_its_errors(app, cli):
    cli("staff", "add", "t@example.org", "--role", "therapist")
    cli("staff", "add", "d@example.org", "--role", "frontdesk")
    assert cli("clients", "add", "C-1", "--therapist", "t@example.org",
               "--locale", "ar").exit_code == 0
    for args, message in [
        (["C-1", "--therapist", "t@example.org"], "already exists"),
        (["C-2", "--therapist", "nobody@example.org"], "no therapist"),
        (["C-2", "--therapist", "d@example.org"], "no therapist"),
        (["C-2", "--therapist", "t@example.org", "--locale", "xx"], "unknown locale"),
        (["bad ref!", "--therapist", "t@example.org"], "a reference has"),
    ]:
        result = cli("clients", "add", *args)
        assert result.exit_code == 1 and message in result.output, (args, result.output)
    assert count(app, Client) == 1


def test_checkin_prints_a_code_and_a_link(app, cli):
    cli("staff", "add", "t@example.org", "--role", "therapist")
    cli("clients", "add", "C-1", "--therapist", "t@example.org")
    result = cli("checkin", "C-1", "intake")
    assert result.exit_code == 0, result.output
    lines = dict(line.split(": ", 1) for line in result.output.strip().splitlines())
    assert len(lines["code"]) == 6
    assert lines["link"].startswith("http://127.0.0.1:5000/link/")
    client = app.test_client()
    assert client.get(lines["link"].removeprefix("http://127.0.0.1:5000")).headers[
        "Location"] == "/checkin"


def test_checkin_refuses_bad_arguments(app, cli):
    cli("staff", "add", "t@example.org", "--role", "therapist")
    cli("clients", "add", "C-1", "--therapist", "t@example.org")
    assert cli("checkin", "C-9", "intake").exit_code == 1
    assert cli("checkin", "C-1", "survey").exit_code == 2
    assert count(app, CheckIn) == 0


def test_demo_seeds_once_and_prints_the_logins(app, cli):
    first = cli("demo")
    assert first.exit_code == 0, first.output
    assert "admin@example.org" in first.output and "demo-password" in first.output
    staff_before = count(app, Staff)
    assert cli("demo").exit_code == 0
    assert count(app, Staff) == staff_before == 4
    assert count(app, Practice) == 1
    assert count(app, Client) >= 5


def test_demo_makes_benchmark_clients(app, cli):
    cli("demo")
    before = count(app, Response)
    result = cli("demo", "--clients", "3", "--appointments", "4")
    assert result.exit_code == 0, result.output
    assert count(app, Response) == before + 3 * (4 + 1)


def test_backup_while_writing_and_restore(app, cli, tmp_path):
    """A backup taken while tablets write is consistent, and restores to a working app."""
    import threading

    from sqlalchemy import func as sql_func

    from intake import create_app
    from intake.infra.database import write_transaction
    from intake.models import Room
    from tests import databases
    from tests.conftest import settings

    if databases.is_postgres():
        result = cli("backup", str(tmp_path / "copy.sqlite"))
        assert result.exit_code == 1 and "pg_dump" in result.output
        return
    stop, started = threading.Event(), threading.Event()

    def write():
        n = 0
        with app.app_context():
            while not stop.is_set():
                with write_transaction() as session:
                    session.add(Room(name=f"room {n}"))
                n += 1
                if n == 5:
                    started.set()
            db.session.remove()

    writer = threading.Thread(target=write)
    writer.start()
    assert started.wait(10)
    try:
        result = cli("backup", str(tmp_path / "copy.sqlite"))
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert cli("backup", str(tmp_path / "copy.sqlite")).exit_code == 1  # never overwrites
    restored = create_app(settings(tmp_path / "copy.sqlite"))
    with restored.app_context():
        # Every room committed before the backup began is in the copy.
        assert db.session.scalar(select(sql_func.count(Room.id))) >= 5
        assert db.session.scalar(select(sql_func.count(Practice.id))) == 1
        db.engine.dispose()
    assert restored.test_client().get("/").status_code == 200
