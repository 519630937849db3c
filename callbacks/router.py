"""Routing: the URL (path + query) decides the page and its filters; the filter controls write the URL."""

from __future__ import annotations

from datetime import datetime

from dash import Dash, Input, Output, State, html, no_update
from flask import session as flask_session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from dashboard import clock, summaries
from dashboard.filters import Filters
from dashboard.models import Agency, Province
from dashboard.permissions import can_see_national, readable_plan, readable_provinces
from dashboard.refresh import freshness as data_age
from dashboard.reporting import deadline_passed
from dashboard.store import DB_UNAVAILABLE, meta_dict, plan_version
from dashboard.views import (
    Settings,
    agency_gauges,
    agency_tasks,
    agency_trends,
    all_flags,
    flag_counts,
    headline,
    reporting,
    snapshots,
    timeline,
)
from layouts import admin, mywork, pages, shell
from layouts.filter_bar import filter_bar
from layouts.formatting import vn_date
from layouts.i18n import report_deadline, t
from layouts.wall import wall_shell

from .context import actor, cache, config, config_sources, plain, plan_context, session, settings

PATHS = {"/", "/don-vi", "/tien-do", "/canh-bao", "/viec-cua-toi", "/quan-tri", "/toan-quoc"}


LAST_GOOD_SECONDS = 7 * 24 * 3600  # how long a page's last good build is kept for a database outage
OFFLINE = -1  # the data version while the database cannot be reached
SHARED_PATHS = {"/", "/don-vi", "/tien-do", "/canh-bao", "/toan-quoc"}  # read-only pages, the same for every user
USER_PATHS = {"/viec-cua-toi"}  # the same for every user of one role and agency (its lists load by callback)
CACHED_PATHS = SHARED_PATHS | USER_PATHS


def render(pathname: str | None, search: str | None, _version: int | None = None):  # noqa: ANN201
    """The whole view for a URL. Read-only pages come from the cache while the data version is unchanged."""
    pathname = pathname or "/"
    f = Filters.from_query(search)
    cfg = config()
    who = actor()
    if who.is_kiosk and pathname.rstrip("/") != "/wall":
        return pages.empty(t("forbidden", f.lang), "forbidden")  # a wall-screen token sees the wall only
    if pathname.rstrip("/") == "/wall":
        rotate = _number(f.extra.get("rotate"), cfg.wall_rotate_seconds, 2, 3600)
        refresh = _number(f.extra.get("refresh"), cfg.wall_refresh_minutes, 0.05, 1440)
        return wall_shell(f.plan, f.lang, rotate, refresh)
    today = cfg.as_of()
    try:
        with session() as s:
            # What this person may read decides the plan shown, whatever the URL asks for.
            readable = readable_provinces(s, who)
            if pathname == "/toan-quoc":
                if not can_see_national(s, who):
                    return pages.empty(t("forbidden", f.lang), "forbidden")
            else:
                plan = readable_plan(s, who, f.plan)
                if plan is None:
                    return pages.empty(t("forbidden", f.lang), "forbidden")
                if plan != f.plan:
                    f = f.with_(plan=plan, agencies=(), section=None) if f.plan is not None else f.with_(plan=plan)
            reader = "all" if readable is None else ",".join(map(str, sorted(readable)))
            if flask_session.get("reader") != reader:
                flask_session["reader"] = reader  # which last-good pages are this person's, while the database is down
            scope = f":{reader}" + (f":{who.role}:{who.agency_id}" if pathname in USER_PATHS else "")
            meta = meta_dict(s)
            freshness = plain(data_freshness(s, f.lang))
            key = page_key(plan_version(s, f.plan), today, pathname, f.to_query(), scope, settings())
            built = cache().get(key) if pathname in CACHED_PATHS else None
            if built is None:
                built = _build(s, pathname, f, who, today, readable)
                if pathname in CACHED_PATHS:
                    cache().set(key, built)
    except DB_UNAVAILABLE:
        # The database is down: show this page as it was last built for this reader, with a warning; the poll
        # re-renders it as soon as the database answers again.
        last = cache().get(_last_key(pathname, search, who)) if pathname in CACHED_PATHS else None
        return _offline(pathname, f, today, last)
    if pathname in CACHED_PATHS:
        last = {"built": built, "meta": meta, "freshness": freshness, "at": clock.now().isoformat()}
        cache().set(_last_key(pathname, search, who), last, timeout=LAST_GOOD_SECONDS)
    f = f.with_(plan=built["plan"])
    nav = shell.navbar(pathname, f, built["flags"], meta, f"{t('as_of', f.lang)} {vn_date(today)}", _user_info())
    return shell.page(nav, built["bar"], [freshness, built["content"]])


def _last_key(pathname: str, search: str | None, who) -> str:  # noqa: ANN001
    """Where a page's last good build is kept for a database outage: per page and reader (the provinces they may
    read, remembered in their session, so it is known while the database is down)."""
    scope = f":{who.role}:{who.agency_id}" if pathname in USER_PATHS else ""
    return f"last:{flask_session.get('reader', '-')}:{pathname}:{search or ''}{scope}"


