"""KPI aggregation rule, figure changes of source refreshes, one record per agency

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import Session


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aggregation', sa.String(length=12), server_default='ratio', nullable=False))
    op.create_table('figure_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('measurement_id', sa.Integer(), nullable=True),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['refresh_run.id'], name=op.f('fk_figure_change_run_id_refresh_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_figure_change'))
    )
    with op.batch_alter_table('figure_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_figure_change_run_id'), ['run_id'], unique=False)

    # Data: the stored KPIs get their rule, and agencies written twice (old and new tone placement) or
    # collective assignees stored as single agencies are put right, each step audited.
    from dashboard.agencies.merge import fix_stored_agencies
    from dashboard.kpi.rules import fill_aggregation_rules

    session = Session(bind=op.get_bind())
    fix_stored_agencies(session)
    fill_aggregation_rules(session)
    session.flush()


def downgrade() -> None:
    with op.batch_alter_table('figure_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_figure_change_run_id'))
    op.drop_table('figure_change')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_column('aggregation')
