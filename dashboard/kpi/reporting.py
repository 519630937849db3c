"""The monthly reporting record: who sent their monthly report, and whether by the deadline (the 25th)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

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


@dataclass(frozen=True)
class ReportCell:
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


def expected_reporters(session: Session, plan_id: int, members: dict[int, list[int]]) -> list[int]:
    """Agencies that owe a monthly report: leads of KPIs they report themselves (not those a SQL source feeds)
    and leads of recurring tasks, groups expanded."""
    indicator_ids = session.scalars(select(Indicator.id).where(Indicator.plan_id == plan_id)).all()
    fed = fed_by_sources(session, indicator_ids)
    kpi_leads = session.scalars(
        select(IndicatorLead.agency_id)
        .join(Indicator)
        .where(Indicator.plan_id == plan_id, Indicator.id.not_in(list(fed) or [-1]))
    ).all()
    task_leads = session.scalars(
        select(TaskAgency.agency_id)
        .join(Task)
        .where(
            Task.plan_id == plan_id, Task.deadline_kind == RECURRING, Task.active.is_(True), TaskAgency.role == "lead"
        )
    ).all()
    return expand(list(dict.fromkeys([*kpi_leads, *task_leads])), members)


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
