"""a practice may keep a client's email address (sealed) when the desk emails a link

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 01:00:00

Plain ADD COLUMN on practice and client: a batch rebuild on SQLite would drop their
revision triggers (0008).
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _fire_pending_triggers():
    # On PostgreSQL the revision triggers are deferred to the commit, and every migration
    # runs in one transaction: an earlier one's changes would make ALTER TABLE refuse.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SET CONSTRAINTS ALL IMMEDIATE")


def upgrade():
    _fire_pending_triggers()
    op.add_column("practice", sa.Column("keep_client_email", sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    op.add_column("client", sa.Column("email", sa.Text(), nullable=True))
    op.add_column("client", sa.Column("email_sealed_with", sa.String(length=16), nullable=True))


def downgrade():
    _fire_pending_triggers()
    # SQLite 3.35 and later drop a column in place (no rebuild: the triggers stay).
    op.execute("ALTER TABLE client DROP COLUMN email_sealed_with")
    op.execute("ALTER TABLE client DROP COLUMN email")
    op.execute("ALTER TABLE practice DROP COLUMN keep_client_email")
