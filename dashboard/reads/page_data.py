"""What each page shows, as plain data: the core's answer to "overview / agency / timeline / red flags / wall".

Callbacks call these and hand the result to the layouts; nothing here knows about Dash.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.agencies.directory import expand, members_of
from dashboard.config import Config
from dashboard.cycle.directives import directives
from dashboard.kpi.catalog import HEADLINE
from dashboard.kpi.deadlines import CONDITIONAL, DATE, RECURRING
from dashboard.kpi.figure_origin import fed_by_sources
from dashboard.kpi.red_flags import Flag, directive_flags, kpi_flags, report_flags, task_flags, worst_first
from dashboard.kpi.reporting import (
    ReportCell,
    ReportingRecord,
    as_of_moment,
    owing,
    records,
    report_grid,
    submissions,
)
from dashboard.kpi.status import OVERDUE
from dashboard.kpi.values import Figure, KpiSnapshot, load_figures, load_recent_figures, monthly_series, snapshot
from dashboard.reads.filters import Filters, task_matches
from dashboard.reads.rows import indicator_rows, plan_rows, task_rows
from dashboard.records import KpiRow, TaskRow
from dashboard.store.database import read_rows
from dashboard.store.models import Agency, Indicator, IndicatorLead, TaskAgency


@dataclass(frozen=True)
class Settings:
    """Thresholds the pages use (from Config)."""

    due_soon_days: int = 14
    kpi_margin: float = 5.0
    report_day: int = 25
    report_hour: float | None = None
    trajectory_at_risk: float = 5.0  # % of a KPI's path (``kpi.trajectory``)
    trajectory_off_track: float = 15.0

    @classmethod
    def from_config(cls, config: Config) -> Settings:
        return cls(
            config.due_soon_days,
            config.kpi_margin,
            config.report_day,
            config.report_hour,
            config.trajectory_at_risk,
            config.trajectory_off_track,
        )


@dataclass
class PlanContext:
    """Everything about one plan that the pages need, loaded once per request."""

    plan: dict
    plans: list[dict]
    tasks: list[TaskRow]
    indicators: list[KpiRow]
    agencies: dict[int, dict]
    members: dict[int, list[int]]
    groups_of: dict[int, set[int]]
    figures: list[Figure]
    today: date
    sections: list[str] = field(default_factory=list)
    memo: dict = field(default_factory=dict)  # results computed once per request (see ``reporting``)

    def name(self, agency_id: int) -> str:
        return self.agencies.get(agency_id, {}).get("name", str(agency_id))

    def __getstate__(self) -> dict:
        # Pickled into the shared cache on every build: the figures and the report grid's cells as plain tuples,
        # which pickle without a Python call each (a NamedTuple takes one: two thirds of a large province's 20 ms).
        state = dict(self.__dict__)
        state["figures"] = [tuple(f) for f in self.figures]
        memo = {}
        for key, value in self.memo.items():
            if key == "by_indicator":  # regrouped on first use
                continue
            if key[0] == "reporting":
                cells, recs = value
                value = ([tuple(c) for c in cells], recs)
            memo[key] = value
        state["memo"] = memo
        return state

    def __setstate__(self, state: dict) -> None:
        state["figures"] = [Figure._make(f) for f in state["figures"]]
        for key, value in state["memo"].items():
            if key[0] == "reporting":
                state["memo"][key] = ([ReportCell._make(c) for c in value[0]], value[1])
        self.__dict__.update(state)

    def figures_of(self, indicator_id: int) -> list[Figure]:
        """The figures of one KPI (grouped once per request: the pages look at every KPI, some twice)."""
        if "by_indicator" not in self.memo:
            groups: dict[int, list[Figure]] = defaultdict(list)
            for fig in self.figures:
                groups[fig.indicator_id].append(fig)
            self.memo["by_indicator"] = groups
        return self.memo["by_indicator"].get(indicator_id, [])

    @property
    def months(self) -> list[date]:
        """Months of the plan year that have begun by the "as of" date."""
        year = self.plan["year"]
        return [date(year, m, 1) for m in range(1, 13) if date(year, m, 1) <= self.today]


def load_context(session: Session, filters: Filters, today: date) -> PlanContext | None:
    """The plan the filters name (else the first one), with its tasks, KPIs, agencies and figures."""
    plans = plan_rows(session)
    if not plans:
        return None
    plan = next((p for p in plans if p["id"] == filters.plan), plans[0])
    rows = read_rows(
        session, select(Agency.id, Agency.name, Agency.kind).where(Agency.province_id == plan["province_id"])
    )
    agencies = {a_id: {"id": a_id, "name": name, "kind": kind} for a_id, name, kind in rows}
    members = members_of(rows)
    groups_of: dict[int, set[int]] = defaultdict(set)
    for group_id, ids in members.items():
        for aid in ids:
            groups_of[aid].add(group_id)
    tasks = task_rows(session, today, plan["id"])
    indicators = indicator_rows(session, plan["id"])
    figures = load_recent_figures(session, [i.id for i in indicators], today)
    sections = list(dict.fromkeys(t.section for t in tasks if t.section))
    return PlanContext(plan, plans, tasks, indicators, agencies, members, dict(groups_of), figures, today, sections)


def filtered_tasks(ctx: PlanContext, f: Filters) -> list[TaskRow]:
    return [t for t in ctx.tasks if task_matches(t, f, ctx.plan["year"], ctx.groups_of)]


def _agency_scope(ctx: PlanContext, f: Filters) -> set[int] | None:
    if not f.agencies:
        return None
    return set(expand(list(f.agencies), ctx.members))


def snapshots(ctx: PlanContext, f: Filters, settings: Settings) -> list[KpiSnapshot]:
    scope = _agency_scope(ctx, f)
    shares = (settings.trajectory_at_risk / 100, settings.trajectory_off_track / 100)
    # kept with the plan's data (one data version, one day): a page and its red flags ask for the same ones
    key = ("snapshots", tuple(sorted(scope)) if scope is not None else None, settings.kpi_margin, shares)
    if key not in ctx.memo:
        ctx.memo[key] = [
            snapshot(i, ctx.figures_of(i.id), ctx.today, settings.kpi_margin, scope, shares) for i in ctx.indicators
        ]
    return ctx.memo[key]


def headline(snaps: list[KpiSnapshot]) -> list[KpiSnapshot]:
    """The three headline KPIs of the plan (first KPI of each headline catalogue code), in catalogue order."""
    out = []
    for code in HEADLINE:
        hit = next((s for s in snaps if s.indicator.national_code == code), None)
        if hit is not None:
            out.append(hit)
    return out


def agency_gauges(ctx: PlanContext, heads: list[KpiSnapshot], sort: str = "gap") -> list[dict]:
    """One row per agency with its value for each headline KPI; sorted by distance to target (worst first)."""
    rows: dict[int, dict] = {}
    for k, snap in enumerate(heads):
        for av in snap.agencies:
            row = rows.setdefault(
                av.agency_id, {"agency_id": av.agency_id, "name": ctx.name(av.agency_id), "values": [None] * len(heads)}
            )
            row["values"][k] = av
    out = list(rows.values())
    for row in out:
        gaps = [v.gap for v in row["values"] if v is not None and v.gap is not None]
        row["gap"] = max(gaps) if gaps else None
    if sort == "name":
        out.sort(key=lambda r: r["name"])
    else:
        out.sort(key=lambda r: (-(r["gap"] if r["gap"] is not None else -1e9), r["name"]))
    return out


def reporting(
    ctx: PlanContext, session: Session, settings: Settings
) -> tuple[list[ReportCell], dict[int, ReportingRecord]]:
    """The monthly report grid and the per-agency record for the plan's reporting agencies (computed once
    per context: the flags and the page both need it)."""
    key = ("reporting", settings)
    if key not in ctx.memo:
        # from the plan as loaded: which KPIs a source feeds is the one thing still to ask
        fed = fed_by_sources(session, [k.id for k in ctx.indicators])
        kpis = ((k.id, k.lead_ids) for k in ctx.indicators)
        agencies = owing(kpis, ((t.deadline_kind, t.lead_ids) for t in ctx.tasks), fed, ctx.members)
        now = as_of_moment(ctx.today)
        cells = report_grid(
            agencies, submissions(session, ctx.plan["id"]), ctx.months, now, settings.report_day, settings.report_hour
        )
        ctx.memo[key] = (cells, records(cells))
    return ctx.memo[key]


def all_flags(ctx: PlanContext, session: Session, f: Filters, settings: Settings) -> list[Flag]:
    """Every red flag of the plan under the filters, worst first."""
    tasks = filtered_tasks(ctx, f)
    snaps = snapshots(ctx, f, settings)
    cells, _ = reporting(ctx, session, settings)
    scope = _agency_scope(ctx, f)
    if scope is not None:
        cells = [c for c in cells if c.agency_id in scope]
    unaccountable = {gid for gid, members in ctx.members.items() if not members}
    flags = task_flags(tasks, ctx.today, settings.due_soon_days, unaccountable)
    flags += report_flags(cells, {aid: a["name"] for aid, a in ctx.agencies.items()})
    if not f.q and not f.section and not f.statuses:
        shown = directives(session, ctx.plan["id"])
        flags += directive_flags([d for d in shown if scope is None or d.agency_id in scope], ctx.today)
    if not f.q and not f.section and not f.statuses:
        flags += kpi_flags(snaps)
    return worst_first(flags)


def flag_counts(flags: list[Flag]) -> Counter:
    return Counter(fl.kind for fl in flags)


def agency_tasks(ctx: PlanContext, agency_id: int, tasks: list[dict]) -> dict[str, list[dict]]:
    """The agency's tasks as lead (directly or through a group it belongs to) and as coordinator."""
    return _by_role(tasks, {agency_id} | ctx.groups_of.get(agency_id, set()))


