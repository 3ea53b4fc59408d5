"""stored results keep the recommended actions (question ids), for the portfolio's open actions

Revision ID: 0014
Revises: 0007
Create Date: 2026-12-02 11:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessment_results") as batch:
        batch.add_column(sa.Column("actions", sa.JSON(), nullable=True))
    fill_results(op.get_bind())


def fill_results(conn):
    """The results of the assessments already in the database, by the app's own results
    service (the one place that consolidates and scores), on this migration's connection."""
    from assessment.services.results import refresh_all_from_stored_banks

    refresh_all_from_stored_banks(conn)


def downgrade():
    with op.batch_alter_table("assessment_results") as batch:
        batch.drop_column("actions")
