"""The store: schema (models), Alembic migrations, engines and transactions, backups."""
