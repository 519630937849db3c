"""Access to the app's engine and settings from inside a callback (no module-level globals)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard.accounts import Actor
from dashboard.auth import current_actor
from dashboard.config import Config
from dashboard.store import transaction
from dashboard.views import Settings


def engine() -> Engine:
    return current_app.extensions["kpi"]["engine"]


def config() -> Config:
    return current_app.extensions["kpi"]["config"]


def cache():  # noqa: ANN201
    """The page cache (flask-caching: Redis when REDIS_URL is set)."""
    return current_app.extensions["kpi"]["cache"]


def config_sources() -> list:
    return current_app.extensions["kpi"].get("sources", [])


def settings() -> Settings:
    cfg = config()
    return Settings(due_soon_days=cfg.due_soon_days, kpi_margin=cfg.kpi_margin, report_day=cfg.report_day)


@contextmanager
def session() -> Iterator[Session]:
    with transaction(engine()) as s:
        yield s


def actor() -> Actor:
    """Who is calling; the request guard has already refused anonymous callers."""
    who = current_actor()
    if who is None:  # defence in depth: never act for nobody
        raise PermissionError("not signed in")
    return who
