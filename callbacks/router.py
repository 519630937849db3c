"""Routing: the URL (path + query) decides the page and its filters; the filter controls write the URL."""

from __future__ import annotations

from datetime import datetime

from dash import ClientsideFunction, Dash, Input, Output, State, html, no_update
from flask import session as flask_session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from dashboard import clock, routes
from dashboard.accounts.permissions import (
    approves_somewhere,
    can_see_national,
    is_secretariat,
    readable_plan,
    readable_provinces,
)
from dashboard.agencies.directory import expand
from dashboard.cycle import notices
from dashboard.cycle.approval import pending_summary
from dashboard.cycle.directives import directives
from dashboard.messages import report_deadline, t
from dashboard.reads import plan_cache, summaries
from dashboard.reads.filters import Filters
from dashboard.reads.page_cache import (
    cached_build,
    has_last_good,
    is_plain,
    keep_last_good,
    last_good,
    last_good_key,
    page_key,
    page_query,
    reader_scope,
)
from dashboard.reads.page_data import (
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
from dashboard.reads.rows import agency_choices
from dashboard.sources.refresh import freshness as data_age
from dashboard.store.database import DB_UNAVAILABLE, meta_dict, plan_version
from dashboard.store.models import User
from layouts import (
    admin,
    agency_page,
    cycle,
    flags_page,
    mywork,
    national_page,
    overview_page,
    reports_page,
    shell,
    timeline_page,
    widgets,
)
from layouts.filter_bar import filter_bar
from layouts.formatting import vn_date
from layouts.wall import wall_shell

from .context import actor, cache, config, config_sources, embedded, encoded, plan_context, session, settings

OFFLINE = -1  # the data version while the database cannot be reached


def render(pathname: str | None, search: str | None, _version: int | None = None):  # noqa: ANN201
    """The whole view for a URL. Read-only pages come from the cache while the data version is unchanged."""
    pathname = pathname or "/"
    route = routes.find(pathname)
    f = Filters.from_query(search)
    cfg = config()
    who = actor()
    if who.is_kiosk and not routes.kiosk_may_open(pathname):
        return widgets.empty(t("forbidden", f.lang), "forbidden")  # a wall-screen token sees the wall only
    if route is not None and route.page == "wall":
        rotate = _number(f.extra.get("rotate"), cfg.wall_rotate_seconds, 2, 3600)
        refresh = _number(f.extra.get("refresh"), cfg.wall_refresh_minutes, 0.05, 1440)
        return wall_shell(f.plan, f.lang, rotate, refresh)
    today = cfg.as_of()
    cached = route is not None and route.cache is not None
    # The last good copy is kept under the plan asked for: while the database is down, nothing can say which
    # plan this person may read, only the provinces remembered in their session.
    asked = f
    try:
        with session() as s:
            # What this person may read decides the plan shown, whatever the URL asks for.
            readable = readable_provinces(s, who)
            if route is not None and route.access == routes.NATIONAL:
                if not can_see_national(s, who):
                    return widgets.empty(t("forbidden", f.lang), "forbidden")
            else:
                plan = readable_plan(s, who, f.plan)
                if plan is None:
                    return widgets.empty(t("forbidden", f.lang), "forbidden")
                if plan != f.plan:
                    f = f.with_(plan=plan, agencies=(), section=None) if f.plan is not None else f.with_(plan=plan)
            reader = "all" if readable is None else ",".join(map(str, sorted(readable)))
            if flask_session.get("reader") != reader:
                flask_session["reader"] = reader  # which last-good pages are this person's, while the database is down
            meta = meta_dict(s)
            freshness = encoded(data_freshness(s, f.lang))
            if cached:
                scope = reader_scope(route, reader, who.role, who.agency_id)
                key = page_key(plan_version(s, f.plan), today, route.path, page_query(route, f), scope, settings())
                built, made = cached_build(cache(), key, lambda: _build(s, route, f, who, today, readable))
            else:
                built, made = _build(s, route, f, who, today, readable), True
    except DB_UNAVAILABLE:
        # The database is down: show this page as it was last built for this reader, with a warning; the poll
        # re-renders it as soon as the database answers again.
        last = None
        if cached:
            scope = reader_scope(route, flask_session.get("reader", "-"), who.role, who.agency_id)
            last = last_good(cache(), last_good_key(route, asked, scope))
        return _offline(pathname, f, today, last)
    if cached and is_plain(route, asked):
        # kept when built (a cache hit is that same build), and again if a bounded Redis has evicted the copy
        last_key = last_good_key(route, asked, scope)
        if made or not has_last_good(cache(), last_key):
            last = {"built": built, "meta": meta, "freshness": freshness, "at": clock.now().isoformat()}
            keep_last_good(cache(), last_key, last)
    f = f.with_(plan=built["plan"])
    nav = shell.navbar(pathname, f, built["flags"], meta, f"{t('as_of', f.lang)} {vn_date(today)}", _user_info())
    return shell.page(nav, embedded(built["bar"]), [embedded(freshness), embedded(built["content"])], f.lang)


def _offline(pathname: str, f: Filters, today, last: dict | None):  # noqa: ANN001, ANN202
    """The page while the database cannot be reached: the last good build under a warning, else the warning."""
    at = datetime.fromisoformat(last["at"]) if last else None
    warning = widgets.db_down(at, f.lang)
    if last is None:
        nav = shell.navbar(pathname, f, 0, {}, f"{t('as_of', f.lang)} {vn_date(today)}", _user_info())
        return shell.page(nav, None, [warning], f.lang)
    built = last["built"]
    f = f.with_(plan=built["plan"])
    nav = shell.navbar(
        pathname, f, built["flags"], last["meta"], f"{t('as_of', f.lang)} {vn_date(today)}", _user_info()
    )
    content = [warning, embedded(last["freshness"]), embedded(built["content"])]
    return shell.page(nav, embedded(built["bar"]), content, f.lang)


def _build(s, route: routes.Route | None, f: Filters, who, today, readable: set[int] | None) -> dict:  # noqa: ANN001
    """Navigation count, filter bar and page content, encoded as JSON (so any cache can hold them); ``readable``:
    the provinces the reader may read (None: all), for the plan chooser."""
    page = route.page if route is not None else None
    if page == "national":
        st = settings()
        rows, computed_at = summaries.national(
            s, today, st, lambda pid: plan_cache.plan_context(cache(), s, pid, today, st)
        )
        return {
            "plan": f.plan,
            "flags": sum(r["flags"] for r in rows),
            "bar": None,
            "content": encoded(national_page.national_page(rows, computed_at, f.lang)),
        }
    ctx = plan_context(s, f, today)
    if ctx is None:
        return {
            "plan": f.plan,
            "flags": 0,
            "bar": None,
            "content": encoded(widgets.empty(t("no_plans", f.lang), "no-plans")),
        }
    f = f.with_(plan=ctx.plan["id"])
    st = settings()
    flags = all_flags(ctx, s, f, st)
    plans = [p for p in ctx.plans if readable is None or p["province_id"] in readable]  # no other province's
    bar = filter_bar(f, plans, list(ctx.agencies.values()), ctx.sections, route.path if route else "")
    if page is None:
        content = widgets.empty(t("not_found", f.lang), "not-found")
        bar = None
    elif page == "overview":
        snaps = snapshots(ctx, f, st)
        heads = headline(snaps)
        rows = agency_gauges(ctx, heads, f.extra.get("sort", "gap"))
        pending = pending_summary(s, ctx.plan["id"])
        content = overview_page.overview(ctx.plan, today, heads, rows, snaps, f, pending)
    elif page == "agency":
        content = _agency(ctx, s, f, st, flags)
    elif page == "mywork":
        content = _mywork(ctx, f, who)
    elif page == "admin":
        content = (
            widgets.empty(t("forbidden", f.lang), "forbidden")
            if who.role != "admin"
            else admin.admin_page(agency_choices(s), f.lang)
        )
    elif page == "timeline":
        cells, _ = reporting(ctx, s, st)
        data = timeline(ctx, f)
        recurring_leads = _recurring_reporters(ctx, data["recurring"])
        cells = [c for c in cells if c.agency_id in recurring_leads]
        names = {a: v["name"] for a, v in ctx.agencies.items()}
        deadline = report_deadline(st.report_day, st.report_hour, f.lang)
        content = timeline_page.timeline_page(ctx.plan, today, data, cells, names, f, deadline)
    elif page == "reports":
        content = reports_page.reports_page(ctx.plan, today, f)
    elif page == "approvals":
        content = _approvals(ctx, s, f, who)
    elif page == "notices":
        user = s.get(User, who.user_id) if who.user_id is not None else None
        content = cycle.notices_page(user.email if user else None, bool(user and user.email_opt_out), f.lang)
    else:
        content = flags_page.flags_page(ctx.plan, today, flags, flag_counts(flags), f)
    return {"plan": ctx.plan["id"], "flags": len(flags), "bar": encoded(bar), "content": encoded(content)}


def data_freshness(s, lang: str) -> html.Div:  # noqa: ANN001
    """When the data was last refreshed, and a warning for every source whose data is too old."""
    now = clock.now()
    return widgets.freshness(data_age(s, config_sources(), now), now, lang)


def _user_info() -> dict | None:
    if not current_user.is_authenticated:
        return None
    try:
        with session() as s:
            unread = notices.unread_count(s, current_user.id)
            approver = approves_somewhere(s, actor())
    except DB_UNAVAILABLE:
        unread, approver = 0, False
    return {
        "username": current_user.username,
        "name": current_user.full_name,
        "role": current_user.role,
        "agency": current_user.agency_name,
        "approver": approver,
        "unread": unread,
        "csrf": generate_csrf(),
    }


def _mywork(ctx, f: Filters, who):  # noqa: ANN001, ANN202
    if who.role == "agency":
        if who.agency_id not in ctx.agencies:
            return widgets.empty(t("mw.no_agency", f.lang), "mw-no-agency")
        agency = ctx.agencies[who.agency_id]
    elif who.role == "admin":
        if not f.agencies or f.agencies[0] not in ctx.agencies:
            return widgets.agency_chooser(list(ctx.agencies.values()), f, "/viec-cua-toi")
        agency = ctx.agencies[f.agencies[0]]
    else:
        return widgets.empty(t("mw.agency_only", f.lang), "forbidden")
    months = ctx.months or [ctx.today.replace(day=1)]
    return mywork.mywork_page(agency, ctx.plan, months, months[-1], read_only=False, lang=f.lang)


def _approvals(ctx, s, f: Filters, who):  # noqa: ANN001, ANN202
    if not is_secretariat(s, who, ctx.plan["id"]):
        return widgets.empty(t("perm.secretariat_only", f.lang), "forbidden")
    agencies = [a for a in ctx.agencies.values() if a.get("kind") != "group"]
    months = ctx.months or [ctx.today.replace(day=1)]
    return cycle.approvals_page(ctx.plan, ctx.today, agencies, months, who.role == "admin", f.lang)


def _recurring_reporters(ctx, recurring: list[dict]) -> set[int]:  # noqa: ANN001
    return {aid for tk in recurring for aid in expand(tk.lead_ids, ctx.members)}


def _agency(ctx, s, f: Filters, st, flags):  # noqa: ANN001, ANN202
    if not f.agencies or f.agencies[0] not in ctx.agencies:
        return widgets.agency_chooser(list(ctx.agencies.values()), f)
    agency = ctx.agencies[f.agencies[0]]
    scoped = f.with_(agencies=(agency["id"],))
    snaps = snapshots(ctx, scoped, st)
    tasks = agency_tasks(ctx, agency["id"], ctx.tasks)
    cells, recs = reporting(ctx, s, st)
    own_cells = [c for c in cells if c.agency_id == agency["id"]]
    return agency_page.agency_page(
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
        directives(s, ctx.plan["id"], agency["id"]),
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
        route = routes.find(pathname)
        national = route is not None and route.access == routes.NATIONAL
        plan = None if national else Filters.from_query(search).plan
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

    # The phone's filter button opens and closes the filters in the browser: no round trip for a fold.
    app.clientside_callback(
        ClientsideFunction(namespace="page", function_name="toggle"),
        Output("filter-collapse", "is_open"),
        Input("filter-toggle", "n_clicks"),
        State("filter-collapse", "is_open"),
        prevent_initial_call=True,
    )


__all__ = ["register", "render", "html"]
