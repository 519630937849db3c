"""'Việc của tôi': an agency's own tasks and monthly KPI figures, with forms, the Excel template and history."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.kpi.status import REPORTED
from dashboard.messages import label, t

from .formatting import month_label, vn_date
from .widgets import dropdown, empty, status_badge


def mywork_page(
    agency: dict, plan: dict, months: list[date], month: date, read_only: bool, lang: str = "vi"
) -> html.Div:
    """The frame; tasks, figures and history are filled by their callbacks."""
    month_opts = [{"label": month_label(m), "value": m.isoformat()} for m in reversed(months)]
    return html.Div(
        [
            dcc.Store(id="mw-context", data={"agency_id": agency["id"], "plan_id": plan["id"], "lang": lang}),
            dcc.Store(id="mw-saved", data=0),
            dcc.Store(id="mw-edit", data={}),
            dcc.Store(id="mw-fig-versions", data={}),
            dcc.Store(id="mw-upload-data", data=None),
            html.H1(f"{t('nav_mywork', lang)} · {agency['name']}", className="h4", id="mywork-title"),
            html.P(plan["title"], className="text-muted small"),
            dbc.Alert(t("mw.read_only", lang), color="secondary", id="mw-read-only") if read_only else None,
            html.H2(t("dir.title", lang), className="h5 mt-3"),
            html.Div(id="mw-directives"),
            html.Div(id="mw-dir-feedback"),
            html.H2(t("tasks", lang), className="h5 mt-3"),
            html.Div(id="mw-tasks"),
            task_modal(lang),
            html.H2(t("mw.figures_title", lang), className="h5 mt-4"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(t("mw.month", lang), html_for="mw-month"),
                            dropdown("mw-month", month_opts, lang, value=month.isoformat(), clearable=False),
                        ],
                        xs=12,
                        md=3,
                    ),
                ],
                className="mb-2",
            ),
            html.Div(id="mw-cycle"),
            html.Div(id="mw-cycle-feedback"),
            html.Div(id="mw-figures"),
            dbc.Button(
                t("mw.save_figures", lang), id="mw-save-figures", color="primary", className="mt-2", disabled=read_only
            ),
            html.Div(id="mw-figures-feedback", className="mt-2"),
            html.H3(t("mw.excel_title", lang), className="h6 mt-4"),
            html.P(t("mw.excel_help", lang), className="small text-muted"),
            dbc.Button(t("mw.template", lang), id="mw-template-btn", color="secondary", outline=True, className="me-2"),
            dcc.Download(id="mw-template"),
            dcc.Upload(
                id="mw-upload",
                children=html.Div([t("drop_or", lang), html.A(t("mw.choose_xlsx", lang), href="#")]),
                className="upload-box mt-2",
                accept=".xlsx",
                max_size=5 * 1024 * 1024,
                disabled=read_only,
            ),
            html.Div(id="mw-preview", className="mt-2"),
            dbc.Button(
                t("mw.save_upload", lang), id="mw-upload-save", color="primary", disabled=True, className="mt-2"
            ),
            html.Div(id="mw-upload-feedback", className="mt-2"),
            html.H2(t("mw.history", lang), className="h5 mt-4"),
            html.Div(id="mw-history"),
        ],
        id="mywork",
    )


def task_modal(lang: str = "vi") -> dbc.Modal:
    status_opts = [{"label": label("status", s, lang), "value": s} for s in REPORTED]
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle(id="mw-modal-title")),
            dbc.ModalBody(
                [
                    html.Div(id="mw-modal-task", className="small text-muted mb-2"),
                    dbc.Label(t("status", lang), html_for="mw-status"),
                    dropdown("mw-status", status_opts, lang, clearable=False),
                    dbc.Label(t("col.progress", lang), html_for="mw-progress", className="mt-2"),
                    dbc.Input(id="mw-progress", type="text", inputMode="numeric", placeholder="0-100"),
                    dbc.FormFeedback(id="mw-progress-error", type="invalid"),
                    dbc.Label(t("mw.completed_on", lang), html_for="mw-completed", className="mt-2"),
                    dcc.DatePickerSingle(
                        id="mw-completed", display_format="DD/MM/YYYY", clearable=True, placeholder="dd/mm/yyyy"
                    ),
                    html.Br(),
                    dbc.Label(t("mw.evidence", lang), html_for="mw-evidence", className="mt-2"),
                    dbc.Input(id="mw-evidence", type="url", placeholder="https://..."),
                    dbc.FormFeedback(id="mw-evidence-error", type="invalid"),
                    dbc.Label(t("mw.note", lang), html_for="mw-note", className="mt-2"),
                    dbc.Textarea(id="mw-note", rows=3, maxLength=2000),
                    html.Div(id="mw-task-feedback", className="mt-2"),
                ]
            ),
            dbc.ModalFooter(
                [
                    dbc.Button(t("close", lang), id="mw-cancel", color="secondary", outline=True),
                    dbc.Button(t("save", lang), id="mw-save-task", color="primary"),
                ]
            ),
        ],
        id="mw-modal",
        is_open=False,
        size="lg",
    )


def tasks_table(
    lead: list[dict], others: list[dict], relation: dict[int, str], read_only: bool, lang: str = "vi"
) -> html.Div:
    """The agency's tasks: those it leads with an update button, the others with a note button."""

    def rows(tasks: list[dict]) -> list:
        out = []
        for tk in tasks:
            rel = relation.get(tk.id)
            if read_only or rel is None:
                action = None
            elif rel == "lead":
                action = dbc.Button(
                    t("mw.update", lang),
                    id={"type": "mw-edit", "index": tk.id},
                    size="sm",
                    color="primary",
                    className="mw-edit-btn",
                )
            else:
                action = dbc.Button(
                    t("mw.note", lang),
                    id={"type": "mw-note", "index": tk.id},
                    size="sm",
                    color="secondary",
                    outline=True,
                    className="mw-note-btn",
                )
            out.append(
                html.Tr(
                    [
                        html.Td(tk.code, className="text-nowrap"),
                        html.Td([tk.name, html.Div(tk.last_note or "", className="small text-muted")]),
                        html.Td(tk.deadline_text or "—"),
                        html.Td(vn_date(tk.due_date), className="text-nowrap"),
                        html.Td(
                            [
                                status_badge(tk.status, lang),
                                dbc.Badge(t("cycle.pending_badge", lang), color="info", className="ms-1 mw-pending")
                                if getattr(tk, "pending", False)
                                else None,
                            ]
                        ),
                        html.Td(f"{tk.progress} %", className="text-nowrap"),
                        html.Td(action),
                    ],
                    id=f"mw-task-row-{tk.id}",
                )
            )
        return out

    keys = ("code", "task", "deadline", "due", "status", "progress")
    head = html.Thead(html.Tr([html.Th(h) for h in [*(t(k, lang) for k in keys), ""]]))
    parts = [
        html.H3(t("mw.leads", lang, n=len(lead)), className="h6"),
        dbc.Table([head, html.Tbody(rows(lead))], size="sm", bordered=True, responsive=True, id="mw-lead-table")
        if lead
        else empty(t("mw.no_lead", lang), "mw-no-lead"),
        html.H3(t("mw.others", lang, n=len(others)), className="h6 mt-3"),
        dbc.Table([head, html.Tbody(rows(others))], size="sm", bordered=True, responsive=True, id="mw-other-table")
        if others
        else empty(t("none", lang), "mw-no-other"),
    ]
    return html.Div(parts)


