"""What an import would do, before anything is saved: KPIs and tasks to add, change (field by field) and
withdraw against what is stored, the warnings and the agencies the directory does not know yet.

The preview runs the real loader inside a transaction that is always rolled back, so it can never differ from
what saving would do, and never leaves a trace."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from dashboard.importers.document import Finding
from dashboard.importers.loader import ImportReport, load_plan
from dashboard.store.database import sessions
from dashboard.store.models import Agency, Indicator, Task, TaskAgency

TASK_FIELDS = ("name", "section", "deadline_text", "output", "basis", "leads", "coordinating", "active")
KPI_FIELDS = ("name", "unit", "target_text", "leads", "aggregation")


@dataclass
class Change:
    code: str
    field: str
    before: object
    after: object


@dataclass
class Preview:
    report: ImportReport
    added: dict[str, list[str]] = field(default_factory=lambda: {"tasks": [], "kpis": []})
    changed: dict[str, list[Change]] = field(default_factory=lambda: {"tasks": [], "kpis": []})
    withdrawn: dict[str, list[str]] = field(default_factory=lambda: {"tasks": [], "kpis": []})

    @property
    def findings(self) -> list[Finding]:
        return self.report.findings

    def summary(self) -> str:
        r = self.report
        lines = [f"Preview of {r.source} -> plan {r.plan_code} ({r.province}, {r.year}); nothing was saved"]
        for kind, label in (("kpis", "KPIs"), ("tasks", "tasks")):
            lines.append(
                f"  {label}: {len(self.added[kind])} to add, {len(self.changed[kind])} changes, "
                f"{len(self.withdrawn[kind])} to withdraw"
            )
            lines += [f"    + {code}" for code in self.added[kind]]
            lines += [f"    ~ {c.code} {c.field}: {c.before!r} -> {c.after!r}" for c in self.changed[kind]]
            lines += [f"    - {code}" for code in self.withdrawn[kind]]
        if r.new_agencies:
            lines.append(f"  agencies not in the directory ({len(r.new_agencies)}): " + "; ".join(r.new_agencies))
        if r.findings:
            lines.append(f"  warnings ({len(r.findings)}):")
            lines += [f"    {f}" for f in r.findings]
        return "\n".join(lines)


def _tasks(session: Session, plan_id: int | None = None) -> dict[tuple[int, str], dict]:
    """Tasks as plain values by (plan, code): of one plan, or of every plan (None)."""
    stmt = select(Task).options(selectinload(Task.agencies).selectinload(TaskAgency.agency))
    if plan_id is not None:
        stmt = stmt.where(Task.plan_id == plan_id)
    return {
        (t.plan_id, t.code): {
            "name": t.name,
            "section": t.section or "",
            "deadline_text": t.deadline_text or "",
            "output": t.output or "",
            "basis": t.basis or "",
            "leads": [a.agency.name for a in t.agencies if a.role == "lead"],
            "coordinating": [a.agency.name for a in t.agencies if a.role != "lead"],
            "active": t.active,
        }
        for t in session.scalars(stmt)
    }


def _kpis(session: Session, plan_id: int | None = None) -> dict[tuple[int, str], dict]:
    stmt = select(Indicator).options(selectinload(Indicator.leads))
    if plan_id is not None:
        stmt = stmt.where(Indicator.plan_id == plan_id)
    names = dict(session.execute(select(Agency.id, Agency.name)).all())
    return {
        (k.plan_id, k.code): {
            "name": k.name,
            "unit": k.unit or "",
            "target_text": k.target_text or "",
            "leads": [names.get(lead.agency_id) for lead in k.leads],
            "aggregation": k.aggregation,
        }
        for k in session.scalars(stmt)
    }


def _diff(before: dict, after: dict, fields: tuple[str, ...]) -> tuple[list, list, list]:
    live = {key for key, row in before.items() if row.get("active", True)}
    added = [key[1] for key in after if key not in before]
    gone = [key for key in live if key not in after or not after[key].get("active", True)]
    changed = [
        Change(key[1], name, before[key][name], row[name])
        for key, row in after.items()
        if key in before and key not in gone
        for name in fields
        if name != "active" and before[key][name] != row[name]
    ]
    return added, changed, [key[1] for key in gone]


def preview_plan(engine: Engine, parsed, *, province: str | None = None, year: int | None = None) -> Preview:  # noqa: ANN001
    """The import of ``parsed`` as it would happen now, rolled back."""
    locked = engine.execution_options(sqlite_write=True) if engine.dialect.name == "sqlite" else engine
    session = sessions(locked)()
    try:
        session.begin()
        every_task, every_kpi = _tasks(session), _kpis(session)  # the plan is found by the loader itself
        report = load_plan(session, parsed, province=province, year=year)
        session.flush()
        after_tasks, after_kpis = _tasks(session, report.plan_id), _kpis(session, report.plan_id)
        before_tasks = {k: v for k, v in every_task.items() if k[0] == report.plan_id}
        before_kpis = {k: v for k, v in every_kpi.items() if k[0] == report.plan_id}
    finally:
        session.rollback()
        session.close()
    preview = Preview(report)
    for kind, before, after, fields in (
        ("tasks", before_tasks, after_tasks, TASK_FIELDS),
        ("kpis", before_kpis, after_kpis, KPI_FIELDS),
    ):
        preview.added[kind], preview.changed[kind], preview.withdrawn[kind] = _diff(before, after, fields)
    return preview


def preview_file(
    engine: Engine,
    path: Path,
    *,
    province: str | None = None,
    year: int | None = None,
    time_limit: float | None = None,
) -> Preview:
    from dashboard.importers import read_plan

    return preview_plan(engine, read_plan(path, time_limit), province=province, year=year)
