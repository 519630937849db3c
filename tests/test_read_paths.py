"""The fast read paths (latest figures only, one agency's tasks) answer exactly as the full ones."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import select
from webclient import TODAY, demo_app

from dashboard.kpi.values import load_figures, monthly_series, snapshot
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import Settings, agency_task_rows, agency_tasks, agency_trends, load_context, snapshots
from dashboard.store.database import transaction
from dashboard.store.models import MonthReport


@pytest.fixture(scope="module")
def engine(tmp_path_factory):  # noqa: ANN001, ANN201
    return demo_app(tmp_path_factory.mktemp("paths")).server.extensions["kpi"]["engine"]


@pytest.mark.parametrize("plan", [1, 2, 3])
def test_snapshots_and_trends_from_the_latest_figures_match_the_whole_year(engine, plan: int) -> None:  # noqa: ANN001
    with transaction(engine) as s:
        ctx = load_context(s, Filters(plan=plan), TODAY)
        everything = defaultdict(list)
        for fig in load_figures(s, [i.id for i in ctx.indicators], TODAY):
            everything[fig.indicator_id].append(fig)
        total = sum(map(len, everything.values()))
        assert len(ctx.figures) < total or total == 0  # the context really holds fewer (Đồng Tháp has none)
        scopes = [None] + [set(ctx.members.get(a, [a])) for a in list(ctx.agencies)[:12]]
        for scope in scopes:
            f = Filters(plan=plan, agencies=tuple(scope or ()))
            got = snapshots(ctx, f, Settings()) if scope is None else None
            for k, ind in enumerate(ctx.indicators):
                want = snapshot(ind, everything[ind.id], TODAY, Settings().kpi_margin, scope)
                assert snapshot(ind, ctx.figures_of(ind.id), TODAY, Settings().kpi_margin, scope) == want
                if got is not None:
                    assert got[k] == want
        for agency_id in list(ctx.agencies)[:12]:
            scope = set(ctx.members.get(agency_id, [agency_id]))
            want = []
            for ind in ctx.indicators:
                series = monthly_series(ind, everything[ind.id], ctx.months, scope)
                if any(v is not None for _, v in series):
                    want.append({"indicator": ind, "series": series})
            assert agency_trends(ctx, s, agency_id) == want


def test_the_my_work_list_is_the_agency_page_list_without_loading_the_plan(engine) -> None:  # noqa: ANN001
    waiting = 0
    with transaction(engine) as s:
        # the agencies whose month waits for the secretariat (their task reports too)
        held = {
            plan: list(
                s.scalars(
                    select(MonthReport.agency_id).where(
                        MonthReport.plan_id == plan, MonthReport.status.in_(("submitted", "returned"))
                    )
                )
            )
            for plan in (1, 2, 3)
        }
        for plan in (1, 2, 3):
            ctx = load_context(s, Filters(plan=plan), TODAY)
            for agency_id in list(ctx.agencies)[:25] + held[plan]:
                mine = agency_task_rows(s, plan, agency_id, TODAY)
                shared = agency_tasks(ctx, agency_id, ctx.tasks)
                for role in ("lead", "coordinating"):
                    assert [t.id for t in mine[role]] == [t.id for t in shared[role]]
                    for own, page in zip(mine[role], shared[role], strict=True):
                        # the agency's own list shows its latest report, waiting or not; the pages only what
                        # the secretariat approved
                        assert own == page if not own.pending else not page.pending
                        waiting += own.pending
    assert waiting > 0  # the demo's waiting months were met


def test_the_my_work_relations_from_loaded_rows_match_the_permission_check(engine) -> None:  # noqa: ANN001
    from dashboard.accounts.permissions import groups_of, relation, task_relation

    with transaction(engine) as s:
        ctx = load_context(s, Filters(plan=1), TODAY)
        seen = set()
        for agency_id in list(ctx.agencies)[:40]:
            groups = groups_of(s, agency_id)
            for t in ctx.tasks:
                got = relation(agency_id, groups, t.lead_ids, t.coordinating_ids)
                assert got == task_relation(s, agency_id, t.id)
                seen.add(got)
    assert {"lead", "member_of_lead", "coordinating", None} <= seen  # every case was met
