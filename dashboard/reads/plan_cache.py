"""A plan's loaded data, kept in the shared cache and rebuilt as soon as its data changes.

Every page and wall screen of a plan starts from the same ``PlanContext`` (tasks with statuses, latest
figures, agencies, report grid). Building it costs far more than any page built from it, so it is built
once per plan and data version and kept under one key per plan: a new version replaces the old entry
instead of piling up beside it, and the entry does not expire. Whoever changes the data (a save, an
import, a source refresh, the daily recompute) calls :func:`warm`, so a viewer finds it ready.

The cache is any cachelib-style object (``get``/``set``): flask-caching's in the web app, a cachelib
Redis client in the scheduler worker, both reading the same Redis keys.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dashboard.kpi.reporting import deadline_passed
from dashboard.reads import summaries
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import PlanContext, Settings, load_context, reporting
from dashboard.store.database import plan_version, transaction
from dashboard.store.models import Plan

log = logging.getLogger(__name__)


# What the cache holds is pickled app objects: when their shape changes (rows became dataclasses in format 2; a
# plan's figures hold each KPI's first of the year, the trajectory's baseline, in format 3), a new format keeps
# a running site from reading entries the new code cannot use.
CACHE_FORMAT = 5


def key_prefix(database_url: str) -> str:
    """The prefix of every shared-cache key of the site whose store is ``database_url``: the web workers and the
    scheduler worker write and read the same keys, and two sites (or two test databases) sharing one Redis
    never serve each other's pages, although their data versions and page keys may be equal."""
    from sqlalchemy import make_url

    from dashboard.store.database import normalize_url

    where = make_url(normalize_url(database_url)).render_as_string(hide_password=True)
    return f"kpi:{CACHE_FORMAT}:{hashlib.sha1(where.encode()).hexdigest()[:8]}:"


@lru_cache(maxsize=4)
def shared_cache(redis_url: str, database_url: str):  # noqa: ANN201
    """The web app's Redis cache, for a process without the web app (the scheduler worker); one client per
    URL and process, reused by every job."""
    import redis
    from cachelib import RedisCache

    return RedisCache(host=redis.from_url(redis_url), key_prefix=key_prefix(database_url), default_timeout=3600)


LOCAL_PLANS = 6


class _Recent:
    """The last few contexts this process read from a cache, already unpickled: a page built from the shared
    cache would otherwise spend 15-20 ms reading a province's context back on every build. Threads of one
    process (``serve``) share it, hence the lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: OrderedDict[int, tuple[tuple, PlanContext]] = OrderedDict()

    def get(self, plan_id: int, stamp: tuple) -> PlanContext | None:
        with self.lock:
            hit = self.items.get(plan_id)
            if hit is None or hit[0] != stamp:
                return None
            self.items.move_to_end(plan_id)
            return hit[1]

    def put(self, plan_id: int, stamp: tuple, ctx: PlanContext) -> None:
        with self.lock:
            self.items[plan_id] = (stamp, ctx)
            self.items.move_to_end(plan_id)
            while len(self.items) > LOCAL_PLANS:
                self.items.popitem(last=False)


_RECENT_LOCK = threading.Lock()


def _recent(cache) -> _Recent:  # noqa: ANN001
    """Kept on the cache object, so that two apps in one process (the tests) never see each other's."""
    with _RECENT_LOCK:
        recent = getattr(cache, "_kpi_recent_plans", None)
        if recent is None:
            recent = cache._kpi_recent_plans = _Recent()
        return recent


# The form of a pickled ``PlanContext``: a context pickled by an earlier version of the site (still in Redis
# after a deploy) carries another number in its stamp, so it is built again instead of read.
CONTEXT_FORMAT = 2


def _stamp(session: Session, plan_id: int, today: date, settings: Settings) -> tuple:
    # The report grid changes when this month's reporting deadline passes, data or no data.
    passed = deadline_passed(today, settings.report_day, settings.report_hour)
    return (CONTEXT_FORMAT, plan_version(session, plan_id), today.isoformat(), passed, settings)


BUILD_LOCK_SECONDS = 30  # a builder that died frees the plan after this long
WAIT_SECONDS = 10  # how long a second asker waits for the first one's build before building itself


