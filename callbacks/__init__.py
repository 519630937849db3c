"""Thin wiring between the core (reads, rules) and the layouts (components)."""

from __future__ import annotations

from dash import Dash

from . import router, wall


def register(app: Dash) -> None:
    """Attach every callback to ``app``."""
    router.register(app)
    wall.register(app)
