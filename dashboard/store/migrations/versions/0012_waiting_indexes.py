"""partial indexes of the figures and task reports waiting for approval (counted on every overview)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    where = sa.text("NOT approved")
    op.create_index("ix_measurement_waiting", "measurement", ["indicator_id"], postgresql_where=where, sqlite_where=where)
    op.create_index("ix_task_update_waiting", "task_update", ["task_id"], postgresql_where=where, sqlite_where=where)


def downgrade() -> None:
    op.drop_index("ix_task_update_waiting", table_name="task_update")
    op.drop_index("ix_measurement_waiting", table_name="measurement")
