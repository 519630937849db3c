"""Plotly figures: gauges with the plan's own target, per-agency bullets, trends, the quarter timeline and
the monthly report grid. Vietnamese separators (95,5) everywhere."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date, timedelta

from dashboard.kpi.catalog import BY_CODE
from dashboard.kpi.reporting import LATE, MISSING, ON_TIME, PENDING, ReportCell
from dashboard.kpi.rules import is_percent
from dashboard.kpi.values import KpiSnapshot
from dashboard.messages import label, quarter_label, report_deadline, t
from dashboard.records import KpiRow, TaskRow

from .formatting import month_label, vn_date, vn_number, with_unit
from .theme import AMBER, BLUE, GREEN, GREY, KPI_COLOR, RED, STATUS_COLOR, STATUS_SYMBOL

FONT = "Open Sans, Liberation Sans, Noto Sans, Arial, sans-serif"
WALL_MIN_FONT = 28  # px on the wall's 1920×1080 canvas, which assets/wall.js scales to the screen
OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def _layout(lang: str, dark: bool = False, **layout: object) -> dict:
    """The layout every chart shares: Vietnamese separators, the site's font, transparent background."""
    settings: dict = {
        "separators": ",." if lang != "en" else ".,",
        "font": {"family": FONT, "color": "#f2f2f2" if dark else "#222"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    }
    settings.update(layout)
    for axis in ("xaxis", "yaxis"):
        # Plotly's default template (which a plain figure dict does not carry) grows the margins to fit long
        # labels: agency and task names on the timeline and report grid would be cut off without it.
        settings[axis] = {"automargin": True, **(settings.get(axis) or {})}
    return settings


def _plot(text: str) -> str:
    """Data text for a Plotly label: Plotly reads a few HTML tags in labels, so names are escaped and
    show exactly as written (a '<script>' in a task name is text, never markup)."""
    return html.escape(str(text), quote=False)


def short_name(indicator: KpiRow, lang: str = "vi") -> str:
    """The catalogue label of a KPI when it has one, else its own name."""
    return catalogue_name(indicator.national_code, indicator.name, lang)


def catalogue_name(national_code: str | None, name: str, lang: str = "vi") -> str:
    """The catalogue label of a national KPI code, else ``name`` (shortened to fit a chart title)."""
    cat = BY_CODE.get(national_code or "")
    if cat is not None:
        return cat.label_en if lang == "en" else cat.label_vi
    return name if len(name) <= 60 else name[:57] + "…"


def target_text(indicator: KpiRow, lang: str = "vi") -> str:
    if indicator.target_value is None:
        return indicator.target_text or ""
    unit = " %" if is_percent(indicator.unit) else f" {indicator.unit or ''}"
    return f"{OPS.get(indicator.target_op, '')} {vn_number(indicator.target_value, 1, lang)}{unit}".rstrip()


def _axis_max(snap: KpiSnapshot) -> float:
    ind = snap.indicator
    if is_percent(ind.unit):
        return 100.0
    top = max(v for v in (ind.target_value or 0, snap.value or 0, 1) if v is not None)
    return top * 1.25


def gauge(snap: KpiSnapshot, lang: str = "vi", dark: bool = False, height: int = 260, fill: bool = False) -> dict:
    """A large gauge: the value, a threshold line at the plan's target, the bar coloured by status.

    Like every chart built on each page view, a plain figure dict: Plotly's object model validates and
    copies every property, which cost more than the data behind the page."""
    ind = snap.indicator
    is_pct = is_percent(ind.unit)
    small = WALL_MIN_FONT if fill else 10  # the wall's smallest text, on its 1920×1080 canvas
    trace: dict = {
        "type": "indicator",
        "mode": "gauge+number+delta" if snap.previous is not None else "gauge+number",
        "value": snap.value if snap.value is not None else 0,
        "number": {"suffix": " %" if is_pct else "", "valueformat": ".1f", "font": {"size": height * 0.16}},
        "gauge": {
            "axis": {"range": [0, _axis_max(snap)], "tickfont": {"size": max(small, height * 0.045)}},
            "bar": {"color": KPI_COLOR[snap.status], "thickness": 0.6},
            "bgcolor": "#3a3f47" if dark else "#eef0f3",
            "borderwidth": 0,
            "threshold": {
                "line": {"color": "#f2f2f2" if dark else "#111", "width": 5},
                "thickness": 0.9,
                "value": ind.target_value or 0,
            },
            # the value expected by now on the KPI's path to the target: a thin grey mark across the arc
            "steps": _expected_mark(snap, dark),
        },
        "title": {
            "text": f"{_plot(short_name(ind, lang))}<br><span style='font-size:0.75em'>{t('target', lang)} "
            f"{_plot(target_text(ind, lang))} · {label('kpi_state', snap.status, lang)}</span>",
            # the second line is 0.75 em: on the wall it too stays at the smallest size or above
            "font": {"size": max(small / 0.75 if fill else 12, height * 0.065)},
        },
    }
    if snap.previous is not None:
        trace["delta"] = {
            "font": {"size": max(small, height * 0.08)},
            "reference": snap.previous,
            "valueformat": ".1f",
            "increasing": {"color": GREEN},
            "decreasing": {"color": RED},
        }
    # ``fill``: take the container's height (wall screen) instead of a fixed one; fonts still follow ``height``.
    side = 80 if fill else 55  # room for the end tick ("100") at the wall's larger tick size
    layout = _layout(lang, dark, margin={"l": side, "r": side, "t": height * 0.28, "b": 10})
    if not fill:
        layout["height"] = height
    if snap.value is None:
        layout["annotations"] = [
            {"text": t("no_data", lang), "showarrow": False, "y": 0.1, "font": {"size": height * 0.07}}
        ]
    return {"data": [trace], "layout": layout}


def _expected_mark(snap: KpiSnapshot, dark: bool) -> list[dict]:
    if snap.expected is None:
        return []
    half = _axis_max(snap) * 0.006
    return [
        {
            "range": [max(0, snap.expected - half), snap.expected + half],
            "color": "#bdbdbd" if dark else "#5a5a5a",
            "thickness": 1,
        }
    ]


def agency_bullets(rows: list[dict], heads: list[KpiSnapshot], lang: str = "vi") -> dict:
    """One row of small bullet gauges per agency, one column per headline KPI, target as a line."""
    n_rows, n_cols = max(1, len(rows)), max(1, len(heads))
    row_h = 34
    top = 52
    height = top + row_h * n_rows + 10
    label_w = 0.26
    col_w = (1 - label_w) / n_cols
    paper = {"xref": "paper", "yref": "paper", "showarrow": False}
    annotations: list[dict] = []
    traces: list[dict] = []
    for c, snap in enumerate(heads):
        ind = snap.indicator
        annotations.append(
            {
                "text": f"<b>{_plot(short_name(ind, lang))}</b><br>{t('target', lang)} {_plot(target_text(ind, lang))}",
                "x": label_w + c * col_w + col_w / 2,
                "y": 1,
                "yanchor": "bottom",
                "font": {"size": 12},
                **paper,
            }
        )
    # what each column's bars share, worked out once: a province has 200 rows
    columns = [
        (snap.indicator, " %" if is_percent(snap.indicator.unit) else "", _axis_max(snap), label_w + c * col_w)
        for c, snap in enumerate(heads)
    ]
    for r, row in enumerate(rows):
        y1 = 1 - (r * row_h) / (row_h * n_rows)
        y0 = 1 - ((r + 1) * row_h - 8) / (row_h * n_rows)
        annotations.append(
            {
                "text": _plot(row["name"]),
                "x": label_w - 0.01,
                "y": (y0 + y1) / 2,
                "xanchor": "right",
                "font": {"size": 12},
                **paper,
            }
        )
        for c, (ind, suffix, axis_max, x0) in enumerate(columns):
            av = row["values"][c]
            has_value = av is not None and av.value is not None
            if not has_value:  # no figure: an empty bar and a dash, never a made-up zero
                annotations.append(
                    {"text": "–", "x": x0 + 0.035, "y": (y0 + y1) / 2, "font": {"size": 13, "color": "#777"}, **paper}
                )
            traces.append(
                {
                    "type": "indicator",
                    "mode": "number+gauge" if has_value else "gauge",
                    "value": av.value if has_value else 0,
                    "number": {
                        "suffix": suffix,
                        "valueformat": ".1f",
                        "font": {"size": 13, "color": "#222" if av is not None else "#bbb"},
                    },
                    "domain": {"x": [x0 + 0.07, x0 + col_w - 0.01], "y": [y0, y1]},
                    "gauge": {
                        "shape": "bullet",
                        "axis": {"range": [0, axis_max], "visible": False},
                        "bar": {"color": KPI_COLOR[av.status] if av is not None else GREY, "thickness": 0.7},
                        "bgcolor": "#eef0f3",
                        "threshold": {
                            "line": {"color": "#111", "width": 3},
                            "thickness": 1,
                            "value": ind.target_value or 0,
                        },
                    },
                }
            )
    # A province has a hundred agencies and more: the figure stays a plain dict, without Plotly's validation
    # and copies (each costs more than the page's data; the shapes above are fixed and covered by the tests).
    layout = _layout(lang, height=height, margin={"l": 5, "r": 5, "t": top, "b": 5})
    return {"data": traces, "layout": {**layout, "annotations": annotations}}


def kpi_bars(snaps: list[KpiSnapshot], lang: str = "vi") -> dict:
    """An agency's KPIs in one light figure: a bar per KPI on its own scale (the gauge's), the value written on
    it, the target as a black tick, the colour its state. Replaces a gauge per KPI (each a full chart)."""
    names, widths, colors, texts, targets, hovers = [], [], [], [], [], []
    for snap in snaps:
        ind = snap.indicator
        top = _axis_max(snap)
        names.append(_plot(short_name(ind, lang)))
        widths.append(100 * (snap.value or 0) / top)
        colors.append(KPI_COLOR[snap.status])
        texts.append(with_unit(snap.value, ind.unit, lang))
        targets.append(100 * ind.target_value / top if ind.target_value is not None else None)
        hovers.append(
            f"{_plot(ind.name)}<br>{t('current', lang)}: {with_unit(snap.value, ind.unit, lang)} · "
            f"{t('target', lang)} {_plot(target_text(ind, lang))} · {label('kpi_state', snap.status, lang)}"
        )
    bars = {
        "type": "bar",
        "orientation": "h",
        "y": names,
        "x": widths,
        "marker": {"color": colors},
        "text": texts,
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": hovers,
        "hovertemplate": "%{customdata}<extra></extra>",
        "name": t("current", lang),
    }
    ticks = {
        "type": "scatter",
        "mode": "markers",
        "y": names,
        "x": targets,
        "marker": {"symbol": "line-ns-open", "size": 26, "color": "#111", "line": {"width": 4, "color": "#111"}},
        "hoverinfo": "skip",
        "name": t("target", lang),
    }
    layout = _layout(
        lang,
        height=50 + 38 * max(1, len(snaps)),
        showlegend=False,
        bargap=0.35,
        margin={"l": 10, "r": 70, "t": 10, "b": 10},
        xaxis={"range": [0, 118], "visible": False, "fixedrange": True},
        yaxis={"autorange": "reversed", "fixedrange": True},
    )
    return {"data": [bars, ticks], "layout": layout}


def trend(series: list[tuple[date, float | None]], indicator: KpiRow, lang: str = "vi") -> dict:
    """Monthly values against the target line (a plain figure dict, see ``gauge``)."""
    upper = 100 if is_percent(indicator.unit) else None
    layout = _layout(
        lang,
        height=260,
        title={"text": _plot(short_name(indicator, lang)), "font": {"size": 14}},
        yaxis={"range": [0, upper * 1.05], "gridcolor": "#e5e5e5"} if upper else {"gridcolor": "#e5e5e5"},
        showlegend=False,
        margin={"l": 40, "r": 10, "t": 40, "b": 30},
    )
    target = indicator.target_value
    if target is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "x domain",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": target,
                "y1": target,
                "line": {"color": RED, "dash": "dash", "width": 2},
            }
        ]
        layout["annotations"] = [
            {
                "text": f"{t('target', lang)} {_plot(target_text(indicator, lang))}",
                "xref": "x domain",
                "x": 0,
                "xanchor": "left",
                "yref": "y",
                "y": target,
                "yanchor": "bottom",
                "showarrow": False,
            }
        ]
    trace = {
        "type": "scatter",
        "x": [month_label(m) for m, _ in series],
        "y": [v for _, v in series],
        "mode": "lines+markers",
        "name": t("current", lang),
        "line": {"color": BLUE, "width": 3},
        "marker": {"size": 8},
        "hovertemplate": "%{x}: %{y:.1f}<extra></extra>",
    }
    return {"data": [trace], "layout": layout}


