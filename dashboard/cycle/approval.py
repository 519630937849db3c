"""Submit → approve or return, and the period lock, in the store.

An agency submits its month (its KPI figures and task reports of that month, in one plan); the secretariat
approves it (the figures and task reports then count on every page, and the month locks) or returns it with a
reason the agency sees. A month also locks ``lock_days`` after its report day; an admin reopens it with a
reason. Every step is audited in the same transaction as the change and tells the people concerned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard import clock
from dashboard.accounts.audit import record
from dashboard.accounts.permissions import require_approve, require_reopen, require_submit
from dashboard.accounts.users import ADMIN, Actor
from dashboard.cycle import notices
from dashboard.cycle.locks import APPROVED, NOT_SUBMITTED, REOPENED, RETURNED, SUBMITTED, Rhythm, is_locked
from dashboard.kpi.reporting import as_of_moment
from dashboard.messages import Problem
from dashboard.store import latest as kept
from dashboard.store.database import bump_data_version, id_list
from dashboard.store.models import (
    Agency,
    AuditLog,
    Indicator,
    Measurement,
    MonthReport,
    Plan,
    Task,
    TaskUpdate,
    User,
)

MAX_REASON = 1000


class MonthLocked(Problem):
    """A change to a locked month; the message says who can reopen it."""


class CycleError(Problem):
    """A step that does not fit the report's state (approving what was not submitted...)."""


def month_label(month: date) -> str:
    return f"{month.month:02d}/{month.year}"


def report_of(
    session: Session, plan_id: int, agency_id: int, month: date, share_lock: bool = False
) -> MonthReport | None:
    """The month's report row; ``share_lock``: held until the transaction ends, so an approval being saved at
    the same moment waits for this change, or this change sees the month approved (PostgreSQL; a SQLite write
    transaction holds the whole database)."""
    month = month.replace(day=1)
    stmt = select(MonthReport).where(
        MonthReport.plan_id == plan_id, MonthReport.agency_id == agency_id, MonthReport.month == month
    )
    return session.scalar(stmt.with_for_update(read=True) if share_lock else stmt)


def status_of(report: MonthReport | None) -> str:
    return report.status if report is not None else NOT_SUBMITTED


def locked(
    session: Session, plan_id: int, agency_id: int, month: date, rhythm: Rhythm, today: date, share_lock: bool = False
) -> bool:
    """Whether the month is closed to changes at the "as of" moment of ``today``."""
    report = report_of(session, plan_id, agency_id, month, share_lock)
    return is_locked(status_of(report), month, as_of_moment(today), rhythm)


def _admin_names(session: Session) -> str:
    names = session.scalars(
        select(func.coalesce(func.nullif(User.full_name, ""), User.username))
        .where(User.role == ADMIN, User.active.is_(True))
        .order_by(User.id)
        .limit(3)
    ).all()
    return ", ".join(names)


def check_open(session: Session, plan_id: int, agency_id: int, month: date, rhythm: Rhythm, today: date) -> None:
    """Refuse a change to a locked month, saying who can reopen it."""
    if locked(session, plan_id, agency_id, month, rhythm, today, share_lock=True):
        raise MonthLocked("cycle.locked", month=month_label(month), admins=_admin_names(session) or "—")


def _touch(session: Session, plan_id: int, agency_id: int, month: date) -> MonthReport:
    """The month's report row, locked for this transaction (created when missing)."""
    month = month.replace(day=1)
    report = session.scalar(
        select(MonthReport)
        .where(MonthReport.plan_id == plan_id, MonthReport.agency_id == agency_id, MonthReport.month == month)
        .with_for_update()
    )
    if report is not None:
        return report
    report = MonthReport(plan_id=plan_id, agency_id=agency_id, month=month, status=NOT_SUBMITTED, version=1)
    try:
        with session.begin_nested():
            session.add(report)
            session.flush()
    except IntegrityError:  # created meanwhile by another request: use that one
        report = report_of(session, plan_id, agency_id, month)
    return report


def _state(report: MonthReport) -> dict:
    return {"status": report.status, "month": report.month, "reason": report.reason, "version": report.version}


def month_has_reports(session: Session, plan_id: int, agency_id: int, month: date) -> bool:
    """Whether the agency saved anything for the month in this plan (a figure or a task report)."""
    month = month.replace(day=1)
    figures = session.scalar(
        select(func.count())
        .select_from(Measurement)
        .join(Indicator)
        .where(Indicator.plan_id == plan_id, Measurement.agency_id == agency_id, Measurement.month == month)
    )
    if figures:
        return True
    return bool(
        session.scalar(
            select(func.count())
            .select_from(TaskUpdate)
            .join(Task)
            .where(Task.plan_id == plan_id, TaskUpdate.agency_id == agency_id, TaskUpdate.month == month)
        )
    )


