"""Red flags: what needs the chairperson's attention, worst first.

Kinds, from worst: tasks past due and not done (by days overdue), leaders' directives unanswered past their
date, monthly reports missing after the deadline, KPIs below target, tasks due within a few days, and tasks
that fail the "06 rõ" principle (no lead agency, no output, no usable deadline).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from dashboard.kpi.reporting import MISSING, ReportCell
from dashboard.kpi.rules import BELOW_TARGET, NEAR_TARGET
from dashboard.kpi.status import OVERDUE, days_overdue, is_finished
from dashboard.kpi.values import KpiSnapshot
from dashboard.records import TaskRow

OVERDUE_TASK = "overdue"
MISSING_REPORT = "missing_report"
KPI_BELOW = "kpi_below"
DUE_SOON = "due_soon"
UNCLEAR = "unclear"
DIRECTIVE = "directive"  # a leader's directive unanswered past its date
KINDS = (OVERDUE_TASK, DIRECTIVE, MISSING_REPORT, KPI_BELOW, DUE_SOON, UNCLEAR)


@dataclass
class Flag:
    kind: str
    severity: float  # higher is worse; flags sort by it
    title: str
    agencies: list[str] = field(default_factory=list)
    agency_ids: list[int] = field(default_factory=list)
    days: int | None = None  # days overdue, or days left
    due: date | None = None
    task_id: int | None = None
    indicator_id: int | None = None
    code: str | None = None
    months: list[date] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # what "06 rõ" lacks
    value: float | None = None
    target: float | None = None
    unit: str | None = None  # the KPI's own unit ("%", "Sản phẩm"): a count is never shown as a percentage


def task_flags(
    tasks: list[TaskRow], today: date, due_soon_days: int = 14, unaccountable: set[int] | frozenset = frozenset()
) -> list[Flag]:
    """Overdue, due-soon and unclear ("06 rõ") flags from task rows with computed status. A task whose only
    leads are ``unaccountable`` (collective groups with no member agency: "Các doanh nghiệp viễn thông")
    has no lead that can answer for it."""
    flags: list[Flag] = []
    for t in tasks:
        due = t.due_date
        common = dict(
            title=t.name,
            agencies=list(t.lead_agencies),
            agency_ids=list(t.lead_ids),
            task_id=t.id,
            code=t.code,
            due=due,
        )
        if t.status == OVERDUE:
            days = days_overdue(due, today)
            flags.append(Flag(OVERDUE_TASK, 1000 + days, days=days, **common))
        elif due is not None and not is_finished(t.status) and 0 <= (due - today).days <= due_soon_days:
            left = (due - today).days
            flags.append(Flag(DUE_SOON, 300 + due_soon_days - left, days=left, **common))
        missing = []
        leads = t.lead_ids
        if not t.lead_agencies or (leads and all(aid in unaccountable for aid in leads)):
            missing.append("lead")
        if not (t.output or "").strip():
            missing.append("output")
        if t.deadline_kind == "unknown":
            missing.append("deadline")
        if missing and not is_finished(t.status):
            flags.append(Flag(UNCLEAR, 100 + len(missing), missing=missing, **common))
    return flags


def report_flags(cells: list[ReportCell], names: dict[int, str]) -> list[Flag]:
    """One flag per agency listing the months whose report is missing after the deadline."""
    missing: dict[int, list[date]] = defaultdict(list)
    for c in cells:
        if c.status == MISSING:
            missing[c.agency_id].append(c.month)
    return [
        Flag(
            MISSING_REPORT,
            700 + 10 * len(months),
            title=names.get(agency_id, str(agency_id)),
            agencies=[names.get(agency_id, str(agency_id))],
            agency_ids=[agency_id],
            months=sorted(months),
            days=len(months),
        )
        for agency_id, months in missing.items()
    ]


def directive_flags(rows: list, today: date) -> list[Flag]:
    """One flag per directive that is unanswered past its answer-by date (``rows``: ``DirectiveRow``s)."""
    flags = []
    for d in rows:
        if d.answer is not None or d.due_date is None or d.due_date >= today:
            continue
        days = (today - d.due_date).days
        flags.append(
            Flag(
                DIRECTIVE,
                900 + min(99, days),
                title=d.text,
                agencies=[d.agency],
                agency_ids=[d.agency_id],
                days=days,
                due=d.due_date,
                code=d.subject_label or None,
            )
        )
    return flags


def kpi_flags(snapshots: list[KpiSnapshot]) -> list[Flag]:
    """KPIs whose province-wide value is below target (amber ones too, lower in the list)."""
    flags = []
    for s in snapshots:
        if s.status not in (BELOW_TARGET, NEAR_TARGET):
            continue
        base = 500 if s.status == BELOW_TARGET else 400
        flags.append(
            Flag(
                KPI_BELOW,
                base + min(99.0, s.gap or 0),
                title=s.indicator.name,
                agencies=list(s.indicator.lead_agencies),
                indicator_id=s.indicator.id,
                code=s.indicator.code,
                value=s.value,
                target=s.indicator.target_value,
                unit=s.indicator.unit,
            )
        )
    return flags


def worst_first(flags: list[Flag]) -> list[Flag]:
    return sorted(flags, key=lambda f: (-f.severity, f.code or "", f.title))
