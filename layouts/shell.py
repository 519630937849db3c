"""The frame around every page: navigation bar, demo badge, content."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html


def app_shell() -> html.Div:
    return html.Div(
        [
            dcc.Location(id="url"),
            dbc.Navbar(
                dbc.Container(
                    [
                        dbc.NavbarBrand("Theo dõi KPI · Nghị quyết 57 & Đề án 06", href="/"),
                        html.Span(id="demo-badge"),
                    ]
                ),
                color="primary",
                dark=True,
                className="mb-3",
            ),
            dbc.Container(
                [html.Div(id="home-plans"), html.Div(id="home-detail", className="mt-3")],
                fluid=True,
            ),
        ]
    )
