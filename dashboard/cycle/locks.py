"""Period locks: when an agency's month can no longer be changed.

A month locks when the secretariat approves it, and in any case ``lock_days`` days after its report day (the
25th); a locked month opens again only when an admin reopens it (with a reason) or the secretariat returns a
report for correction. Pure rules: the store's side is ``dashboard.cycle.approval``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dashboard.kpi.reporting import deadline_of

NOT_SUBMITTED = "none"
SUBMITTED = "submitted"
APPROVED = "approved"
RETURNED = "returned"
REOPENED = "reopened"
STATES = (NOT_SUBMITTED, SUBMITTED, APPROVED, RETURNED, REOPENED)
OPEN_AGAIN = (RETURNED, REOPENED)  # opened by a person after it was submitted or locked


@dataclass(frozen=True)
class Rhythm:
    """The monthly calendar: reports due by ``day`` (before ``hour``, when set), months locked ``lock_days``
    after that."""

    day: int = 25
    hour: float | None = None
    lock_days: int = 5


def lock_moment(month: date, rhythm: Rhythm) -> datetime:
    """When a month locks by date alone: ``lock_days`` after its report deadline."""
    return deadline_of(month.replace(day=1), rhythm.day, rhythm.hour) + timedelta(days=rhythm.lock_days)


def is_locked(status: str | None, month: date, now: datetime, rhythm: Rhythm) -> bool:
    """Whether the month's figures and task reports are closed to changes, given its report's ``status``."""
    if status == APPROVED:
        return True
    if status in OPEN_AGAIN:
        return False
    return now > lock_moment(month, rhythm)
