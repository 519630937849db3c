"""Plan summaries: each province's headline numbers, computed in the background for the national view.

Computing one plan's flags takes a province's tasks, figures and report grid; doing it for 34 plans in a
request would take seconds. Every change keeps its plan's row current as it prepares the plan's data, the
scheduler catches up the rest (a new day), and the national page reads those rows, checked against each plan's
data version: a row out of date is computed again there, never served stale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard import clock
from dashboard.kpi.status import FINISHED, OVERDUE
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import PlanContext, Settings, all_flags, headline, load_context, snapshots
from dashboard.store.database import plan_version, transaction
from dashboard.store.models import Plan, PlanSummary


def compute(session: Session, plan_id: int, today: date, settings: Settings, ctx: PlanContext | None = None) -> dict:
    """The national view's row for one plan: headline KPIs against target, tasks by status, red flags (from
    the plan's loaded data when given: the cached one, a fraction of loading it again)."""
    f = Filters(plan=plan_id)
    ctx = ctx or load_context(session, f, today)
    if ctx is None or ctx.plan["id"] != plan_id:
        raise LookupError(f"no plan {plan_id}")
    flags = all_flags(ctx, session, f, settings)
    heads = headline(snapshots(ctx, f, settings))
    statuses = Counter(t.status for t in ctx.tasks)
    return {
        "plan_id": plan_id,
        "province": ctx.plan["province"],
        "year": ctx.plan["year"],
        "code": ctx.plan["code"],
        "tasks": len(ctx.tasks),
        "done": sum(statuses[s] for s in FINISHED),
        "overdue": statuses[OVERDUE],
        "flags": len(flags),
        "flag_kinds": dict(Counter(fl.kind for fl in flags)),
        "headline": [
            {
                "code": s.indicator.national_code,
                "name": s.indicator.name,
                "unit": s.indicator.unit,
                "target_op": s.indicator.target_op,
                "target_value": s.indicator.target_value,
                "value": s.value,
                "status": s.status,
                "gap": s.gap,
            }
            for s in heads
        ],
    }


def refresh(engine: Engine, today: date, settings: Settings, *, stale_only: bool = True) -> int:
    """Recompute the summaries older than the data (every one with ``stale_only=False``), one transaction
    per plan so a long pass never holds locks on the whole store; returns how many were computed."""
    with transaction(engine) as s:
        plans = {pid: plan_version(s, pid) for pid in s.scalars(select(Plan.id).order_by(Plan.id))}
        stored = s.execute(select(PlanSummary.plan_id, PlanSummary.data_version, PlanSummary.as_of))
        current = {pid: (v, as_of) for pid, v, as_of in stored}
    done = 0
    for pid, version in plans.items():
        if stale_only and current.get(pid) == (version, today):
            continue
        with transaction(engine) as s:
            store(s, pid, compute(s, pid, today, settings), version, today)
        done += 1
    return done


def store(session: Session, plan_id: int, payload: dict, version: int, today: date) -> None:
    row = session.get(PlanSummary, plan_id) or PlanSummary(plan_id=plan_id)
    row.payload, row.data_version, row.as_of, row.computed_at = payload, version, today, clock.now()
    session.add(row)


def keep(session: Session, plan_id: int, ctx: PlanContext, version: int, today: date, settings: Settings) -> dict:
    """Compute and store a plan's summary from its loaded data; another worker storing the same plan at the same
    moment wins (same data, same row)."""
    payload = compute(session, plan_id, today, settings, ctx)
    try:
        with session.begin_nested():
            store(session, plan_id, payload, version, today)
    except IntegrityError:
        pass
    return payload


def national(
    session: Session,
    today: date,
    settings: Settings,
    context: Callable[[int], PlanContext | None] | None = None,
) -> tuple[list[dict], datetime | None]:
    """Every plan's summary, worst first, and when the oldest was computed. Versioned like a plan's data: a
    summary older than its plan's data version (or computed for another day) is computed again here, never
    served stale. Every change keeps its plan's summary current as it prepares the plan's data
    (``plan_cache.warm``), so this happens only for a plan nobody prepared; ``context`` then gives its loaded data
    (the shared cache's), so that it is not loaded again."""
    rows = {r.plan_id: r for r in session.scalars(select(PlanSummary))}
    out: list[dict] = []
    oldest: datetime | None = None
    for pid in session.scalars(select(Plan.id)):
        row = rows.get(pid)
        version = plan_version(session, pid)
        if row is None or row.data_version != version or row.as_of != today:
            ctx = context(pid) if context is not None else None
            payload = keep(
                session, pid, ctx or load_context(session, Filters(plan=pid), today), version, today, settings
            )
            at = clock.now()
        else:
            payload, at = row.payload, row.computed_at
        oldest = at if oldest is None or at < oldest else oldest
        out.append(payload)
    out.sort(key=lambda r: (-r["overdue"], -r["flags"], r["province"]))
    return out, oldest
