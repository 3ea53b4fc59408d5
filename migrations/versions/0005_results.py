"""stored results: assessment_results, dimension_results (filled for existing assessments) and
completed_results_state

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-02 10:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "assessment_results",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("maturity", sa.Float(), nullable=True),
        sa.Column("evidence_backed", sa.Float(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("not_applicable", sa.Integer(), nullable=False),
        sa.Column("dont_know", sa.Integer(), nullable=False),
        sa.Column("unanswered", sa.Integer(), nullable=False),
        sa.Column("unsupported", sa.Integer(), nullable=False),
        sa.Column("disagreements", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_results_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_assessment_results")),
    )
    op.create_table(
        "dimension_results",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("dimension_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("maturity", sa.Float(), nullable=True),
        sa.Column("evidence_backed", sa.Float(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("gap", sa.Float(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("not_applicable", sa.Integer(), nullable=False),
        sa.Column("dont_know", sa.Integer(), nullable=False),
        sa.Column("unanswered", sa.Integer(), nullable=False),
        sa.Column("unsupported", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_dimension_results_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "dimension_id", name=op.f("pk_dimension_results")),
    )
    op.create_table(
        "completed_results_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_completed_results_state")),
    )
    fill_results(op.get_bind())


def fill_results(conn):
    """The results of the assessments already in the database, by the app's own results
    service (the one place that consolidates and scores), on this migration's connection."""
    from assessment.domain.bank import parse_bank_text
    from assessment.services.results import refresh_all

    banks = {}
    rows = conn.execute(sa.text("SELECT bank_id, version, content FROM banks")).all()
    texts = {(r.bank_id, r.version): r.content for r in rows}

    def bank_for(bank_id, version):
        key = (bank_id, version)
        if key not in banks:
            text = texts.get(key)
            banks[key] = None if text is None else parse_bank_text(text, f"{bank_id}@{version}")
        return banks[key]

    refresh_all(conn, bank_for)


def downgrade():
    op.drop_table("completed_results_state")
    op.drop_table("dimension_results")
    op.drop_table("assessment_results")
