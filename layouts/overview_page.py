"""The overview page ("Tổng quan"): headline gauges, the KPI table and the per-agency view."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import html

from dashboard.kpi.values import KpiSnapshot
from dashboard.messages import t
from dashboard.reads.filters import Filters

from . import charts
from .formatting import with_unit
from .plain_html import element
from .widgets import (
    empty,
    export_buttons,
    graph,
    kpi_table,
    plan_header,
    reports_link,
    slide,
)


def overview(
    plan: dict,
    today: date,
    heads: list[KpiSnapshot],
    agency_rows: list[dict],
    snaps: list[KpiSnapshot],
    f: Filters,
    pending: dict | None = None,
) -> html.Div:
    """Headline gauges, the agencies against them, every KPI; ``pending``: what waits for approval (counted apart
    from the approved figures the page shows)."""
    lang = f.lang
    sort = f.extra.get("sort", "gap")
    if heads:
        gauges = dbc.Row(
            [
                dbc.Col(
                    graph(
                        charts.gauge(s, lang),
                        f"gauge-{s.indicator.national_code}",
                        "headline-gauge",
                        slide(charts.short_name(s.indicator, lang), plan, today, lang),
                        lang,
                    ),
                    xs=12,
                    md=4,
                )
                for s in heads
            ],
            className="g-2",
            id="headline-gauges",
        )
    else:
        gauges = empty(t("no_headline", lang) if snaps else t("no_kpis", lang), "no-headline")
    if heads and agency_rows:
        per_agency = html.Div(
            [
                dbc.RadioItems(
                    id="o-sort",
                    value=sort,
                    inline=True,
                    className="mb-2",
                    options=[
                        {"label": t("sort_gap", lang), "value": "gap"},
                        {"label": t("sort_name", lang), "value": "name"},
                    ],
                ),
                html.Div(
                    graph(
                        charts.agency_bullets(agency_rows, heads, lang),
                        "agency-gauges",
                        "",
                        slide(t("slide.by_agency", lang), plan, today, lang),
                        lang,
                    ),
                    className="d-none d-md-block",
                ),
                agency_list(agency_rows, heads, lang),
            ]
        )
    else:
        per_agency = empty(t("no_agency_values", lang), "no-agency-gauges")
    return html.Div(
        [
            plan_header(plan, today, lang),
            pending_line(pending, lang),
            html.H2(t("headline", lang), className="h5"),
            gauges,
            html.H2(f"{t('by_agency', lang)} ({len(agency_rows)})", className="h5 mt-4"),
            per_agency,
            html.H2(t("all_kpis", lang), className="h5 mt-4"),
            export_buttons("kpis", t("export_kpis", lang)) if snaps else None,
            reports_link(f),
            kpi_table(snaps, lang),
        ]
    )


def pending_line(pending: dict | None, lang: str) -> html.Div | None:
    """Monthly reports, figures and task reports waiting for the secretariat: shown, never counted above."""
    if not pending or not any(pending.values()):
        return None
    return html.Div(
        html.A(t("cycle.pending_line", lang, **pending), href="/duyet", className="text-reset"),
        className="alert alert-info py-1 small",
        id="pending-line",
    )


def agency_list(rows: list[dict], heads: list[KpiSnapshot], lang: str) -> html.Div:
    """The per-agency view for a phone: a list that reads on a narrow screen (name, then each headline KPI's
    value against its target) in place of the chart, which would squeeze names and values."""
    # the same per KPI for every row: its short name and target once, not once per agency
    labels = [(charts.short_name(snap.indicator, lang), charts.target_text(snap.indicator, lang)) for snap in heads]
    items = []
    for row in rows:  # a province has up to 200 agencies: rows written as plain component data
        values = []
        for snap, (name, target), av in zip(heads, labels, row["values"], strict=True):
            shown = with_unit(av.value, snap.indicator.unit, lang) if av is not None else "–"
            values.append(element("Div", f"{name}: {shown} / {target}", className="small"))
        items.append(
            element("Li", [element("Div", row["name"], className="fw-semibold"), *values], className="list-group-item")
        )
    return html.Ul(items, className="list-group d-md-none", id="agency-list")
