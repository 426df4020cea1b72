"""login throttling that decays and counts two-factor codes apart; ids never reused

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 22:30:00

Staff: wrong passwords and wrong two-factor codes are counted apart, each in a window
that decays, and each lock grows with the locks before it (intake/practice/accounts.py).
Plain ADD COLUMN on both databases.

SQLite reuses the largest id + 1 once the last row is deleted, so after an erasure the
next client took the erased client's id (and a bookmarked page or an old export named
someone else). AUTOINCREMENT forbids that; it can only be declared by rebuilding the
table, which drops its triggers: they are read first and made again. Migrations run with
foreign keys off (env.py), so the rebuild deletes no child row. PostgreSQL's sequences
never hand out an id twice: nothing to do there.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Tables whose ids appear in addresses, exports or sealed texts' bindings.
NEVER_REUSED = ("client", "appointment", "check_in", "response")


def upgrade():
    op.add_column("staff", sa.Column("failures_since", sa.DateTime(), nullable=True))
    op.add_column("staff", sa.Column("lockouts", sa.Integer(), nullable=False,
                                     server_default="0"))
    op.add_column("staff", sa.Column("failed_codes", sa.Integer(), nullable=False,
                                     server_default="0"))
    op.add_column("staff", sa.Column("codes_failed_since", sa.DateTime(), nullable=True))
    op.add_column("staff", sa.Column("codes_locked_until", sa.DateTime(), nullable=True))
    op.add_column("staff", sa.Column("code_lockouts", sa.Integer(), nullable=False,
                                     server_default="0"))
    if op.get_bind().dialect.name == "sqlite":
        for table in NEVER_REUSED:
            _rebuild(table, autoincrement=True)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table in NEVER_REUSED:
            _rebuild(table, autoincrement=False)
    for column in ("code_lockouts", "codes_locked_until", "codes_failed_since",
                   "failed_codes", "lockouts", "failures_since"):
        op.drop_column("staff", column)


def _rebuild(table: str, autoincrement: bool) -> None:
    connection = op.get_bind()
    triggers = connection.execute(sa.text(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table"),
        {"table": table}).scalars().all()
    with op.batch_alter_table(table, recreate="always",
                              table_kwargs={"sqlite_autoincrement": autoincrement}):
        pass
    for sql in triggers:
        op.execute(sql)
