"""The national page ("Toàn quốc"): every province side by side."""

from __future__ import annotations

from datetime import datetime

import dash_bootstrap_components as dbc
from dash import html

from dashboard.messages import t

from . import charts
from .formatting import with_unit
from .plain_html import element, link
from .widgets import (
    empty,
    kpi_badge,
)


def national_page(rows: list[dict], computed_at: datetime | None, lang: str) -> html.Div:
    """Every province's plan on one screen: tasks done and overdue, red flags, the three headline KPIs."""
    if not rows:
        return empty(t("no_plans", lang), "no-plans")
    heads = rows[0]["headline"]
    head = html.Thead(
        html.Tr(
            [html.Th(t(k, lang)) for k in ("province", "tasks_total", "tasks_done", "tasks_overdue", "nav_flags")]
            + [html.Th(charts.catalogue_name(h["code"], h["name"], lang)) for h in heads]
        )
    )
    body = []
    badges: dict[str, dict] = {}
    for r in rows:  # 34 provinces x 8 cells: written as plain component data (layouts/plain_html.py)
        cells = {h["code"]: h for h in r["headline"]}
        body.append(
            element(
                "Tr",
                [
                    element("Td", link(f"{r['province']} · {r['year']}", f"/?plan={r['plan_id']}")),
                    element("Td", str(r["tasks"]), className="text-end"),
                    element("Td", str(r["done"]), className="text-end"),
                    element("Td", str(r["overdue"]), className="text-end fw-bold" if r["overdue"] else "text-end"),
                    element("Td", link(str(r["flags"]), f"/canh-bao?plan={r['plan_id']}"), className="text-end"),
                ]
                + [_national_kpi(cells.get(h["code"]), lang, badges) for h in heads],
                className="national-row",
            )
        )
    note = t("national_computed", lang, at=f"{computed_at:%H:%M %d/%m/%Y}") if computed_at else ""
    return html.Div(
        [
            html.H2(t("national_title", lang, n=len(rows)), className="h5", id="national-heading"),
            html.Div(note, className="small text-muted mb-2", id="national-computed"),
            dbc.Table(
                [head, html.Tbody(body)], bordered=True, hover=True, size="sm", responsive=True, id="national-table"
            ),
        ]
    )


def _national_kpi(cell: dict | None, lang: str, badges: dict[str, dict]) -> dict:
    if cell is None or cell["value"] is None:
        return element("Td", "—", className="text-center")
    value = with_unit(cell["value"], cell["unit"], lang)
    if cell["status"] not in badges:
        badges[cell["status"]] = kpi_badge(cell["status"], lang).to_plotly_json()
    return element("Td", [value, " ", badges[cell["status"]]], className="text-nowrap")