def submit(
    session: Session, actor: Actor, plan_id: int, agency_id: int, month: date, rhythm: Rhythm, today: date
) -> MonthReport:
    """Send the agency's month to the secretariat."""
    require_submit(actor, agency_id)
    month = month.replace(day=1)
    if month > today.replace(day=1):
        raise CycleError("upd.future_month", month=month_label(month))
    check_open(session, plan_id, agency_id, month, rhythm, today)
    if not month_has_reports(session, plan_id, agency_id, month):
        raise CycleError("cycle.nothing", month=month_label(month))
    report = _touch(session, plan_id, agency_id, month)
    if report.status == SUBMITTED:
        raise CycleError("cycle.already_submitted", month=month_label(month))
    before = _state(report)
    report.status, report.submitted_at, report.submitted_by = SUBMITTED, clock.now(), actor.username
    report.reason = None
    report.version += 1
    session.flush()
    record(session, actor, "month.submit", "month_report", report.id, before, _state(report), agency_id=agency_id)
    agency = session.get(Agency, agency_id)
    own = set(notices.agency_users(session, agency_id))  # the standing agency's own month: only the admins
    notices.notify(
        session,
        [u for u in notices.secretariat_users(session, plan_id) if u not in own],
        f"submitted:{report.id}:{report.version}",
        "submitted",
        {"agency": agency.name if agency else "", "month": month_label(month)},
        f"/duyet?plan={plan_id}",
    )
    bump_data_version(session, [plan_id])
    return report


def _decide(session: Session, actor: Actor, report_id: int, version: int | None) -> MonthReport:
    report = session.get(MonthReport, report_id, with_for_update=True)
    if report is None:
        raise CycleError("cycle.no_report")
    require_approve(session, actor, report.plan_id, report.agency_id)
    if version is not None and int(version) != report.version:
        raise CycleError("cycle.changed")
    if report.status != SUBMITTED:
        raise CycleError("cycle.not_submitted", month=month_label(report.month))
    return report


def approve(session: Session, actor: Actor, report_id: int, version: int | None = None) -> MonthReport:
    """Approve a submitted month: its figures and task reports count from now on, and the month locks."""
    report = _decide(session, actor, report_id, version)
    before = _state(report)
    plan_indicators = select(Indicator.id).where(Indicator.plan_id == report.plan_id)
    plan_tasks = select(Task.id).where(Task.plan_id == report.plan_id)
    figures = session.execute(
        update(Measurement)
        .where(
            Measurement.indicator_id.in_(plan_indicators),
            Measurement.agency_id == report.agency_id,
            Measurement.month == report.month,
            Measurement.approved.is_(False),
        )
        .values(approved=True)
    ).rowcount
    tasks = session.execute(
        update(TaskUpdate)
        .where(
            TaskUpdate.task_id.in_(plan_tasks),
            TaskUpdate.agency_id == report.agency_id,
            TaskUpdate.month == report.month,
            TaskUpdate.approved.is_(False),
        )
        .values(approved=True)
    ).rowcount
    # what now counts: the agency's figures of the plan's KPIs, and the plan's tasks' latest reports
    kept.keep_figures(session, session.scalars(plan_indicators), [report.agency_id])
    kept.keep_tasks(session, session.scalars(plan_tasks))
    report.status, report.decided_at, report.decided_by, report.reason = APPROVED, clock.now(), actor.username, None
    report.version += 1
    after = {**_state(report), "figures": figures, "task_reports": tasks}
    record(session, actor, "month.approve", "month_report", report.id, before, after, agency_id=report.agency_id)
    _tell_agency(session, report, "approved")
    bump_data_version(session, [report.plan_id])
    return report


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CycleError("cycle.reason_needed")
    if len(reason) > MAX_REASON:
        raise CycleError("upd.note_long", n=MAX_REASON)
    return reason


def return_report(
    session: Session, actor: Actor, report_id: int, reason: str | None, version: int | None = None
) -> MonthReport:
    """Send a submitted month back to its agency with the reason it must fix; it opens again for changes."""
    text = _reason(reason)
    report = _decide(session, actor, report_id, version)
    before = _state(report)
    report.status, report.decided_at, report.decided_by, report.reason = RETURNED, clock.now(), actor.username, text
    report.version += 1
    record(
        session, actor, "month.return", "month_report", report.id, before, _state(report), agency_id=report.agency_id
    )
    _tell_agency(session, report, "returned")
    bump_data_version(session, [report.plan_id])
    return report


def reopen(
    session: Session,
    actor: Actor,
    plan_id: int,
    agency_id: int,
    month: date,
    reason: str | None,
    rhythm: Rhythm,
    today: date,
) -> MonthReport:
    """An admin opens a locked month again, with a reason; its approved figures stay until changed."""
    require_reopen(actor)
    text = _reason(reason)
    month = month.replace(day=1)
    agency, plan = session.get(Agency, agency_id), session.get(Plan, plan_id)
    if agency is None or plan is None or agency.province_id != plan.province_id:  # an agency of the plan's province
        raise CycleError("cycle.no_report")
    if not locked(session, plan_id, agency_id, month, rhythm, today):
        raise CycleError("cycle.not_locked", month=month_label(month))
    report = _touch(session, plan_id, agency_id, month)
    before = _state(report)
    report.status, report.decided_at, report.decided_by, report.reason = REOPENED, clock.now(), actor.username, text
    report.version += 1
    session.flush()
    record(session, actor, "month.reopen", "month_report", report.id, before, _state(report), agency_id=agency_id)
    _tell_agency(session, report, "reopened")
    bump_data_version(session, [plan_id])
    return report


