"""The four pages for laptops and phones: overview, agency, timeline, red flags."""

from __future__ import annotations

from datetime import date, datetime

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import red_flags as rf
from dashboard.filters import Filters
from dashboard.kpi import AGGREGATION_LABELS
from dashboard.kpi_values import KpiSnapshot
from dashboard.red_flags import Flag
from dashboard.refresh import Freshness
from dashboard.reporting import ReportCell, ReportingRecord
from dashboard.status import label as status_label
from dashboard.text import slug

from . import figures
from .flag_text import flag_detail
from .formatting import age_words, month_label, vn_date, vn_percent, with_unit
from .i18n import report_deadline, t
from .plain_html import BOOTSTRAP, element, link
from .theme import FLAG_COLOR, FLAG_ICON, KPI_COLOR, KPI_ICON, STATUS_COLOR, STATUS_ICON, TREND_ICON, kpi_label


def chart_name(what: str, plan: dict, today: date) -> str:
    """A file name that says what and when: ``hai-long-voi-dvc-truc-tuyen-lao-cai-2026-kh-bcd-27-11-2026``."""
    return slug(f"{what} {plan['code']} {today:%d-%m-%Y}")


def graph(fig, graph_id: str, class_name: str = "", name: str | None = None) -> dcc.Graph:  # noqa: ANN001
    """A chart whose camera button saves a PNG at slide resolution (1920 px wide) under a telling name."""
    height = (fig["layout"].get("height") if isinstance(fig, dict) else fig.layout.height) or 1080
    config = {
        "displaylogo": False,
        "responsive": True,
        "toImageButtonOptions": {
            "format": "png",
            "filename": name or graph_id,
            "width": 1920,
            "height": max(600, min(int(height * 1920 / 1200), 4000)),
            "scale": 1,
        },
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


def empty(text: str, element_id: str | None = None) -> dbc.Alert:
    return dbc.Alert(text, color="light", className="empty-state", **({"id": element_id} if element_id else {}))


def status_badge(status: str, lang: str) -> html.Span:
    return html.Span(
        f"{STATUS_ICON[status]} {status_label(status, lang)}",
        className="status-badge",
        style={"backgroundColor": STATUS_COLOR[status]},
        **{"data-status": status},
    )


def kpi_badge(state: str, lang: str) -> html.Span:
    return html.Span(
        f"{KPI_ICON[state]} {kpi_label(state, lang)}",
        className="status-badge",
        style={"backgroundColor": KPI_COLOR[state]},
        **{"data-kpi-status": state},
    )


def task_table(tasks: list[dict], lang: str, table_id: str, via: set[int] | None = None) -> html.Div:
    """Tasks with code, name, lead, deadline as written, due date, status and progress."""
    if not tasks:
        return empty(t("no_tasks", lang), f"{table_id}-empty")
    head = html.Thead(
        html.Tr([html.Th(t(k, lang)) for k in ("code", "task", "lead", "deadline", "due", "status", "progress")])
    )
    rows = []
    badges = {s: status_badge(s, lang).to_plotly_json() for s in {tk["status"] for tk in tasks}}
    for tk in tasks:
        lead = "; ".join(tk["lead_agencies"])
        if via and not via & set(tk["_lead_ids"]) and tk["_lead_ids"]:
            lead += f" ({t('via_group', lang)})"
        rows.append(  # up to 150 rows: written as plain component data (layouts/plain_html.py)
            element(
                "Tr",
                [
                    element("Td", tk["code"], className="text-nowrap"),
                    element("Td", tk["name"]),
                    element("Td", lead),
                    element("Td", tk["deadline_text"] or "—"),
                    element("Td", vn_date(tk["due_date"]), className="text-nowrap"),
                    element("Td", badges[tk["status"]]),
                    element("Td", f"{tk['progress']} %", className="text-nowrap"),
                ],
                **{"data-status": tk["status"]},
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
                        figures.gauge(s, lang),
                        f"gauge-{s.indicator['national_code']}",
                        "headline-gauge",
                        chart_name(figures.short_name(s.indicator), plan, today),
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
                    figures.agency_bullets(agency_rows, heads, lang),
                    "agency-gauges",
                    "",
                    chart_name("chi tieu theo don vi", plan, today),
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


def kpi_table(snaps: list[KpiSnapshot], lang: str) -> html.Div:
    if not snaps:
        return empty(t("no_kpis", lang), "no-kpis")
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(k, lang))
                for k in ("code", "kpi", "unit", "target", "current", "trend", "status", "lead", "aggregation")
            ]
        )
    )
    body = []
    for s in snaps:
        ind = s.indicator
        body.append(
            html.Tr(
                [
                    html.Td(ind["code"]),
                    html.Td(ind["name"]),
                    html.Td(ind["unit"] or ""),
                    html.Td(figures.target_text(ind, lang), className="text-nowrap"),
                    html.Td(with_unit(s.value, ind["unit"], lang), className="text-nowrap"),
                    html.Td(TREND_ICON[s.trend], title=s.trend or "", className="text-center"),
                    html.Td(kpi_badge(s.status, lang)),
                    html.Td("; ".join(ind["lead_agencies"])),
                    html.Td(
                        AGGREGATION_LABELS[lang if lang == "en" else "vi"].get(ind.get("aggregation"), ""),
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
                        figures.gauge(s, lang, height=220),
                        f"agency-gauge-{s.indicator['id']}",
                        "agency-gauge",
                        chart_name(f"{agency['name']} {figures.short_name(s.indicator)}", plan, today),
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
                        figures.trend(tr["series"], tr["indicator"], lang),
                        f"trend-{tr['indicator']['id']}",
                        "",
                        chart_name(f"{agency['name']} dien bien {figures.short_name(tr['indicator'])}", plan, today),
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
            figures.timeline(dated, data["year"], today, f.group_by, lang),
            "timeline-chart",
            "",
            chart_name("tien do theo quy", plan, today),
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
                figures.report_grid(cells, names, lang, deadline),
                "report-grid",
                "",
                chart_name("bao cao thang", plan, today),
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
                                f"{FLAG_ICON[fl.kind]} {rf.label(fl.kind, lang)}",
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


def flags_page(plan: dict, today: date, flags: list[Flag], counts: dict[str, int], f: Filters) -> html.Div:
    lang = f.lang
    tiles = dbc.Row(
        [
            dbc.Col(
                html.Div(
                    [
                        html.Div(str(counts.get(kind, 0)), className="flag-count", id=f"flag-count-{kind}"),
                        html.Div(f"{FLAG_ICON[kind]} {rf.label(kind, lang)}", className="small"),
                    ],
                    className="flag-tile",
                    style={"borderColor": FLAG_COLOR[kind]},
                ),
                xs=6,
                md=True,
            )
            for kind in rf.KINDS
        ],
        className="g-2 mb-3",
    )
    return html.Div(
        [
            plan_header(plan, today, lang),
            html.H2(f"{t('flags_title', lang)} ({len(flags)})", className="h5", id="flags-heading"),
            tiles,
            export_buttons("flags", t("export_flags", lang)),
            export_buttons("briefing", t("export_briefing", lang), ("pdf",)),
            export_buttons("briefing-agencies", t("export_briefing_agencies", lang), ("pdf",)),
            flag_list(flags, lang),
        ]
    )


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


def national_page(rows: list[dict], computed_at: datetime | None, lang: str) -> html.Div:
    """Every province's plan on one screen: tasks done and overdue, red flags, the three headline KPIs."""
    if not rows:
        return empty(t("no_plans", lang), "no-plans")
    heads = rows[0]["headline"]
    head = html.Thead(
        html.Tr(
            [html.Th(t(k, lang)) for k in ("province", "tasks_total", "tasks_done", "tasks_overdue", "nav_flags")]
            + [html.Th(figures.short_name({"national_code": h["code"], "name": h["name"]}, lang)) for h in heads]
        )
    )
    body = []
    badges: dict[str, dict] = {}
    for r in rows:  # 34 provinces x 8 cells: written as plain component data (layouts/plain_html.py)
        cells = {h["code"]: h for h in r["headline"]}
        body.append(
            element(
                "Tr",
                [
                    element("Td", link(f"{r['province']} · {r['year']}", f"/?plan={r['plan_id']}")),
                    element("Td", str(r["tasks"]), className="text-end"),
                    element("Td", str(r["done"]), className="text-end"),
                    element("Td", str(r["overdue"]), className="text-end fw-bold" if r["overdue"] else "text-end"),
                    element("Td", link(str(r["flags"]), f"/canh-bao?plan={r['plan_id']}"), className="text-end"),
                ]
                + [_national_kpi(cells.get(h["code"]), lang, badges) for h in heads],
                className="national-row",
            )
        )
    note = t("national_computed", lang, at=f"{computed_at:%H:%M %d/%m/%Y}") if computed_at else ""
    return html.Div(
        [
            html.H2(t("national_title", lang, n=len(rows)), className="h5", id="national-heading"),
            html.Div(note, className="small text-muted mb-2", id="national-computed"),
            dbc.Table(
                [head, html.Tbody(body)], bordered=True, hover=True, size="sm", responsive=True, id="national-table"
            ),
        ]
    )


def _national_kpi(cell: dict | None, lang: str, badges: dict[str, dict]) -> dict:
    if cell is None or cell["value"] is None:
        return element("Td", "—", className="text-center")
    value = with_unit(cell["value"], cell["unit"], lang)
    if cell["status"] not in badges:
        badges[cell["status"]] = kpi_badge(cell["status"], lang).to_plotly_json()
    return element("Td", [value, " ", badges[cell["status"]]], className="text-nowrap")
