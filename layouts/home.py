"""The first page: pick a plan, see its KPIs and tasks."""

from __future__ import annotations

from collections import Counter
from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.status import label as status_label

from .formatting import vn_date, vn_number

STATUS_COLORS = {
    "done": "success",
    "done_late": "info",
    "in_progress": "primary",
    "not_started": "secondary",
    "overdue": "danger",
    "waiting": "warning",
}
OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def demo_badge(meta: dict[str, str]) -> html.Span | None:
    if meta.get("dataset") != "demo":
        return None
    as_of = vn_date(meta.get("demo_as_of"))
    return dbc.Badge(
        f"Dữ liệu mẫu (demo) · đến ngày {as_of}",
        color="warning",
        text_color="dark",
        className="ms-2 fs-6",
        id="demo-label",
    )


def plan_picker(plans: list[dict]) -> html.Div:
    if not plans:
        return dbc.Alert(
            "Chưa có kế hoạch nào. Nhập kế hoạch bằng lệnh: python -m dashboard import-plan FILE",
            color="info",
            id="no-plans",
        )
    options = [
        {"label": f"{p['province']} · {p['year']} · {p['doc_number'] or p['code']}", "value": p["id"]} for p in plans
    ]
    cards = [
        dbc.Col(
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H5(p["province"], className="card-title"),
                        html.P(p["title"], className="small text-muted mb-1 plan-title"),
                        html.Div(
                            [
                                dbc.Badge(f"{p['indicators']} chỉ tiêu", color="primary", className="me-1"),
                                dbc.Badge(f"{p['tasks']} nhiệm vụ", color="secondary"),
                            ]
                        ),
                    ]
                ),
                className="h-100 plan-card",
            ),
            md=4,
        )
        for p in plans
    ]
    return html.Div(
        [
            dbc.Row(cards, className="g-3 mb-3", id="plan-cards"),
            dbc.Label("Kế hoạch", html_for="plan-select"),
            dcc.Dropdown(id="plan-select", options=options, value=plans[0]["id"], clearable=False),
        ]
    )


def empty_state() -> dbc.Alert:
    return dbc.Alert("Chọn một kế hoạch để xem chỉ tiêu và nhiệm vụ.", color="light")


def _target(row: dict) -> str:
    if row["target_value"] is None:
        return row["target_text"] or ""
    text = f"{OPS.get(row['target_op'], '')} {vn_number(row['target_value'])}"
    if row["subtargets"]:
        text += (
            " ("
            + "; ".join(f"{s['label']} {OPS.get(s['op'], '')} {vn_number(s['value'])}" for s in row["subtargets"])
            + ")"
        )
    return text


def indicator_table(indicators: list[dict]) -> html.Div:
    if not indicators:
        return dbc.Alert("Kế hoạch này không có bảng chỉ tiêu.", color="light", id="no-kpis")
    head = html.Thead(html.Tr([html.Th(h) for h in ("TT", "Chỉ tiêu", "Đơn vị", "Mục tiêu", "Cơ quan chủ trì")]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(r["code"]),
                    html.Td(r["name"]),
                    html.Td(r["unit"] or ""),
                    html.Td(_target(r)),
                    html.Td("; ".join(r["lead_agencies"])),
                ]
            )
            for r in indicators
        ]
    )
    return dbc.Table([head, body], bordered=True, hover=True, size="sm", responsive=True, id="kpi-table")


def task_table(tasks: list[dict]) -> html.Div:
    if not tasks:
        return dbc.Alert("Không có nhiệm vụ nào.", color="light", id="no-tasks")
    head = html.Thead(html.Tr([html.Th(h) for h in ("Mã", "Nhiệm vụ", "Chủ trì", "Thời hạn", "Hạn", "Trạng thái")]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(r["code"], className="text-nowrap"),
                    html.Td(r["name"]),
                    html.Td("; ".join(r["lead_agencies"])),
                    html.Td(r["deadline_text"] or ""),
                    html.Td(vn_date(r["due_date"]), className="text-nowrap"),
                    html.Td(dbc.Badge(status_label(r["status"]), color=STATUS_COLORS.get(r["status"], "secondary"))),
                ]
            )
            for r in tasks
        ]
    )
    return dbc.Table([head, body], bordered=True, hover=True, size="sm", responsive=True, id="task-table")


def plan_detail(plan: dict, indicators: list[dict], tasks: list[dict], today: date) -> html.Div:
    counts = Counter(t["status"] for t in tasks)
    summary = [
        dbc.Badge(f"{status_label(s)}: {counts[s]}", color=STATUS_COLORS[s], className="me-2 fs-6", id=f"count-{s}")
        for s in STATUS_COLORS
        if counts.get(s)
    ]
    return html.Div(
        [
            html.H4(plan["title"], className="h5"),
            html.P(
                f"{plan['issuer'] or ''} · Số {plan['doc_number'] or '(chưa ghi số)'} · "
                f"Ngày ban hành {vn_date(plan['issue_date']) or '(để trống)'} · Tình hình đến ngày {vn_date(today)}",
                className="text-muted small",
            ),
            html.Div(summary, className="mb-3", id="status-summary"),
            html.H5(f"Chỉ tiêu ({len(indicators)})"),
            indicator_table(indicators),
            html.H5(f"Nhiệm vụ ({len(tasks)})", className="mt-4"),
            task_table(tasks),
        ]
    )
