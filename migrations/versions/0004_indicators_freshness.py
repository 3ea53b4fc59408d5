"""indicator answers (value, period) and the evidence age limit of an assessment

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-02 10:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ANSWER_TABLES = ("answers", "respondent_answers")


def upgrade():
    for table in ANSWER_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("value", sa.Float(), nullable=True))
            batch.add_column(sa.Column("period", sa.String(length=7), nullable=True))
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(
            sa.Column("evidence_max_age_months", sa.Integer(), nullable=False, server_default="36")
        )


def downgrade():
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("evidence_max_age_months")
    for table in ANSWER_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("period")
            batch.drop_column("value")
