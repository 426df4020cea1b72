"""two-factor sign-in for staff (TOTP), and a practice setting that requires it

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 02:30:00

Plain ADD COLUMN on both databases: a batch rebuild of these tables on SQLite would
drop the revision triggers of 0002 and cascade deletes to their children.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    # Sealed with the text keys (intake/sealing.py), like free text: the key id beside it.
    op.add_column("staff", sa.Column("totp_secret", sa.String(length=128), nullable=True))
    op.add_column("staff", sa.Column("totp_sealed_with", sa.String(length=16), nullable=True))
    op.add_column("staff", sa.Column("totp_last_step", sa.Integer(), nullable=True))
    op.add_column("practice", sa.Column("require_two_factor", sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    # The database refuses a secret that is not sealed (SQLite: triggers, as adding a
    # constraint there would rebuild the table).
    if op.get_bind().dialect.name == "sqlite":
        for event in ("INSERT", "UPDATE"):
            op.execute(f"CREATE TRIGGER staff_totp_sealed_{event.lower()} BEFORE {event} ON staff "
                       "WHEN NEW.totp_secret IS NOT NULL AND NEW.totp_sealed_with IS NULL "
                       "BEGIN SELECT RAISE(ABORT, 'a two-factor secret must be sealed'); END")
    else:
        op.create_check_constraint(op.f("ck_staff_totp_sealed"), "staff",
                                   "totp_secret IS NULL OR totp_sealed_with IS NOT NULL")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER staff_totp_sealed_insert")
        op.execute("DROP TRIGGER staff_totp_sealed_update")
    else:
        op.drop_constraint(op.f("ck_staff_totp_sealed"), "staff", type_="check")
    op.drop_column("practice", "require_two_factor")
    op.drop_column("staff", "totp_last_step")
    op.drop_column("staff", "totp_sealed_with")
    op.drop_column("staff", "totp_secret")
