"""The monthly cycle's pieces: an agency's month (submit, state, reason), the secretariat's approvals page,
directives and the notices list. Pure functions of data; ``callbacks/cycle.py`` fills them."""

from __future__ import annotations

from datetime import date, datetime

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.cycle.approval import MonthView
from dashboard.cycle.directives import DirectiveRow
from dashboard.cycle.locks import APPROVED, RETURNED, SUBMITTED
from dashboard.messages import t

from .formatting import month_label, vn_date
from .widgets import dropdown, empty, plan_header

STATE_COLOR = {"none": "secondary", SUBMITTED: "info", APPROVED: "success", RETURNED: "danger", "reopened": "warning"}


def _at(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def month_panel(view: MonthView, open_until: date | None, lang: str) -> html.Div:
    """An agency's month: its state, the reason it was returned or reopened, and the submit button."""
    label = month_label(view.month)
    badges = [
        dbc.Badge(
            t(f"cycle.state.{view.status}", lang), color=STATE_COLOR.get(view.status, "secondary"), id="mw-cycle-state"
        )
    ]
    if view.locked:
        badges.append(dbc.Badge("🔒 " + t("cycle.locked_badge", lang), color="dark", className="ms-2", id="mw-locked"))
    elif open_until is not None:
        badges.append(html.Span(t("cycle.open_until", lang, date=vn_date(open_until)), className="small ms-2"))
    can_submit = not view.locked and view.status != SUBMITTED
    return html.Div(
        [
            html.Div([html.B(t("cycle.month_title", lang, month=label) + " "), *badges]),
            html.Div(t("cycle.reason", lang, reason=view.reason), className="text-danger small", id="mw-cycle-reason")
            if view.reason
            else None,
            dbc.Button(
                t("cycle.submit", lang, month=label),
                id="mw-submit",
                color="success",
                className="mt-2",
                disabled=not can_submit,
            ),
        ],
        className="border rounded p-2 mb-2",
    )


def directive_list(rows: list[DirectiveRow], today: date, lang: str, answerable: bool = False) -> html.Div:
    """Directives newest first; unanswered ones past their date are marked; the agency answers in place."""
    if not rows:
        return empty(t("dir.none", lang), "dir-none")
    items = []
    for d in rows:
        head = [html.B(d.subject_label or t("dir.subject.agency", lang)), " · ", d.agency]
        meta = t("dir.by", lang, by=d.created_by or "", at=_at(d.created_at))
        if d.due_date:
            meta += " · " + t("dir.due_on", lang, date=vn_date(d.due_date))
        if d.answer is not None:
            state = dbc.Badge(t("dir.answer", lang), color="success")
        elif d.overdue(today):
            state = dbc.Badge(t("dir.overdue", lang), color="danger", className="dir-overdue")
        else:
            state = dbc.Badge(t("dir.waiting", lang), color="warning", text_color="dark")
        body = [
            html.Div([*head, " ", state]),
            html.Div(d.text, className="dir-text"),
            html.Div(meta, className="small text-muted"),
        ]
        if d.answer is not None:
            text = t("dir.answered_by", lang, by=d.answered_by or "", at=_at(d.answered_at), text=d.answer)
            body.append(html.Div(text, className="small dir-answer"))
        elif answerable:
            body.append(
                dbc.InputGroup(
                    [
                        dbc.Textarea(id={"type": "dir-answer-text", "index": d.id}, placeholder=t("dir.answer", lang)),
                        dbc.Button(t("dir.answer_send", lang), id={"type": "dir-answer", "index": d.id}),
                    ],
                    className="mt-1",
                )
            )
        items.append(dbc.ListGroupItem(body, className="directive", id=f"directive-{d.id}"))
    return dbc.ListGroup(items, className="mb-2")


def directive_form(subjects: list[dict], lang: str) -> html.Div:
    """A leader's form on an agency's page: about the agency, one of its tasks or KPIs; text; answer-by date."""
    return html.Div(
        [
            html.H3(t("dir.write", lang), className="h6 mt-2"),
            dbc.Label(t("dir.subject", lang), html_for="dir-subject"),
            dropdown("dir-subject", subjects, lang, value="agency", clearable=False),
            dbc.Label(t("dir.text", lang), html_for="dir-text", className="mt-2"),
            dbc.Textarea(id="dir-text", maxLength=2000),
            dbc.Label(t("dir.due", lang), html_for="dir-due", className="mt-2"),
            html.Div(dcc.DatePickerSingle(id="dir-due", display_format="DD/MM/YYYY", placeholder="dd/mm/yyyy")),
            dbc.Button(t("dir.send", lang), id="dir-send", color="primary", className="mt-2"),
            html.Div(id="dir-feedback", className="mt-2"),
        ],
        className="border rounded p-2",
        id="dir-form",
    )


def approvals_page(
    plan: dict, today: date, agencies: list[dict], months: list[date], admin: bool, lang: str
) -> html.Div:
    """The secretariat's page: months waiting for approval; for admins, reopening a locked month; the log."""
    reopen = None
    if admin:
        reopen = html.Div(
            [
                html.H3(t("approvals.reopen_title", lang), className="h6 mt-4"),
                dbc.Row(
                    [
                        dbc.Col(
                            dropdown(
                                "appr-agency",
                                [{"label": a["name"], "value": a["id"]} for a in agencies],
                                lang,
                                placeholder=t("approvals.choose_agency", lang),
                            ),
                            md=4,
                        ),
                        dbc.Col(
                            dropdown(
                                "appr-month",
                                [{"label": month_label(m), "value": m.isoformat()} for m in reversed(months)],
                                lang,
                                value=months[-1].isoformat() if months else None,
                                clearable=False,
                            ),
                            md=2,
                        ),
                        dbc.Col(dbc.Input(id="appr-reopen-reason", placeholder=t("approvals.reason", lang)), md=4),
                        dbc.Col(dbc.Button(t("approvals.reopen", lang), id="appr-reopen", color="warning"), md=2),
                    ],
                    className="g-2",
                ),
            ]
        )
    return html.Div(
        [
            plan_header(plan, today, lang),
            dcc.Store(id="appr-done", data=0),
            html.H2(t("approvals.title", lang), className="h5", id="approvals-heading"),
            html.Div(id="appr-feedback"),
            html.Div(id="appr-list"),
            reopen,
            html.H3(t("approvals.audit", lang), className="h6 mt-4"),
            html.Div(id="appr-log"),
        ],
        id="approvals",
    )


def waiting_table(rows: list[dict], lang: str) -> html.Div | dbc.Table:
    if not rows:
        return empty(t("approvals.none", lang), "appr-none")
    head = html.Thead(
        html.Tr(
            [html.Th(t(k, lang)) for k in ("approvals.agency", "approvals.month", "approvals.sent", "approvals.holds")]
            + [html.Th("")]
        )
    )
    body = []
    for r in rows:
        body.append(
            html.Tr(
                [
                    html.Td(r["agency"]),
                    html.Td(month_label(r["month"])),
                    html.Td(f"{_at(r['submitted_at'])} · {r['submitted_by'] or ''}"),
                    html.Td(t("approvals.holds_text", lang, figures=r["figures"], tasks=r["tasks"])),
                    html.Td(
                        [
                            dbc.Button(
                                t("approvals.approve", lang),
                                id={"type": "appr-approve", "index": r["id"]},
                                color="success",
                                size="sm",
                                className="me-1",
                            ),
                            dbc.Input(
                                id={"type": "appr-reason", "index": r["id"]},
                                placeholder=t("approvals.reason", lang),
                                size="sm",
                                className="d-inline-block w-auto me-1",
                            ),
                            dbc.Button(
                                t("approvals.return", lang),
                                id={"type": "appr-return", "index": r["id"]},
                                color="danger",
                                outline=True,
                                size="sm",
                            ),
                        ]
                    ),
                ],
                id=f"appr-row-{r['id']}",
                className="appr-row",
            )
        )
    return dbc.Table([head, html.Tbody(body)], size="sm", hover=True, responsive=True, id="appr-table")


def month_log(entries: list[dict], lang: str) -> html.Div | dbc.Table:
    """The audited steps of the plan's monthly reports, newest first."""
    if not entries:
        return empty("—")
    rows = [
        html.Tr(
            [
                html.Td(_at(e["at"])),
                html.Td(e["username"] or ""),
                html.Td(t(f"audit.{e['action']}", lang), className="log-action"),
                html.Td(e["agency"]),
                html.Td(month_label(e["month"]) if e["month"] else ""),
                html.Td(e["reason"] or ""),
            ]
        )
        for e in entries
    ]
    return dbc.Table(html.Tbody(rows), size="sm", id="appr-log-table")


def notices_page(email: str | None, opt_out: bool, lang: str) -> html.Div:
    return html.Div(
        [
            html.H2(t("notice.title", lang), className="h5", id="notices-heading"),
            dbc.Button(t("notice.mark_all", lang), id="ntc-read-all", color="secondary", outline=True, size="sm"),
            html.Div(id="ntc-list", className="mt-2"),
            html.H3(t("notice.mail_title", lang), className="h6 mt-4"),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Input(id="ntc-email", type="email", value=email or "", placeholder="ten@tinh.gov.vn"), md=5
                    ),
                    dbc.Col(dbc.Checkbox(id="ntc-opt-out", value=opt_out, label=t("notice.opt_out", lang)), md=4),
                    dbc.Col(dbc.Button(t("notice.mail_save", lang), id="ntc-mail-save", color="primary"), md=3),
                ],
                className="g-2 align-items-center",
            ),
            html.Div(id="ntc-feedback", className="mt-2"),
        ],
        id="notices",
    )


def notice_list(rows: list[dict], lang: str) -> html.Div:
    if not rows:
        return empty(t("notice.none", lang), "ntc-none")
    return dbc.ListGroup(
        [
            dbc.ListGroupItem(
                [
                    html.Div(html.A(r["text"], href=r["link"]), className="fw-bold" if not r["read"] else ""),
                    html.Div(_at(r["at"]), className="small text-muted"),
                ],
                className="notice" + ("" if r["read"] else " notice-unread"),
            )
            for r in rows
        ],
        id="ntc-items",
    )
