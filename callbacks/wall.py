"""The wall screen: the server refreshes the data of all views; the browser rotates them and keeps time.

Rotation, the clock and the staleness warning run in the browser, so a screen whose server restarts
or whose network drops keeps rotating the last data, says how old it is, and picks up again by itself.
"""

from __future__ import annotations

import time

from dash import ClientsideFunction, Dash, Input, Output, State, no_update

from dashboard import clock
from dashboard.accounts.permissions import PermissionDenied, readable_plan
from dashboard.messages import t
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import all_flags, flag_counts, headline, ranking, reporting, snapshots
from dashboard.sources.refresh import freshness as data_age
from dashboard.store.database import DB_UNAVAILABLE, plan_version
from layouts import wall

from .context import actor, cache, config, config_sources, embedded, encoded, plan_context, session, settings


def wall_data(_n, cfg):  # noqa: ANN001, ANN201
    actor()  # signed in, or a live kiosk token (the request guard enforces it; this is defence in depth)
    lang = cfg.get("lang", "vi")
    f = Filters(plan=cfg.get("plan"), lang=lang)
    today = config().as_of()
    try:
        return _wall_views(f, lang, today)
    except DB_UNAVAILABLE:
        # The database is down: the screen keeps its last views and its clock shows how old they are.
        return (no_update,) * (len(wall.VIEWS) + 2)


def _wall_views(f: Filters, lang: str, today):  # noqa: ANN001, ANN202
    """The four views and the title; built once per data version and plan (200 screens ask the same). The
    meta says how old the data itself is (not when this screen fetched it) and whether a source is behind."""
    with session() as s:
        f = f.with_(plan=readable_plan(s, actor(), f.plan))  # a screen shows the walls it may, whatever it asks
        if f.plan is None:
            raise PermissionDenied("wall.no_plan")
        key = f"wall:{plan_version(s, f.plan)}:{today}:{f.plan}:{lang}"
        built = cache().get(key)
        if built is None:
            built = _build_views(s, f, lang, today)
            cache().set(key, built)
        fresh = data_age(s, config_sources(), clock.now())
    data_at = fresh.data_at.replace(tzinfo=clock.zone()).timestamp() * 1000 if fresh.data_at else None
    meta = {
        "fetched_at": time.time() * 1000,
        "data_at": data_at,
        "stale": [h["title"] for h in fresh.stale],
        "flags": built["flags"],
    }
    return (*(embedded(v) for v in built["views"]), built["title"], meta)


def _build_views(s, f: Filters, lang: str, today) -> dict:  # noqa: ANN001
    ctx = plan_context(s, f, today)
    if ctx is None:
        empty = encoded(wall.html.Div(t("no_plans", lang), className="wall-empty"))
        return {"views": [empty] * len(wall.VIEWS), "title": t("app_title", lang), "flags": 0}
    st = settings()
    flags = all_flags(ctx, s, f, st)
    counts = flag_counts(flags)
    heads = headline(snapshots(ctx, f, st))
    _, recs = reporting(ctx, s, st)
    views = (
        wall.overview_view(heads, counts, ctx.tasks, lang),
        wall.flags_view(flags, lang),
        wall.timeline_view(ctx.tasks, ctx.plan["year"], today, lang),
        wall.ranking_view(ranking(ctx, recs), lang),
    )
    return {
        "views": [encoded(v) for v in views],
        "title": f"{ctx.plan['province']} · {ctx.plan['year']}",
        "flags": len(flags),
    }


def register(app: Dash) -> None:
    app.callback(
        [Output(f"wall-view-{i}", "children") for i in range(len(wall.VIEWS))]
        + [Output("wall-title", "children"), Output("wall-meta", "data")],
        Input("wall-refresh", "n_intervals"),
        State("wall-config", "data"),
    )(wall_data)
    app.clientside_callback(
        ClientsideFunction(namespace="wall", function_name="rotate"),
        [Output(f"wall-view-{i}", "className") for i in range(len(wall.VIEWS))]
        + [Output("wall-view-name", "children"), Output("wall-dots", "children")],
        Input("wall-tick", "n_intervals"),
        State("wall-config", "data"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="wall", function_name="clock"),
        Output("wall-clock-text", "children"),
        Output("wall-refreshed", "children"),
        Output("wall-stale", "children"),
        Output("wall-stale", "className"),
        Input("wall-clock", "n_intervals"),
        State("wall-meta", "data"),
        State("wall-config", "data"),
    )
