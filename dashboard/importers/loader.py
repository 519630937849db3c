"""Writes a parsed plan into the store, in place: a re-import updates, never duplicates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard import clock
from dashboard.agencies.directory import StoredDirectory, get_or_create_province
from dashboard.agencies.names import GROUP
from dashboard.importers.document import Finding, ParsedPlan, PlanImportError
from dashboard.kpi.catalog import classify, is_ratio
from dashboard.kpi.deadlines import UNKNOWN, parse_deadline
from dashboard.kpi.rules import RATIO, default_aggregation
from dashboard.kpi.targets import parse_target
from dashboard.messages import msg
from dashboard.store.database import bump_data_version
from dashboard.store.models import (
    AgencyAlias,
    Indicator,
    IndicatorLead,
    Measurement,
    Plan,
    Province,
    Task,
    TaskAgency,
    TaskUpdate,
)
from dashboard.text import slug


@dataclass
class ImportReport:
    """What an import did, for the console and the tests."""

    source: str
    plan_code: str = ""
    plan_id: int | None = None
    province: str = ""
    year: int | None = None
    counts: Counter = field(default_factory=Counter)
    deadline_kinds: Counter = field(default_factory=Counter)
    new_agencies: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def summary(self) -> str:
        c = self.counts
        lines = [
            f"Imported {self.source} -> plan {self.plan_code} ({self.province}, {self.year})",
            f"  KPIs:  {c['indicators']} ({c['indicators_created']} new, {c['indicators_updated']} updated, "
            f"{c['indicators_removed']} removed)",
            f"  tasks: {c['tasks']} ({c['tasks_created']} new, {c['tasks_updated']} updated, "
            f"{c['tasks_removed']} removed, {c['tasks_retired']} kept as withdrawn)",
            "  deadlines: " + ", ".join(f"{k} {v}" for k, v in sorted(self.deadline_kinds.items())),
        ]
        if self.new_agencies:
            lines.append(f"  new agencies ({len(self.new_agencies)}): " + "; ".join(self.new_agencies))
        if self.findings:
            lines.append(f"  warnings ({len(self.findings)}):")
            lines += [f"    {f}" for f in self.findings]
        return "\n".join(lines)


def load_plan(
    session: Session, parsed: ParsedPlan, *, province: str | None = None, year: int | None = None
) -> ImportReport:
    """Upsert ``parsed`` into the store inside the caller's transaction.

    Tasks and KPIs are matched by their code within the plan (its stable key); those missing from
    the new version are deleted when nothing refers to them, otherwise kept and flagged.
    """
    report = ImportReport(source=parsed.source_file, findings=list(parsed.findings))
    province_name = province or parsed.province
    plan_year = year or parsed.year
    if not province_name:
        raise PlanImportError("imp.no_province", file=parsed.source_file)
    if not plan_year:
        raise PlanImportError("imp.no_year", file=parsed.source_file)
    if not 2000 <= plan_year <= 2100:
        raise PlanImportError("imp.bad_year", file=parsed.source_file, year=plan_year)
    check_lengths(parsed, province_name)
    prov = get_or_create_province(session, province_name)
    directory = StoredDirectory(session, prov)
    directory.ensure_standard()

    doc_type = parsed.doc_type
    if doc_type is None:
        # A CSV/xlsx without plan metadata goes into the province's only plan of that year, if any.
        existing = session.scalars(select(Plan.doc_type).where(Plan.province_id == prov.id, Plan.year == plan_year))
        types = list(existing)
        doc_type = types[0] if len(types) == 1 else "KH"
    plan = session.scalar(
        select(Plan).where(Plan.province_id == prov.id, Plan.year == plan_year, Plan.doc_type == doc_type)
    )
    if plan is None:
        plan = Plan(
            province_id=prov.id, year=plan_year, doc_type=doc_type, code=f"{prov.slug}-{plan_year}-{slug(doc_type)}"
        )
        session.add(plan)
    plan.doc_number = parsed.doc_number
    plan.title = parsed.title or f"Kế hoạch năm {plan_year} - {prov.name}"
    plan.issuer = parsed.issuer
    plan.issue_date = parsed.issue_date
    plan.source_file = parsed.source_file
    plan.imported_at = clock.now()
    session.flush()
    report.plan_code, report.plan_id, report.province, report.year = plan.code, plan.id, prov.name, plan_year

    # A file holding only tasks (or only KPIs) leaves the other half of the plan as it is.
    if parsed.indicators:
        _load_indicators(session, plan, parsed, directory, report)
    if parsed.tasks:
        _load_tasks(session, plan, parsed, directory, report, plan_year)
    report.new_agencies = list(dict.fromkeys(directory.created))
    session.flush()
    bump_data_version(session, [plan.id])
    return report


def check_lengths(parsed: ParsedPlan, province: str) -> None:
    """Refuse, naming the line and field, any text longer than its column holds (PostgreSQL would refuse it
    half-way through the import; SQLite would store it, so the two would disagree)."""

    def check(value: str | None, column, line: int | None, what: str, **params: str) -> None:  # noqa: ANN001
        limit = column.type.length
        if value and limit and len(value) > limit:
            where = msg("imp.at_line", file=parsed.source_file, line=line) if line else parsed.source_file
            raise PlanImportError("imp.too_long", where=where, what=msg(what, **params), n=len(value), max=limit)

    check(province, Province.name, None, "imp.field.province_name")
    check(parsed.doc_number, Plan.doc_number, None, "imp.field.document_number")
    check(parsed.doc_type, Plan.doc_type, None, "imp.field.document_type")
    check(parsed.issuer, Plan.issuer, None, "imp.field.issuing_body")
    check(parsed.source_file, Plan.source_file, None, "imp.field.file_name")
    for ind in parsed.indicators:
        code = ind.code[:40]
        check(ind.code, Indicator.code, ind.line, "imp.field.kpi_code", code=code)
        check(ind.unit, Indicator.unit, ind.line, "imp.field.kpi_unit", code=code)
        check(ind.target_text, Indicator.target_text, ind.line, "imp.field.kpi_target", code=code)
        for name in ind.leads:
            check(name, AgencyAlias.spelling, ind.line, "imp.field.agency", name=name[:60])
    for task in parsed.tasks:
        code = task.code[:40]
        check(task.code, Task.code, task.line, "imp.field.task_code", code=code)
        check(task.number, Task.number, task.line, "imp.field.task_number", code=code)
        check(task.section, Task.section, task.line, "imp.field.task_section", code=code)
        for name in task.leads + task.coordinating:
            check(name, AgencyAlias.spelling, task.line, "imp.field.agency", name=name[:60])


def _unique_code(code: str, seen: set[str], line: int | None, report: ImportReport, what: str) -> str:
    if code in seen:
        n = 2
        while f"{code}-{n}" in seen:
            n += 1
        report.findings.append(Finding(line, msg("imp.w.code_twice", what=msg(what), code=code, new=f"{code}-{n}")))
        code = f"{code}-{n}"
    seen.add(code)
    return code


def _load_indicators(
    session: Session, plan: Plan, parsed: ParsedPlan, directory: StoredDirectory, report: ImportReport
) -> None:
    existing = {i.code: i for i in session.scalars(select(Indicator).where(Indicator.plan_id == plan.id))}
    seen: set[str] = set()
    for pos, item in enumerate(parsed.indicators):
        code = _unique_code(item.code, seen, item.line, report, "imp.w.kpi")
        ind = existing.get(code)
        if ind is None:
            ind = Indicator(plan_id=plan.id, code=code)
            session.add(ind)
            report.counts["indicators_created"] += 1
        else:
            report.counts["indicators_updated"] += 1
        target = parse_target(item.target_text)
        subtargets = [{"label": s["label"], "op": s["op"], "value": s["value"]} for s in item.subtargets]
        if target is None and subtargets:
            # A KPI given only by sub-targets ("Cấp tỉnh ≥ 70", "Cấp xã ≥ 70") takes the strictest one.
            strict = max(subtargets, key=lambda s: s["value"])
            target_op, target_value = strict["op"], strict["value"]
        else:
            target_op, target_value = (target.op, target.value) if target else (None, None)
        if target_op is None:
            report.findings.append(Finding(item.line, msg("imp.w.no_target", code=code, text=item.target_text)))
        catalog = classify(item.name)
        ind.position = pos
        ind.name = item.name
        ind.national_code = catalog.code if catalog else None
        ind.unit = item.unit or None
        ind.target_text = item.target_text or "; ".join(s.get("text", "") or "" for s in item.subtargets) or None
        ind.target_op, ind.target_value = target_op, target_value
        ind.subtargets = subtargets
        ind.is_ratio = item.is_ratio if item.is_ratio is not None else is_ratio(item.name, ind.unit)
        ind.baseline_value, ind.baseline_date = item.baseline, item.baseline_date
        ind.milestones = item.milestones or None
        leads = [directory.resolve(raw)[0] for raw in item.leads]
        if item.aggregation is not None and (ind.is_ratio or item.aggregation != RATIO):
            ind.aggregation = item.aggregation
        else:
            ind.aggregation, why = default_aggregation(ind.is_ratio, ind.unit, any(a.kind == GROUP for a in leads))
            if why:
                rule = msg(f"aggregation.{ind.aggregation}")
                report.findings.append(
                    Finding(item.line, msg("imp.w.guessed_rule", code=code, rule=rule, why=msg(why)))
                )
        ind.note = item.note or None
        ind.source_line = item.line
        session.flush()
        ind.leads.clear()
        session.flush()
        for lpos, agency in enumerate(leads):
            if all(lead.agency_id != agency.id for lead in ind.leads):
                ind.leads.append(IndicatorLead(agency_id=agency.id, position=lpos))
        if not item.leads:
            report.findings.append(Finding(item.line, msg("imp.w.kpi_no_lead", code=code)))
    report.counts["indicators"] = len(seen)
    for code, ind in existing.items():
        if code in seen:
            continue
        used = session.scalar(select(func.count()).select_from(Measurement).where(Measurement.indicator_id == ind.id))
        if used:
            report.findings.append(Finding(None, msg("imp.w.kpi_kept", code=code, n=used)))
        else:
            session.delete(ind)
            report.counts["indicators_removed"] += 1


def _load_tasks(
    session: Session, plan: Plan, parsed: ParsedPlan, directory: StoredDirectory, report: ImportReport, plan_year: int
) -> None:
    existing = {t.code: t for t in session.scalars(select(Task).where(Task.plan_id == plan.id))}
    seen: set[str] = set()
    for pos, item in enumerate(parsed.tasks):
        code = _unique_code(item.code, seen, item.line, report, "imp.w.task")
        task = existing.get(code)
        if task is None:
            task = Task(plan_id=plan.id, code=code, key=f"{plan.code}:{code}")
            session.add(task)
            report.counts["tasks_created"] += 1
        else:
            report.counts["tasks_updated"] += 1
        deadline = parse_deadline(item.deadline_text, plan_year)
        if deadline.kind == UNKNOWN:
            report.findings.append(Finding(item.line, msg("imp.w.task_deadline", code=code, problem=deadline.problem)))
        report.deadline_kinds[deadline.kind] += 1
        task.position = pos
        task.active = True
        task.section = item.section or None
        task.number = item.number or None
        task.name = item.name
        task.output = item.output or None
        task.deadline_text = item.deadline_text or None
        task.deadline_kind = deadline.kind
        task.start_date, task.due_date = deadline.start, deadline.due
        task.basis = item.basis or None
        task.source_line = item.line
        session.flush()
        task.agencies.clear()
        session.flush()
        links: list[tuple[int, str]] = []
        for role, names in (("lead", item.leads), ("coordinating", item.coordinating)):
            for raw in names:
                agency, _ = directory.resolve(raw)
                if (agency.id, role) not in links:
                    links.append((agency.id, role))
        for lpos, (agency_id, role) in enumerate(links):
            task.agencies.append(TaskAgency(agency_id=agency_id, role=role, position=lpos))
        if not item.leads:
            report.findings.append(Finding(item.line, msg("imp.w.task_no_lead", code=code)))
    report.counts["tasks"] = len(seen)
    for code, task in existing.items():
        if code in seen:
            continue
        used = session.scalar(select(func.count()).select_from(TaskUpdate).where(TaskUpdate.task_id == task.id))
        if used:
            task.active = False
            report.counts["tasks_retired"] += 1
            report.findings.append(Finding(None, msg("imp.w.task_kept", code=code, n=used)))
        else:
            session.delete(task)
            report.counts["tasks_removed"] += 1
