"""Rows kept up to date by every write, so that a plan's data is read, not recomputed from its history.

- ``task_latest``: each task's latest counted report (approved, not a note) and its latest note;
- ``figure_recent``: per KPI and agency, the approved figures a snapshot reads (its two newest and its first of
  each year);
- ``report_receipt``: when each agency first sent something for each month of a plan.

A write calls ``keep_tasks`` / ``keep_figures`` / ``keep_receipts`` with what it touched, in its own transaction
(so the kept rows commit or roll back with the data); a bulk load calls ``rebuild``. The rules themselves are
the ``*_from_store`` functions, computed from the stored history: the kept rows are their results for what was
touched, and the tests compare the two after every kind of write. The readers fall back on the rules for an "as
of" date earlier than a kept row (a page dated in the past).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, delete, extract, func, insert, select, text
from sqlalchemy.orm import Session

from dashboard.kpi.figure_origin import SUBMITTED
from dashboard.store.database import id_list, read_rows
from dashboard.store.models import (
    FigureRecent,
    Indicator,
    Measurement,
    Plan,
    ReportReceipt,
    Task,
    TaskLatest,
    TaskUpdate,
)

# A report that can change a task's status (a note never does), and what makes an update a note to show.
COUNTED = TaskUpdate.kind != "note"
HAS_NOTE = TaskUpdate.note.is_not(None) & (TaskUpdate.note != "")
# A figure counts once approved (a figure waiting for the secretariat does not count yet).
FIGURE_COUNTS = Measurement.approved.is_(True)


class Report(NamedTuple):
    """A task's latest report or note as the pages read it (the columns of ``latest_updates``)."""

    task_id: int
    month: date
    status: str | None
    progress: int | None
    completed_on: date | None
    note: str | None
    evidence_url: str | None
    approved: bool


# --- the rules, from the stored history -------------------------------------------------------------------


def latest_updates(
    session: Session, task_ids: Iterable[int], condition: ColumnElement[bool], today: date | None = None
) -> dict[int, Report]:
    """Per task, its newest update (up to ``today`` when given) among those meeting ``condition``: by month,
    then time of entry. One backward step down ``ix_task_update_latest`` per task."""
    ids = list(task_ids)
    if not ids:
        return {}
    bound = TaskUpdate.month <= today if today is not None else True
    newest = (
        select(TaskUpdate.id)
        .where(TaskUpdate.task_id == Task.id, bound, condition)
        .order_by(*(c.desc() for c in (TaskUpdate.task_id, TaskUpdate.month, TaskUpdate.created_at, TaskUpdate.id)))
        .limit(1)
        .correlate(Task)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            TaskUpdate.task_id,
            TaskUpdate.month,
            TaskUpdate.status,
            TaskUpdate.progress,
            TaskUpdate.completed_on,
            TaskUpdate.note,
            TaskUpdate.evidence_url,
            TaskUpdate.approved,
        )
        .select_from(Task)
        .join(TaskUpdate, TaskUpdate.id == newest)
        .where(Task.id.in_(id_list(ids)))
    )
    return {r.task_id: Report._make(r) for r in rows}


FIGURE_FIELDS = ("indicator_id", "agency_id", "month", "numerator", "denominator", "value", "recorded_at")


def figure_columns(model: type = Measurement):  # noqa: ANN201
    """The columns of a figure as ``kpi.values.Figure`` holds them, of the stored figures or of the kept ones."""
    return tuple(getattr(model, name) for name in FIGURE_FIELDS)


def recent_figures_from_store(session: Session, indicator_ids: Iterable[int], until: date) -> list[tuple]:
    """For each KPI and agency, its two newest approved figures up to ``until`` and its first of that year."""
    ids = list(indicator_ids)
    if not ids:
        return []
    partition = (Measurement.indicator_id, Measurement.agency_id)
    this_year = Measurement.month >= date(until.year, 1, 1)
    newest = func.row_number().over(partition_by=partition, order_by=Measurement.month.desc())
    oldest = func.row_number().over(partition_by=(*partition, this_year), order_by=Measurement.month)
    ranked = (
        select(*figure_columns(), newest.label("newest"), oldest.label("oldest"))
        .where(Measurement.indicator_id.in_(id_list(ids)), Measurement.month <= until, FIGURE_COUNTS)
        .subquery()
    )
    keep = (ranked.c.newest <= 2) | ((ranked.c.oldest == 1) & (ranked.c.month >= date(until.year, 1, 1)))
    return [tuple(r) for r in session.execute(select(*list(ranked.c)[:-2]).where(keep))]


