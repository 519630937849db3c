"""A save in one province makes only that province's pages and wall screens recompute."""

from __future__ import annotations

from sqlalchemy import select
from webclient import TODAY, call, demo_app, login

from dashboard.accounts import Actor
from dashboard.filters import Filters
from dashboard.models import User
from dashboard.store import plan_version, transaction
from dashboard.updates import TaskChange, update_task
from dashboard.views import load_context


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
    cached_dt = f"page:{dt}:{TODAY}:/:?plan=2"
    assert cache.get(cached_dt) is not None and page_dt.status_code == 200

    with transaction(engine) as s:
        user = s.scalar(select(User).where(User.username == "sokhcn.thainguyen"))
        who = Actor(user.id, user.username, user.role, user.agency_id)
        task = next(t for t in load_context(s, Filters(plan=1), TODAY).tasks if user.agency_id in t["_lead_ids"])
        update_task(s, who, task["id"], task["_version"], TaskChange("in_progress", 70, TODAY.replace(day=1)), TODAY)

    assert poll("?plan=2", dt) is None  # unchanged: the Đồng Tháp page is not re-rendered
    assert poll("?plan=1", tn) > tn  # Thái Nguyên's page is
    assert poll("", everything) > everything  # pages following every plan (the national view) too
    with transaction(engine) as s:
        assert plan_version(s, 2) == dt and plan_version(s, 1) > tn
    assert cache.get(cached_dt) is not None  # and Đồng Tháp's cached page is still the one served
