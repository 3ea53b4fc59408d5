"""the portfolio's sort keys at scale: each organisation's latest and previous completed
assessment (latest_assessments), the largest dimension gap of a stored result

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 18:30:00

"""

import warnings

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("assessment_results", sa.Column("largest_gap", sa.Float(), nullable=True))
    op.execute(
        "UPDATE assessment_results SET largest_gap = (SELECT max(d.gap) FROM dimension_results d"
        " WHERE d.assessment_id = assessment_results.assessment_id)"
    )
    op.create_table(
        "latest_assessments",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("latest_id", sa.Integer(), nullable=True),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_latest_assessments_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["latest_id"],
            ["assessments.id"],
            name=op.f("fk_latest_assessments_latest_id_assessments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["previous_id"],
            ["assessments.id"],
            name=op.f("fk_latest_assessments_previous_id_assessments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_latest_assessments")),
    )
    fill_latest(op.get_bind())


def fill_latest(conn):
    """Every organisation's latest and previous completed assessment, by the app's own rule
    (services.results.refresh_latest), on this migration's connection."""
    from assessment.services.results import refresh_latest

    refresh_latest(conn.execute(sa.text("SELECT id FROM organisations")).scalars().all(), conn)


def downgrade():
    op.drop_table("latest_assessments")
    # SQLite drops a column by copying the table (batch mode), which reflects the tables it
    # refers to; SQLAlchemy cannot reflect 0015's expression index on organisations and says so.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        with op.batch_alter_table("assessment_results") as batch:
            batch.drop_column("largest_gap")
