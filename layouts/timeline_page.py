"""The timeline page ("Tiến độ"): tasks by quarter and the monthly report grid."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import html

from dashboard.kpi.reporting import ReportCell
from dashboard.messages import report_deadline, t
from dashboard.reads.filters import Filters

from . import charts
from .widgets import (
    empty,
    export_buttons,
    graph,
    plan_header,
    slide,
    task_table,
)


def timeline_page(
    plan: dict,
    today: date,
    data: dict,
    cells: list[ReportCell],
    names: dict[int, str],
    f: Filters,
    deadline: str | None = None,
) -> html.Div:
    lang = f.lang
    deadline = deadline or report_deadline(lang=lang)
    dated = data["dated"]
    chart = (
        graph(
            charts.timeline(dated, data["year"], today, f.group_by, lang),
            "timeline-chart",
            "",
            slide(t("timeline_title", lang), plan, today, lang),
            lang,
        )
        if dated
        else empty(t("no_tasks", lang), "timeline-empty")
    )
    return html.Div(
        [
            plan_header(plan, today, lang),
            html.H2(f"{t('timeline_title', lang)} ({len(dated)})", className="h5", id="timeline-heading"),
            export_buttons("tasks", t("export_tasks", lang)),
            export_buttons("tracking", t("export_tracking", lang), ("csv", "json")),
            dbc.RadioItems(
                id="t-group",
                value=f.group_by,
                inline=True,
                className="mb-2",
                options=[
                    {"label": t("group_agency", lang), "value": "agency"},
                    {"label": t("group_section", lang), "value": "section"},
                ],
            ),
            chart,
            html.H2(f"{t('recurring_title', lang, deadline=deadline)} ({len(data['recurring'])})", className="h5 mt-4"),
            graph(
                charts.report_grid(cells, names, lang, deadline),
                "report-grid",
                "",
                slide(t("reporting", lang), plan, today, lang),
                lang,
            )
            if cells and data["recurring"]
            else empty(t("no_tasks", lang), "report-grid-empty"),
            html.H2(f"{t('conditional_title', lang)} ({len(data['conditional'])})", className="h5 mt-4"),
            task_table(data["conditional"], lang, "conditional-tasks"),
            html.Div(
                [
                    html.H2(f"{t('unknown_title', lang)} ({len(data['unknown'])})", className="h5 mt-4"),
                    task_table(data["unknown"], lang, "unknown-tasks"),
                ]
            )
            if data["unknown"]
            else None,
        ]
    )


# --- red flags ------------------------------------------------------------------------------------
