"""The agency page ("Đơn vị"): one agency's KPIs, trends, tasks, flags and monthly reporting record."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import html

from dashboard.kpi.red_flags import Flag
from dashboard.kpi.reporting import ReportCell, ReportingRecord
from dashboard.kpi.values import KpiSnapshot
from dashboard.messages import report_deadline, t
from dashboard.reads.filters import Filters

from . import charts
from .formatting import month_label, vn_percent
from .widgets import (
    chart_name,
    empty,
    flag_list,
    graph,
    plan_header,
    task_table,
)


def agency_page(
    plan: dict,
    today: date,
    agency: dict,
    snaps: list[KpiSnapshot],
    trends: list[dict],
    tasks: dict[str, list[dict]],
    flags: list[Flag],
    record: ReportingRecord | None,
    cells: list[ReportCell],
    f: Filters,
    deadline: str | None = None,
) -> html.Div:
    lang = f.lang
    mine = [s for s in snaps if s.value is not None]
    gauges = (
        dbc.Row(
            [
                dbc.Col(
                    graph(
                        charts.gauge(s, lang, height=220),
                        f"agency-gauge-{s.indicator.id}",
                        "agency-gauge",
                        chart_name(f"{agency['name']} {charts.short_name(s.indicator)}", plan, today),
                        lang,
                    ),
                    xs=12,
                    md=4,
                )
                for s in mine
            ],
            className="g-2",
            id="agency-gauges-row",
        )
        if mine
        else empty(t("no_data", lang), "agency-no-kpis")
    )
    trend_graphs = (
        dbc.Row(
            [
                dbc.Col(
                    graph(
                        charts.trend(tr["series"], tr["indicator"], lang),
                        f"trend-{tr['indicator'].id}",
                        "",
                        chart_name(f"{agency['name']} dien bien {charts.short_name(tr['indicator'])}", plan, today),
                        lang,
                    ),
                    xs=12,
                    lg=6,
                )
                for tr in trends
            ],
            className="g-2",
            id="agency-trends",
        )
        if trends
        else None
    )
    ids = {agency["id"]}
    return html.Div(
        [
            plan_header(plan, today, lang),
            html.H2(agency["name"], className="h4", id="agency-name"),
            html.H3(t("agency_kpis", lang), className="h5 mt-3"),
            gauges,
            html.H3(t("monthly_trend", lang), className="h5 mt-3") if trends else None,
            trend_graphs,
            html.H3(t("reporting", lang), className="h5 mt-4"),
            reporting_record(record, cells, lang, deadline),
            html.H3(f"{t('agency_flags', lang)} ({len(flags)})", className="h5 mt-4"),
            flag_list(flags, lang, "agency-flags"),
            html.H3(f"{t('as_lead', lang)} ({len(tasks['lead'])})", className="h5 mt-4"),
            task_table(tasks["lead"], lang, "agency-lead-tasks", via=ids),
            html.H3(f"{t('as_coord', lang)} ({len(tasks['coordinating'])})", className="h5 mt-4"),
            task_table(tasks["coordinating"], lang, "agency-coord-tasks"),
        ]
    )


def reporting_record(
    record: ReportingRecord | None, cells: list[ReportCell], lang: str, deadline: str | None = None
) -> html.Div:
    deadline = deadline or report_deadline(lang=lang)
    if record is None or record.expected == 0:
        return empty("—", "reporting-none")
    missing = [month_label(c.month) for c in cells if c.status == "missing"]
    table = dbc.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th(""),
                        html.Th(t("expected", lang)),
                        html.Th(t("received", lang)),
                        html.Th(t("on_time", lang, deadline=deadline)),
                    ]
                )
            ),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(t("reporting", lang)),
                            html.Td(record.expected, id="rep-expected"),
                            html.Td(record.received, id="rep-received"),
                            html.Td(record.on_time, id="rep-on-time"),
                        ]
                    ),
                    html.Tr(
                        [
                            html.Td(t("rate", lang)),
                            html.Td("100 %"),
                            html.Td(vn_percent(record.received_rate)),
                            html.Td(vn_percent(record.on_time_rate)),
                        ]
                    ),
                ]
            ),
        ],
        bordered=True,
        size="sm",
        className="w-auto",
        id="reporting-record",
    )
    return html.Div(
        [
            table,
            html.P(t("missing_months", lang, months=", ".join(missing)), className="text-danger") if missing else None,
        ]
    )


# --- timeline -------------------------------------------------------------------------------------
