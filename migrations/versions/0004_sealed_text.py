"""free text sealed at rest: the key id of each answer's text, and every text sealed

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 03:00:00

Texts written before this revision are sealed here, with the app's current key (the
key file must be in place: in development it is created at start). From then on the
database refuses a text without its key id: a CHECK constraint on PostgreSQL, triggers
on SQLite (adding a constraint there would rebuild the table).
"""
from alembic import op
import sqlalchemy as sa

from intake.infra.sealing import open_answer, seal_answer


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

GUARD = "SELECT RAISE(ABORT, 'an answer text must be sealed')"
UNSEALED = "NEW.text IS NOT NULL AND NEW.sealed_with IS NULL"


def upgrade():
    op.add_column("answer", sa.Column("sealed_with", sa.String(length=16), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, response_id, question, position, text FROM answer "
        "WHERE text IS NOT NULL AND sealed_with IS NULL")).all()
    for id_, response_id, question, position, text in rows:
        sealed, key_id = seal_answer(text, response_id, question, position)
        connection.execute(
            sa.text("UPDATE answer SET text = :text, sealed_with = :key WHERE id = :id"),
            {"text": sealed, "key": key_id, "id": id_})
    if connection.dialect.name == "sqlite":
        op.execute(f"CREATE TRIGGER answer_sealed_insert BEFORE INSERT ON answer "
                   f"WHEN {UNSEALED} BEGIN {GUARD}; END")
        op.execute(f"CREATE TRIGGER answer_sealed_update BEFORE UPDATE ON answer "
                   f"WHEN {UNSEALED} BEGIN {GUARD}; END")
    else:
        op.create_check_constraint(op.f("ck_answer_sealed"), "answer",
                                   "text IS NULL OR sealed_with IS NOT NULL")


def downgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, response_id, question, position, text, sealed_with FROM answer "
        "WHERE text IS NOT NULL")).all()
    for id_, response_id, question, position, text, key_id in rows:
        connection.execute(sa.text("UPDATE answer SET text = :text WHERE id = :id"), {
            "text": open_answer(text, key_id, response_id, question, position), "id": id_})
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER answer_sealed_insert")
        op.execute("DROP TRIGGER answer_sealed_update")
    else:
        op.drop_constraint(op.f("ck_answer_sealed"), "answer", type_="check")
    op.drop_column("answer", "sealed_with")