def _cached(cache, plan_id: int, stamp: tuple) -> PlanContext | None:  # noqa: ANN001
    # The small stamp first: reading an out-of-date context (400 KB for a large province) only to throw it away
    # cost a cold view 15-30 ms.
    try:
        if cache.get(f"ctx-stamp:{plan_id}") != stamp:
            return None
        entry = cache.get(f"ctx:{plan_id}")
    except Exception:  # whatever cannot be read back is built again
        log.warning("the cached data of plan %s could not be read; building it again", plan_id, exc_info=True)
        return None
    return entry[1] if entry is not None and entry[0] == stamp else None


def _local_lock(cache, plan_id: int) -> threading.Lock:  # noqa: ANN001
    """One lock per plan and cache object: the threads of one process build a plan once."""
    with _RECENT_LOCK:
        locks = getattr(cache, "_kpi_build_locks", None)
        if locks is None:
            locks = cache._kpi_build_locks = {}
        return locks.setdefault(plan_id, threading.Lock())


def _wait_for(cache, plan_id: int, stamp: tuple) -> PlanContext | None:  # noqa: ANN001
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if cache.get(f"ctx-stamp:{plan_id}") == stamp and (ctx := _cached(cache, plan_id, stamp)) is not None:
            return ctx
    return None


def plan_context(cache, session: Session, plan_id: int, today: date, settings: Settings) -> PlanContext | None:  # noqa: ANN001
    """The plan's data as of ``today`` at its current data version: from the cache, else built and stored.

    Single flight: however many threads and workers ask for a plan that is not ready, one builds it (the
    threads of a process queue on a lock, the processes on a key added only if absent: SET NX in Redis) and the
    others wait for its result; a builder that died or hangs is taken over after ``WAIT_SECONDS``."""
    stamp = _stamp(session, plan_id, today, settings)
    recent = _recent(cache)
    ctx = recent.get(plan_id, stamp)
    if ctx is not None:
        return ctx
    ctx = _cached(cache, plan_id, stamp)
    if ctx is None:
        with _local_lock(cache, plan_id):
            ctx = recent.get(plan_id, stamp) or _cached(cache, plan_id, stamp)  # built while this one queued
            if ctx is None:
                flight = f"ctx-building:{plan_id}:{hashlib.sha1(repr(stamp).encode()).hexdigest()[:12]}"
                mine = cache.add(flight, 1, timeout=BUILD_LOCK_SECONDS)
                if not mine:
                    ctx = _wait_for(cache, plan_id, stamp)
                if ctx is None:
                    try:
                        ctx = _build(cache, session, plan_id, today, settings, stamp)
                    finally:
                        if mine:
                            cache.delete(flight)
                    if ctx is None:
                        return None
    recent.put(plan_id, stamp, ctx)
    return ctx


def _build(cache, session: Session, plan_id: int, today: date, settings: Settings, stamp: tuple) -> PlanContext | None:  # noqa: ANN001
    ctx = load_context(session, Filters(plan=plan_id), today)
    if ctx is None:
        return None
    reporting(ctx, session, settings)  # kept in the context's memo: every page's red flags need it
    cache.set(f"ctx:{plan_id}", (stamp, ctx), timeout=0)
    cache.set(f"ctx-stamp:{plan_id}", stamp, timeout=0)
    return ctx


def is_ready(cache, session: Session, plan_id: int, today: date, settings: Settings) -> bool:  # noqa: ANN001
    """Whether the cache holds the plan's data at its current version (read from a small key)."""
    return cache.get(f"ctx-stamp:{plan_id}") == _stamp(session, plan_id, today, settings)


def warm(cache, engine: Engine, today: date, settings: Settings, plan_ids: Iterable[int] | None = None) -> list[int]:  # noqa: ANN001
    """Build the data of the plans (``None``: every plan) whose cached data is missing or out of date.
    Returns the plans built. Never raises: the change that called it is already committed, and the first
    page view builds whatever is missing."""
    built = []
    try:
        with transaction(engine) as s:
            ids = list(plan_ids) if plan_ids is not None else list(s.scalars(select(Plan.id).order_by(Plan.id)))
            for plan_id in ids:
                if not is_ready(cache, s, plan_id, today, settings):
                    ctx = plan_context(cache, s, plan_id, today, settings)
                    if ctx is not None:  # the national view's row of the plan, from the same data
                        summaries.keep(s, plan_id, ctx, plan_version(s, plan_id), today, settings)
                    built.append(plan_id)
    except Exception:
        log.warning("could not prepare the data of plans %s", plan_ids, exc_info=True)
    return built