def receipts_from_store(
    session: Session, plan_id: int, agency_ids: Iterable[int] | None = None, months: Iterable[date] | None = None
) -> dict[tuple[int, date], datetime]:
    """The first time each agency sent something for each month of the plan: KPI figures it submitted (form or
    upload, never a figure a SQL source pulled in) or task reports (``agency_ids``/``months``: only those)."""
    # The plan's KPI and task ids as literal lists: PostgreSQL then reads their rows by index, where a join on
    # the plan makes it scan every province's figures.
    indicator_ids = list(session.scalars(select(Indicator.id).where(Indicator.plan_id == plan_id)))
    task_ids = list(session.scalars(select(Task.id).where(Task.plan_id == plan_id)))
    fig_where = [Measurement.indicator_id.in_(id_list(indicator_ids)), Measurement.source.in_(SUBMITTED)]
    upd_where = [TaskUpdate.task_id.in_(id_list(task_ids)), TaskUpdate.agency_id.is_not(None)]
    if agency_ids is not None:
        fig_where.append(Measurement.agency_id.in_(id_list(agency_ids)))
        upd_where.append(TaskUpdate.agency_id.in_(id_list(agency_ids)))
    if months is not None:
        fig_where.append(Measurement.month.in_(list(months)))
        upd_where.append(TaskUpdate.month.in_(list(months)))
    rows = []
    if indicator_ids:
        rows += session.execute(
            select(Measurement.agency_id, Measurement.month, func.min(Measurement.recorded_at))
            .where(*fig_where)
            .group_by(Measurement.agency_id, Measurement.month)
        ).all()
    if task_ids:
        rows += session.execute(
            select(TaskUpdate.agency_id, TaskUpdate.month, func.min(TaskUpdate.created_at))
            .where(*upd_where)
            .group_by(TaskUpdate.agency_id, TaskUpdate.month)
        ).all()
    first: dict[tuple[int, date], datetime] = {}
    for agency_id, month, at in rows:
        key = (agency_id, month)
        if at is not None and (key not in first or at < first[key]):
            first[key] = at
    return first


# --- keeping the rows ---------------------------------------------------------------------------------------

_LOCK_SPACE = 5713  # the first key of this module's advisory locks (the second is the plan id)


