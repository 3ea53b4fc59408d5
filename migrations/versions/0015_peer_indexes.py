"""indexes for the benchmark's peers at scale: assessments by creator (partial: only those with
a creator), organisations by trimmed kind of institution

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 15:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    # The benchmark's controlled organisations include those with an assessment the viewer
    # created: without an index every request scans all assessments. Partial, because
    # bulk-imported assessments have no creator and would make the index look unselective.
    op.create_index(
        "ix_assessments_created_by_id",
        "assessments",
        ["created_by_id"],
        sqlite_where=sa.text("created_by_id IS NOT NULL"),
        postgresql_where=sa.text("created_by_id IS NOT NULL"),
    )
    # Peers of the same kind of institution: trim(kind) = ?, without scanning organisations.
    op.create_index("ix_organisations_kind_trim", "organisations", [sa.text("trim(kind)")])


def downgrade():
    op.drop_index("ix_organisations_kind_trim", table_name="organisations")
    op.drop_index("ix_assessments_created_by_id", table_name="assessments")
