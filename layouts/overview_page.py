"""The overview page ("Tổng quan"): headline gauges, the KPI table and the per-agency view."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import html

from dashboard.kpi.values import KpiSnapshot
from dashboard.messages import t
from dashboard.reads.filters import Filters

from . import charts
from .widgets import (
    chart_name,
    empty,
    export_buttons,
    graph,
    kpi_table,
    plan_header,
)


def overview(
    plan: dict, today: date, heads: list[KpiSnapshot], agency_rows: list[dict], snaps: list[KpiSnapshot], f: Filters
) -> html.Div:
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
                        chart_name(charts.short_name(s.indicator), plan, today),
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
                graph(
                    charts.agency_bullets(agency_rows, heads, lang),
                    "agency-gauges",
                    "",
                    chart_name("chi tieu theo don vi", plan, today),
                    lang,
                ),
            ]
        )
    else:
        per_agency = empty(t("no_agency_values", lang), "no-agency-gauges")
    return html.Div(
        [
            plan_header(plan, today, lang),
            html.H2(t("headline", lang), className="h5"),
            gauges,
            html.H2(f"{t('by_agency', lang)} ({len(agency_rows)})", className="h5 mt-4"),
            per_agency,
            html.H2(t("all_kpis", lang), className="h5 mt-4"),
            export_buttons("kpis", t("export_kpis", lang)) if snaps else None,
            export_buttons("briefing", t("export_briefing", lang), ("pdf",)),
            kpi_table(snaps, lang),
        ]
    )
