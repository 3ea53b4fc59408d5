"""respondents and their answers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 20:50:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "respondents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_respondents_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_respondents")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_respondents_token_hash")),
    )
    with op.batch_alter_table("respondents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_respondents_assessment_id"), ["assessment_id"], unique=False
        )

    op.create_table(
        "respondent_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=130), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("dont_know", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name=op.f("fk_respondent_answers_respondent_id_respondents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_respondent_answers")),
        sa.UniqueConstraint(
            "respondent_id",
            "question_id",
            name=op.f("uq_respondent_answers_respondent_id_question_id"),
        ),
    )
    with op.batch_alter_table("respondent_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_respondent_answers_respondent_id"), ["respondent_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("respondent_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_respondent_answers_respondent_id"))

    op.drop_table("respondent_answers")
    with op.batch_alter_table("respondents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_respondents_assessment_id"))

    op.drop_table("respondents")
