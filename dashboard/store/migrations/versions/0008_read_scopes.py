"""the province a leader, viewer or wall-screen token reads

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_app_user_province_id'), ['province_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_app_user_province_id_province'), 'province', ['province_id'], ['id'])
    with op.batch_alter_table('kiosk_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_kiosk_token_province_id_province'), 'province', ['province_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('kiosk_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_kiosk_token_province_id_province'), type_='foreignkey')
        batch_op.drop_column('province_id')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_app_user_province_id_province'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_app_user_province_id'))
        batch_op.drop_column('province_id')
