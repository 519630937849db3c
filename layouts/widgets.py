"""Widgets shared by the pages: charts, export buttons, badges, task and flag lists, the plan header, messages."""

from __future__ import annotations

from datetime import date, datetime

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.kpi import red_flags as rf
from dashboard.kpi.red_flags import Flag
from dashboard.kpi.values import KpiSnapshot
from dashboard.messages import label, t
from dashboard.reads.filters import Filters
from dashboard.records import TaskRow
from dashboard.sources.refresh import Freshness
from dashboard.text import fold, slug

from . import charts
from .flag_text import flag_detail
from .formatting import age_words, vn_date, with_unit
from .plain_html import BOOTSTRAP, element
from .theme import (
    FLAG_COLOR,
    FLAG_ICON,
    KPI_COLOR,
    KPI_ICON,
    STATUS_COLOR,
    STATUS_ICON,
    TRAJECTORY_COLOR,
    TRAJECTORY_ICON,
    TREND_ICON,
)

DROPDOWN_LABELS = (
    "select_all",
    "deselect_all",
    "selected_count",
    "search",
    "clear_search",
    "clear_selection",
    "no_options_found",
)


def dropdown(component_id: str, options: list[dict], lang: str, **props: object) -> dcc.Dropdown:
    """A dropdown in the page's language whose search ignores accents ("noi vu" finds "Sở Nội vụ"); every
    dropdown of the site is made here."""
    searchable = [{**o, "search": f"{o['label']} {fold(str(o['label']))}"} for o in options]
    labels = {key: t(f"dropdown.{key}", lang) for key in DROPDOWN_LABELS}
    return dcc.Dropdown(id=component_id, options=searchable, labels=labels, **props)


def plotly_locale(lang: str) -> str:
    """Plotly's locale for a page language."""
    return "en" if lang == "en" else "vi"


def slide(what: str, plan: dict, today: date, lang: str) -> dict:
    """What a chart's slide export carries: its title, a line naming the plan and the "as of" date, and a file
    name that says what and when (``dvc-truc-tuyen-toan-trinh-lao-cai-2026-kh-bcd-27-11-2026``)."""
    plan_name = plan.get("title") or plan.get("code") or ""
    if len(plan_name) > 80:  # the line fits the slide; the date comes before it, never cut
        plan_name = plan_name[:79] + "…"
    return {
        "title": what,
        "subtitle": f"{plan.get('province') or ''} · {t('as_of', lang)} {vn_date(today)} · {plan_name}",
        "filename": slug(f"{what} {plan['code']} {today:%d-%m-%Y}"),
    }


def graph(fig, graph_id: str, class_name: str = "", export: dict | None = None, lang: str = "vi") -> dcc.Graph:  # noqa: ANN001
    """A chart whose PNG and SVG buttons save a slide (``assets/charts.js``: 1920 px wide, text twice its
    screen size, titled with ``export`` from ``slide``), with Plotly's own texts (toolbar, messages) in the
    page's language (``assets/plotly-locale-vi.js``)."""
    if export is not None:
        fig = {**fig, "layout": {**fig["layout"], "meta": {"title": export["title"], "subtitle": export["subtitle"]}}}
    config = {
        "locale": plotly_locale(lang),
        "displaylogo": False,
        "responsive": True,
        # Government data never leaves the site: no "Share chart…" / "Edit in Chart Studio" to Plotly's cloud.
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "showLink": False,
        "plotlyServerURL": "",
        # Plotly's camera saves the chart as drawn on screen (small text on a slide): charts.js adds PNG and
        # SVG buttons that save it at slide size instead.
        "modeBarButtonsToRemove": ["sendDataToCloud", "toImage"],
        "toImageButtonOptions": {"filename": export["filename"] if export else graph_id},
    }
    return dcc.Graph(id=graph_id, figure=fig, config=config, className=class_name)


def export_buttons(what: str, label: str, formats: tuple[str, ...] = ("xlsx", "csv")) -> html.Div:
    """Download buttons for a table, always for the current filters."""
    return html.Div(
        [html.Span(label, className="small text-muted me-2")]
        + [
            dbc.Button(
                fmt.upper() if fmt != "xlsx" else "Excel",
                id={"type": "export", "what": what, "fmt": fmt},
                size="sm",
                color="secondary",
                outline=True,
                className="me-1 export-btn",
            )
            for fmt in formats
        ],
        className="mb-2 export-bar",
    )


