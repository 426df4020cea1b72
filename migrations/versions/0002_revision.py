"""a revision number that triggers raise on every change staff pages show

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 01:40:00

Staff pages are kept per worker while this number stays the same (intake/changes.py).
The triggers cover every table those pages read, except the ones that change on
every request (login sessions, audit events, "last looked at") and drafts: a step
saved on the tablet changes nothing a staff page shows until it is submitted.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Every change to these tables raises the number.
TABLES = ("practice", "staff", "room", "client", "appointment", "check_in", "alert")
BUMP = "UPDATE revision SET number = number + 1"


def upgrade():
    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
    )
    op.execute("INSERT INTO revision (id, number) VALUES (1, 0)")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgresql_triggers()


def _sqlite_triggers():
    for table in TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER revision_{table}_{event.lower()} AFTER {event} "
                       f"ON {table} BEGIN {BUMP}; END")
    # Responses: only a submission (or an erasure) changes what staff see, not a draft.
    op.execute("CREATE TRIGGER revision_response_insert AFTER INSERT ON response "
               f"WHEN NEW.submitted_at IS NOT NULL BEGIN {BUMP}; END")
    op.execute("CREATE TRIGGER revision_response_update AFTER UPDATE OF submitted_at "
               "ON response WHEN OLD.submitted_at IS NOT NEW.submitted_at "
               f"BEGIN {BUMP}; END")
    op.execute(f"CREATE TRIGGER revision_response_delete AFTER DELETE ON response "
               f"BEGIN {BUMP}; END")


def _postgresql_triggers():
    # Deferred to the commit, so the one row is locked last and briefly: writers that
    # lock other rows first cannot deadlock on it.
    # Once per transaction, however many rows it changed (a setting local to it says so).
    op.execute(
        "CREATE FUNCTION revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF current_setting('intake.revision_raised', true) IS DISTINCT FROM 'yes' THEN "
        f"{BUMP}; PERFORM set_config('intake.revision_raised', 'yes', true); "
        "END IF; RETURN NULL; END $$")
    deferred = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    for table in TABLES:
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


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER revision_{table}_{event}")
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER revision_response_{event}")
    else:
        for table in (*TABLES, "response"):
            op.execute(f"DROP TRIGGER IF EXISTS revision_{table} ON {table}")
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER revision_response_{event} ON response")
        op.execute("DROP FUNCTION revision_bump()")
    op.drop_table("revision")
