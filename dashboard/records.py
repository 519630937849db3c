"""The rows the pages read: a task and a KPI as frozen dataclasses.

Inside the app a row is typed (``task.due_date`` is a date, ``task.lead_ids`` the lead agencies' ids); the
public field names of the JSON export come only from ``public()``, at the export boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def _public(row: object, names: tuple[str, ...]) -> dict:
    """The named fields as JSON takes them: dates as ISO text, tuples as lists (their dicts copied)."""
    out: dict = {}
    for name in names:
        value = getattr(row, name)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = [dict(v) if isinstance(v, dict) else v for v in value]
        out[name] = value
    return out


@dataclass(frozen=True)
class TaskRow:
    """An active task of a plan with its agencies by role, parsed deadline and status as of a day."""

    id: int
    plan_id: int
    plan: str  # the plan's code
    key: str  # stable across re-imports
    section: str | None
    code: str
    name: str
    lead_agencies: tuple[str, ...]
    coordinating_agencies: tuple[str, ...]
    lead_ids: tuple[int, ...]
    coordinating_ids: tuple[int, ...]
    output: str | None
    deadline_text: str | None
    deadline_kind: str
    start_date: date | None
    due_date: date | None
    basis: str | None
    status: str
    progress: int
    last_note: str | None = None
    last_update: date | None = None  # the month of the latest report
    completed_on: date | None = None
    evidence_url: str | None = None
    version: int = 1
    pending: bool = False  # its latest report waits for the secretariat's approval

    PUBLIC = (
        "plan",
        "key",
        "section",
        "code",
        "name",
        "lead_agencies",
        "coordinating_agencies",
        "output",
        "deadline_text",
        "deadline_kind",
        "start_date",
        "due_date",
        "basis",
        "status",
        "progress",
        "last_note",
        "last_update",
        "completed_on",
        "evidence_url",
    )

    def public(self) -> dict:
        """The row as the JSON export and API name it (dates as ISO text, no internal ids)."""
        return _public(self, self.PUBLIC)


@dataclass(frozen=True)
class KpiRow:
    """A KPI of a plan with its target, sub-targets and lead agencies."""

    id: int
    plan: str  # the plan's code
    code: str
    name: str
    unit: str | None = None
    target_text: str | None = None
    target_op: str | None = None
    target_value: float | None = None
    subtargets: tuple[dict, ...] = ()
    lead_agencies: tuple[str, ...] = ()
    is_ratio: bool = False
    aggregation: str | None = None
    national_code: str | None = None
    baseline_value: float | None = None  # the in-year path's start and quarterly milestones, when the plan gives them
    baseline_date: date | None = None
    milestones: tuple[float | None, ...] = ()
    lead_ids: tuple[int, ...] = ()  # the lead agencies' ids, in the order of ``lead_agencies``

    PUBLIC = (
        "plan",
        "code",
        "national_code",
        "name",
        "unit",
        "target_text",
        "target_op",
        "target_value",
        "subtargets",
        "lead_agencies",
        "is_ratio",
        "aggregation",
    )

    def public(self) -> dict:
        """The row as the JSON export and API name it."""
        return _public(self, self.PUBLIC)
