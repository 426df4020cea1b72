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
    op.add_column("staff", sa.Column("totp_secret", sa.String(length=64), nullable=True))
    op.add_column("staff", sa.Column("totp_last_step", sa.Integer(), nullable=True))
    op.add_column("practice", sa.Column("require_two_factor", sa.Boolean(), nullable=False,
                                        server_default=sa.false()))


def downgrade():
    op.drop_column("practice", "require_two_factor")
    op.drop_column("staff", "totp_last_step")
    op.drop_column("staff", "totp_secret")
