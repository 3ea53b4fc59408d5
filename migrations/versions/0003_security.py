"""security: session versions, kept answers bound to their user, respondent answer versions

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )
    # A respondent's save is matched on the version their page showed (two tabs lose nothing).
    with op.batch_alter_table("respondent_answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    # Kept answers from before this version carry no proof of whose they are: drop them.
    op.execute("DELETE FROM pending_submissions")
    with op.batch_alter_table("pending_submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=False))
        batch_op.create_foreign_key(
            batch_op.f("fk_pending_submissions_user_id_users"),
            "users",
            ["user_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(
            batch_op.f("ix_pending_submissions_created_at"), ["created_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("pending_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_submissions_created_at"))
        batch_op.drop_constraint(
            batch_op.f("fk_pending_submissions_user_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("user_id")
    with op.batch_alter_table("respondent_answers", schema=None) as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