def reports_link(f: Filters) -> html.Div:
    """The way to the "Báo cáo" page (briefing, per-agency pack, slides) for the same filters."""
    return html.Div(
        dcc.Link(t("reports.link", f.lang), href="/bao-cao" + f.to_query(), className="reports-link"),
        className="mb-2 small",
    )


def empty(text: str, element_id: str | None = None) -> dbc.Alert:
    return dbc.Alert(text, color="light", className="empty-state", **({"id": element_id} if element_id else {}))


def status_badge(status: str, lang: str) -> html.Span:
    return html.Span(
        f"{STATUS_ICON[status]} {label('status', status, lang)}",
        className="status-badge",
        style={"backgroundColor": STATUS_COLOR[status]},
        **{"data-status": status},
    )


def kpi_badge(state: str, lang: str) -> html.Span:
    return html.Span(
        f"{KPI_ICON[state]} {label('kpi_state', state, lang)}",
        className="status-badge",
        style={"backgroundColor": KPI_COLOR[state]},
        **{"data-kpi-status": state},
    )


def trajectory_badge(state: str, lang: str) -> html.Span:
    """The in-year state of a KPI against the value expected by now: icon and word, not colour alone."""
    return html.Span(
        f"{TRAJECTORY_ICON[state]} {label('trajectory', state, lang)}",
        className="status-badge trajectory-badge",
        style={"backgroundColor": TRAJECTORY_COLOR[state]},
        **{"data-trajectory": state},
    )


def task_table(tasks: list[TaskRow], lang: str, table_id: str, via: set[int] | None = None) -> html.Div:
    """Tasks with code, name, lead, deadline as written, due date, status and progress."""
    if not tasks:
        return empty(t("no_tasks", lang), f"{table_id}-empty")
    head = html.Thead(
        html.Tr([html.Th(t(k, lang)) for k in ("code", "task", "lead", "deadline", "due", "status", "progress")])
    )
    rows = []
    badges = {s: status_badge(s, lang).to_plotly_json() for s in {tk.status for tk in tasks}}
    for tk in tasks:
        lead = "; ".join(tk.lead_agencies)
        if via and not via & set(tk.lead_ids) and tk.lead_ids:
            lead += f" ({t('via_group', lang)})"
        rows.append(  # up to 150 rows: written as plain component data (layouts/plain_html.py)
            element(
                "Tr",
                [
                    element("Td", tk.code, className="text-nowrap"),
                    element("Td", tk.name),
                    element("Td", lead),
                    element("Td", tk.deadline_text or "—"),
                    element("Td", vn_date(tk.due_date), className="text-nowrap"),
                    element("Td", badges[tk.status]),
                    element("Td", f"{tk.progress} %", className="text-nowrap"),
                ],
                **{"data-status": tk.status},
            )
        )
    return dbc.Table(
        [head, html.Tbody(rows)],
        bordered=True,
        hover=True,
        size="sm",
        responsive=True,
        id=table_id,
        className="task-table",
    )


def plan_header(plan: dict, today: date, lang: str) -> html.Div:
    return html.Div(
        [
            html.H1(plan["title"], className="h5 mb-1", id="plan-title"),
            html.P(
                f"{plan['issuer'] or plan['province']} · {plan['doc_number'] or ''} · "
                f"{t('as_of', lang)} {vn_date(today)}",
                className="text-muted small mb-3",
            ),
        ]
    )


# --- overview -------------------------------------------------------------------------------------


def kpi_table(snaps: list[KpiSnapshot], lang: str) -> html.Div:
    if not snaps:
        return empty(t("no_kpis", lang), "no-kpis")
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(k, lang))
                for k in (
                    "code",
                    "kpi",
                    "unit",
                    "target",
                    "current",
                    "trend",
                    "status",
                    "trajectory",
                    "lead",
                    "aggregation",
                )
            ]
        )
    )
    body = []
    for s in snaps:
        ind = s.indicator
        body.append(
            html.Tr(
                [
                    html.Td(ind.code),
                    html.Td(ind.name),
                    html.Td(ind.unit or ""),
                    html.Td(charts.target_text(ind, lang), className="text-nowrap"),
                    html.Td(with_unit(s.value, ind.unit, lang), className="text-nowrap"),
                    html.Td(TREND_ICON[s.trend], title=s.trend or "", className="text-center"),
                    html.Td(kpi_badge(s.status, lang)),
                    html.Td(
                        trajectory_badge(s.trajectory, lang),
                        title=t("trajectory.expected", lang, value=with_unit(s.expected, ind.unit, lang))
                        if s.expected is not None
                        else None,
                    ),
                    html.Td("; ".join(ind.lead_agencies)),
                    html.Td(
                        label("aggregation", ind.aggregation, lang),
                        className="small",
                    ),
                ]
            )
        )
    return dbc.Table([head, html.Tbody(body)], bordered=True, hover=True, size="sm", responsive=True, id="kpi-table")


