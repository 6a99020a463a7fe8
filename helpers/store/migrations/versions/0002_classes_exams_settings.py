"""Add classes with their rosters, exams with their answers, settings and failed attempts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-20

Written out in full rather than imported from ``helpers.store.tables``, like 0001.

From this revision on, a class code given at sign-in must name a class.  Trainees
of a database from before it signed in with codes nobody had to create, so each
code already in use becomes a class (named after its code, without dates or
roster) and those trainees keep signing in exactly as before.
"""

import datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    classes = op.create_table(
        "classes",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=True),
        sa.Column("ends_on", sa.Date, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "roster",
        sa.Column("class_code", sa.String(32), sa.ForeignKey("classes.code"), primary_key=True),
        sa.Column("number", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(30), nullable=False),
        sa.Column("unit", sa.String(100), nullable=False),
        sa.Column("position", sa.String(100), nullable=False),
    )
    op.create_table(
        "exams",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
        sa.Column("blueprint_id", sa.String(100), nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("paper", sa.Text, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("passed", sa.Boolean, nullable=True),
    )
    op.create_index("ix_exams_trainee_id_blueprint_id", "exams", ["trainee_id", "blueprint_id"])
    op.create_index("ix_exams_blueprint_id", "exams", ["blueprint_id"])
    op.create_table(
        "exam_responses",
        sa.Column("exam_id", sa.Integer, sa.ForeignKey("exams.id"), primary_key=True),
        sa.Column("question_id", sa.String(100), primary_key=True),
        sa.Column("response", sa.Text, nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("correct", sa.Boolean, nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scope", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_failures_scope_created_at", "failures", ["scope", "created_at"])

    trainees = sa.table("trainees", sa.column("class_code", sa.String))
    codes = op.get_bind().execute(
        sa.select(trainees.c.class_code).where(trainees.c.class_code != "").distinct()
    )
    now = datetime.datetime.now(datetime.timezone.utc)
    rows = [{"code": code, "name": code, "created_at": now} for code in codes.scalars()]
    if rows:
        op.bulk_insert(classes, rows)


def downgrade() -> None:
    op.drop_table("failures")
    op.drop_table("settings")
    op.drop_table("exam_responses")
    op.drop_table("exams")
    op.drop_table("roster")
    op.drop_table("classes")