def page_key(version: int, today, pathname: str, query: str, scope: str = "", st: Settings | None = None) -> str:  # noqa: ANN001
    """The cache key of a built page: its plan's data version, the day, whether this month's report deadline
    has passed (the report grid turns then, data or no data), the path and the normalised filters."""
    st = st or Settings()
    passed = int(deadline_passed(today, st.report_day, st.report_hour))
    return f"page:{version}:{today}:{passed}:{pathname}:{query}{scope}"


def _offline(pathname: str, f: Filters, today, last: dict | None):  # noqa: ANN001, ANN202
    """The page while the database cannot be reached: the last good build under a warning, else the warning."""
    at = datetime.fromisoformat(last["at"]) if last else None
    warning = pages.db_down(at, f.lang)
    if last is None:
        nav = shell.navbar(pathname, f, 0, {}, f"{t('as_of', f.lang)} {vn_date(today)}", _user_info())
        return shell.page(nav, None, [warning])
    built = last["built"]
    f = f.with_(plan=built["plan"])
    nav = shell.navbar(
        pathname, f, built["flags"], last["meta"], f"{t('as_of', f.lang)} {vn_date(today)}", _user_info()
    )
    return shell.page(nav, built["bar"], [warning, last["freshness"], built["content"]])


def _build(s, pathname: str, f: Filters, who, today, readable: set[int] | None) -> dict:  # noqa: ANN001
    """Navigation count, filter bar and page content, as plain JSON (so any cache can hold them); ``readable``:
    the provinces the reader may read (None: all), for the plan chooser."""
    if pathname == "/toan-quoc":
        rows, computed_at = summaries.national(s, today, settings())
        return {
            "plan": f.plan,
            "flags": sum(r["flags"] for r in rows),
            "bar": None,
            "content": plain(pages.national_page(rows, computed_at, f.lang)),
        }
    ctx = plan_context(s, f, today)
    if ctx is None:
        return {
            "plan": f.plan,
            "flags": 0,
            "bar": None,
            "content": plain(pages.empty(t("no_plans", f.lang), "no-plans")),
        }
    f = f.with_(plan=ctx.plan["id"])
    st = settings()
    flags = all_flags(ctx, s, f, st)
    plans = [p for p in ctx.plans if readable is None or p["province_id"] in readable]  # no other province's
    bar = filter_bar(f, plans, list(ctx.agencies.values()), ctx.sections, pathname)
    if pathname not in PATHS:
        content = pages.empty(t("not_found", f.lang), "not-found")
        bar = None
    elif pathname == "/":
        snaps = snapshots(ctx, f, st)
        heads = headline(snaps)
        rows = agency_gauges(ctx, heads, f.extra.get("sort", "gap"))
        content = pages.overview(ctx.plan, today, heads, rows, snaps, f)
    elif pathname == "/don-vi":
        content = _agency(ctx, s, f, st, flags)
    elif pathname == "/viec-cua-toi":
        content = _mywork(ctx, f, who)
    elif pathname == "/quan-tri":
        content = (
            pages.empty(t("forbidden", f.lang), "forbidden")
            if who.role != "admin"
            else admin.admin_page(_all_agencies(s))
        )
    elif pathname == "/tien-do":
        cells, _ = reporting(ctx, s, st)
        data = timeline(ctx, f)
        recurring_leads = _recurring_reporters(ctx, data["recurring"])
        cells = [c for c in cells if c.agency_id in recurring_leads]
        names = {a: v["name"] for a, v in ctx.agencies.items()}
        deadline = report_deadline(st.report_day, st.report_hour, f.lang)
        content = pages.timeline_page(ctx.plan, today, data, cells, names, f, deadline)
    else:
        content = pages.flags_page(ctx.plan, today, flags, flag_counts(flags), f)
    return {"plan": ctx.plan["id"], "flags": len(flags), "bar": plain(bar), "content": plain(content)}


def data_freshness(s, lang: str) -> html.Div:  # noqa: ANN001
    """When the data was last refreshed, and a warning for every source whose data is too old."""
    now = clock.now()
    return pages.freshness(data_age(s, config_sources(), now), now, lang)


def _user_info() -> dict | None:
    if not current_user.is_authenticated:
        return None
    return {
        "username": current_user.username,
        "name": current_user.full_name,
        "role": current_user.role,
        "agency": current_user.agency_name,
        "csrf": generate_csrf(),
    }


def _all_agencies(s) -> list[dict]:  # noqa: ANN001
    rows = s.execute(
        select(Agency.id, Agency.name, Province.name)
        .join(Province)
        .where(Agency.kind != "group")
        .order_by(Province.name, Agency.name)
    ).all()
    return [{"id": i, "name": n, "province": p} for i, n, p in rows]


