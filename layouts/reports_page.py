"""The "Báo cáo" page: start a briefing, a per-agency pack or a slide deck in the background, follow its
progress, and download the files kept (with the monthly ones the schedule makes)."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.exports.report_jobs import DONE, FAILED, KINDS, JobView
from dashboard.messages import t
from dashboard.reads.filters import Filters

from .formatting import vn_date
from .widgets import empty, plan_header

POLL_MS = 1500  # how often an open page asks how its jobs are going (only while one is under way)


def reports_page(plan: dict, today: date, f: Filters) -> html.Div:
    lang = f.lang
    buttons = [
        dbc.Button(
            t(f"reports.make.{kind}", lang),
            id={"type": "report-start", "kind": kind},
            color="primary",
            className="me-2 mb-2 report-start",
        )
        for kind in KINDS
    ]
    return html.Div(
        [
            plan_header(plan, today, lang),
            html.H2(t("reports.title", lang), className="h5", id="reports-heading"),
            html.P(t("reports.intro", lang), className="text-muted small"),
            html.Div(buttons),
            html.Div(id="report-notice", role="status"),
            html.H3(t("reports.list", lang), className="h6 mt-3"),
            html.Div(id="report-jobs"),
            dcc.Interval(id="report-poll", interval=POLL_MS),
        ]
    )


def job_list(jobs: list[JobView], lang: str) -> html.Div | dbc.Table:
    """The kept and running jobs, newest first: progress while under way, a download link when done."""
    if not jobs:
        return empty(t("reports.none", lang), "reports-none")
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(k, lang))
                for k in ("reports.kind", "reports.made", "reports.by", "reports.state", "reports.file")
            ]
        )
    )
    rows = []
    for job in jobs:
        if job.status == DONE:
            state: object = t("reports.state.done", lang)
            file: object = html.A(
                [t("reports.download", lang), html.Span(f" · {job.file_name} ({_size(job.size)})", className="small")],
                href=f"/bao-cao/tai/{job.id}",
                download=job.file_name,
                id=f"report-download-{job.id}",
                className="report-download",
            )
        elif job.status == FAILED:
            state = html.Span(t("reports.state.failed", lang), className="text-danger")
            file = html.Span(t(job.error or "report.failed", lang), className="small text-danger")
        else:
            state = t(f"reports.state.{job.status}", lang)
            file = dbc.Progress(
                value=max(job.progress, 3),
                label=f"{job.progress} %" + (f" · {job.step}" if job.step else ""),
                striped=True,
                animated=True,
                id=f"report-progress-{job.id}",
                className="report-progress",
            )
        rows.append(
            html.Tr(
                [
                    html.Td(t(f"reports.kind.{job.kind}", lang)),
                    html.Td(f"{job.created_at:%H:%M} {vn_date(job.created_at.date())}", className="text-nowrap"),
                    html.Td(t("reports.scheduled", lang) if job.scheduled else (job.by or "")),
                    html.Td(state),
                    html.Td(file, style={"minWidth": "14rem"}),
                ],
                id=f"report-job-{job.id}",
                **{"data-status": job.status},
            )
        )
    return dbc.Table([head, html.Tbody(rows)], bordered=True, size="sm", responsive=True, id="report-table")


def _size(n: int | None) -> str:
    if not n:
        return "–"
    return f"{n / 1024:,.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"
