"""consent, the practice's limits of confidentiality, coordinator follow-ups, alert floors

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 00:00:00

- consent: what each client chose on the consent page (accepted or declined), when, and
  which version of its words they read; appended, never changed. A client's page shows
  it, so a choice raises the clients topic (intake/infra/changes.py), as 0008 does.
- confidentiality_limits: the practice's own limits of confidentiality, one text per
  language (no row: the default text, translated).
- follow_up: a coordinator's task to contact a client who would prefer a different
  therapist (open, contacted, resolved); every change is an audit event. Such alerts
  raised before this migration and not yet acknowledged get an open follow-up.
- practice.alert_alliance_floor: "listened" and "ideas taken seriously" have a floor of
  their own (default 7: below 8 of 10). practice.alert_score_floor had the default 4 while
  the brief's rules defaulted to 5; a practice still on the old default moves to 5, the
  one default now (intake/brief/model.py Thresholds).

Plain ADD COLUMN on practice: a batch rebuild on SQLite would drop its revision triggers.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

OLD_SCORE_FLOOR = 4
SCORE_FLOOR = 5
ALLIANCE_FLOOR = 7
CLIENTS_TOPIC = 2  # the revision row of the clients topic (0008)


def upgrade():
    # ALTER before UPDATE (see downgrade).
    op.add_column("practice", sa.Column("alert_alliance_floor", sa.Integer(), nullable=False,
                                        server_default=str(ALLIANCE_FLOOR)))
    op.execute(f"UPDATE practice SET alert_score_floor = {SCORE_FLOOR} "
               f"WHERE alert_score_floor = {OLD_SCORE_FLOOR}")
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=16), nullable=False),
        sa.Column("text_version", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("limits_changed_at", sa.DateTime(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("choice in ('accepted', 'declined')", name=op.f("ck_consent_choice")),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"],
                                name=op.f("fk_consent_client_id_client"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    op.create_index("ix_consent_client_at", "consent", ["client_id", "at"])
    if op.get_bind().dialect.name == "sqlite":
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER revision_consent_{event.lower()} AFTER {event} ON "
                       f"consent BEGIN UPDATE revision SET number = number + 1 "
                       f"WHERE id = {CLIENTS_TOPIC}; END")
    else:
        op.execute("CREATE CONSTRAINT TRIGGER revision_consent AFTER INSERT OR UPDATE OR "
                   "DELETE ON consent DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                   f"EXECUTE FUNCTION revision_bump('{CLIENTS_TOPIC}')")
    op.create_table(
        "confidentiality_limits",
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("locale", name=op.f("pk_confidentiality_limits")),
    )
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("alert_key", sa.String(length=128), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("state in ('open', 'contacted', 'resolved')",
                           name=op.f("ck_follow_up_state")),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"],
                                name=op.f("fk_follow_up_client_id_client"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["changed_by_id"], ["staff.id"],
                                name=op.f("fk_follow_up_changed_by_id_staff"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
        sa.UniqueConstraint("client_id", "alert_key",
                            name=op.f("uq_follow_up_client_id")),
    )
    op.create_index("ix_follow_up_state", "follow_up", ["state", "created_at"])
    op.execute("INSERT INTO follow_up (client_id, alert_key, state, created_at, changed_at) "
               "SELECT client_id, key, 'open', raised_at, raised_at FROM alert "
               "WHERE kind = 'prefer_different_therapist' AND acknowledged_at IS NULL")


def downgrade():
    op.drop_index("ix_follow_up_state", table_name="follow_up")
    op.drop_table("follow_up")
    op.drop_table("confidentiality_limits")
    op.drop_index("ix_consent_client_at", table_name="consent")
    op.drop_table("consent")  # and its revision triggers
    # ALTER before UPDATE: on PostgreSQL the revision triggers are deferred to the commit,
    # and a table with pending trigger events cannot be altered.
    op.drop_column("practice", "alert_alliance_floor")
    op.execute(f"UPDATE practice SET alert_score_floor = {OLD_SCORE_FLOOR} "
               f"WHERE alert_score_floor = {SCORE_FLOOR}")
