"""The first page: plans, their KPIs and tasks."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard.queries import indicator_rows, plan_rows, task_rows
from dashboard.store import meta_dict
from layouts import home

from .context import config, session


def register(app: Dash) -> None:
    @app.callback(Output("home-plans", "children"), Output("demo-badge", "children"), Input("url", "pathname"))
    def show_plans(_pathname):  # noqa: ANN001, ANN202
        with session() as s:
            plans = plan_rows(s)
            meta = meta_dict(s)
        return home.plan_picker(plans), home.demo_badge(meta)

    @app.callback(Output("home-detail", "children"), Input("plan-select", "value"))
    def show_plan(plan_id):  # noqa: ANN001, ANN202
        if plan_id is None:
            return home.empty_state()
        today = config().as_of()
        with session() as s:
            plans = {p["id"]: p for p in plan_rows(s)}
            plan = plans.get(plan_id)
            if plan is None:
                return home.empty_state()
            return home.plan_detail(plan, indicator_rows(s, plan_id), task_rows(s, today, plan_id), today)
