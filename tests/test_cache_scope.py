"""A save in one province makes only that province's pages and wall screens recompute."""

from __future__ import annotations

from sqlalchemy import select
from webclient import TODAY, call, demo_app, login, response_text

from dashboard.accounts.users import Actor
from dashboard.reads import plan_cache
from dashboard.reads.filters import Filters
from dashboard.reads.page_cache import page_key
from dashboard.reads.page_data import Settings, load_context
from dashboard.store.database import plan_version, transaction
from dashboard.store.models import User
from dashboard.updates import TaskChange, update_task


def test_a_task_saved_in_one_province_leaves_the_others_cached(tmp_path) -> None:  # noqa: ANN001
    app = demo_app(tmp_path)
    engine = app.server.extensions["kpi"]["engine"]
    client = login(app, "lanhdao")

    def poll(search: str, known: int | None):  # noqa: ANN202
        resp = call(
            app,
            client,
            "poll",
            {"poll.n_intervals": 1, "data-version.data": known, "url.pathname": "/", "url.search": search},
        )
        answer = resp.get_json()["response"] if resp.status_code == 200 else {}
        return answer["data-version"]["data"] if "data-version" in answer else None  # None: no update

    tn, dt = poll("?plan=1", None), poll("?plan=2", None)
    everything = poll("", None)
    page_dt = call(app, client, "url", {"url.pathname": "/", "url.search": "?plan=2", "data-version.data": dt})
    cache = app.server.extensions["kpi"]["cache"]
    cached_dt = page_key(dt, TODAY, "/", "?plan=2", ":all")  # a reader of every province
    assert cache.get(cached_dt) is not None and page_dt.status_code == 200

    with transaction(engine) as s:
        user = s.scalar(select(User).where(User.username == "sokhcn.thainguyen"))
        who = Actor(user.id, user.username, user.role, user.agency_id)
        task = next(t for t in load_context(s, Filters(plan=1), TODAY).tasks if user.agency_id in t.lead_ids)
        update_task(s, who, task.id, task.version, TaskChange("in_progress", 70, TODAY.replace(day=1)), TODAY)

    assert poll("?plan=2", dt) is None  # unchanged: the Đồng Tháp page is not re-rendered
    assert poll("?plan=1", tn) > tn  # Thái Nguyên's page is
    assert poll("", everything) > everything  # pages following every plan (the national view) too
    with transaction(engine) as s:
        assert plan_version(s, 2) == dt and plan_version(s, 1) > tn
    assert cache.get(cached_dt) is not None  # and Đồng Tháp's cached page is still the one served


def test_a_save_prepares_its_plan_for_the_pages_that_follow(tmp_path) -> None:  # noqa: ANN001
    app = demo_app(tmp_path)
    engine = app.server.extensions["kpi"]["engine"]
    cache = app.server.extensions["kpi"]["cache"]
    with transaction(engine) as s:
        agency_id = s.scalar(select(User.agency_id).where(User.username == "sokhcn.thainguyen"))
        task = next(t for t in load_context(s, Filters(plan=1), TODAY).tasks if agency_id in t.lead_ids)
    # the secretariat's own save counts at once (an agency's waits for approval, ``test_monthly_cycle``)
    client = login(app, "admin")
    resp = call(
        app,
        client,
        "mw-save-task",
        {
            "mw-save-task.n_clicks": 1,
            "mw-edit.data": {"task_id": task.id, "version": task.version, "mode": "update"},
            "mw-status.value": "in_progress",
            "mw-progress.value": 55,
            "mw-completed.date": None,
            "mw-evidence.value": "",
            "mw-note.value": "Đã họp triển khai",
        },
    )
    assert resp.status_code == 200 and "Đã lưu" in response_text(resp)
    with transaction(engine) as s:
        assert plan_cache.is_ready(cache, s, 1, TODAY, Settings())  # the save built Thái Nguyên's shared data
        stamp, ready = cache.get("ctx:1")
    assert stamp[1] == plan_version(s, 1)
    saved = next(t for t in ready.tasks if t.id == task.id)
    assert saved.progress == 55 and saved.last_note == "Đã họp triển khai"
    # and the next page is built from it: the flags page of the plan shows the same task statuses
    page = call(app, client, "url", {"url.pathname": "/canh-bao", "url.search": "?plan=1", "data-version.data": 0})
    assert page.status_code == 200


def test_junk_url_parameters_neither_add_cache_entries_nor_bypass_the_cache(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import callbacks.router as router

    app = demo_app(tmp_path)
    client = login(app, "lanhdao")
    cache = app.server.extensions["kpi"]["cache"].cache  # flask-caching's SimpleCache: its keys are countable
    builds: list[str] = []
    real_build = router._build
    monkeypatch.setattr(router, "_build", lambda s, route, *a: builds.append(route.path) or real_build(s, route, *a))

    def keys() -> set[str]:
        return {k for k in cache._cache if ":page:" in f":{k}" or ":last:" in f":{k}"}

    for path in ("/", "/canh-bao"):
        assert call(app, client, "url", {"url.pathname": path, "url.search": "?plan=1"}).status_code == 200
    before, built = keys(), len(builds)
    assert built == 2 and before
    for junk in ("?plan=1&utm=1", "?utm=2&plan=1", "?plan=1&fbclid=x&utm=3", "?plan=01&zzz="):
        for path in ("/", "/canh-bao"):
            assert call(app, client, "url", {"url.pathname": path, "url.search": junk}).status_code == 200
    assert keys() == before  # no new entry: the same page under the same key
    assert len(builds) == built  # and served from the cache, not rebuilt
    # A parameter the page does read is part of its key.
    call(app, client, "url", {"url.pathname": "/", "url.search": "?plan=1&sort=name"})
    assert len(builds) == built + 1
    # Searches typed many ways are built (and kept an hour) but never kept as week-long outage copies: one
    # such copy per page, plan and reader.
    lasts = {k for k in keys() if ":last:" in f":{k}"}
    for n in range(20):
        call(app, client, "url", {"url.pathname": "/canh-bao", "url.search": f"?plan=1&q=tim+{n}&status=overdue"})
    assert {k for k in keys() if ":last:" in f":{k}"} == lasts


def test_the_outage_copy_is_kept_when_a_page_is_built_and_again_when_evicted(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """A cache hit does not write the week-long outage copy again (the same build is in it), but a copy that a
    bounded Redis evicted is put back by the next view."""
    app = demo_app(tmp_path)
    client = login(app, "lanhdao")
    cache = app.server.extensions["kpi"]["cache"].cache
    writes: list[str] = []
    real_set = cache.set
    monkeypatch.setattr(cache, "set", lambda key, *a, **k: writes.append(key) or real_set(key, *a, **k))

    def lasts() -> list[str]:
        return [k for k in writes if ":last:" in f":{k}"]

    view = {"url.pathname": "/canh-bao", "url.search": "?plan=1"}
    assert call(app, client, "url", view).status_code == 200
    assert len(lasts()) == 1  # built: kept
    key = lasts()[0]
    assert call(app, client, "url", view).status_code == 200
    assert len(lasts()) == 1  # a cache hit: nothing written again
    cache.delete(key)  # evicted
    assert call(app, client, "url", view).status_code == 200
    assert lasts() == [key, key] and cache.has(key)
