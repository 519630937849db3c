"""The page cache: the key of a built page, how long a build is kept, and the last good copy for an outage.

A page is cached per data version, day, route, normalised filters and reader scope: URL parameters that the
page does not read, their order and their spelling never make a new key, so junk parameters can neither fill
the cache nor bypass it. The cache is any cachelib-style object (``get``/``set``): flask-caching in the app.
"""

from __future__ import annotations

from datetime import date

from dashboard.kpi.reporting import deadline_passed
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import Settings
from dashboard.routes import PER_AGENCY, Route

BUILD_SECONDS = 3600  # a built page; a new data version makes a new key anyway
LAST_GOOD_SECONDS = 7 * 24 * 3600  # the last good build of a page, shown while the database is down


def page_query(route: Route, f: Filters) -> str:
    """The filters as the page reads them: the known ones normalised, plus the route's own parameters."""
    return f.with_(extra=page_extra(route, f)).to_query()


def reader_scope(route: Route, reader: str, role: str | None, agency_id: int | None) -> str:
    """Whose copy a build is: the provinces its reader may read (``all`` or their ids), and for per-agency pages
    the role and agency too."""
    scope = f":{reader}"
    return scope + (f":{role}:{agency_id}" if route.cache == PER_AGENCY else "")


def page_key(version: int, today: date, path: str, query: str, scope: str = "", st: Settings | None = None) -> str:
    """The key of a built page: its plan's data version, the day, whether this month's report deadline has
    passed (the report grid turns then, data or no data), the path, the normalised filters and the scope."""
    st = st or Settings()
    passed = int(deadline_passed(today, st.report_day, st.report_hour))
    return f"page:{version}:{today}:{passed}:{path}:{query}{scope}"


def last_good_key(route: Route, f: Filters, scope: str) -> str | None:
    """Where a page's last good build is kept for an outage: one copy per page, plan (as asked), language and
    reader, whatever the version and the filters (the agency page: per agency too, a bounded number). None for
    a filtered view, which is not kept: a search typed a thousand ways must not pile up week-long copies; during
    an outage it gets the page's own copy."""
    agencies = f.agencies[:1] if route.page == "agency" else ()
    plain = Filters(plan=f.plan, agencies=agencies, lang=f.lang)
    return f"last:{route.path}:{plain.to_query()}{scope}"


def is_plain(route: Route, f: Filters) -> bool:
    """Whether the view is the page itself (no filter but the plan, and the agency page's agency)."""
    agencies = f.agencies[:1] if route.page == "agency" else ()
    return f.agencies == agencies and not (f.section or f.statuses or f.quarter or f.q) and not page_extra(route, f)


def page_extra(route: Route, f: Filters) -> dict[str, str]:
    return {k: v for k, v in f.extra.items() if k in route.params}


def cached_build(cache, key: str, build):  # noqa: ANN001, ANN201
    """The build under ``key``, else ``build()`` stored there; and whether it was built now."""
    built = cache.get(key)
    if built is not None:
        return built, False
    built = build()
    cache.set(key, built, timeout=BUILD_SECONDS)
    return built, True


def keep_last_good(cache, key: str, entry: dict) -> None:  # noqa: ANN001
    cache.set(key, entry, timeout=LAST_GOOD_SECONDS)


def has_last_good(cache, key: str) -> bool:  # noqa: ANN001
    """Whether a last good copy is kept under ``key`` (a bounded Redis may have evicted it)."""
    return bool(cache.has(key))


def last_good(cache, key: str) -> dict | None:  # noqa: ANN001
    return cache.get(key)
