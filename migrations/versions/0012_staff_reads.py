"""the languages each staff member reads

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 01:30:00

Plain ADD COLUMN: a batch rebuild on SQLite would drop the staff table's revision
triggers (0008).
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred revision triggers first
    op.add_column("staff", sa.Column("reads", sa.String(length=200), nullable=False,
                                     server_default=""))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SET CONSTRAINTS ALL IMMEDIATE")
    op.execute("ALTER TABLE staff DROP COLUMN reads")
