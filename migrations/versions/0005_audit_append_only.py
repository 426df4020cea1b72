"""the audit log is append-only: no event is deleted, and none is rewritten

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 03:10:00

An event keeps its time, action and actor for good. Two changes stay possible, both
for erasing a client (intake/erasure.py): its link to the client may be cut (set to
NULL), and its detail may be rewritten to take the client's reference out of it.
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

REWRITTEN = ("NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.action IS NOT OLD.action "
             "OR (NEW.actor_id IS NOT OLD.actor_id AND NEW.actor_id IS NOT NULL) "
             "OR (NEW.client_id IS NOT OLD.client_id AND NEW.client_id IS NOT NULL)")


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
                   "BEGIN SELECT RAISE(ABORT, 'audit events are never deleted'); END")
        op.execute(f"CREATE TRIGGER audit_event_no_rewrite BEFORE UPDATE ON audit_event "
                   f"WHEN {REWRITTEN} "
                   "BEGIN SELECT RAISE(ABORT, 'audit events are never rewritten'); END")
        return
    postgres = REWRITTEN.replace("IS NOT OLD", "IS DISTINCT FROM OLD")
    op.execute(
        "CREATE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'audit events are never deleted'; END IF; "
        f"IF {postgres} THEN RAISE EXCEPTION 'audit events are never rewritten'; END IF; "
        "RETURN NEW; END $$")
    op.execute("CREATE TRIGGER audit_event_guard BEFORE UPDATE OR DELETE ON audit_event "
               "FOR EACH ROW EXECUTE FUNCTION audit_event_guard()")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_event_no_delete")
        op.execute("DROP TRIGGER audit_event_no_rewrite")
        return
    op.execute("DROP TRIGGER audit_event_guard ON audit_event")
    op.execute("DROP FUNCTION audit_event_guard()")