def _shown(value: object) -> str:
    """A stored figure as the text field shows it (12.0 -> "12")."""
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def figures_form(
    indicators: list[dict],
    existing: dict[int, dict],
    read_only: bool,
    fed: dict[int, str] | None = None,
    lang: str = "vi",
) -> html.Div:
    """One row per KPI the agency reports: numerator and denominator, or a value, and the row's own error.
    A KPI that a SQL source feeds is shown with its figures but cannot be typed."""
    if not indicators:
        return empty(t("mw.no_figures", lang), "mw-no-figures")
    fed = fed or {}

    def cell(kind: str, ind: dict, value: object, shown: bool, placeholder: str) -> html.Td:
        # Every row has all three inputs (pattern-matching callbacks read them together); unused ones hide.
        # Text fields, checked on the server: a browser's number field turns "-5" or "abc" into nothing.
        return html.Td(
            dbc.Input(
                id={"type": kind, "index": ind["id"]},
                type="text",
                inputMode="decimal",
                value=_shown(value) if shown else "",
                disabled=read_only or not shown or ind["id"] in fed,
                placeholder=placeholder,
                style=None if shown else {"display": "none"},
            )
        )

    body = []
    for ind in indicators:
        m = existing.get(ind["id"], {})
        ratio = bool(ind["is_ratio"])
        inputs = [
            cell("fig-num", ind, m.get("numerator"), ratio, t("field.numerator", lang)),
            cell("fig-den", ind, m.get("denominator"), ratio, t("field.denominator", lang)),
            cell("fig-val", ind, m.get("value"), not ratio, t("field.value", lang)),
        ]
        source = fed.get(ind["id"])
        name = [
            ind["name"],
            html.Div(t("mw.fed", lang, source=source), className="badge bg-info text-dark mt-1 d-block text-wrap")
            if source
            else None,
            dbc.Badge(t("cycle.pending_badge", lang), color="info", className="ms-1 mw-pending")
            if m and m.get("approved") is False
            else None,
        ]
        error = html.Td(html.Div(id={"type": "fig-err", "index": ind["id"]}, className="text-danger small"))
        body.append(
            html.Tr(
                [html.Td(ind["code"]), html.Td(name), html.Td(ind["unit"] or ""), *inputs, error],
                id=f"mw-fig-row-{ind['id']}",
            )
        )
    keys = ("code", "kpi", "unit", "mw.numerator", "mw.denominator", "mw.value", "mw.check")
    head = html.Thead(html.Tr([html.Th(t(k, lang)) for k in keys]))
    return dbc.Table([head, html.Tbody(body)], size="sm", bordered=True, responsive=True, id="mw-figures-table")


