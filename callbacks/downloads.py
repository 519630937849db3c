"""Downloads of the tables a page shows, always for the filters in the URL."""

from __future__ import annotations

import json

from dash import ALL, Dash, Input, Output, State, ctx, dcc, no_update

from dashboard.accounts.permissions import readable_plan, require_read_plan
from dashboard.exports import tables as export
from dashboard.messages import t
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import all_flags, filtered_tasks, snapshots
from dashboard.text import slug

from .context import actor, config, plan_context, session, settings

NAMES = {
    "tasks": "nhiem vu",
    "flags": "canh bao",
    "kpis": "chi tieu",
    "tracking": "trang thai nhiem vu",
}
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "json": "application/json",
}


def build(what: str, fmt: str, search: str | None) -> tuple[bytes, str] | None:
    """The file for one table and format under the URL's filters, and its name (what, plan, date)."""
    who = actor()
    if who.is_kiosk or what not in NAMES or fmt not in MIME:
        return None
    f = Filters.from_query(search)
    today = config().as_of()
    with session() as s:
        if f.plan is not None:
            require_read_plan(s, who, f.plan)  # ?plan= of another province: refused, not swapped
        f = f.with_(plan=readable_plan(s, who, f.plan))
        if f.plan is None:
            return None
        ctx_ = plan_context(s, f, today)
        if ctx_ is None:
            return None
        f = f.with_(plan=ctx_.plan["id"])
        if what == "tasks":
            rows = filtered_tasks(ctx_, f)
            data = export.to_xlsx(rows, "tasks", lang=f.lang) if fmt == "xlsx" else export.to_csv(rows, "tasks", f.lang)
        elif what == "tracking":
            rows = filtered_tasks(ctx_, f)
            data = (
                export.tracking_csv(rows, f.lang)
                if fmt == "csv"
                else json.dumps(export.tracking_rows(rows, f.lang), ensure_ascii=False, indent=2).encode("utf-8")
            )
        else:
            if what == "flags":
                columns, rows = export.flags_table(all_flags(ctx_, s, f, settings()), f.lang)
            else:
                columns, rows = export.kpis_table(snapshots(ctx_, f, settings()), f.lang)
            sheet = t("sheet.flags" if what == "flags" else "sheet.kpis", f.lang)
            data = export.table_xlsx(sheet, columns, rows) if fmt == "xlsx" else export.table_csv(columns, rows)
        plan_code = ctx_.plan["code"]
        name = slug(f"{NAMES[what]} {plan_code} {today:%d-%m-%Y}") + f".{fmt}"
    return data, name


def register(app: Dash) -> None:
    @app.callback(
        Output("download", "data"),
        Input({"type": "export", "what": ALL, "fmt": ALL}, "n_clicks"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def download(clicks, search):  # noqa: ANN001, ANN202
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks or []):  # buttons appearing on a page click nothing
            return no_update
        built = build(trigger["what"], trigger["fmt"], search)
        if built is None:
            return no_update
        data, name = built
        return dcc.send_bytes(data, name, type=MIME[trigger["fmt"]])
