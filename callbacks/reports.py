"""The "Báo cáo" page: a click starts a background job, the list follows it, a link downloads its file."""

from __future__ import annotations

import io

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update
from flask import current_app, send_file

from dashboard.accounts.auth import current_actor
from dashboard.accounts.permissions import PermissionDenied, readable_plan
from dashboard.exports import report_jobs
from dashboard.messages import t
from dashboard.reads.filters import Filters
from layouts.reports_page import job_list

from .context import actor, config, engine, session


def runner() -> report_jobs.Runner:
    return current_app.extensions["kpi"]["reports"]


def start(kind: str, search: str | None) -> tuple[str, str]:
    """Start (or find under way) a job of ``kind`` for the page's filters; the notice to show and its colour."""
    f = Filters.from_query(search)
    who = actor()
    with session() as s:
        plan = readable_plan(s, who, f.plan)
    job_id, new = report_jobs.start(engine(), who, plan, kind, f, config().as_of())
    if new:
        runner().submit(job_id)
    what = t(f"reports.kind.{kind}", f.lang)
    return t("reports.started" if new else "reports.already", f.lang, kind=what), "success" if new else "info"


def listing(search: str | None) -> tuple[object, bool, list[str]]:
    """The job list, whether the page should keep asking, and the kinds under way (their buttons wait)."""
    f = Filters.from_query(search)
    who = actor()
    with session() as s:
        plan = readable_plan(s, who, f.plan)
        jobs = report_jobs.jobs_for(s, who, plan)
    mine = [j for j in jobs if j.under_way and not j.scheduled]
    return job_list(jobs, f.lang), not mine, sorted({j.kind for j in mine})


def download(job_id: int):  # noqa: ANN201
    """A kept file, for whom the permission layer allows (the id in the address is only a request)."""
    who = current_actor()
    if who is None:
        raise PermissionDenied("not_allowed")
    with session() as s:
        data, name, mime = report_jobs.job_file(s, who, job_id)
    return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True, download_name=name)


def register(app: Dash) -> None:
    app.server.add_url_rule("/bao-cao/tai/<int:job_id>", "report_file", download)

    @app.callback(
        Output("report-notice", "children"),
        Input({"type": "report-start", "kind": ALL}, "n_clicks"),
        State("url", "search"),
        prevent_initial_call=True,
        # the buttons wait while the click is on its way: a double click sends one request
        running=[(Output({"type": "report-start", "kind": ALL}, "disabled"), True, False)],
    )
    def start_job(clicks, search):  # noqa: ANN001, ANN202
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks or []):
            return no_update
        text, color = start(str(trigger.get("kind")), search)
        return html.Div(text, className=f"alert alert-{color} py-2 mt-2", id="report-started")

    @app.callback(
        Output("report-jobs", "children"),
        Output("report-poll", "disabled"),
        Output({"type": "report-start", "kind": ALL}, "disabled", allow_duplicate=True),
        Input("report-poll", "n_intervals"),
        Input("report-notice", "children"),
        State({"type": "report-start", "kind": ALL}, "id"),
        State("url", "search"),
        prevent_initial_call="initial_duplicate",
    )
    def follow_jobs(_n, _notice, buttons, search):  # noqa: ANN001, ANN202
        table, done, busy = listing(search)
        return table, done, [b["kind"] in busy for b in buttons]
