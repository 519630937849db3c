"""The monthly reporting record: who sent their monthly report, and whether by the deadline (the 25th)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .deadlines import RECURRING
from .directory import expand
from .models import Indicator, IndicatorLead, Measurement, Task, TaskAgency, TaskUpdate
from .store import id_list

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


def deadline_of(month: date, day: int = 25) -> datetime:
    """The end of the reporting day of a month (reports are due before the end of the 25th)."""
    return datetime.combine(month.replace(day=day), time(23, 59, 59))


def expected_reporters(session: Session, plan_id: int, members: dict[int, list[int]]) -> list[int]:
    """Agencies that owe a monthly report: KPI leads and leads of recurring tasks, groups expanded."""
    kpi_leads = session.scalars(
        select(IndicatorLead.agency_id).join(Indicator).where(Indicator.plan_id == plan_id)
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
    """The first time each agency sent something for each month: KPI figures or task updates."""
    first: dict[tuple[int, date], datetime] = {}
    # The plan's KPI and task ids as literal lists: PostgreSQL then reads their rows by index, where a join
    # on the plan makes it scan every province's figures.
    indicator_ids = list(session.scalars(select(Indicator.id).where(Indicator.plan_id == plan_id)))
    task_ids = list(session.scalars(select(Task.id).where(Task.plan_id == plan_id)))
    rows = session.execute(
        select(Measurement.agency_id, Measurement.month, func.min(Measurement.recorded_at))
        .where(Measurement.indicator_id.in_(id_list(indicator_ids)))
        .group_by(Measurement.agency_id, Measurement.month)
    ).all()
    rows += session.execute(
        select(TaskUpdate.agency_id, TaskUpdate.month, func.min(TaskUpdate.created_at))
        .where(TaskUpdate.task_id.in_(id_list(task_ids)), TaskUpdate.agency_id.is_not(None))
        .group_by(TaskUpdate.agency_id, TaskUpdate.month)
    ).all()
    for agency_id, month, at in rows:
        key = (agency_id, month)
        if at is not None and (key not in first or at < first[key]):
            first[key] = at
    return first


def report_grid(
    agency_ids: list[int],
    sent: dict[tuple[int, date], datetime],
    months: list[date],
    now: datetime,
    day: int = 25,
) -> list[ReportCell]:
    """One cell per agency and month: on time, late, missing, or pending before the deadline."""
    cells = []
    for agency_id in agency_ids:
        for month in months:
            at = sent.get((agency_id, month))
            if at is not None and at > now:
                at = None  # not yet sent as of the "as of" moment
            due = deadline_of(month, day)
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
