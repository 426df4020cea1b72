"""appointments made real: length, kind, state, import UID, times; the practice's time zone

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 22:20:00

The appointment table is rebuilt in batch mode on SQLite, for its CHECK and UNIQUE
constraints; a rebuild drops the table's triggers, so the revision triggers of 0002
are made again for it. The practice gets plain ADD COLUMNs (no rebuild, see 0003).
Appointments already in the past whose client checked in for them become attended, so
a survey schedule keeps counting them; the rest stay scheduled.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BUMP = "UPDATE revision SET number = number + 1"


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("practice", sa.Column("timezone", sa.String(length=64), nullable=True))
    op.add_column("practice", sa.Column("appointment_minutes", sa.Integer(), nullable=False,
                                        server_default="50"))
    with op.batch_alter_table("appointment", recreate="always" if sqlite else "auto") as batch:
        batch.add_column(sa.Column("minutes", sa.Integer(), nullable=False, server_default="50"))
        batch.add_column(sa.Column("kind", sa.String(length=16), nullable=False,
                                   server_default="in_person"))
        batch.add_column(sa.Column("state", sa.String(length=16), nullable=False,
                                   server_default="scheduled"))
        batch.add_column(sa.Column("import_uid", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("created_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
        batch.create_unique_constraint(batch.f("uq_appointment_import_uid"), ["import_uid"])
        batch.create_check_constraint(
            batch.f("ck_appointment_state"),
            "state in ('scheduled', 'attended', 'cancelled', 'no_show')")
        batch.create_check_constraint(batch.f("ck_appointment_kind"),
                                      "kind in ('in_person', 'video')")
        batch.create_check_constraint(batch.f("ck_appointment_minutes"), "minutes > 0")
    if sqlite:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"DROP TRIGGER IF EXISTS revision_appointment_{event.lower()}")
            op.execute(f"CREATE TRIGGER revision_appointment_{event.lower()} AFTER {event} "
                       f"ON appointment BEGIN {BUMP}; END")
    op.execute(
        "UPDATE appointment SET state = 'attended' WHERE starts_at <= CURRENT_TIMESTAMP "
        "AND EXISTS (SELECT 1 FROM check_in WHERE check_in.appointment_id = appointment.id "
        "AND check_in.started_at IS NOT NULL)")


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("appointment", recreate="always" if sqlite else "auto") as batch:
        batch.drop_constraint(batch.f("ck_appointment_minutes"), type_="check")
        batch.drop_constraint(batch.f("ck_appointment_kind"), type_="check")
        batch.drop_constraint(batch.f("ck_appointment_state"), type_="check")
        batch.drop_constraint(batch.f("uq_appointment_import_uid"), type_="unique")
        for column in ("updated_at", "created_at", "import_uid", "state", "kind", "minutes"):
            batch.drop_column(column)
    if sqlite:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"DROP TRIGGER IF EXISTS revision_appointment_{event.lower()}")
            op.execute(f"CREATE TRIGGER revision_appointment_{event.lower()} AFTER {event} "
                       f"ON appointment BEGIN {BUMP}; END")
    op.drop_column("practice", "appointment_minutes")
    op.drop_column("practice", "timezone")