def _by_role(tasks: list[TaskRow], ids: set[int]) -> dict[str, list[TaskRow]]:
    """The tasks that any of ``ids`` leads, and those it only coordinates."""
    lead = [t for t in tasks if ids & set(t.lead_ids)]
    coord = [t for t in tasks if ids & set(t.coordinating_ids) and t not in lead]
    return {"lead": lead, "coordinating": coord}


def agency_task_rows(session: Session, plan_id: int, agency_id: int, today: date) -> dict[str, list[dict]]:
    """``agency_tasks`` for one agency without loading the whole plan: only the tasks it (or a group it
    belongs to) leads or coordinates, and only their updates (the "my work" list, refreshed on every save)."""
    from dashboard.accounts.permissions import groups_of

    ids = {agency_id} | groups_of(session, agency_id)
    task_ids = set(session.scalars(select(TaskAgency.task_id).where(TaskAgency.agency_id.in_(ids))))
    return _by_role(task_rows(session, today, plan_id, task_ids, pending=True) if task_ids else [], ids)


def agency_trends(ctx: PlanContext, session: Session, agency_id: int) -> list[dict]:
    """For each KPI the agency reports: its monthly values and the target (the whole year of the agency's
    figures, read here: the context holds only the latest ones)."""
    scope = set(expand([agency_id], ctx.members))
    history: dict[int, list[Figure]] = defaultdict(list)
    for fig in load_figures(session, [i.id for i in ctx.indicators], ctx.today, scope):
        history[fig.indicator_id].append(fig)
    out = []
    for ind in ctx.indicators:
        series = monthly_series(ind, history.get(ind.id, []), ctx.months, scope)
        if any(v is not None for _, v in series):
            out.append({"indicator": ind, "series": series})
    return out


