"""The wall screen: full screen, dark, large type, rotating views, a clock and a staleness warning."""

from __future__ import annotations

from collections import Counter
from datetime import date

from dash import dcc, html

from dashboard.kpi import red_flags as rf
from dashboard.kpi.red_flags import Flag
from dashboard.kpi.status import is_finished
from dashboard.kpi.values import KpiSnapshot
from dashboard.messages import label, quarter_label, t
from dashboard.records import TaskRow

from . import charts
from .flag_text import flag_detail
from .formatting import vn_date, vn_percent
from .theme import FLAG_COLOR, FLAG_ICON, GREEN, RED
from .widgets import plotly_locale

VIEWS = ("wall_overview", "wall_flags", "wall_timeline", "wall_ranking")
WALL_GRAPH = {"displayModeBar": False, "staticPlot": True, "responsive": True}


def wall_shell(plan_id: int | None, lang: str, rotate_s: int, refresh_min: float) -> html.Div:
    """The frame; the views are filled by the data callback and shown one at a time by the browser."""
    config = {
        "plan": plan_id,
        "lang": lang,
        "rotate_ms": int(rotate_s * 1000),
        "refresh_ms": int(refresh_min * 60_000),
        "views": [t(v, lang) for v in VIEWS],
        "stale_text": t("stale", lang, time="{time}"),
        "refreshed_label": t("last_refresh", lang),
    }
    return html.Div(
        [
            dcc.Store(id="wall-config", data=config),
            dcc.Store(id="wall-meta", data={}),
            dcc.Interval(id="wall-tick", interval=config["rotate_ms"]),
            dcc.Interval(id="wall-refresh", interval=config["refresh_ms"]),
            dcc.Interval(id="wall-clock", interval=1000),
            html.Header(
                [
                    html.Div(id="wall-title", className="wall-title"),
                    html.Div(id="wall-view-name", className="wall-view-name"),
                    html.Div(
                        [
                            html.Div(id="wall-clock-text", className="wall-clock"),
                            html.Div(id="wall-refreshed", className="wall-refreshed"),
                        ],
                        className="wall-time",
                    ),
                ],
                className="wall-header",
            ),
            html.Div(id="wall-stale", className="wall-stale wall-hidden"),
            html.Main(
                [
                    html.Section(id=f"wall-view-{i}", className="wall-view" + ("" if i == 0 else " wall-hidden"))
                    for i in range(len(VIEWS))
                ],
                className="wall-body",
            ),
            html.Footer(id="wall-dots", className="wall-dots"),
        ],
        id="wall-root",
        className="wall",
        lang=lang,
    )


def _tile(value: int, label: str, color: str, tile_id: str) -> html.Div:
    return html.Div(
        [html.Div(str(value), className="wall-tile-value", id=tile_id), html.Div(label, className="wall-tile-label")],
        className="wall-tile",
        style={"borderColor": color},
    )


def overview_view(heads: list[KpiSnapshot], counts: Counter, tasks: list[TaskRow], lang: str) -> html.Div:
    tiles = html.Div(
        [
            _tile(
                counts.get(kind, 0),
                f"{FLAG_ICON[kind]} {label('flag', kind, lang)}",
                FLAG_COLOR[kind],
                f"wall-count-{kind}",
            )
            for kind in rf.KINDS  # every kind, "06 rõ" too: the tiles add up to the flags the wall pages through
        ],
        className="wall-tiles",
    )
    if heads:
        gauges = html.Div(
            [
                dcc.Graph(
                    figure=charts.gauge(s, lang, dark=True, height=460, fill=True),
                    config={**WALL_GRAPH, "locale": plotly_locale(lang)},
                    className="wall-gauge",
                    id=f"wall-gauge-{s.indicator.national_code}",
                )
                for s in heads
            ],
            className="wall-gauges",
        )
    else:
        done = sum(1 for tk in tasks if is_finished(tk.status))
        gauges = html.Div(
            [
                _tile(len(tasks), t("tasks", lang), GREEN, "wall-task-total"),
                _tile(done, "✔ " + t("status", lang), GREEN, "wall-task-done"),
            ],
            className="wall-tiles",
        )
    return html.Div([gauges, tiles], className="wall-overview")


