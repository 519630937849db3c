"""briefings made in the background and kept for download (the "Báo cáo" page)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('query', sa.String(length=1000), nullable=False),
    sa.Column('lang', sa.String(length=5), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=True),
    sa.Column('scheduled', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=300), nullable=True),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.Column('active_key', sa.String(length=1200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_report_job_plan_id_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by'], ['app_user.id'], name=op.f('fk_report_job_requested_by_app_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_job')),
    sa.UniqueConstraint('active_key', name=op.f('uq_report_job_active_key'))
    )
    with op.batch_alter_table('report_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_job_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_job_requested_by'), ['requested_by'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('report_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_job_requested_by'))
        batch_op.drop_index(batch_op.f('ix_report_job_plan_id'))
    op.drop_table('report_job')