def _mywork(ctx, f: Filters, who):  # noqa: ANN001, ANN202
    if who.role == "agency":
        if who.agency_id not in ctx.agencies:
            return pages.empty("Tài khoản chưa gắn với đơn vị của tỉnh này.", "mw-no-agency")
        agency = ctx.agencies[who.agency_id]
    elif who.role == "admin":
        if not f.agencies or f.agencies[0] not in ctx.agencies:
            return pages.agency_chooser(list(ctx.agencies.values()), f, "/viec-cua-toi")
        agency = ctx.agencies[f.agencies[0]]
    else:
        return pages.empty("Trang này dành cho tài khoản đơn vị; tài khoản của bạn chỉ được xem.", "forbidden")
    months = ctx.months or [ctx.today.replace(day=1)]
    return mywork.mywork_page(agency, ctx.plan, months, months[-1], read_only=False)


def _recurring_reporters(ctx, recurring: list[dict]) -> set[int]:  # noqa: ANN001
    ids: set[int] = set()
    for tk in recurring:
        for aid in tk["_lead_ids"]:
            ids |= set(ctx.members.get(aid, [aid]))
    return ids


def _agency(ctx, s, f: Filters, st, flags):  # noqa: ANN001, ANN202
    if not f.agencies or f.agencies[0] not in ctx.agencies:
        return pages.agency_chooser(list(ctx.agencies.values()), f)
    agency = ctx.agencies[f.agencies[0]]
    scoped = f.with_(agencies=(agency["id"],))
    snaps = snapshots(ctx, scoped, st)
    tasks = agency_tasks(ctx, agency["id"], ctx.tasks)
    cells, recs = reporting(ctx, s, st)
    own_cells = [c for c in cells if c.agency_id == agency["id"]]
    return pages.agency_page(
        ctx.plan,
        ctx.today,
        agency,
        snaps,
        agency_trends(ctx, s, agency["id"]),
        tasks,
        flags,
        recs.get(agency["id"]),
        own_cells,
        f,
        report_deadline(st.report_day, st.report_hour, f.lang),
    )


def _number(raw: str | None, default: float, low: float, high: float) -> float:
    try:
        value = float(raw) if raw is not None else default
    except ValueError:
        return default
    return min(high, max(low, value))


def register(app: Dash) -> None:
    app.callback(
        Output("root", "children"), Input("url", "pathname"), Input("url", "search"), Input("data-version", "data")
    )(render)

    @app.callback(
        Output("data-version", "data"),
        Input("poll", "n_intervals"),
        State("data-version", "data"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def poll(_n, known, pathname=None, search=None):  # noqa: ANN001, ANN202
        """Open pages pick up new data by themselves: re-render when their plan's data version moves (a
        save in another province leaves this page alone; the national page follows every change).

        While the database is down the version is -1, so the page re-renders (with its warning) once when
        the database goes away and once more when it is back."""
        plan = None if pathname == "/toan-quoc" else Filters.from_query(search).plan
        try:
            with session() as s:
                version = plan_version(s, plan)
        except DB_UNAVAILABLE:
            version = OFFLINE
        return no_update if version == known else version

    @app.callback(
        Output("url", "search"),
        Input("f-plan", "value"),
        Input("f-agency", "value"),
        Input("f-section", "value"),
        Input("f-status", "value"),
        Input("f-quarter", "value"),
        Input("f-q", "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def filters_to_url(plan, agencies, section, statuses, quarter, q, search):  # noqa: ANN001, ANN202
        current = Filters.from_query(search)
        changed = current.with_(
            plan=plan,
            agencies=tuple(agencies or ()),
            section=section or None,
            statuses=tuple(statuses or ()),
            quarter=quarter or None,
            q=(q or "").strip()[:200],
        )
        if changed.plan != current.plan and current.plan is not None:
            changed = changed.with_(agencies=(), section=None)  # another province's agencies and sections
        new = changed.to_query()
        return no_update if new == (search or "") else new

    @app.callback(
        Output("url", "search", allow_duplicate=True),
        Input("o-sort", "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def sort_to_url(sort, search):  # noqa: ANN001, ANN202
        f = Filters.from_query(search)
        extra = {k: v for k, v in f.extra.items() if k != "sort"}
        if sort and sort != "gap":
            extra["sort"] = sort
        new = f.with_(extra=extra).to_query()
        return no_update if new == (search or "") else new

    @app.callback(
        Output("url", "search", allow_duplicate=True),
        Input("t-group", "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def group_to_url(group, search):  # noqa: ANN001, ANN202
        new = Filters.from_query(search).with_(group_by=group or "agency").to_query()
        return no_update if new == (search or "") else new

    @app.callback(
        Output("nav-collapse", "is_open"),
        Input("nav-toggle", "n_clicks"),
        State("nav-collapse", "is_open"),
        prevent_initial_call=True,
    )
    def toggle_nav(n, is_open):  # noqa: ANN001, ANN202
        return not is_open


__all__ = ["register", "render", "html"]
