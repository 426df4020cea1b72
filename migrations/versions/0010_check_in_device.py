"""the device holding a check-in, and the survey that followed a check-in

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 00:30:00

`device` is a hash of the device cookie of whoever holds the check-in now: the same
phone may open its link again and go back to its draft, another device may not, and a
code typed on another device is audited. `follows_id` is the check-in after which a
periodic survey was offered and taken: an offer is used at most once (a unique index).
On SQLite the table is rebuilt, and its revision triggers (migration 0008) made again.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


# Migration 0008's triggers on check_in, made again after SQLite rebuilds the table.
SEEN = " OR ".join(
    f"OLD.{column} IS NOT NEW.{column}"
    for column in ("id", "client_id", "appointment_id", "questionnaire", "code", "started_at",
                   "finished_at", "cancelled_at", "expires_at", "created_by_id"))
BUMP = "UPDATE revision SET number = number + 1 WHERE id = 3"


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        # The revision triggers are deferred to the commit; an earlier migration's changes
        # in this same transaction would make ALTER TABLE refuse.
        op.execute("SET CONSTRAINTS ALL IMMEDIATE")
        op.add_column("check_in", sa.Column("device", sa.String(length=64), nullable=True))
        op.add_column("check_in", sa.Column("follows_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_check_in_follows_id_check_in", "check_in", "check_in",
                              ["follows_id"], ["id"], ondelete="SET NULL")
    else:
        # A rebuild (foreign keys are off while migrating: no child row is touched).
        with op.batch_alter_table("check_in", table_kwargs={"sqlite_autoincrement": True}) as batch:
            batch.add_column(sa.Column("device", sa.String(length=64), nullable=True))
            batch.add_column(sa.Column("follows_id", sa.Integer(), nullable=True))
            batch.create_foreign_key("fk_check_in_follows_id_check_in", "check_in",
                                     ["follows_id"], ["id"], ondelete="SET NULL")
        _sqlite_triggers()
    op.create_index("ux_check_in_follows", "check_in", ["follows_id"], unique=True)


def _sqlite_triggers():
    for event in ("INSERT", "UPDATE", "DELETE"):
        op.execute(f"DROP TRIGGER IF EXISTS revision_check_in_{event.lower()}")
        when = f"WHEN {SEEN} " if event == "UPDATE" else ""
        op.execute(f"CREATE TRIGGER revision_check_in_{event.lower()} AFTER {event} "
                   f"ON check_in {when}BEGIN {BUMP}; END")


def downgrade():
    op.drop_index("ux_check_in_follows", table_name="check_in")
    with op.batch_alter_table("check_in", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_constraint("fk_check_in_follows_id_check_in", type_="foreignkey")
        batch.drop_column("follows_id")
        batch.drop_column("device")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
