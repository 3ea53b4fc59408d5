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

#: The latest assessment of every organisation (by creation, then id) and the previous completed
#: or archived one on the latest's bank: the rule of services.results.refresh_latest, in SQL.
FILL_LATEST = """
INSERT INTO latest_assessments (organisation_id, latest_id, previous_id)
SELECT o.id, latest.id, previous.id
FROM organisations o
LEFT JOIN (
    SELECT id, organisation_id, bank_id FROM (
        SELECT id, organisation_id, bank_id, row_number() OVER (
            PARTITION BY organisation_id ORDER BY created_at DESC, id DESC) AS rn
        FROM assessments) ranked
    WHERE rn = 1
) latest ON latest.organisation_id = o.id
LEFT JOIN (
    SELECT id, organisation_id FROM (
        SELECT b.id, b.organisation_id, row_number() OVER (
            PARTITION BY b.organisation_id ORDER BY b.created_at DESC, b.id DESC) AS rn
        FROM assessments b
        JOIN (
            SELECT id, organisation_id, bank_id FROM (
                SELECT id, organisation_id, bank_id, row_number() OVER (
                    PARTITION BY organisation_id ORDER BY created_at DESC, id DESC) AS rn
                FROM assessments) r
            WHERE rn = 1
        ) l ON l.organisation_id = b.organisation_id AND l.bank_id = b.bank_id AND l.id <> b.id
        WHERE b.state IN ('completed', 'archived')) earlier
    WHERE rn = 1
) previous ON previous.organisation_id = o.id
"""


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
    op.execute(FILL_LATEST)


def downgrade():
    op.drop_table("latest_assessments")
    # SQLite drops a column by copying the table (batch mode), which reflects the tables it
    # refers to; SQLAlchemy cannot reflect 0015's expression index on organisations and says so.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        with op.batch_alter_table("assessment_results") as batch:
            batch.drop_column("largest_gap")