def preview(upload, lang: str = "vi") -> html.Div:  # noqa: ANN001
    """The parsed upload, row by row, with what is wrong."""
    problems = [dbc.Alert(t(e, lang), color="danger", className="py-1 mb-1") for e in upload.errors]
    if not upload.rows:
        return html.Div(problems, id="mw-preview-errors")
    keys = ("mw.row", "code", "kpi", "mw.numerator", "mw.denominator", "mw.value", "mw.check")
    head = html.Thead(html.Tr([html.Th(t(k, lang)) for k in keys]))
    body = [
        html.Tr(
            [
                html.Td(r.row),
                html.Td(r.code),
                html.Td(r.name),
                html.Td("" if r.numerator is None else f"{r.numerator:g}"),
                html.Td("" if r.denominator is None else f"{r.denominator:g}"),
                html.Td("" if r.value is None else f"{r.value:g}"),
                html.Td(
                    t(r.error, lang) if r.error else t("mw.valid", lang),
                    className="text-danger" if r.error else "text-success",
                ),
            ],
            className="table-danger" if r.error else "",
        )
        for r in upload.rows
    ]
    summary = (
        dbc.Alert(t("mw.upload_ok", lang, n=len(upload.rows)), color="success")
        if upload.ok
        else dbc.Alert(t("mw.upload_bad", lang), color="danger")
    )
    return html.Div(
        [*problems, summary, dbc.Table([head, html.Tbody(body)], size="sm", bordered=True, id="mw-preview-table")]
    )


def describe(values: dict, lang: str = "vi") -> str:
    """Changed fields in words: "trạng thái: done, tiến độ: 40"."""
    return ", ".join(
        f"{label('field', k, lang)}: {v if v not in (None, '') else '—'}"
        for k, v in values.items()
        if k not in ("updated_by", "indicator", "month")
    )


def history_table(entries: list[dict], names: dict[tuple[str, int], str], lang: str = "vi") -> html.Div:
    """Who changed what, when, from what to what."""
    if not entries:
        return empty(t("mw.no_history", lang), "mw-no-history")
    rows = []
    for e in entries:
        before, after = e["before"], e["after"]
        changed = {k: v for k, v in after.items() if before.get(k) != v} if before else after
        rows.append(
            html.Tr(
                [
                    html.Td(e["at"].strftime("%d/%m/%Y %H:%M"), className="text-nowrap"),
                    html.Td(e["username"]),
                    html.Td(label("action", e["action"], lang)),
                    html.Td(names.get((e["entity"], e["entity_id"]), "")),
                    html.Td(describe({k: before.get(k) for k in changed}, lang) if before else ""),
                    html.Td(describe(changed, lang)),
                ]
            )
        )
    keys = ("mw.at", "mw.by", "mw.action", "mw.subject", "mw.before", "mw.after")
    head = html.Thead(html.Tr([html.Th(t(k, lang)) for k in keys]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", bordered=True, responsive=True, id="history-table")
