"""The web application factory: ``create_app(config)`` builds the Dash app on top of the core.

gunicorn runs ``webapp:create_server()``; ``python -m dashboard serve`` runs ``create_app`` directly.
"""

from __future__ import annotations

from dash import Dash
from flask import Flask

import callbacks
from dashboard.config import Config
from dashboard.demo import ensure_database
from dashboard.store import make_engine
from layouts.shell import app_shell


def create_app(config: Config | None = None) -> Dash:
    """Build the dashboard. An empty embedded (SQLite) database is migrated and filled with the demo."""
    config = config or Config.from_env()
    engine = make_engine(config.database_url)
    ensure_database(engine, config.as_of(), fill_demo=config.auto_demo and engine.dialect.name == "sqlite")
    app = Dash(
        __name__,
        title="Theo dõi KPI - Nghị quyết 57 & Đề án 06",
        suppress_callback_exceptions=True,
        update_title=None,
    )
    server: Flask = app.server
    server.config.update(SECRET_KEY=config.secret_key)
    server.extensions["kpi"] = {"engine": engine, "config": config}
    app.layout = app_shell
    callbacks.register(app)
    return app


def create_server() -> Flask:
    """The Flask server for gunicorn."""
    return create_app().server
