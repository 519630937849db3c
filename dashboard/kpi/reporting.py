"""The monthly reporting record: who sent their monthly report, and whether by the deadline (the 25th)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import clock
from dashboard.agencies.directory import expand
from dashboard.kpi.deadlines import RECURRING
from dashboard.kpi.figure_origin import fed_by_sources
from dashboard.store import latest as kept
from dashboard.store.models import Indicator, IndicatorLead, Task, TaskAgency

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
PENDING = "pending"  # the deadline of that month has not passed yet


class ReportCell(NamedTuple):
    """One agency's report for one month (a tuple: a large province has 2,000 of them per plan)."""

    agency_id: int
    month: date
    status: str
    received_at: datetime | None


@dataclass
class ReportingRecord:
    agency_id: int
    expected: int = 0
    received: int = 0
    on_time: int = 0

    @property
    def received_rate(self) -> float | None:
        return 100.0 * self.received / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return 100.0 * self.on_time / self.expected if self.expected else None


def deadline_of(month: date, day: int = 25, hour: float | None = None) -> datetime:
    """The last moment a month's report is on time: the end of its reporting day (the 25th), or the given hour
    of that day (Thái Nguyên: before 16:00 on the 25th). Vietnam time, like every stored time."""
    if hour is None or hour >= 24:
        return datetime.combine(month.replace(day=day), time(23, 59, 59))
    return datetime.combine(month.replace(day=day), time(0)) + timedelta(hours=hour)


def as_of_moment(today: date) -> datetime:
    """The moment reports are judged at: now on the real today (a 16:00 deadline has not passed at 10:00),
    the end of the day for any other "as of" date."""
    if today == clock.today():
        return clock.now()
    return datetime.combine(today, time(23, 59, 59))


def deadline_passed(today: date, day: int = 25, hour: float | None = None) -> bool:
    """Whether this month's report deadline has passed at ``as_of_moment(today)`` (cached pages change then)."""
    return as_of_moment(today) > deadline_of(today.replace(day=1), day, hour)


def owing(
    kpis: Iterable[tuple[int, Iterable[int]]],
    tasks: Iterable[tuple[str, Iterable[int]]],
    fed: Collection[int],
    members: dict[int, list[int]],
) -> list[int]:
    """Agencies that owe a monthly report: leads of KPIs they report themselves (not those a SQL source feeds,
    ``fed``) and leads of recurring tasks, groups expanded, each once. ``kpis``: (KPI id, lead ids) in the plan's
    order; ``tasks``: (deadline kind, lead ids) of its active tasks."""
    kpi_leads = [a for kpi_id, leads in kpis if kpi_id not in fed for a in leads]
    task_leads = [a for kind, leads in tasks if kind == RECURRING for a in leads]
    return expand(list(dict.fromkeys([*kpi_leads, *task_leads])), members)


def expected_reporters(session: Session, plan_id: int, members: dict[int, list[int]]) -> list[int]:
    """``owing`` for a plan read from the store (the pages pass what they have loaded to ``owing`` instead)."""
    leads: dict[int, list[int]] = defaultdict(list)
    for kpi_id, agency_id in session.execute(
        select(Indicator.id, IndicatorLead.agency_id)
        .join(IndicatorLead, IndicatorLead.indicator_id == Indicator.id)
        .where(Indicator.plan_id == plan_id)
        .order_by(Indicator.position, IndicatorLead.position)
    ):
        leads[kpi_id].append(agency_id)
    task_leads: dict[int, tuple[str, list[int]]] = {}
    for task_id, kind, agency_id in session.execute(
        select(Task.id, Task.deadline_kind, TaskAgency.agency_id)
        .join(TaskAgency, TaskAgency.task_id == Task.id)
        .where(Task.plan_id == plan_id, Task.active.is_(True), TaskAgency.role == "lead")
        .order_by(Task.position, TaskAgency.position)
    ):
        task_leads.setdefault(task_id, (kind, []))[1].append(agency_id)
    fed = fed_by_sources(session, list(leads))
    return owing(leads.items(), task_leads.values(), fed, members)


def submissions(session: Session, plan_id: int) -> dict[tuple[int, date], datetime]:
    """The first time each agency sent something for each month: KPI figures it submitted (form or upload, never
    a figure a SQL source pulled in) or task updates; kept up to date by every write (``dashboard.store.latest``)."""
    return kept.receipts(session, plan_id)


def report_grid(
    agency_ids: list[int],
    sent: dict[tuple[int, date], datetime],
    months: list[date],
    now: datetime,
    day: int = 25,
    hour: float | None = None,
) -> list[ReportCell]:
    """One cell per agency and month: on time, late, missing, or pending before the deadline."""
    cells = []
    deadlines = [(month, deadline_of(month, day, hour)) for month in months]
    for agency_id in agency_ids:
        for month, due in deadlines:
            at = sent.get((agency_id, month))
            if at is not None and at > now:
                at = None  # not yet sent as of the "as of" moment
            if at is not None:
                status = ON_TIME if at <= due else LATE
            else:
                status = MISSING if now > due else PENDING
            cells.append(ReportCell(agency_id, month, status, at))
    return cells


def records(cells: list[ReportCell]) -> dict[int, ReportingRecord]:
    """Counts per agency: reports expected (deadline passed), received, received by the deadline."""
    out: dict[int, ReportingRecord] = defaultdict(lambda: ReportingRecord(0))
    for c in cells:
        rec = out.setdefault(c.agency_id, ReportingRecord(c.agency_id))
        if c.status == PENDING:
            continue
        rec.expected += 1
        if c.status in (ON_TIME, LATE):
            rec.received += 1
        if c.status == ON_TIME:
            rec.on_time += 1
    return dict(out)
