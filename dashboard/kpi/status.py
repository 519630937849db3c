"""Task status rules: one rule set, computed from the task's updates and the "as of" date.

Statuses: not started, in progress, done, done late, overdue, waiting for guidance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dashboard.kpi.deadlines import CONDITIONAL, DATE

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
DONE_LATE = "done_late"
OVERDUE = "overdue"
WAITING = "waiting"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, DONE_LATE, OVERDUE, WAITING)
FINISHED = (DONE, DONE_LATE)
# Statuses an agency reports in an update; the others are derived.
REPORTED = (NOT_STARTED, IN_PROGRESS, DONE)


@dataclass(frozen=True)
class Report:
    """The facts of one task update that the rules need."""

    month: date
    status: str
    progress: int = 0
    completed_on: date | None = None


def task_status(deadline_kind: str, due: date | None, reports: Sequence[Report], today: date) -> str:
    """Status of a task as of ``today``; ``reports`` in any order, only those up to ``today`` count."""
    seen = sorted((r for r in reports if r.month <= today), key=lambda r: r.month)
    latest = seen[-1] if seen else None
    if latest is not None and latest.status == DONE:
        finished = latest.completed_on or latest.month
        if deadline_kind == DATE and due is not None and finished > due:
            return DONE_LATE
        return DONE
    if deadline_kind == CONDITIONAL:
        return WAITING
    if deadline_kind == DATE and due is not None and due < today:
        return OVERDUE
    if latest is not None and (latest.status == IN_PROGRESS or latest.progress > 0):
        return IN_PROGRESS
    return NOT_STARTED


def days_overdue(due: date | None, today: date) -> int:
    """Days past due (0 when not past due or no due date)."""
    return max(0, (today - due).days) if due else 0


def is_finished(status: str) -> bool:
    """Done, on time or late: a finished task is never overdue nor due soon (the one place that decides it)."""
    return status in FINISHED
