from dataclasses import replace
from datetime import date, datetime

from rows import kpi_row, task_row

from dashboard.kpi.red_flags import (
    DUE_SOON,
    KPI_BELOW,
    MISSING_REPORT,
    OVERDUE_TASK,
    UNCLEAR,
    kpi_flags,
    report_flags,
    task_flags,
    worst_first,
)
from dashboard.kpi.reporting import LATE, MISSING, ON_TIME, PENDING, owing, records, report_grid
from dashboard.kpi.values import snapshot

TODAY = date(2026, 11, 27)


def task(code: str, status: str, due: str | None, kind: str = "date", leads=("Sở Y tế",), output="Báo cáo"):  # noqa: ANN001, ANN201
    return task_row(
        id=hash(code) % 1000,
        code=code,
        name=f"Nhiệm vụ {code}",
        status=status,
        due_date=due,
        deadline_kind=kind,
        lead_agencies=list(leads),
        lead_ids=[1] if leads else [],
        output=output,
    )


def test_report_grid_statuses() -> None:
    months = [date(2026, 10, 1), date(2026, 11, 1)]
    sent = {(1, months[0]): datetime(2026, 10, 25, 16, 0), (2, months[0]): datetime(2026, 10, 26, 8, 0)}
    cells = report_grid([1, 2, 3], sent, months, datetime(2026, 11, 20, 12, 0))
    status = {(c.agency_id, c.month.month): c.status for c in cells}
    assert status[(1, 10)] == ON_TIME  # the 25th itself counts as on time
    assert status[(2, 10)] == LATE
    assert status[(3, 10)] == MISSING
    assert status[(1, 11)] == PENDING  # November's deadline has not passed on the 20th
    rec = records(cells)
    assert (rec[1].expected, rec[1].received, rec[1].on_time) == (1, 1, 1)
    assert (rec[2].received, rec[2].on_time, rec[2].on_time_rate) == (1, 0, 0.0)
    assert rec[3].received_rate == 0.0


def test_reports_sent_after_the_as_of_moment_do_not_count() -> None:
    month = date(2026, 10, 1)
    cells = report_grid([1], {(1, month): datetime(2026, 10, 20)}, [month], datetime(2026, 10, 10))
    assert cells[0].status == PENDING


def test_task_flags_kinds_and_order() -> None:
    tasks = [
        task("A", "overdue", "2026-06-30"),
        task("B", "overdue", "2026-10-31"),
        task("C", "in_progress", "2026-12-05"),
        task("D", "in_progress", "2026-12-31"),
        task("E", "done", "2026-03-31"),
        task("F", "not_started", None, kind="unknown", leads=(), output=""),
    ]
    flags = worst_first(task_flags(tasks, TODAY, due_soon_days=14))
    assert [(f.kind, f.code) for f in flags] == [
        (OVERDUE_TASK, "A"),
        (OVERDUE_TASK, "B"),
        (DUE_SOON, "C"),
        (UNCLEAR, "F"),
    ]
    assert flags[0].days == 150 and flags[1].days == 27
    assert flags[2].days == 8
    assert flags[3].missing == ["lead", "output", "deadline"]


def test_missing_reports_one_flag_per_agency() -> None:
    months = [date(2026, m, 1) for m in (8, 9, 10)]
    cells = report_grid([7, 8], {(8, m): datetime(m.year, m.month, 20) for m in months}, months, datetime(2026, 11, 27))
    flags = report_flags(cells, {7: "UBND xã Bát Xát", 8: "Sở Y tế"})
    assert len(flags) == 1
    assert (flags[0].kind, flags[0].title, flags[0].months) == (MISSING_REPORT, "UBND xã Bát Xát", months)


def test_kpi_flags_and_overall_order() -> None:
    ind = kpi_row(
        id=1,
        is_ratio=True,
        unit="%",
        target_op=">=",
        target_value=80.0,
        name="DVC",
        code="7",
        lead_agencies=["Sở Y tế"],
    )
    from dashboard.kpi.values import Figure

    low = snapshot(ind, [Figure(1, 1, date(2026, 11, 1), 50, 100, None)], TODAY)
    ok = snapshot(replace(ind, id=2), [Figure(2, 1, date(2026, 11, 1), 90, 100, None)], TODAY)
    kflags = kpi_flags([low, ok])
    assert [(f.kind, f.value) for f in kflags] == [(KPI_BELOW, 50.0)]
    ordered = worst_first(
        kflags + task_flags([task("A", "overdue", "2026-06-30"), task("C", "in_progress", "2026-12-05")], TODAY)
    )
    assert [f.kind for f in ordered] == [OVERDUE_TASK, KPI_BELOW, DUE_SOON]


def test_who_owes_a_monthly_report() -> None:
    """Leads of KPIs they report themselves (not those a SQL source feeds) and of recurring tasks, groups
    expanded into their members, each agency once, KPI leads first."""
    members = {90: [3, 4]}  # a collective group standing for agencies 3 and 4
    kpis = [(10, (1, 2)), (11, (5,)), (12, (90, 1))]
    tasks = [("recurring", (6, 2)), ("date", (7,)), ("recurring", ())]
    assert owing(kpis, tasks, fed={11}, members=members) == [1, 2, 3, 4, 6]
    assert owing(kpis, tasks, fed=set(), members=members) == [1, 2, 5, 3, 4, 6]
    assert owing([], [("date", (7,))], fed=set(), members={}) == []


def test_the_pages_and_the_reminders_owe_the_same_reports(demo_engine) -> None:  # noqa: ANN001
    """The pages ask ``owing`` with the plan as loaded, the reminders read the store: both name, per plan, the
    agencies the store's own rows say (plain SQL: leads of KPIs with no source figure, leads of active
    recurring tasks, groups expanded by the directory's rule)."""
    from sqlalchemy import text

    from dashboard.agencies.directory import group_members
    from dashboard.kpi.reporting import expected_reporters
    from dashboard.reads.filters import Filters
    from dashboard.reads.page_data import Settings, load_context, reporting
    from dashboard.store.database import transaction

    with demo_engine.connect() as conn:
        plans = conn.execute(text("SELECT id, province_id FROM plan")).all()
        want = {}
        for plan_id, _province in plans:
            leads = conn.execute(
                text(
                    "SELECT l.agency_id FROM indicator_lead l JOIN indicator i ON i.id = l.indicator_id"
                    " WHERE i.plan_id = :p AND NOT EXISTS (SELECT 1 FROM measurement m WHERE m.indicator_id = i.id"
                    " AND m.source NOT IN ('form', 'excel', 'upload', 'demo'))"
                    " UNION SELECT ta.agency_id FROM task_agency ta JOIN task t ON t.id = ta.task_id"
                    " WHERE t.plan_id = :p AND t.active AND t.deadline_kind = 'recurring' AND ta.role = 'lead'"
                ),
                {"p": plan_id},
            ).scalars()
            want[plan_id] = set(leads)
    with transaction(demo_engine) as s:
        for plan_id, province_id in plans:
            members = group_members(s, province_id)
            expected = {m for a in want[plan_id] for m in members.get(a, [a])}  # groups stand for members
            assert set(expected_reporters(s, plan_id, members)) == expected
            ctx = load_context(s, Filters(plan=plan_id), TODAY)
            cells, _ = reporting(ctx, s, Settings())
            assert {c.agency_id for c in cells} == expected
            assert len(expected) > 3