def _one_keeper_per_plan(session: Session, plan_ids: Iterable[int]) -> None:
    """Wait until no other transaction keeps rows of these plans, and hold them until this one ends.

    Each keeper recomputes what it touched from the history; two writers of one plan keeping at once would each
    miss the other's uncommitted reports, and both insert the same kept row. Taken after the writer's own
    changes, in plan order, and (PostgreSQL) as advisory locks, which no row lock waits on; a SQLite write
    transaction holds the whole database anyway."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for plan_id in sorted(set(plan_ids)):
        session.execute(text("SELECT pg_advisory_xact_lock(:space, :plan)"), {"space": _LOCK_SPACE, "plan": plan_id})


def keep_tasks(session: Session, task_ids: Iterable[int]) -> None:
    """Set the kept latest report and note of these tasks from their stored reports."""
    ids = sorted(set(task_ids))
    if not ids:
        return
    session.flush()  # reports added through the session are part of the history read here
    plan_of = dict(session.execute(select(Task.id, Task.plan_id).where(Task.id.in_(id_list(ids)))).all())
    _one_keeper_per_plan(session, plan_of.values())
    reports = latest_updates(session, ids, COUNTED & TaskUpdate.approved.is_(True))
    notes = latest_updates(session, ids, HAS_NOTE)
    session.execute(delete(TaskLatest).where(TaskLatest.task_id.in_(id_list(ids))))
    rows = []
    for task_id in ids:
        last, note = reports.get(task_id), notes.get(task_id)
        if task_id not in plan_of or (last is None and note is None):
            continue
        rows.append(
            {
                "task_id": task_id,
                "plan_id": plan_of[task_id],
                "month": last.month if last else None,
                "status": last.status if last else None,
                "progress": last.progress if last else None,
                "completed_on": last.completed_on if last else None,
                "evidence_url": last.evidence_url if last else None,
                "note": note.note if note else None,
                "note_month": note.month if note else None,
            }
        )
    if rows:
        session.execute(insert(TaskLatest), rows)


def keep_figures(session: Session, indicator_ids: Iterable[int], agency_ids: Iterable[int] | None = None) -> None:
    """Set the kept recent figures of these KPIs (of these agencies only, when given) from the stored ones."""
    ids = sorted(set(indicator_ids))
    if not ids:
        return
    session.flush()
    _one_keeper_per_plan(
        session, session.scalars(select(Indicator.plan_id).where(Indicator.id.in_(id_list(ids))).distinct())
    )
    agencies = sorted(set(agency_ids)) if agency_ids is not None else None
    gone = delete(FigureRecent).where(FigureRecent.indicator_id.in_(id_list(ids)))
    where = [Measurement.indicator_id.in_(id_list(ids)), FIGURE_COUNTS]
    if agencies is not None:
        if not agencies:
            return
        gone = gone.where(FigureRecent.agency_id.in_(id_list(agencies)))
        where.append(Measurement.agency_id.in_(id_list(agencies)))
    session.execute(gone)
    partition = (Measurement.indicator_id, Measurement.agency_id)
    newest = func.row_number().over(partition_by=partition, order_by=Measurement.month.desc())
    first = func.row_number().over(
        partition_by=(*partition, extract("year", Measurement.month)), order_by=Measurement.month
    )
    ranked = select(*figure_columns(), newest.label("newest"), first.label("first")).where(*where).subquery()
    session.execute(
        insert(FigureRecent).from_select(
            FIGURE_FIELDS,
            select(*(ranked.c[c] for c in FIGURE_FIELDS)).where((ranked.c.newest <= 2) | (ranked.c.first == 1)),
        )
    )


def keep_receipts(
    session: Session, plan_id: int, agency_ids: Iterable[int] | None = None, months: Iterable[date] | None = None
) -> None:
    """Set the kept receipts of the plan (of these agencies and months only, when given) from the stored
    submissions."""
    agencies = sorted({a for a in agency_ids if a is not None}) if agency_ids is not None else None
    wanted = sorted(set(months)) if months is not None else None
    if agencies == [] or wanted == []:
        return
    session.flush()
    _one_keeper_per_plan(session, [plan_id])
    gone = delete(ReportReceipt).where(ReportReceipt.plan_id == plan_id)
    if agencies is not None:
        gone = gone.where(ReportReceipt.agency_id.in_(id_list(agencies)))
    if wanted is not None:
        gone = gone.where(ReportReceipt.month.in_(wanted))
    session.execute(gone)
    first = receipts_from_store(session, plan_id, agencies, wanted)
    if first:
        session.execute(
            insert(ReportReceipt),
            [{"plan_id": plan_id, "agency_id": a, "month": m, "first_at": at} for (a, m), at in first.items()],
        )


def rebuild(session: Session, plan_ids: Iterable[int] | None = None) -> None:
    """Set every kept row of these plans (``None``: all) from the stored history: after a bulk load."""
    ids = list(plan_ids) if plan_ids is not None else list(session.scalars(select(Plan.id).order_by(Plan.id)))
    for plan_id in ids:
        keep_tasks(session, session.scalars(select(Task.id).where(Task.plan_id == plan_id)))
        keep_figures(session, session.scalars(select(Indicator.id).where(Indicator.plan_id == plan_id)))
        keep_receipts(session, plan_id)


# --- reading them -------------------------------------------------------------------------------------------


def task_reports(session: Session, task_ids: Iterable[int], today: date) -> tuple[dict[int, Report], dict[int, Report]]:
    """Per task, its latest counted report and its latest note up to ``today``, from the kept rows."""
    ids = list(task_ids)
    if not ids:
        return {}, {}
    reports: dict[int, Report] = {}
    notes: dict[int, Report] = {}
    past: list[int] = []  # kept rows newer than the "as of" date: computed from the history instead
    for r in read_rows(session, select(*TaskLatest.__table__.c).where(TaskLatest.task_id.in_(id_list(ids)))):
        if (r.month is not None and r.month > today) or (r.note_month is not None and r.note_month > today):
            past.append(r.task_id)
            continue
        if r.month is not None:
            reports[r.task_id] = Report(
                r.task_id, r.month, r.status, r.progress, r.completed_on, None, r.evidence_url, True
            )
        if r.note_month is not None:
            notes[r.task_id] = Report(r.task_id, r.note_month, None, None, None, r.note, None, True)
    if past:
        reports.update(latest_updates(session, past, COUNTED & TaskUpdate.approved.is_(True), today))
        notes.update(latest_updates(session, past, HAS_NOTE, today))
    return reports, notes


def recent_figures(session: Session, indicator_ids: Iterable[int], until: date) -> list[tuple]:
    """``recent_figures_from_store`` from the kept rows (from the history when ``until`` is earlier than one)."""
    ids = list(indicator_ids)
    if not ids:
        return []
    kept = read_rows(
        session,
        select(*figure_columns(FigureRecent))
        .where(FigureRecent.indicator_id.in_(id_list(ids)))
        .order_by(FigureRecent.indicator_id, FigureRecent.agency_id, FigureRecent.month.desc()),
    )
    # One pass, newest first per KPI and agency: its two newest, then the oldest of the year among the rest.
    out: list[tuple] = []
    pair = None
    rank = 0
    first_of_year = None
    for r in kept:
        if r[2] > until:
            return recent_figures_from_store(session, ids, until)
        if (r[0], r[1]) != pair:
            if first_of_year is not None:
                out.append(first_of_year)
            pair, rank, first_of_year = (r[0], r[1]), 0, None
        rank += 1
        if rank <= 2:
            out.append(r)
        elif r[2].year == until.year:
            first_of_year = r
    if first_of_year is not None:
        out.append(first_of_year)
    return out


def receipts(session: Session, plan_id: int) -> dict[tuple[int, date], datetime]:
    """``receipts_from_store`` for the whole plan, from the kept rows."""
    return {
        (a, m): at
        for a, m, at in read_rows(
            session,
            select(ReportReceipt.agency_id, ReportReceipt.month, ReportReceipt.first_at).where(
                ReportReceipt.plan_id == plan_id
            ),
        )
    }