def timeline(ctx: PlanContext, f: Filters) -> dict:
    """Dated tasks for the quarter chart, recurring ones for the report grid, conditional ones apart."""
    tasks = filtered_tasks(ctx, f)
    dated = [t for t in tasks if t.deadline_kind == DATE and t.due_date]
    return {
        "dated": dated,
        "recurring": [t for t in tasks if t.deadline_kind == RECURRING],
        "conditional": [t for t in tasks if t.deadline_kind == CONDITIONAL],
        "unknown": [t for t in tasks if t.deadline_kind not in (DATE, RECURRING, CONDITIONAL)],
        "year": ctx.plan["year"],
        "today": ctx.today,
    }


def ranking(ctx: PlanContext, recs: dict[int, ReportingRecord]) -> list[dict]:
    """Agencies ranked by on-time reporting and overdue tasks they lead (best first)."""
    overdue: Counter = Counter()
    led: Counter = Counter()
    for t in ctx.tasks:
        for aid in expand(t.lead_ids, ctx.members):
            led[aid] += 1
            if t.status == OVERDUE:
                overdue[aid] += 1
    rows = []
    for aid in set(recs) | set(led):
        if ctx.agencies.get(aid, {}).get("kind") == "group":
            continue
        rec = recs.get(aid)
        rows.append(
            {
                "agency_id": aid,
                "name": ctx.name(aid),
                "tasks": led[aid],
                "overdue": overdue[aid],
                "on_time_rate": rec.on_time_rate if rec else None,
                "received_rate": rec.received_rate if rec else None,
            }
        )
    rows.sort(key=lambda r: (r["overdue"], -(r["on_time_rate"] if r["on_time_rate"] is not None else -1), r["name"]))
    return rows


