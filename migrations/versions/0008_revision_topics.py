"""one revision number per topic, and none for a device claiming a check-in

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 00:00:00

Kept staff pages named one number that every change raised, so a client typing a
code on the tablet made every kept page of the practice stale. Each kept page now
names the topics it shows (intake/infra/changes.py), and each topic has its own row:

    1 practice   practice settings, staff, rooms
    2 clients    clients and appointments
    3 check-ins  check-ins, but not a device claiming one again (only the claim changes;
                 no staff page shows it)
    4 answers    submitted (or erased) responses, and alerts
"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

TOPICS = {"practice": 1, "clients": 2, "check_ins": 3, "answers": 4}
TABLES = {"practice": "practice", "staff": "practice", "room": "practice",
          "client": "clients", "appointment": "clients", "check_in": "check_ins",
          "alert": "answers"}
OLD_TABLES = ("practice", "staff", "room", "client", "appointment", "check_in", "alert")
# A check-in change a staff page shows: anything but the claim and the link's use.
CHECK_IN_SEEN = " OR ".join(
    f"OLD.{column} IS {{distinct}} NEW.{column}"
    for column in ("id", "client_id", "appointment_id", "questionnaire", "code", "started_at",
                   "finished_at", "cancelled_at", "expires_at", "created_by_id"))


def _bump(topic: str) -> str:
    return f"UPDATE revision SET number = number + 1 WHERE id = {TOPICS[topic]}"


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for topic, number in TOPICS.items():
        if number != 1:
            op.execute(f"INSERT INTO revision (id, number) VALUES ({number}, 0)")
    _drop_old(sqlite)
    if sqlite:
        _sqlite_triggers()
    else:
        _postgresql_triggers()


def _sqlite_triggers():
    for table, topic in TABLES.items():
        for event in ("INSERT", "UPDATE", "DELETE"):
            when = ""
            if table == "check_in" and event == "UPDATE":
                when = "WHEN " + CHECK_IN_SEEN.format(distinct="NOT") + " "
            op.execute(f"CREATE TRIGGER revision_{table}_{event.lower()} AFTER {event} "
                       f"ON {table} {when}BEGIN {_bump(topic)}; END")
    # Responses: only a submission (or an erasure) changes what staff see, not a draft.
    op.execute("CREATE TRIGGER revision_response_insert AFTER INSERT ON response "
               f"WHEN NEW.submitted_at IS NOT NULL BEGIN {_bump('answers')}; END")
    op.execute("CREATE TRIGGER revision_response_update AFTER UPDATE OF submitted_at "
               "ON response WHEN OLD.submitted_at IS NOT NEW.submitted_at "
               f"BEGIN {_bump('answers')}; END")
    op.execute("CREATE TRIGGER revision_response_delete AFTER DELETE ON response "
               f"BEGIN {_bump('answers')}; END")


def _postgresql_triggers():
    # Deferred to the commit, so each row is locked last and briefly; once per topic and
    # transaction, however many rows it changed (a setting local to it says so).
    op.execute(
        "CREATE FUNCTION revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF current_setting('intake.revision_raised_' || TG_ARGV[0], true) "
        "IS DISTINCT FROM 'yes' THEN "
        "UPDATE revision SET number = number + 1 WHERE id = TG_ARGV[0]::integer; "
        "PERFORM set_config('intake.revision_raised_' || TG_ARGV[0], 'yes', true); "
        "END IF; RETURN NULL; END $$")
    deferred = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    for table, topic in TABLES.items():
        bump = f"EXECUTE FUNCTION revision_bump('{TOPICS[topic]}')"
        if table == "check_in":
            op.execute(f"CREATE CONSTRAINT TRIGGER revision_check_in AFTER INSERT OR DELETE "
                       f"ON check_in {deferred} {bump}")
            op.execute("CREATE CONSTRAINT TRIGGER revision_check_in_update AFTER UPDATE "
                       f"ON check_in {deferred} "
                       f"WHEN ({CHECK_IN_SEEN.format(distinct='DISTINCT FROM')}) {bump}")
            continue
        op.execute(f"CREATE CONSTRAINT TRIGGER revision_{table} AFTER INSERT OR UPDATE "
                   f"OR DELETE ON {table} {deferred} {bump}")
    answers = f"EXECUTE FUNCTION revision_bump('{TOPICS['answers']}')"
    op.execute(f"CREATE CONSTRAINT TRIGGER revision_response_insert AFTER INSERT ON response "
               f"{deferred} WHEN (NEW.submitted_at IS NOT NULL) {answers}")
    op.execute("CREATE CONSTRAINT TRIGGER revision_response_update AFTER UPDATE OF "
               f"submitted_at ON response {deferred} "
               f"WHEN (OLD.submitted_at IS DISTINCT FROM NEW.submitted_at) {answers}")
    op.execute(f"CREATE CONSTRAINT TRIGGER revision_response_delete AFTER DELETE ON response "
               f"{deferred} {answers}")


def _drop_old(sqlite: bool):
    """Drop the triggers of migration 0002 (one number for everything)."""
    if sqlite:
        for table in (*OLD_TABLES, "response"):
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS revision_{table}_{event}")
        return
    for table in OLD_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS revision_{table} ON {table}")
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS revision_response_{event} ON response")
    op.execute("DROP FUNCTION IF EXISTS revision_bump()")


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for table in (*TABLES, "response"):
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS revision_{table}_{event}")
    else:
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS revision_{table} ON {table}")
        op.execute("DROP TRIGGER IF EXISTS revision_check_in_update ON check_in")
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS revision_response_{event} ON response")
        op.execute("DROP FUNCTION IF EXISTS revision_bump()")
    op.execute("DELETE FROM revision WHERE id <> 1")
    # Migration 0002's triggers, one number for everything, as they were.
    bump = "UPDATE revision SET number = number + 1"
    if sqlite:
        for table in OLD_TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER revision_{table}_{event.lower()} AFTER {event} "
                           f"ON {table} BEGIN {bump}; END")
        op.execute("CREATE TRIGGER revision_response_insert AFTER INSERT ON response "
                   f"WHEN NEW.submitted_at IS NOT NULL BEGIN {bump}; END")
        op.execute("CREATE TRIGGER revision_response_update AFTER UPDATE OF submitted_at "
                   "ON response WHEN OLD.submitted_at IS NOT NEW.submitted_at "
                   f"BEGIN {bump}; END")
        op.execute("CREATE TRIGGER revision_response_delete AFTER DELETE ON response "
                   f"BEGIN {bump}; END")
        return
    op.execute(
        "CREATE FUNCTION revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF current_setting('intake.revision_raised', true) IS DISTINCT FROM 'yes' THEN "
        f"{bump}; PERFORM set_config('intake.revision_raised', 'yes', true); "
        "END IF; RETURN NULL; END $$")
    deferred = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    for table in OLD_TABLES:
        op.execute(f"CREATE CONSTRAINT TRIGGER revision_{table} AFTER INSERT OR UPDATE "
                   f"OR DELETE ON {table} {deferred} EXECUTE FUNCTION revision_bump()")
    op.execute(f"CREATE CONSTRAINT TRIGGER revision_response_insert AFTER INSERT ON response "
               f"{deferred} WHEN (NEW.submitted_at IS NOT NULL) "
               "EXECUTE FUNCTION revision_bump()")
    op.execute("CREATE CONSTRAINT TRIGGER revision_response_update AFTER UPDATE OF "
               f"submitted_at ON response {deferred} "
               "WHEN (OLD.submitted_at IS DISTINCT FROM NEW.submitted_at) "
               "EXECUTE FUNCTION revision_bump()")
    op.execute("CREATE CONSTRAINT TRIGGER revision_response_delete AFTER DELETE ON response "
               f"{deferred} EXECUTE FUNCTION revision_bump()")
