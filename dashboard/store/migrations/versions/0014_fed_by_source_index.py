"""an index of the figures no agency submitted: which KPIs a SQL source feeds, one probe per KPI

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    where = sa.text("source NOT IN ('form', 'excel', 'upload', 'demo')")
    op.create_index(
        "ix_measurement_fed", "measurement", ["indicator_id", "source"], postgresql_where=where, sqlite_where=where
    )


def downgrade() -> None:
    op.drop_index("ix_measurement_fed", table_name="measurement")
