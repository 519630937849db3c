"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_meta'))
    )
    op.create_table('province',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_province')),
    sa.UniqueConstraint('name', name=op.f('uq_province_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_province_slug'))
    )
    op.create_table('agency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['province_id'], ['province.id'], name=op.f('fk_agency_province_id_province')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency')),
    sa.UniqueConstraint('province_id', 'name', name='uq_agency_province_name')
    )
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_agency_province_id'), ['province_id'], unique=False)

    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=160), nullable=False),
    sa.Column('doc_number', sa.String(length=80), nullable=True),
    sa.Column('doc_type', sa.String(length=40), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=True),
    sa.Column('issue_date', sa.Date(), nullable=True),
    sa.Column('source_file', sa.String(length=400), nullable=True),
    sa.Column('imported_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['province_id'], ['province.id'], name=op.f('fk_plan_province_id_province')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    sa.UniqueConstraint('code', name=op.f('uq_plan_code')),
    sa.UniqueConstraint('province_id', 'year', 'doc_type', name='uq_plan_identity')
    )
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_province_id'), ['province_id'], unique=False)

    op.create_table('agency_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('spelling', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_agency_alias_agency_id_agency')),
    sa.ForeignKeyConstraint(['province_id'], ['province.id'], name=op.f('fk_agency_alias_province_id_province')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_alias')),
    sa.UniqueConstraint('province_id', 'key', name='uq_alias_province_key')
    )
    with op.batch_alter_table('agency_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_alias_agency_id'), ['agency_id'], unique=False)

    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('national_code', sa.String(length=40), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=True),
    sa.Column('target_text', sa.String(length=200), nullable=True),
    sa.Column('target_op', sa.String(length=2), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('subtargets', sa.JSON(), nullable=False),
    sa.Column('is_ratio', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_indicator_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('plan_id', 'code', name='uq_indicator_plan_code')
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_national_code'), ['national_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_plan_id'), ['plan_id'], unique=False)

    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=400), nullable=True),
    sa.Column('number', sa.String(length=20), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('output', sa.Text(), nullable=True),
    sa.Column('deadline_text', sa.Text(), nullable=True),
    sa.Column('deadline_kind', sa.String(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_task_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task')),
    sa.UniqueConstraint('key', name=op.f('uq_task_key')),
    sa.UniqueConstraint('plan_id', 'code', name='uq_task_plan_code')
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_deadline_kind'), ['deadline_kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_plan_id'), ['plan_id'], unique=False)

    op.create_table('indicator_lead',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_indicator_lead_agency_id_agency')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_lead_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('indicator_id', 'agency_id', name=op.f('pk_indicator_lead'))
    )
    with op.batch_alter_table('indicator_lead', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_lead_agency_id'), ['agency_id'], unique=False)

    op.create_table('measurement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('numerator', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('recorded_by', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_measurement_agency_id_agency')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_measurement_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurement')),
    sa.UniqueConstraint('indicator_id', 'agency_id', 'month', name='uq_measurement_indicator_agency_month')
    )
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measurement_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measurement_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measurement_month'), ['month'], unique=False)

    op.create_table('task_agency',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_task_agency_agency_id_agency')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_agency_task_id_task')),
    sa.PrimaryKeyConstraint('task_id', 'agency_id', 'role', name=op.f('pk_task_agency'))
    )
    with op.batch_alter_table('task_agency', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_agency_agency_id'), ['agency_id'], unique=False)

    op.create_table('task_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('evidence_url', sa.String(length=500), nullable=True),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_task_update_agency_id_agency')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_update_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_update'))
    )
    with op.batch_alter_table('task_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_update_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_update_month'), ['month'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_update_task_id'), ['task_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('task_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_update_task_id'))
        batch_op.drop_index(batch_op.f('ix_task_update_month'))
        batch_op.drop_index(batch_op.f('ix_task_update_agency_id'))

    op.drop_table('task_update')
    with op.batch_alter_table('task_agency', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_agency_agency_id'))

    op.drop_table('task_agency')
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measurement_month'))
        batch_op.drop_index(batch_op.f('ix_measurement_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_measurement_agency_id'))

    op.drop_table('measurement')
    with op.batch_alter_table('indicator_lead', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_lead_agency_id'))

    op.drop_table('indicator_lead')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_plan_id'))
        batch_op.drop_index(batch_op.f('ix_task_due_date'))
        batch_op.drop_index(batch_op.f('ix_task_deadline_kind'))

    op.drop_table('task')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_plan_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_national_code'))

    op.drop_table('indicator')
    with op.batch_alter_table('agency_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_alias_agency_id'))

    op.drop_table('agency_alias')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_province_id'))

    op.drop_table('plan')
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_province_id'))
        batch_op.drop_index(batch_op.f('ix_agency_kind'))

    op.drop_table('agency')
    op.drop_table('province')
    op.drop_table('app_meta')