def _tell_agency(session: Session, report: MonthReport, kind: str) -> None:
    notices.notify(
        session,
        notices.agency_users(session, report.agency_id),
        f"{kind}:{report.id}:{report.version}",
        kind,
        {"month": month_label(report.month), "reason": report.reason or "", "by": report.decided_by or ""},
        f"/viec-cua-toi?plan={report.plan_id}",
    )


@dataclass(frozen=True)
class MonthView:
    """An agency's month as its page shows it."""

    month: date
    status: str
    locked: bool
    reason: str | None
    decided_by: str | None
    submitted_at: datetime | None
    report_id: int | None
    version: int


def month_view(session: Session, plan_id: int, agency_id: int, month: date, rhythm: Rhythm, today: date) -> MonthView:
    report = report_of(session, plan_id, agency_id, month)
    status = status_of(report)
    return MonthView(
        month.replace(day=1),
        status,
        is_locked(status, month, as_of_moment(today), rhythm),
        report.reason if report else None,
        report.decided_by if report else None,
        report.submitted_at if report else None,
        report.id if report else None,
        report.version if report else 0,
    )


def waiting(session: Session, plan_id: int) -> list[dict]:
    """Submitted months waiting for the secretariat, oldest first, with what each holds."""
    rows = session.execute(
        select(MonthReport, Agency.name)
        .join(Agency, Agency.id == MonthReport.agency_id)
        .where(MonthReport.plan_id == plan_id, MonthReport.status == SUBMITTED)
        .order_by(MonthReport.submitted_at, MonthReport.id)
    ).all()
    out = []
    for report, name in rows:
        figures, tasks = pending_items(session, plan_id, report.agency_id, report.month)
        out.append(
            {
                "id": report.id,
                "version": report.version,
                "agency_id": report.agency_id,
                "agency": name,
                "month": report.month,
                "submitted_at": report.submitted_at,
                "submitted_by": report.submitted_by,
                "figures": figures,
                "tasks": tasks,
            }
        )
    return out


def pending_items(session: Session, plan_id: int, agency_id: int | None, month: date | None = None) -> tuple[int, int]:
    """How many figures and task reports wait for approval (of one agency and month, when given); read from
    the partial indexes of waiting rows, by the plan's KPI and task ids."""
    indicator_ids = list(session.scalars(select(Indicator.id).where(Indicator.plan_id == plan_id)))
    task_ids = list(session.scalars(select(Task.id).where(Task.plan_id == plan_id)))
    fig = (
        select(func.count())
        .select_from(Measurement)
        .where(Measurement.indicator_id.in_(id_list(indicator_ids)), ~Measurement.approved)
    )
    upd = (
        select(func.count())
        .select_from(TaskUpdate)
        .where(TaskUpdate.task_id.in_(id_list(task_ids)), ~TaskUpdate.approved)
    )
    if agency_id is not None:
        fig = fig.where(Measurement.agency_id == agency_id)
        upd = upd.where(TaskUpdate.agency_id == agency_id)
    if month is not None:
        fig = fig.where(Measurement.month == month)
        upd = upd.where(TaskUpdate.month == month)
    return session.scalar(fig) or 0, session.scalar(upd) or 0


def pending_summary(session: Session, plan_id: int) -> dict:
    """What the overview counts apart: months waiting for approval, and the figures and task reports in them or
    not yet submitted."""
    months = session.scalar(
        select(func.count())
        .select_from(MonthReport)
        .where(MonthReport.plan_id == plan_id, MonthReport.status == SUBMITTED)
    )
    figures, tasks = pending_items(session, plan_id, None)
    return {"months": months or 0, "figures": figures, "tasks": tasks}


def month_history(session: Session, plan_id: int, agency_id: int) -> list[MonthReport]:
    return list(
        session.scalars(
            select(MonthReport)
            .where(MonthReport.plan_id == plan_id, MonthReport.agency_id == agency_id)
            .order_by(MonthReport.month.desc())
        )
    )


def month_log(session: Session, plan_id: int, limit: int = 100) -> list[dict]:
    """The audited steps (submit, approve, return, reopen) of the plan's monthly reports, newest first."""
    rows = session.execute(
        select(AuditLog, MonthReport.month, Agency.name)
        .join(MonthReport, MonthReport.id == AuditLog.entity_id)
        .join(Agency, Agency.id == MonthReport.agency_id)
        .where(AuditLog.entity == "month_report", MonthReport.plan_id == plan_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    ).all()
    return [
        {
            "at": a.at,
            "username": a.username,
            "action": a.action,
            "agency": name,
            "month": month,
            "reason": (a.after or {}).get("reason"),
        }
        for a, month, name in rows
    ]
