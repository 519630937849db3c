"""The national view: one row per province from the plan summaries the scheduler keeps current."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select
from webclient import TODAY, call, demo_app, login, response_text

from dashboard.reads import summaries
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import Settings, all_flags, load_context
from dashboard.sources.scheduler import KpiScheduler
from dashboard.store.database import bump_data_version, data_version, transaction
from dashboard.store.models import PlanSummary


@pytest.fixture(scope="module")
def app(tmp_path_factory):  # noqa: ANN001, ANN201
    return demo_app(tmp_path_factory.mktemp("national"))


def _engine(app):  # noqa: ANN001, ANN202
    return app.server.extensions["kpi"]["engine"]


def test_a_summary_holds_the_numbers_of_the_province_pages(app) -> None:  # noqa: ANN001
    with transaction(_engine(app)) as s:
        for plan in (1, 2, 3):
            ctx = load_context(s, Filters(plan=plan), TODAY)
            flags = all_flags(ctx, s, Filters(plan=plan), Settings())
            row = summaries.compute(s, plan, TODAY, Settings())
            statuses = Counter(t.status for t in ctx.tasks)
            assert row["province"] == ctx.plan["province"]
            assert row["tasks"] == len(ctx.tasks) and row["overdue"] == statuses["overdue"]
            assert row["done"] == statuses["done"] + statuses["done_late"]
            assert row["flags"] == len(flags)
            assert row["flag_kinds"] == dict(Counter(f.kind for f in flags))
            assert [h["code"] for h in row["headline"]] == ["online_services", "satisfaction", "digital_skills"][
                : len(row["headline"])
            ]


def test_summaries_are_computed_once_and_again_when_the_data_moves(app) -> None:  # noqa: ANN001
    engine = _engine(app)
    with transaction(engine) as s:
        s.execute(PlanSummary.__table__.delete())
    with transaction(engine) as s:
        rows, at = summaries.national(s, TODAY, Settings())  # the first view computes what is missing
    assert len(rows) == 3 and at is not None
    assert [r["overdue"] for r in rows] == sorted((r["overdue"] for r in rows), reverse=True)
    assert summaries.refresh(engine, TODAY, Settings()) == 0  # all current
    # A change in one plan: the national view never shows that plan's old summary, even before the scheduler.
    with transaction(engine) as s:
        bump_data_version(s, [2])
        before = {r.plan_id: r.data_version for r in s.scalars(select(PlanSummary))}
    with transaction(engine) as s:
        summaries.national(s, TODAY, Settings())
        after = {r.plan_id: r.data_version for r in s.scalars(select(PlanSummary))}
        assert after[2] == data_version(s) > before[2] and after[1] == before[1] and after[3] == before[3]
    with transaction(engine) as s:
        bump_data_version(s)
    # The scheduler's five-minute job brings every summary up to the new data.
    scheduler = KpiScheduler(engine, [], briefings=(None, lambda: TODAY, Settings()))
    scheduler.recompute_job()
    with transaction(engine) as s:
        version = data_version(s)
        assert {r.data_version for r in s.scalars(select(PlanSummary))} == {version}
    assert summaries.refresh(engine, TODAY, Settings()) == 0
    assert summaries.refresh(engine, TODAY, Settings(), stale_only=False) == 3


def test_leaders_see_the_national_page_and_agencies_do_not(app) -> None:  # noqa: ANN001
    client = login(app, "lanhdao")
    page = response_text(call(app, client, "url", {"url.pathname": "/toan-quoc", "url.search": ""}))
    assert "Toàn quốc: 3 tỉnh, thành phố" in page and "national-table" in page
    for province in ("Thái Nguyên", "Đồng Tháp", "Lào Cai"):
        assert province in page
    assert "/canh-bao?plan=3" in page and "nav-national" in page
    english = response_text(call(app, client, "url", {"url.pathname": "/toan-quoc", "url.search": "?lang=en"}))
    assert "Nationwide: 3 provinces and cities" in english

    agency = login(app, "sokhcn.thainguyen")
    denied = response_text(call(app, agency, "url", {"url.pathname": "/toan-quoc", "url.search": ""}))
    assert "national-table" not in denied and "forbidden" in denied
    home = response_text(call(app, agency, "url", {"url.pathname": "/", "url.search": ""}))
    assert "nav-national" not in home


def test_a_change_keeps_its_plans_summary_current_as_it_prepares_the_plan(app) -> None:  # noqa: ANN001
    from dashboard.reads import plan_cache

    engine = _engine(app)
    cache = app.server.extensions["kpi"]["cache"]
    with transaction(engine) as s:
        summaries.national(s, TODAY, Settings())  # every row current
        bump_data_version(s, [3])
    # what every save, import and refresh does after its change: prepare the plan's data
    assert plan_cache.warm(cache, engine, TODAY, Settings(), [3]) == [3]
    with transaction(engine) as s:
        rows = {r.plan_id: r for r in s.scalars(select(PlanSummary))}
        assert rows[3].data_version == data_version(s)  # current before anyone opens the national view
        with_flags = summaries.compute(s, 3, TODAY, Settings())
    assert rows[3].payload == with_flags  # the same row as computed from scratch