def briefing_data(
    session: Session, f: Filters, today: date, settings: Settings, per_agency: bool = False
) -> dict | None:
    """What the meeting briefing shows for a plan under the filters: headline KPIs, KPI table, flags, tasks,
    and with ``per_agency`` one section for each agency that leads a task or reports a KPI."""
    ctx = load_context(session, f, today)
    return None if ctx is None else _briefing(ctx, session, f, today, settings, per_agency)


def _briefing(
    ctx: PlanContext, session: Session, f: Filters, today: date, settings: Settings, per_agency: bool = False
) -> dict:
    f = f.with_(plan=ctx.plan["id"])
    snaps = snapshots(ctx, f, settings)
    flags = all_flags(ctx, session, f, settings)
    tasks = filtered_tasks(ctx, f)
    pages = []
    if per_agency:
        wanted = list(f.agencies) or sorted(
            {aid for t in ctx.tasks for aid in t.lead_ids if ctx.agencies.get(aid, {}).get("kind") != "group"}
        )
        for aid in wanted:
            if aid not in ctx.agencies:
                continue
            scoped = f.with_(agencies=(aid,))
            mine = agency_tasks(ctx, aid, ctx.tasks)
            pages.append(
                {
                    "name": ctx.name(aid),
                    "lead": mine["lead"],
                    "coordinating": mine["coordinating"],
                    "snaps": [s for s in snapshots(ctx, scoped, settings) if s.value is not None],
                    "flags": all_flags(ctx, session, scoped, settings),
                }
            )
    return {
        "plan": ctx.plan,
        "today": today,
        "heads": headline(snaps),
        "snaps": snaps,
        "flags": flags,
        "tasks": tasks,
        "agency_pages": pages,
    }


def pack_data(session: Session, f: Filters, today: date, settings: Settings) -> tuple[dict, list[dict]] | None:
    """The per-agency pack from one load of the plan: the province's briefing, and one per agency."""
    ctx = load_context(session, f, today)
    if ctx is None:
        return None
    return _briefing(ctx, session, f, today, settings), _agency_briefings(ctx, session, f, today, settings)


def _agency_briefings(ctx: PlanContext, session: Session, f: Filters, today: date, settings: Settings) -> list[dict]:
    """One briefing per agency that leads a task or reports a KPI, holding only what the agency page shows
    for it: its KPIs with a figure, the tasks it leads or coordinates, its red flags."""
    f = f.with_(plan=ctx.plan["id"])
    reporters = {fig.agency_id for i in ctx.indicators for fig in ctx.figures_of(i.id)}
    leads = {aid for t in ctx.tasks for aid in t.lead_ids}
    out = []
    for aid in sorted(leads | reporters, key=lambda a: ctx.name(a)):
        if aid not in ctx.agencies or ctx.agencies[aid].get("kind") == "group":
            continue
        scoped = f.with_(agencies=(aid,))
        snaps = [s for s in snapshots(ctx, scoped, settings) if s.value is not None]
        mine = agency_tasks(ctx, aid, ctx.tasks)
        out.append(
            {
                "agency": ctx.name(aid),
                "agency_id": aid,
                "plan": ctx.plan,
                "today": today,
                "heads": headline(snaps),
                "snaps": snaps,
                "flags": all_flags(ctx, session, scoped, settings),
                "tasks": mine["lead"] + mine["coordinating"],
            }
        )
    return out


def slides_data(session: Session, f: Filters, today: date, settings: Settings) -> dict | None:
    """What the slide deck shows: the briefing's headline KPIs, flags and tasks, and the agency ranking."""
    ctx = load_context(session, f, today)
    if ctx is None:
        return None
    _, recs = reporting(ctx, session, settings)
    return {**_briefing(ctx, session, f, today, settings), "ranking": ranking(ctx, recs)}


def directive_subjects(session: Session, plan_id: int, agency_id: int, today: date) -> list[tuple[str, int, str, str]]:
    """What a directive to the agency may be about besides the agency itself: (kind, id, code, name) of the tasks
    it leads or coordinates, then the KPIs it leads."""
    tasks = agency_task_rows(session, plan_id, agency_id, today)
    out = [("task", tk.id, tk.code, tk.name) for tk in [*tasks["lead"], *tasks["coordinating"]]]
    led = select(IndicatorLead.indicator_id).where(IndicatorLead.agency_id == agency_id)
    kpis = session.execute(
        select(Indicator.id, Indicator.code, Indicator.name)
        .where(Indicator.plan_id == plan_id, Indicator.id.in_(led))
        .order_by(Indicator.position)
    ).all()
    return out + [("kpi", iid, code, name) for iid, code, name in kpis]
