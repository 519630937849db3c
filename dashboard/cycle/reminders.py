"""Reminders and alerts of the monthly rhythm: which fall on a day (pure), and raising them as notices.

- D-5 and D-1 before the report day: every agency that owes the month's report and has not submitted it;
- D+1: the report did not come (the agency, and the secretariat);
- Mondays: a digest of each lead agency's overdue tasks and those due within ``soon_days``;
- the monthly briefing, to the leaders (``briefing_notices``, when the schedule has written it).

Each notice's key names its event, so a reminder raised twice (two scheduler processes, a rerun) reaches each
person once (``dashboard.cycle.notices``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dashboard.agencies.directory import expand, group_members
from dashboard.cycle import notices
from dashboard.cycle.locks import APPROVED, SUBMITTED, Rhythm
from dashboard.kpi.reporting import expected_reporters
from dashboard.kpi.status import OVERDUE, is_finished
from dashboard.reads.rows import task_rows
from dashboard.store.database import transaction
from dashboard.store.models import Agency, MonthReport, Plan

BEFORE_DAYS = (5, 1)
REMIND_BEFORE = "remind_before"
REPORT_MISSING = "report_missing"
DIGEST = "digest"


@dataclass(frozen=True)
class Due:
    """A reminder that falls on a day: its kind, the report month it is about, days left before the deadline."""

    kind: str
    month: date
    days: int = 0


def due_on(today: date, rhythm: Rhythm) -> list[Due]:
    """The reminders of ``today``: D-5, D-1 and D+1 of this month's report day, and the Monday digest."""
    month = today.replace(day=1)
    report_day = month.replace(day=rhythm.day)
    out = [Due(REMIND_BEFORE, month, n) for n in BEFORE_DAYS if today == report_day - timedelta(days=n)]
    if today == report_day + timedelta(days=1):
        out.append(Due(REPORT_MISSING, month))
    if today.weekday() == 0:
        out.append(Due(DIGEST, month))
    return out


def _label(month: date) -> str:
    return f"{month.month:02d}/{month.year}"


def _sent(session: Session, plan_id: int, month: date) -> set[int]:
    """Agencies whose month is submitted or approved."""
    return set(
        session.scalars(
            select(MonthReport.agency_id).where(
                MonthReport.plan_id == plan_id,
                MonthReport.month == month,
                MonthReport.status.in_((SUBMITTED, APPROVED)),
            )
        )
    )


def raise_reminders(engine: Engine, today: date, rhythm: Rhythm, soon_days: int = 14) -> int:
    """Add today's reminders as notices, for every plan of today's year; how many notices were added."""
    due = due_on(today, rhythm)
    if not due:
        return 0
    added = 0
    with transaction(engine, write=True) as s:
        for plan in s.scalars(select(Plan).where(Plan.year == today.year)).all():
            members = group_members(s, plan.province_id)
            names = dict(s.execute(select(Agency.id, Agency.name).where(Agency.province_id == plan.province_id)).all())
            for d in due:
                if d.kind == DIGEST:
                    added += _digest(s, plan, today, members, names, soon_days)
                    continue
                owing = set(expected_reporters(s, plan.id, members)) - _sent(s, plan.id, d.month)
                deadline = d.month.replace(day=rhythm.day).strftime("%d/%m/%Y")
                for agency_id in sorted(owing):
                    params = {"agency": names.get(agency_id, ""), "month": _label(d.month), "deadline": deadline}
                    key = f"{d.kind}:{plan.id}:{agency_id}:{d.month:%Y-%m}:{d.days}"
                    users = notices.agency_users(s, agency_id)
                    if d.kind == REPORT_MISSING:
                        users += notices.secretariat_users(s, plan.id)
                    else:
                        params["days"] = d.days
                    added += notices.notify(s, users, key, d.kind, params, f"/viec-cua-toi?plan={plan.id}")
    return added


def _digest(
    s: Session, plan: Plan, today: date, members: dict[int, list[int]], names: dict[int, str], soon_days: int
) -> int:
    overdue: dict[int, int] = defaultdict(int)
    soon: dict[int, int] = defaultdict(int)
    for task in task_rows(s, today, plan.id):
        if is_finished(task.status) or task.due_date is None:
            continue
        leads = expand(list(task.lead_ids), members)
        for agency_id in leads:
            if task.status == OVERDUE:
                overdue[agency_id] += 1
            elif today <= task.due_date <= today + timedelta(days=soon_days):
                soon[agency_id] += 1
    week = today.isocalendar()
    added = 0
    for agency_id in sorted(set(overdue) | set(soon)):
        params = {"agency": names.get(agency_id, ""), "overdue": overdue[agency_id], "soon": soon[agency_id]}
        key = f"digest:{plan.id}:{agency_id}:{week.year}-W{week.week:02d}"
        link = f"/viec-cua-toi?plan={plan.id}"
        added += notices.notify(s, notices.agency_users(s, agency_id), key, DIGEST, params, link)
    return added


def briefing_notices(engine: Engine, today: date) -> int:
    """Tell each plan's leaders that the month's briefing is ready on the "Báo cáo" page."""
    added = 0
    with transaction(engine, write=True) as s:
        for plan in s.scalars(select(Plan)).all():
            key = f"briefing:{plan.id}:{today:%Y-%m}"
            params = {"month": _label(today.replace(day=1))}
            added += notices.notify(
                s, notices.leaders_of(s, plan.province_id), key, "briefing", params, f"/bao-cao?plan={plan.id}"
            )
    return added
