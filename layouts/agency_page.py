"""The agency page ("Đơn vị"): one agency's KPIs, trends, tasks, flags and monthly reporting record."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.cycle.directives import DirectiveRow
from dashboard.kpi.red_flags import Flag
from dashboard.kpi.reporting import ReportCell, ReportingRecord
from dashboard.kpi.values import KpiSnapshot
from dashboard.messages import report_deadline, t
from dashboard.reads.filters import Filters

from . import charts
from .cycle import directive_list
from .formatting import month_label, vn_percent, with_unit
from .sparkline import sparkline
from .theme import KPI_COLOR
from .widgets import (
    empty,
    flag_list,
    graph,
    kpi_badge,
    plan_header,
    slide,
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
    directives: list[DirectiveRow] | None = None,
) -> html.Div:
    lang = f.lang
    mine = [s for s in snaps if s.value is not None]
    # One light figure and a table of sparklines: a chart per KPI and per trend took the browser seconds.
    kpis = (
        html.Div(
            [
                graph(
                    charts.kpi_bars(mine, lang),
                    "agency-kpi-chart",
                    "",
                    slide(f"{agency['name']}: {t('agency_kpis', lang)}", plan, today, lang),
                    lang,
                ),
                kpi_trend_table(mine, trends, lang),
            ]
        )
        if mine
        else empty(t("no_data", lang), "agency-no-kpis")
    )
    ids = {agency["id"]}
    return html.Div(
        [
            plan_header(plan, today, lang),
            html.H2(agency["name"], className="h4", id="agency-name"),
            html.H3(t("agency_kpis", lang), className="h5 mt-3"),
            kpis,
            html.H3(t("dir.title", lang), className="h5 mt-4"),
            directive_list(directives or [], today, lang),
            # the leader's form, for leaders only: filled per person by a callback (this page is shared)
            dcc.Store(id="agency-ctx", data={"plan_id": plan["id"], "agency_id": agency["id"]}),
            html.Div(id="dir-form-slot"),
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


def kpi_trend_table(snaps: list[KpiSnapshot], trends: list[dict], lang: str) -> dbc.Table:
    """The agency's KPIs with value, target, state and the months as a sparkline (its values in the tooltip)."""
    series = {tr["indicator"].id: tr["series"] for tr in trends}
    rows = []
    for snap in snaps:
        ind = snap.indicator
        months = series.get(ind.id, [])
        src = sparkline([v for _, v in months], ind.target_value, KPI_COLOR[snap.status])
        history = "; ".join(f"{month_label(m)}: {with_unit(v, ind.unit, lang)}" for m, v in months if v is not None)
        rows.append(
            html.Tr(
                [
                    html.Td(charts.short_name(ind, lang), title=ind.name),
                    html.Td(with_unit(snap.value, ind.unit, lang), className="text-nowrap kpi-value"),
                    html.Td(charts.target_text(ind, lang), className="text-nowrap"),
                    html.Td(kpi_badge(snap.status, lang)),
                    html.Td(
                        html.Img(src=src, alt=history, title=history, className="sparkline", width=140, height=36)
                        if src
                        else "–"
                    ),
                ],
                id=f"agency-kpi-{ind.id}",
            )
        )
    head = html.Thead(html.Tr([html.Th(t(k, lang)) for k in ("kpi", "current", "target", "status", "monthly_trend")]))
    return dbc.Table(
        [head, html.Tbody(rows)], bordered=True, hover=True, size="sm", responsive=True, id="agency-kpi-table"
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
