"""A plan's loaded data is built once per data version, by whoever changed the data, and read back by the
pages: from the web app's own cache, or from Redis where the scheduler worker prepared it."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select
from webclient import TODAY, call, demo_app, login

from dashboard.accounts.users import SYSTEM, Actor
from dashboard.cycle import approval
from dashboard.cycle.locks import Rhythm
from dashboard.reads import plan_cache
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import Settings, load_context
from dashboard.sources.scheduler import KpiScheduler
from dashboard.store.database import transaction
from dashboard.store.models import User
from dashboard.updates import TaskChange, update_task


def _settings(app) -> Settings:  # noqa: ANN001
    cfg = app.server.extensions["kpi"]["config"]
    return Settings.from_config(cfg)


def _save_a_task(engine, plan: int) -> None:  # noqa: ANN001
    with transaction(engine) as s:
        user = s.scalar(select(User).where(User.username == "sokhcn.thainguyen"))
        who = Actor(user.id, user.username, user.role, user.agency_id)
        task = next(t for t in load_context(s, Filters(plan=plan), TODAY).tasks if user.agency_id in t.lead_ids)
        update_task(s, who, task.id, task.version, TaskChange("in_progress", 65, TODAY.replace(day=1)), TODAY)
        # the month goes to the secretariat and is approved: only then does the report count on the pages
        report = approval.submit(s, who, plan, user.agency_id, TODAY, Rhythm(), TODAY)
        approval.approve(s, SYSTEM, report.id)


def test_each_plan_is_built_once_per_data_version_under_one_key(tmp_path) -> None:  # noqa: ANN001
    app = demo_app(tmp_path)
    engine, cache = app.server.extensions["kpi"]["engine"], app.server.extensions["kpi"]["cache"]
    settings = _settings(app)
    assert plan_cache.warm(cache, engine, TODAY, settings) == [1, 2, 3]
    assert plan_cache.warm(cache, engine, TODAY, settings) == []  # nothing changed: nothing rebuilt
    _save_a_task(engine, 1)
    assert plan_cache.warm(cache, engine, TODAY, settings) == [1]  # only the plan that changed
    assert plan_cache.warm(cache, engine, TODAY.replace(day=28), settings) == [1, 2, 3]  # a new day: statuses move
    keys = sorted(k for k in cache.cache._cache if k.startswith("ctx"))
    assert keys == ["ctx-stamp:1", "ctx-stamp:2", "ctx-stamp:3", "ctx:1", "ctx:2", "ctx:3"]  # replaced, not piled up
    with transaction(engine) as s:
        fresh = load_context(s, Filters(plan=1), TODAY.replace(day=28))
        cached = plan_cache.plan_context(cache, s, 1, TODAY.replace(day=28), settings)
    assert cached.tasks == fresh.tasks and cached.figures == fresh.figures
    assert next(t for t in cached.tasks if t.progress == 65)


def test_a_plan_changed_elsewhere_is_never_served_from_the_process_memory(tmp_path) -> None:  # noqa: ANN001
    app = demo_app(tmp_path)
    engine, cache = app.server.extensions["kpi"]["engine"], app.server.extensions["kpi"]["cache"]
    with transaction(engine) as s:
        before = plan_cache.plan_context(cache, s, 1, TODAY, _settings(app))
    _save_a_task(engine, 1)  # as another worker would: this process's memory still holds the old data
    with transaction(engine) as s:
        after = plan_cache.plan_context(cache, s, 1, TODAY, _settings(app))
    assert after is not before and after.tasks != before.tasks


def test_pages_read_the_plan_data_the_scheduler_worker_prepared_in_redis(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set")
    app = demo_app(tmp_path, redis_url=url)
    engine, web_cache = app.server.extensions["kpi"]["engine"], app.server.extensions["kpi"]["cache"]
    web_cache.clear()
    # what `python -m dashboard scheduler` uses
    worker_cache = plan_cache.shared_cache(url, app.server.extensions["kpi"]["config"].database_url)
    assert plan_cache.warm(worker_cache, engine, TODAY, _settings(app)) == [1, 2, 3]

    def no_loading(*_args, **_kw):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the page loaded the plan itself instead of reading what the worker prepared")

    monkeypatch.setattr(plan_cache, "load_context", no_loading)
    client = login(app, "lanhdao")
    for path in ("/", "/tien-do", "/canh-bao"):
        resp = call(app, client, "url", {"url.pathname": path, "url.search": "?plan=2", "data-version.data": 0})
        assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    web_cache.clear()


def test_the_scheduler_prepares_plans_at_start_after_a_refresh_and_on_each_recompute(tmp_path) -> None:  # noqa: ANN001
    app = demo_app(tmp_path)
    engine = app.server.extensions["kpi"]["engine"]
    calls: list = []
    source = next(s for s in app.server.extensions["kpi"]["sources"] if s.name == "mot-cua-dvc")
    sched = KpiScheduler(engine, [source], on_refresh=calls.append)
    sched.refresh_job(source, retry_tick=10**9)  # the demo's figures are already loaded: nothing changed
    assert calls == []
    with transaction(engine) as s:
        from dashboard.store.models import Measurement

        for m in s.scalars(select(Measurement).where(Measurement.source == source.name)):
            m.numerator = 0  # figures that the source will put right
    sched.refresh_job(source, retry_tick=10**9 + 1)
    assert len(calls) == 1 and calls[0] and set(calls[0]) <= {1, 2, 3}
    sched.recompute_job()
    assert calls[-1] is None  # every plan that lacks its data
    sched.start()
    try:
        assert "prepare" in {job.id for job in sched.scheduler.get_jobs()} or calls.count(None) == 2
    finally:
        sched.shutdown()


def _ask_at_once(engine, caches: list, n: int) -> list:  # noqa: ANN001
    """``n`` threads asking for plan 1's data at the same moment, spread over ``caches`` (one per worker)."""
    import threading

    results: list = []
    start = threading.Barrier(n)

    def ask(cache) -> None:  # noqa: ANN001
        start.wait()
        with transaction(engine) as s:
            results.append(plan_cache.plan_context(cache, s, 1, TODAY, Settings()))

    threads = [threading.Thread(target=ask, args=(caches[i % len(caches)],)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results


def _slow_builds(monkeypatch) -> list:  # noqa: ANN001
    import time

    calls: list = []
    real = plan_cache.load_context

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        time.sleep(0.5)  # long enough for every other asker to arrive while it builds
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_cache, "load_context", slow)
    return calls


def test_a_plan_asked_for_by_many_threads_at_once_is_built_once(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from cachelib import SimpleCache

    app = demo_app(tmp_path)
    engine = app.server.extensions["kpi"]["engine"]
    calls = _slow_builds(monkeypatch)
    results = _ask_at_once(engine, [SimpleCache()], 8)
    assert len(calls) == 1 and len(results) == 8
    assert all(r.tasks == results[0].tasks for r in results)


def test_a_plan_asked_for_by_several_workers_at_once_is_built_once(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import os
    import uuid

    import redis
    from cachelib import RedisCache

    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set")
    app = demo_app(tmp_path)
    engine = app.server.extensions["kpi"]["engine"]
    prefix = f"kpi-test-{uuid.uuid4().hex[:8]}:"
    # three workers: three clients of one Redis, each with its own process-local state
    workers = [RedisCache(host=redis.from_url(url), key_prefix=prefix) for _ in range(3)]
    calls = _slow_builds(monkeypatch)
    try:
        results = _ask_at_once(engine, workers, 9)
    finally:
        workers[0].clear()
    assert len(calls) == 1 and len(results) == 9
    assert all(r.tasks == results[0].tasks for r in results)


def test_a_context_left_by_another_version_of_the_site_is_built_again(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """After a deploy Redis may still hold plan data pickled by the code before: its stamp names another format
    and it is built again; an entry that cannot be read back at all is built again too, never an error page."""
    app = demo_app(tmp_path)
    engine, cache = app.server.extensions["kpi"]["engine"], app.server.extensions["kpi"]["cache"]
    settings = _settings(app)
    plan_cache.warm(cache, engine, TODAY, settings, [1])
    stamp, ctx = cache.get("ctx:1")
    older = (stamp[0] - 1, *stamp[1:])
    cache.set("ctx:1", (older, "what the code before pickled"), timeout=0)
    cache.set("ctx-stamp:1", older, timeout=0)
    cache._kpi_recent_plans = plan_cache._Recent()  # as in another worker: nothing of the plan in its memory
    with transaction(engine) as s:
        assert not plan_cache.is_ready(cache, s, 1, TODAY, settings)
        assert plan_cache.plan_context(cache, s, 1, TODAY, settings).tasks == ctx.tasks
    real_get = cache.cache.get

    def unreadable(key: str):  # noqa: ANN202
        if key.endswith("ctx:1"):
            raise TypeError("ReportCell.__new__() missing 4 required positional arguments")
        return real_get(key)

    monkeypatch.setattr(cache.cache, "get", unreadable)
    cache._kpi_recent_plans = plan_cache._Recent()
    with transaction(engine) as s:
        assert plan_cache.plan_context(cache, s, 1, TODAY, settings).tasks == ctx.tasks
    client = login(app, "lanhdao")
    page = call(app, client, "url", {"url.pathname": "/canh-bao", "url.search": "?plan=1", "data-version.data": 0})
    assert page.status_code == 200
