"""Thin wiring between the core (reads, rules) and the layouts (components)."""

from __future__ import annotations

from dash import Dash

from . import admin, cycle, downloads, mywork, reports, router, wall


def register(app: Dash) -> None:
    """Attach every callback to ``app``."""
    router.register(app)
    wall.register(app)
    mywork.register(app)
    admin.register(app)
    downloads.register(app)
    reports.register(app)
    cycle.register(app)