FLAGS_PER_PAGE = 5  # rows of one page of the flags view, readable from across the room


def _flag_row(fl: Flag, lang: str) -> html.Div:
    return html.Div(
        [
            html.Div(FLAG_ICON[fl.kind], className="wall-flag-icon", style={"color": FLAG_COLOR[fl.kind]}),
            html.Div(
                [
                    html.Div(fl.title, className="wall-flag-title"),
                    html.Div(
                        [
                            html.Span(label("flag", fl.kind, lang), style={"color": FLAG_COLOR[fl.kind]}),
                            " · ",
                            "; ".join(fl.agencies[:2]) if fl.kind != rf.MISSING_REPORT else "",
                            " · ",
                            flag_detail(fl, lang),
                        ],
                        className="wall-flag-detail",
                    ),
                ],
                className="wall-flag-text",
            ),
        ],
        className="wall-flag",
    )


def flags_view(flags: list[Flag], lang: str, per_page: int = FLAGS_PER_PAGE) -> html.Div:
    """Every flag, most severe first, in pages the screen shows one after another (``assets/wall.js`` turns
    them within the rotation), each saying which page of how many it is."""
    if not flags:
        return html.Div(t("no_flags", lang), className="wall-empty")
    chunks = [flags[i : i + per_page] for i in range(0, len(flags), per_page)]
    pages = [
        html.Div(
            [
                *[_flag_row(fl, lang) for fl in chunk],
                html.Div(f"{n + 1}/{len(chunks)} · {len(flags)}", className="wall-flag-pages"),
            ],
            className="wall-flag-page" + ("" if n == 0 else " wall-hidden"),
        )
        for n, chunk in enumerate(chunks)
    ]
    return html.Div(pages, className="wall-flags", id="wall-flag-list")


def timeline_view(tasks: list[TaskRow], year: int, today: date, lang: str) -> html.Div:
    quarter = (today.month - 1) // 3 + 1 if today.year == year else None
    return html.Div(
        [
            dcc.Graph(
                figure=charts.quarter_bars(tasks, year, lang, dark=True),
                config={**WALL_GRAPH, "locale": plotly_locale(lang)},
                className="wall-quarters",
                id="wall-quarter-chart",
            ),
            html.Div(
                f"{t('today', lang)}: {vn_date(today)}" + (f" · {quarter_label(quarter, lang)}" if quarter else ""),
                className="wall-caption",
            ),
        ],
        className="wall-timeline",
    )


def ranking_view(rows: list[dict], lang: str, each: int = 5) -> html.Div:
    """The best and the worst agencies (a TV shows no scrollbar, so the middle is elided)."""
    if not rows:
        return html.Div("—", className="wall-empty")
    head = html.Tr(
        [
            html.Th(t("rank", lang)),
            html.Th(t("agencies", lang)),
            html.Th(t("overdue_tasks", lang)),
            html.Th(t("on_time_rate", lang)),
        ]
    )
    shown = list(enumerate(rows))
    if len(rows) > 2 * each:
        shown = shown[:each] + [(None, None)] + shown[-each:]
    body = []
    for i, r in shown:
        if r is None:
            body.append(html.Tr([html.Td("…", colSpan=4, className="wall-gap")]))
            continue
        body.append(
            html.Tr(
                [
                    html.Td(str(i + 1)),
                    html.Td(r["name"]),
                    html.Td(str(r["overdue"]), style={"color": RED if r["overdue"] else GREEN}),
                    html.Td(vn_percent(r["on_time_rate"], 0, lang)),
                ]
            )
        )
    return html.Table([html.Thead(head), html.Tbody(body)], className="wall-ranking", id="wall-ranking-table")