def _group_of(task: TaskRow, group_by: str) -> str:
    if group_by == "section":
        return (task.section or "—").split(" › ")[-1][:40]
    return (task.lead_agencies[0] if task.lead_agencies else "—")[:40]


def timeline(tasks: list[TaskRow], year: int, today: date, group_by: str = "agency", lang: str = "vi") -> dict:
    """Tasks by due date over the plan year: quarter bands, a bar per window task, a marker per task,
    coloured (and shaped) by status, today as a line; grouped by lead agency or plan section."""
    ordered = sorted(tasks, key=lambda tk: (_group_of(tk, group_by), tk.due_date or date.max, tk.code))
    groups = [_plot(_group_of(tk, group_by)) for tk in ordered]
    labels = [_plot(f"{tk.code} · {tk.name[:38]}{'…' if len(tk.name) > 38 else ''}") for tk in ordered]
    data: list[dict] = []
    shapes: list[dict] = []
    annotations: list[dict] = []
    start_year, end_year = date(year, 1, 1), date(year, 12, 31)
    for q in range(1, 5):
        q0 = date(year, 3 * q - 2, 1)
        q1 = (date(year, 3 * q, 1) + timedelta(days=31)).replace(day=1)
        if q % 2:  # quarters I and III shaded, II and IV plain: the bands read at a glance
            shapes.append(
                {
                    "type": "rect",
                    "x0": q0.isoformat(),
                    "x1": q1.isoformat(),
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"width": 0},
                    "fillcolor": "#e8edf3",
                    "layer": "below",
                }
            )
        annotations.append(
            {
                "x": (q0 + (q1 - q0) / 2).isoformat(),
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "text": f"<b>{quarter_label(q, lang)}</b>",
                "font": {"size": 13},
            }
        )
    # window tasks ("Quý III-IV/2026"): a thick line from the start of the window to the due date
    for status_key in STATUS_COLOR:
        idx = [i for i, tk in enumerate(ordered) if tk.status == status_key and tk.start_date]
        if not idx:
            continue
        xs: list = []
        ys_group: list = []
        ys_label: list = []
        for i in idx:
            start = max(start_year, ordered[i].start_date).isoformat()
            xs += [start, ordered[i].due_date.isoformat(), None]
            ys_group += [groups[i], groups[i], None]
            ys_label += [labels[i], labels[i], None]
        data.append(
            {
                "type": "scatter",
                "x": xs,
                "y": [ys_group, ys_label],
                "mode": "lines",
                "line": {"color": STATUS_COLOR[status_key], "width": 9},
                "opacity": 0.35,
                "showlegend": False,
                "hoverinfo": "skip",
                "connectgaps": False,
            }
        )
    for status_key, color in STATUS_COLOR.items():
        idx = [i for i, tk in enumerate(ordered) if tk.status == status_key]
        if not idx:
            continue
        data.append(
            {
                "type": "scatter",
                "y": [[groups[i] for i in idx], [labels[i] for i in idx]],
                "x": [ordered[i].due_date.isoformat() for i in idx],
                "mode": "markers",
                "name": label("status", status_key, lang),
                "marker": {
                    "color": color,
                    "size": 12,
                    "symbol": STATUS_SYMBOL[status_key],
                    "line": {"width": 2, "color": color},
                },
                "customdata": [
                    [
                        _plot(ordered[i].name),
                        vn_date(ordered[i].due_date),
                        _plot("; ".join(ordered[i].lead_agencies)),
                    ]
                    for i in idx
                ],
                "hovertemplate": "%{customdata[0]}<br>"
                + t("due", lang)
                + ": %{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            }
        )
    shapes.append(
        {
            "type": "line",
            "x0": today.isoformat(),
            "x1": today.isoformat(),
            "y0": 0,
            "y1": 1,
            "yref": "paper",
            "line": {"color": RED, "width": 2, "dash": "dot"},
        }
    )
    annotations.append(
        {
            "x": today.isoformat(),
            "y": 0,
            "yref": "paper",
            "text": f"{t('today', lang)} {vn_date(today)}",
            "showarrow": False,
            "yanchor": "top",
            "yshift": -24,
            "font": {"color": RED, "size": 12},
            "bgcolor": "rgba(255,255,255,0.9)",
        }
    )
    layout = _layout(
        lang,
        height=max(260, 90 + 22 * len(ordered)),
        barmode="overlay",
        shapes=shapes,
        annotations=annotations,
        xaxis={
            "range": [(start_year - timedelta(days=4)).isoformat(), (end_year + timedelta(days=6)).isoformat()],
            # Quarters by name ("Quý II/2026") under each quarter, a light line at each month's start.
            "tickmode": "array",
            "tickvals": [(date(year, 3 * q - 1, 15)).isoformat() for q in range(1, 5)],
            "ticktext": [f"{quarter_label(q, lang)}/{year}" for q in range(1, 5)],
            "showgrid": False,
            "minor": {
                "tickmode": "array",
                "tickvals": [date(year, m, 1).isoformat() for m in range(1, 13)],
                "showgrid": True,
                "gridcolor": "#e5e5e5",
            },
        },
        yaxis={"autorange": "reversed", "tickfont": {"size": 11}},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        margin={"l": 10, "r": 10, "t": 40, "b": 90},
    )
    return {"data": data, "layout": layout}


REPORT_CODE = {ON_TIME: 3, LATE: 2, MISSING: 1, PENDING: None}
REPORT_TEXT = {ON_TIME: "✔", LATE: "◷", MISSING: "✖", PENDING: "…"}


def report_grid(cells: list[ReportCell], names: dict[int, str], lang: str = "vi", deadline: str | None = None) -> dict:
    """Agencies × months: report by the deadline (✔), late (◷), missing (✖)."""
    deadline = deadline or report_deadline(lang=lang)
    agencies = list(dict.fromkeys(c.agency_id for c in cells))
    months = sorted({c.month for c in cells})
    by_key = {(c.agency_id, c.month): c for c in cells}
    z, text = [], []
    for aid in agencies:
        row_z, row_t = [], []
        for m in months:
            c = by_key.get((aid, m))
            row_z.append(REPORT_CODE[c.status] if c else None)
            row_t.append(REPORT_TEXT[c.status] if c else "")
        z.append(row_z)
        text.append(row_t)
    legend = t("report_legend", lang, deadline=deadline)
    trace = {
        "type": "heatmap",
        "z": z,
        "x": [month_label(m) for m in months],
        "y": [_plot(names.get(a, str(a))) for a in agencies],
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"size": 13},
        "colorscale": [[0, RED], [0.33, RED], [0.34, AMBER], [0.66, AMBER], [0.67, GREEN], [1, GREEN]],
        "zmin": 1,
        "zmax": 3,
        "showscale": False,
        "xgap": 2,
        "ygap": 2,
        "hoverinfo": "skip",
    }
    layout = _layout(
        lang,
        height=max(200, 60 + 22 * len(agencies)),
        title={"text": legend, "font": {"size": 13}},
        yaxis={"autorange": "reversed", "tickfont": {"size": 11}},
        xaxis={"side": "top"},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    return {"data": [trace], "layout": layout}


def quarter_bars(tasks: list[TaskRow], year: int, lang: str = "vi", dark: bool = False) -> dict:
    """For the wall (``dark``) and the briefing: per quarter, the dated tasks due in it stacked by status."""
    small = WALL_MIN_FONT if dark else 10
    from dashboard.reads.filters import in_quarter

    data: list[dict] = []
    xs = [quarter_label(q, lang) for q in range(1, 5)]
    for status_key, color in STATUS_COLOR.items():
        ys = [
            sum(
                1
                for tk in tasks
                if tk.status == status_key
                and tk.deadline_kind == "date"
                and tk.due_date
                and in_quarter(replace(tk, start_date=None), q, year)
            )
            for q in range(1, 5)
        ]
        if any(ys):
            data.append(
                {
                    "type": "bar",
                    "x": xs,
                    "y": ys,
                    "name": label("status", status_key, lang),
                    "marker": {"color": color},
                    # the hover speaks the page's language too: "Quý II/2026 · Quá hạn: 4 nhiệm vụ"
                    "hovertemplate": f"%{{x}} · {label('status', status_key, lang)}: "
                    + t("slides.tasks", lang, n="%{y}")
                    + "<extra></extra>",
                    "text": [y or "" for y in ys],
                    "textposition": "inside",
                    "textangle": 0,
                    "textfont": {"size": max(small, 26)},
                }
            )
    layout = _layout(
        lang,
        dark,
        barmode="stack",
        uniformtext={"minsize": small if dark else 18, "mode": "hide"},
        legend={"orientation": "h", "y": -0.08, "font": {"size": max(small, 22)}},
        xaxis={"tickfont": {"size": max(small, 30)}},
        yaxis={"tickfont": {"size": max(small, 20)}, "gridcolor": "#444" if dark else "#ddd"},
        margin={"l": 50, "r": 20, "t": 20, "b": 60},
    )
    return {"data": data, "layout": layout}
