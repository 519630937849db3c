"""'Quản trị': users and wall-screen tokens (admins only)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.accounts.users import ROLES
from dashboard.messages import label, t

from .widgets import dropdown, empty


def admin_page(agencies: list[dict], lang: str = "vi") -> html.Div:
    """The frame; the lists are filled by their callback."""
    agency_opts = [{"label": f"{a['province']} · {a['name']}", "value": a["id"]} for a in agencies]
    role_opts = [{"label": label("role", r, lang), "value": r} for r in ROLES]
    return html.Div(
        [
            dcc.Store(id="adm-saved", data=0),
            html.H1(t("nav_admin", lang), className="h4"),
            html.H2(t("adm.accounts", lang), className="h5 mt-3"),
            html.Div(id="adm-users"),
            html.Div(id="adm-user-feedback"),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H3(t("adm.create", lang), className="h6"),
                        dbc.Row(
                            [
                                dbc.Col(
                                    [
                                        dbc.Label(t("col.username", lang), html_for="adm-username"),
                                        dbc.Input(id="adm-username"),
                                    ],
                                    md=3,
                                ),
                                dbc.Col(
                                    [
                                        dbc.Label(t("adm.full_name", lang), html_for="adm-fullname"),
                                        dbc.Input(id="adm-fullname"),
                                    ],
                                    md=3,
                                ),
                                dbc.Col(
                                    [
                                        dbc.Label(t("adm.role", lang), html_for="adm-role"),
                                        dropdown("adm-role", role_opts, lang, value="agency", clearable=False),
                                    ],
                                    md=3,
                                ),
                                dbc.Col(
                                    [
                                        dbc.Label(t("adm.agency_for", lang), html_for="adm-agency"),
                                        dropdown("adm-agency", agency_opts, lang),
                                    ],
                                    md=3,
                                ),
                                dbc.Col(
                                    [
                                        dbc.Label(t("adm.password", lang), html_for="adm-password"),
                                        dbc.Input(id="adm-password", type="password", autoComplete="new-password"),
                                    ],
                                    md=3,
                                ),
                            ],
                            className="g-2",
                        ),
                        dbc.Button(t("adm.create", lang), id="adm-create", color="primary", className="mt-2"),
                        html.Div(id="adm-create-feedback", className="mt-2"),
                    ]
                ),
                className="mt-3",
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H3(t("adm.reset_title", lang), className="h6"),
                        dbc.Row(
                            [
                                dbc.Col(
                                    [
                                        dbc.Label(t("adm.accounts", lang), html_for="adm-reset-user"),
                                        dropdown("adm-reset-user", [], lang),
                                    ],
                                    md=4,
                                ),
                                dbc.Col(
                                    [
                                        dbc.Label(t("adm.new_password", lang), html_for="adm-reset-password"),
                                        dbc.Input(
                                            id="adm-reset-password", type="password", autoComplete="new-password"
                                        ),
                                    ],
                                    md=4,
                                ),
                            ],
                            className="g-2",
                        ),
                        dbc.Button(t("adm.reset", lang), id="adm-reset", color="warning", className="mt-2"),
                        html.Div(id="adm-reset-feedback", className="mt-2"),
                    ]
                ),
                className="mt-3",
            ),
            html.H2(t("adm.kiosks", lang), className="h5 mt-4"),
            html.P(
                t("adm.kiosks_help", lang),
                className="small text-muted",
            ),
            html.Div(id="adm-kiosks"),
            dbc.Row(
                [
                    dbc.Col(dbc.Input(id="adm-kiosk-name", placeholder=t("adm.kiosk_name", lang)), md=6),
                    dbc.Col(dbc.Button(t("adm.kiosk_create", lang), id="adm-kiosk-create", color="primary"), md=2),
                ],
                className="g-2 mt-2",
            ),
            html.Div(id="adm-kiosk-feedback", className="mt-2"),
            html.H2(t("adm.import", lang), className="h5 mt-4"),
            html.P(
                t("adm.import_help", lang),
                className="small text-muted",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(t("adm.import_province", lang), html_for="adm-import-province"),
                            dbc.Input(id="adm-import-province"),
                        ],
                        md=4,
                    ),
                    dbc.Col(
                        [
                            dbc.Label(t("adm.import_year", lang), html_for="adm-import-year"),
                            dbc.Input(id="adm-import-year", type="number", min=2000, max=2100),
                        ],
                        md=2,
                    ),
                ],
                className="g-2 mb-2",
            ),
            dcc.Upload(
                id="adm-import",
                children=html.Div([t("drop_or", lang), html.A(t("adm.choose_plan_file", lang), href="#")]),
                className="upload-box",
                max_size=20 * 1024 * 1024,
            ),
            dcc.Store(id="adm-import-pending"),  # the file waiting for "Lưu" (checked again when saved)
            dcc.Store(id="adm-lang", data=lang),
            dcc.Store(id="adm-import-plan"),  # the plan just saved, for its accounts and wall token
            dcc.Download(id="adm-accounts-sheet"),
            html.Div(id="adm-import-feedback", className="mt-2"),
            html.Div(
                [
                    dbc.Button(t("adm.save_plan", lang), id="adm-import-save", color="primary", className="me-2"),
                    dbc.Button(t("cancel", lang), id="adm-import-cancel", color="secondary", outline=True),
                ],
                id="adm-import-actions",
                className="mt-2",
                hidden=True,
            ),
            html.Div(
                [
                    html.P(
                        t("adm.next_steps", lang),
                        className="small text-muted mt-3 mb-2",
                    ),
                    dbc.Button(
                        t("adm.accounts_create", lang), id="adm-accounts-create", color="primary", className="me-2"
                    ),
                    dbc.Button(t("adm.plan_kiosk", lang), id="adm-plan-kiosk", color="secondary"),
                ],
                id="adm-after-import",
                hidden=True,
            ),
            html.Div(id="adm-accounts-feedback", className="mt-2"),
            html.H2(t("adm.refresh_title", lang), className="h5 mt-4"),
            html.P(t("adm.refresh_help", lang), className="small text-muted"),
            dbc.Button(t("adm.refresh_all", lang), id="adm-refresh-all", color="primary", className="mb-2"),
            html.Div(id="adm-refresh-feedback"),
            html.Div(id="adm-runs"),
            html.H2(t("adm.history", lang), className="h5 mt-4"),
            html.Div(id="adm-history"),
        ],
        id="admin",
    )


def users_table(users: list[dict], me: int | None, lang: str = "vi") -> html.Div:
    if not users:
        return empty(t("adm.no_users", lang))
    rows = []
    for u in users:
        toggle = (
            None
            if u["id"] == me
            else dbc.Button(
                t("adm.lock", lang) if u["active"] else t("adm.unlock", lang),
                id={"type": "adm-toggle", "index": u["id"]},
                size="sm",
                color="danger" if u["active"] else "success",
                outline=True,
            )
        )
        rows.append(
            html.Tr(
                [
                    html.Td(u["username"]),
                    html.Td(u["full_name"]),
                    html.Td(label("role", u["role"], lang)),
                    html.Td(u["agency"] or ""),
                    html.Td(t("adm.active", lang) if u["active"] else t("adm.locked", lang)),
                    html.Td(toggle),
                ],
                id=f"adm-user-{u['username']}",
            )
        )
    keys = ("col.username", "adm.full_name", "adm.role", "agencies", "status")
    head = html.Thead(html.Tr([*(html.Th(t(k, lang)) for k in keys), html.Th("")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", bordered=True, responsive=True, id="adm-users-table")


def kiosks_table(tokens: list[dict], lang: str = "vi") -> html.Div:
    if not tokens:
        return empty(t("adm.no_kiosks", lang))
    rows = [
        html.Tr(
            [
                html.Td(k["name"]),
                html.Td(k["created_at"].strftime("%d/%m/%Y") if k["created_at"] else ""),
                html.Td(
                    k["last_used_at"].strftime("%d/%m/%Y %H:%M") if k["last_used_at"] else t("adm.never_used", lang)
                ),
                html.Td(t("adm.revoked", lang) if k["revoked"] else t("adm.in_use", lang)),
                html.Td(
                    None
                    if k["revoked"]
                    else dbc.Button(
                        t("adm.revoke", lang),
                        id={"type": "adm-revoke", "index": k["id"]},
                        size="sm",
                        color="danger",
                        outline=True,
                    )
                ),
            ]
        )
        for k in tokens
    ]
    keys = ("adm.screen", "adm.created_on", "adm.last_used", "status")
    head = html.Thead(html.Tr([*(html.Th(t(k, lang)) for k in keys), html.Th("")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", bordered=True, responsive=True, id="adm-kiosks-table")


def runs_table(runs: list[dict], lang: str = "vi") -> html.Div:
    """Refresh runs, newest first: when, how long, rows read and changed, and the error if any."""
    if not runs:
        return empty(t("adm.no_runs", lang), "adm-no-runs")
    rows = [
        html.Tr(
            [
                html.Td(r["source"]),
                html.Td(r["started_at"].strftime("%d/%m/%Y %H:%M:%S")),
                html.Td("" if r["seconds"] is None else f"{r['seconds']:.1f} s"),
                html.Td(r["rows_read"]),
                html.Td(r["rows_changed"]),
                html.Td(
                    label("run", r["status"], lang),
                    className="text-danger" if r["status"] == "error" else "",
                ),
                html.Td(r["error"] or "", className="small"),
            ]
        )
        for r in runs
    ]
    keys = ("adm.source", "adm.started", "adm.duration", "adm.rows_read", "adm.rows_changed", "adm.result", "adm.error")
    head = html.Thead(html.Tr([html.Th(t(k, lang)) for k in keys]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", bordered=True, responsive=True, id="adm-runs-table")


def import_preview(preview, lang: str = "vi") -> html.Div:  # noqa: ANN001
    """What saving would do (``dashboard.importers.preview.Preview``): counts, then every change."""
    r = preview.report
    items = []
    for kind, key in (("kpis", "kpi"), ("tasks", "tasks")):
        counts = {"added": len(preview.added[kind]), "changed": len(preview.changed[kind])}
        text = t("adm.preview_counts", lang, what=t(key, lang), withdrawn=len(preview.withdrawn[kind]), **counts)
        items.append(html.Li(text, id=f"adm-preview-{kind}"))
    details = [f"+ {code}" for kind in ("kpis", "tasks") for code in preview.added[kind]]
    details += [
        f"~ {c.code} · {c.field}: {c.before} → {c.after}" for kind in ("kpis", "tasks") for c in preview.changed[kind]
    ]
    details += [f"− {code}" for kind in ("kpis", "tasks") for code in preview.withdrawn[kind]]
    return html.Div(
        [
            html.P(
                t("adm.preview_of", lang, source=r.source, plan=r.plan_code, province=r.province, year=r.year),
                className="mb-1",
            ),
            html.Ul(items, className="mb-1"),
            html.Details(
                [
                    html.Summary(t("adm.details", lang)),
                    html.Pre("\n".join(details) or t("adm.unchanged", lang), className="small"),
                ]
            )
            if details
            else None,
            *_report_notes(r, lang, "adm-preview-new"),
        ],
        id="adm-import-preview",
        className="alert alert-info",
    )


def accounts_made(accounts: list, plan_code: str, lang: str = "vi") -> html.Div:
    """The accounts just created with their one-time passwords: shown once, and downloadable as a sheet."""
    if not accounts:
        return dbc.Alert(t("adm.all_have_accounts", lang), color="secondary", id="adm-accounts-none")
    rows = [html.Tr([html.Td(a.agency), html.Td(a.username), html.Td(html.Code(a.password))]) for a in accounts]
    return html.Div(
        [
            dbc.Alert(
                t("adm.accounts_made", lang, n=len(accounts), plan=plan_code),
                color="success",
            ),
            dbc.Table(
                [
                    html.Thead(
                        html.Tr([html.Th(t(k, lang)) for k in ("agencies", "col.username", "col.one_time_password")])
                    ),
                    html.Tbody(rows),
                ],
                size="sm",
                bordered=True,
            ),
        ],
        id="adm-accounts-made",
    )


def import_saved(report, lang: str = "vi") -> dbc.Alert:  # noqa: ANN001
    """What an import saved (``dashboard.importers.loader.ImportReport``): counts, new agencies, warnings."""
    c = report.counts
    kpis = {k: c[f"indicators{k}"] for k in ("", "_created", "_updated", "_removed")}
    tasks = {k: c[f"tasks{k}"] for k in ("", "_created", "_updated", "_removed", "_retired")}
    return dbc.Alert(
        [
            html.P(
                t(
                    "adm.saved_plan",
                    lang,
                    source=report.source,
                    plan=report.plan_code,
                    province=report.province,
                    year=report.year,
                ),
                className="mb-1",
            ),
            html.Ul(
                [
                    html.Li(
                        t(
                            "adm.saved_kpis",
                            lang,
                            n=kpis[""],
                            new=kpis["_created"],
                            changed=kpis["_updated"],
                            removed=kpis["_removed"],
                        )
                    ),
                    html.Li(
                        t(
                            "adm.saved_tasks",
                            lang,
                            n=tasks[""],
                            new=tasks["_created"],
                            changed=tasks["_updated"],
                            removed=tasks["_removed"],
                            kept=tasks["_retired"],
                        )
                    ),
                ],
                className="mb-1",
            ),
            *_report_notes(report, lang, "adm-saved-new"),
        ],
        color="success",
        id="adm-import-ok",
    )


def _report_notes(report, lang: str, new_id: str) -> list:  # noqa: ANN001
    """An import report's agencies new to the directory and its warnings, in the page's language."""
    new = (
        html.P(t("adm.new_agencies", lang) + "; ".join(report.new_agencies), className="small mb-1", id=new_id)
        if report.new_agencies
        else None
    )
    warnings = (
        html.Details(
            [
                html.Summary(t("adm.findings", lang, n=len(report.findings))),
                html.Pre("\n".join(f.text(lang) for f in report.findings), className="small"),
            ]
        )
        if report.findings
        else None
    )
    return [new, warnings]
