"""Typed rows for rule tests, from the few fields a test cares about (the rest get plain defaults)."""

from __future__ import annotations

from datetime import date

from dashboard.records import KpiRow, TaskRow


def _day(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]


def task_row(**kw: object) -> TaskRow:
    """A task row; dates may be given as ISO text, agency lists as lists."""
    base: dict = {
        "id": 1,
        "plan_id": 1,
        "plan": "test",
        "key": "k",
        "section": None,
        "code": "1",
        "name": "Nhiệm vụ",
        "lead_agencies": (),
        "coordinating_agencies": (),
        "lead_ids": (),
        "coordinating_ids": (),
        "output": None,
        "deadline_text": None,
        "deadline_kind": "date",
        "start_date": None,
        "due_date": None,
        "basis": None,
        "status": "not_started",
        "progress": 0,
    }
    base.update(kw)
    for name in ("start_date", "due_date", "last_update", "completed_on"):
        if name in base:
            base[name] = _day(base[name])
    for name in ("lead_agencies", "coordinating_agencies", "lead_ids", "coordinating_ids"):
        base[name] = tuple(base[name])
    return TaskRow(**base)


def kpi_row(**kw: object) -> KpiRow:
    """A KPI row; lists become tuples."""
    base: dict = {"id": 1, "plan": "test", "code": "1", "name": "KPI"}
    base.update(kw)
    for name in ("lead_agencies", "subtargets"):
        if name in base:
            base[name] = tuple(base[name])
    return KpiRow(**base)