# --- agency ---------------------------------------------------------------------------------------


def agency_chooser(agencies: list[dict], f: Filters, path: str = "/don-vi") -> html.Div:
    lang = f.lang
    groups: dict[str, list[dict]] = {}
    for a in agencies:
        if a["kind"] != "group":
            groups.setdefault(a["kind"], []).append(a)
    order = ("department", "office", "police", "other", "commune")
    return html.Div(
        [
            html.P(t("choose_agency", lang)),
            html.Div(
                [
                    html.Div(
                        [
                            dcc.Link(
                                a["name"],
                                href=path + f.with_(agencies=(a["id"],)).to_query(),
                                className="btn btn-outline-primary btn-sm m-1 agency-link",
                            )
                            for a in sorted(groups.get(kind, []), key=lambda a: a["name"])
                        ],
                        className="mb-2",
                    )
                    for kind in order
                    if groups.get(kind)
                ],
                id="agency-chooser",
            ),
        ]
    )


def flag_list(flags: list[Flag], lang: str, list_id: str = "flag-list", limit: int | None = None) -> html.Div:
    if not flags:
        return empty(t("no_flags", lang), f"{list_id}-empty")
    shown = flags[:limit] if limit else flags
    items = []
    for fl in shown:  # a province can have hundreds: written as plain component data (layouts/plain_html.py)
        items.append(
            element(
                "ListGroupItem",
                [
                    element(
                        "Div",
                        [
                            element(
                                "Span",
                                f"{FLAG_ICON[fl.kind]} {label('flag', fl.kind, lang)}",
                                className="flag-kind",
                                style={"backgroundColor": FLAG_COLOR[fl.kind]},
                            ),
                            element("Span", fl.code or "", className="text-muted small ms-2"),
                        ],
                    ),
                    element("Div", fl.title, className="flag-title"),
                    element(
                        "Div",
                        [
                            "; ".join(fl.agencies) if fl.kind != rf.MISSING_REPORT else "",
                            " ",
                            element("Strong", flag_detail(fl, lang)),
                        ],
                        className="small",
                    ),
                ],
                namespace=BOOTSTRAP,
                className=f"flag-item flag-{fl.kind}",
            )
        )
    more = (
        html.P(t("more", lang, n=len(flags) - len(shown)), className="text-muted") if len(shown) < len(flags) else None
    )
    return html.Div([dbc.ListGroup(items, id=list_id), more])


def db_down(at: datetime | None, lang: str) -> dbc.Alert:
    """The warning while the database cannot be reached: how old the page shown is, and that it heals itself."""
    text = t("db_down_cached", lang, at=f"{at:%H:%M %d/%m/%Y}") if at else t("db_down_nothing", lang)
    return dbc.Alert(text, color="warning", id="db-down", className="mb-2 fw-semibold")


def freshness(fresh: Freshness, now: datetime, lang: str) -> html.Div:
    """When the data itself was last refreshed (the oldest source's last good pull) and how long ago, and a
    warning for each source whose data is older than it should be."""
    parts = []
    if fresh.data_at:
        ago = age_words((now - fresh.data_at).total_seconds(), lang)
        parts.append(
            html.Div(
                f"{t('last_refresh', lang)}: {fresh.data_at:%H:%M %d/%m/%Y} ({t('ago', lang, age=ago)})",
                className="small text-muted",
                id="last-refresh",
            )
        )
    for h in fresh.stale:
        if h["age_hours"] is None:
            text = t("source_never", lang, source=h["title"])
        else:
            text = t("source_stale", lang, source=h["title"], age=age_words(h["age_hours"] * 3600, lang))
        if h["last_error"] and h["last_status"] == "error":
            # The error itself (often a driver's English) is for the log and the admin page, not for readers.
            text += f" ({t('source_failing', lang)})"
        parts.append(dbc.Alert(text, color="warning", className="py-1 mb-2 stale-source"))
    return html.Div(parts, id="freshness", className="mb-2")


# --- national -------------------------------------------------------------------------------------
