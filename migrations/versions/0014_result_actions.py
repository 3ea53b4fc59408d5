"""stored results keep the recommended actions (question ids), for the portfolio's open actions

Revision ID: 0014
Revises: 0007
Create Date: 2026-12-02 11:45:00

"""

from alembic import op
import sqlalchemy as sa


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
    """Recompute the stored results (now with their actions) by the app's own results service,
    on this migration's connection (as 0005 does)."""
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
    with op.batch_alter_table("assessment_results") as batch:
        batch.drop_column("actions")
