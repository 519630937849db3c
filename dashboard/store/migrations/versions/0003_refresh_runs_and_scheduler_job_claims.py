"""refresh runs and scheduler job claims

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_claim',
    sa.Column('job', sa.String(length=120), nullable=False),
    sa.Column('tick', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=False),
    sa.Column('holder', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('job', 'tick', name=op.f('pk_job_claim'))
    )
    op.create_table('refresh_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('rows_changed', sa.Integer(), nullable=False),
    sa.Column('rows_skipped', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refresh_run'))
    )
    with op.batch_alter_table('refresh_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refresh_run_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_refresh_run_started_at'), ['started_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('refresh_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refresh_run_started_at'))
        batch_op.drop_index(batch_op.f('ix_refresh_run_source'))

    op.drop_table('refresh_run')
    op.drop_table('job_claim')
