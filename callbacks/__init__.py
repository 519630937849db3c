"""Thin wiring between the core (reads, rules) and the layouts (components)."""

from __future__ import annotations

from dash import Dash

from . import home


def register(app: Dash) -> None:
    """Attach every callback to ``app``."""
    home.register(app)
