"""Read models: plain rows of plans, KPIs and tasks (with computed status) for pages and exports."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dashboard.kpi.status import Report, is_finished, task_status
from dashboard.records import KpiRow, TaskRow
from dashboard.store import latest as kept
from dashboard.store.database import id_list, read_rows
from dashboard.store.models import (
    Agency,
    Indicator,
    IndicatorLead,
    KioskToken,
    Measurement,
    Plan,
    Province,
    Task,
    TaskAgency,
    User,
)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def plan_rows(session: Session) -> list[dict]:
    """Every plan with its province and counts, newest year first (one query: every page of every plan reads
    it)."""
    tasks = select(func.count()).where(Task.plan_id == Plan.id, Task.active.is_(True)).correlate(Plan).scalar_subquery()
    indicators = select(func.count()).where(Indicator.plan_id == Plan.id).correlate(Plan).scalar_subquery()
    rows = read_rows(
        session,
        select(
            Plan.id,
            Plan.code,
            Province.name.label("province"),
            Plan.province_id,
            Plan.year,
            Plan.doc_number,
            Plan.title,
            Plan.issuer,
            Plan.issue_date,
            Plan.source_file,
            indicators.label("indicators"),
            tasks.label("tasks"),
        )
        .join(Province, Province.id == Plan.province_id)
        .order_by(Plan.year.desc(), Province.name),
    )
    return [{**r._asdict(), "issue_date": _iso(r.issue_date)} for r in rows]


def _plan_filter(stmt, model, plan_id: int | None):  # noqa: ANN001, ANN202
    return stmt.where(model.plan_id == plan_id) if plan_id is not None else stmt


def indicator_rows(session: Session, plan_id: int | None = None) -> list[KpiRow]:
    """KPIs in document order, with targets, sub-targets and lead agencies (canonical names)."""
    stmt = (
        select(
            Indicator.id,
            Plan.code.label("plan_code"),
            Indicator.code,
            Indicator.national_code,
            Indicator.name,
            Indicator.unit,
            Indicator.target_text,
            Indicator.target_op,
            Indicator.target_value,
            Indicator.subtargets,
            Indicator.is_ratio,
            Indicator.aggregation,
            Indicator.baseline_value,
            Indicator.baseline_date,
            Indicator.milestones,
        )
        .join(Plan)
        .order_by(Plan.id, Indicator.position)
    )
    kpis = read_rows(session, _plan_filter(stmt, Indicator, plan_id))
    leads: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for indicator_id, agency_id, name in read_rows(
        session,
        select(IndicatorLead.indicator_id, Agency.id, Agency.name)
        .join(Agency, Agency.id == IndicatorLead.agency_id)
        .where(IndicatorLead.indicator_id.in_(id_list([k.id for k in kpis])))
        .order_by(IndicatorLead.indicator_id, IndicatorLead.position),
    ):
        leads[indicator_id].append((agency_id, name))
    return [
        KpiRow(
            id=k.id,
            plan=k.plan_code,
            code=k.code,
            national_code=k.national_code,
            name=k.name,
            unit=k.unit,
            target_text=k.target_text,
            target_op=k.target_op,
            target_value=k.target_value,
            subtargets=tuple({f: s[f] for f in ("label", "op", "value")} for s in k.subtargets or []),
            lead_agencies=tuple(name for _, name in leads[k.id]),
            lead_ids=tuple(agency_id for agency_id, _ in leads[k.id]),
            is_ratio=bool(k.is_ratio),
            aggregation=k.aggregation,
            baseline_value=k.baseline_value,
            baseline_date=k.baseline_date,
            milestones=tuple(k.milestones or ()),
        )
        for k in kpis
    ]


def task_rows(
    session: Session,
    today: date,
    plan_id: int | None = None,
    task_ids: Collection[int] | None = None,
    pending: bool = False,
) -> list[TaskRow]:
    """Active tasks in document order (only ``task_ids`` when given), with agencies by role, parsed deadline
    and computed status: from approved reports only, or with ``pending`` from the latest report whether
    approved or not (the agency's own list, which marks the row as waiting)."""
    stmt = (
        select(
            Task.id,
            Task.plan_id,
            Plan.code.label("plan_code"),
            Task.key,
            Task.section,
            Task.code,
            Task.name,
            Task.output,
            Task.deadline_text,
            Task.deadline_kind,
            Task.start_date,
            Task.due_date,
            Task.basis,
            Task.version,
        )
        .join(Plan)
        .where(Task.active.is_(True))
        .order_by(Plan.id, Task.position)
    )
    if task_ids is not None:
        stmt = stmt.where(Task.id.in_(id_list(task_ids)))
    tasks = read_rows(session, _plan_filter(stmt, Task, plan_id))
    if not tasks:
        return []
    # Literal ids (not a join on the plan): PostgreSQL then reads just these tasks' rows by index.
    ids = [t.id for t in tasks]
    roles: dict[int, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: {"lead": [], "coordinating": []})
    for task_id, role, agency_id, name in read_rows(
        session,
        select(TaskAgency.task_id, TaskAgency.role, TaskAgency.agency_id, Agency.name)
        .join(Agency)
        .where(TaskAgency.task_id.in_(id_list(ids)))
        .order_by(TaskAgency.task_id, TaskAgency.position),
    ):
        roles[task_id].setdefault(role, []).append((agency_id, name))
    # Only the latest report and the latest note of each task decide what is shown: kept by every write; the
    # agency's own list reads its latest report whether approved or not from the history.
    latest, notes = kept.task_reports(session, ids, today)
    if pending:
        latest = kept.latest_updates(session, ids, kept.COUNTED, today)
    rows = []
    for t in tasks:
        last = latest.get(t.id)
        last_note = notes.get(t.id)
        lead = roles[t.id]["lead"]
        coordinating = roles[t.id]["coordinating"]
        status = task_status(
            t.deadline_kind,
            t.due_date,
            [Report(last.month, last.status, last.progress, last.completed_on)] if last else [],
            today,
        )
        rows.append(
            TaskRow(
                id=t.id,
                plan_id=t.plan_id,
                plan=t.plan_code,
                key=t.key,
                section=t.section,
                code=t.code,
                name=t.name,
                lead_agencies=tuple(name for _, name in lead),
                coordinating_agencies=tuple(name for _, name in coordinating),
                lead_ids=tuple(aid for aid, _ in lead),
                coordinating_ids=tuple(aid for aid, _ in coordinating),
                output=t.output,
                deadline_text=t.deadline_text,
                deadline_kind=t.deadline_kind,
                start_date=t.start_date,
                due_date=t.due_date,
                basis=t.basis,
                status=status,
                progress=100 if is_finished(status) else (last.progress if last else 0),
                last_note=last_note.note if last_note else None,
                last_update=last.month if last else None,
                completed_on=last.completed_on if last else None,
                evidence_url=last.evidence_url if last else None,
                version=t.version,
                pending=bool(last is not None and not last.approved),
            )
        )
    return rows


def agency_rows(session: Session, province_id: int | None = None) -> list[dict]:
    """Agencies with their kind, for filters and the demo generator."""
    stmt = select(Agency).order_by(Agency.province_id, Agency.kind, Agency.name)
    if province_id is not None:
        stmt = stmt.where(Agency.province_id == province_id)
    return [{"id": a.id, "province_id": a.province_id, "name": a.name, "kind": a.kind} for a in session.scalars(stmt)]


def agency_choices(session: Session) -> list[dict]:
    """Every agency (groups excepted) with its province, for the admin's account form."""
    rows = session.execute(
        select(Agency.id, Agency.name, Province.name)
        .join(Province)
        .where(Agency.kind != "group")
        .order_by(Province.name, Agency.name)
    ).all()
    return [{"id": i, "name": n, "province": p} for i, n, p in rows]


def user_rows(session: Session) -> list[dict]:
    """The accounts, for the admin page."""
    return [
        {
            "id": u.id,
            "username": u.username,
            "full_name": u.full_name,
            "role": u.role,
            "active": u.active,
            "agency": u.agency.name if u.agency else None,
        }
        for u in session.scalars(select(User).options(selectinload(User.agency)).order_by(User.role, User.username))
    ]


def kiosk_rows(session: Session) -> list[dict]:
    """The wall-screen tokens, newest first, for the admin page."""
    return [
        {
            "id": k.id,
            "name": k.name,
            "created_at": k.created_at,
            "last_used_at": k.last_used_at,
            "revoked": k.revoked_at is not None,
        }
        for k in session.scalars(select(KioskToken).order_by(KioskToken.created_at.desc()))
    ]


def plan_or_first(session: Session, plan_id: int | None) -> int | None:
    """``plan_id`` when that plan exists, else the first plan (newest year), else None (no plan at all)."""
    if plan_id is not None and session.get(Plan, plan_id) is not None:
        return plan_id
    plans = plan_rows(session)
    return plans[0]["id"] if plans else None


def task_plan_id(session: Session, task_id: int) -> int | None:
    task = session.get(Task, task_id)
    return task.plan_id if task is not None else None


def indicator_codes(session: Session, indicator_ids: Collection[int]) -> dict[int, str]:
    return dict(
        session.execute(select(Indicator.id, Indicator.code).where(Indicator.id.in_(list(indicator_ids)))).all()
    )


def month_figures(session: Session, agency_id: int, month: date, indicator_ids: Collection[int] | None = None) -> dict:
    """An agency's stored figures of one month, by KPI id (``indicator_ids``: only those KPIs)."""
    stmt = select(Measurement).where(Measurement.agency_id == agency_id, Measurement.month == month)
    if indicator_ids is not None:
        stmt = stmt.where(Measurement.indicator_id.in_(list(indicator_ids)))
    return {m.indicator_id: m for m in session.scalars(stmt)}


def history_names(session: Session, entries: list[dict]) -> dict[tuple[str, int], str]:
    """What each task and figure of an audit list is called, for the history table."""
    task_ids = [e["entity_id"] for e in entries if e["entity"] == "task"]
    fig_ids = [e["entity_id"] for e in entries if e["entity"] == "measurement"]
    names = {
        ("task", t.id): f"{t.code} · {t.name[:60]}" for t in session.scalars(select(Task).where(Task.id.in_(task_ids)))
    }
    for m, ind in session.execute(select(Measurement, Indicator).join(Indicator).where(Measurement.id.in_(fig_ids))):
        names[("measurement", m.id)] = f"Chỉ tiêu {ind.code} · tháng {m.month.month:02d}/{m.month.year}"
    return names


def plan_info(session: Session, plan_id: int) -> dict:
    """One plan's row (see ``plan_rows``); KeyError when there is no such plan."""
    found = next((p for p in plan_rows(session) if p["id"] == plan_id), None)
    if found is None:
        raise KeyError(plan_id)
    return found


def plan_code(session: Session, plan_id: int) -> str:
    plan = session.get(Plan, plan_id)
    return plan.code if plan is not None else str(plan_id)
