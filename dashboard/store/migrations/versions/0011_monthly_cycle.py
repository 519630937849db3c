"""monthly cycle: month reports, directives, notifications, approvals, KPI baselines

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('directive',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=10), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_directive_agency_id_agency')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_directive_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directive'))
    )
    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directive_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directive_plan_id'), ['plan_id'], unique=False)

    op.create_table('month_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_by', sa.String(length=80), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by', sa.String(length=80), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_month_report_agency_id_agency')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_month_report_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_month_report')),
    sa.UniqueConstraint('plan_id', 'agency_id', 'month', name='uq_month_report_plan_agency_month')
    )
    with op.batch_alter_table('month_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_month_report_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_month_report_month'), ['month'], unique=False)
        batch_op.create_index(batch_op.f('ix_month_report_plan_id'), ['plan_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('emailed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_notification_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('user_id', 'key', name='uq_notification_user_key')
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('email_opt_out', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('baseline_value', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('baseline_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('milestones', sa.JSON(), nullable=True))

    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('task_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved', sa.Boolean(), server_default=sa.true(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('task_update', schema=None) as batch_op:
        batch_op.drop_column('approved')

    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_column('approved')

    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_column('milestones')
        batch_op.drop_column('baseline_date')
        batch_op.drop_column('baseline_value')

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('email_opt_out')
        batch_op.drop_column('email')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_user_id'))
        batch_op.drop_index(batch_op.f('ix_notification_created_at'))

    op.drop_table('notification')
    with op.batch_alter_table('month_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_month_report_plan_id'))
        batch_op.drop_index(batch_op.f('ix_month_report_month'))
        batch_op.drop_index(batch_op.f('ix_month_report_agency_id'))

    op.drop_table('month_report')
    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directive_plan_id'))
        batch_op.drop_index(batch_op.f('ix_directive_agency_id'))

    op.drop_table('directive')
