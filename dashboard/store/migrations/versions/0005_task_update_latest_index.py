"""task_update: one index for a task's latest update, its latest note and its report receipts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('task_update', schema=None) as batch_op:
        batch_op.create_index('ix_task_update_latest', ['task_id', 'month', 'created_at', 'id', 'agency_id'], unique=False)
        # Its first column serves every lookup by task the old index did.
        batch_op.drop_index('ix_task_update_task_id')


def downgrade() -> None:
    with op.batch_alter_table('task_update', schema=None) as batch_op:
        batch_op.create_index('ix_task_update_task_id', ['task_id'], unique=False)
        batch_op.drop_index('ix_task_update_latest')
