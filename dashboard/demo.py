"""The demo database: the real plans in ``data/`` plus deterministic monthly figures and task updates.

The generator is seeded, so a given "as of" date always produces the same data: on-track agencies and
lagging ones, tasks done on time, done late, overdue, and monthly reports on time, late or missing.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session

from dashboard.accounts.users import ADMIN, AGENCY, LEADER, SYSTEM, VIEWER, create_user, token_hash
from dashboard.agencies.directory import StoredDirectory, expand, get_or_create_province, group_members
from dashboard.agencies.names import COMMUNE, GROUP, group_scope
from dashboard.config import ROOT, Config
from dashboard.cycle.locks import APPROVED, RETURNED, SUBMITTED
from dashboard.importers import ImportReport, read_plan
from dashboard.importers.loader import load_plan
from dashboard.kpi.catalog import HEADLINE
from dashboard.kpi.deadlines import CONDITIONAL, DATE, RECURRING
from dashboard.kpi.rules import PROVINCE
from dashboard.sources.demo_records import build_source_db
from dashboard.sources.refresh import run_source
from dashboard.store import latest as kept
from dashboard.store.database import get_meta, is_empty, make_engine, set_meta, transaction, upgrade
from dashboard.store.models import (
    Agency,
    Base,
    Directive,
    Indicator,
    IndicatorLead,
    KioskToken,
    Measurement,
    MonthReport,
    Plan,
    Province,
    Task,
    TaskAgency,
    TaskUpdate,
    User,
)

DATA = ROOT / "data"
PLANS = ("thai-nguyen-kh-2026.txt", "dong-thap-qd07-bcd-2026.txt", "lao-cai-kh-bcd-2026.txt")
SEED = 57
DEMO_SOURCE = "demo"
# One account per role, with demo passwords (documented in the README; never use them for real data).
DEMO_USERS = (
    ("admin", "admin-demo-2026", ADMIN, None, "Văn phòng thường trực BCĐ (demo)"),
    ("lanhdao", "lanhdao-demo-2026", LEADER, None, "Chủ tịch UBND tỉnh (demo)"),
    (
        "sokhcn.thainguyen",
        "donvi-demo-2026",
        AGENCY,
        ("Thái Nguyên", "Sở Khoa học và Công nghệ"),
        "Giám đốc Sở KH&CN Thái Nguyên (demo)",
    ),
    ("congan.laocai", "donvi-demo-2026", AGENCY, ("Lào Cai", "Công an tỉnh"), "Giám đốc Công an tỉnh Lào Cai (demo)"),
    ("xem", "xem-demo-2026", VIEWER, ("Thái Nguyên", None), "Người xem của tỉnh Thái Nguyên (demo)"),
)
DEMO_KIOSK_TOKEN = "man-hinh-demo-2026"


class DemoRefused(Exception):
    """The database holds real data; the demo will not overwrite it without --force."""


@dataclass
class DemoSummary:
    reports: list[ImportReport]
    agencies: int
    measurements: int
    task_updates: int
    as_of: date


def months_until(year: int, as_of: date) -> Iterator[date]:
    """First days of the months of ``year`` that have started by ``as_of``."""
    for m in range(1, 13):
        first = date(year, m, 1)
        if first > as_of:
            return
        yield first


def _load_agencies(session: Session) -> int:
    count = 0
    directories: dict[str, StoredDirectory] = {}
    with (DATA / "agencies.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["province"] not in directories:
                directories[row["province"]] = StoredDirectory(
                    session, get_or_create_province(session, row["province"])
                )
            directory = directories[row["province"]]
            aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
            directory.ensure(row["name"].strip(), row["kind"].strip(), aliases)
            count += 1
    return count


def _members(session: Session, agency: Agency, cache: dict) -> list[Agency]:
    """The agencies a lead stands for: itself, or every member of a collective group."""
    if agency.kind != GROUP:
        return [agency]
    key = (agency.province_id, agency.name)
    if key not in cache:
        kinds = group_scope(agency.name)
        cache[key] = (
            list(
                session.scalars(
                    select(Agency)
                    .where(Agency.province_id == agency.province_id, Agency.kind.in_(kinds))
                    .order_by(Agency.name)
                )
            )
            if kinds
            else []
        )
    return cache[key]


class _ReportCalendar:
    """When each agency sent its monthly report: by the 25th, a few days late, or never (None).

    One answer per agency and month, shared by all its KPI figures and task updates of that month, and a
    habit per agency, so some agencies are reliably punctual and others reliably late.
    """

    def __init__(self, rng: random.Random, cutoff: datetime | None = None) -> None:
        self.rng = rng
        self.cutoff = cutoff  # nothing is sent after the "as of" day began: a real save today must come later
        self.habit: dict[int, float] = {}
        self.sent: dict[tuple[int, date], datetime | None] = {}

    def __call__(self, agency_id: int, month: date) -> datetime | None:
        key = (agency_id, month)
        if key not in self.sent:
            rng = self.rng
            punctual = self.habit.setdefault(agency_id, rng.choice((0.97, 0.93, 0.85, 0.75, 0.6)))
            roll = rng.random()
            if roll < punctual:
                day = rng.randint(12, 25)
            elif roll < punctual + (1 - punctual) * 0.65:
                day = rng.randint(26, 28)
            else:
                self.sent[key] = None
                return None
            self.sent[key] = datetime.combine(month.replace(day=day), time(rng.randint(8, 16), rng.randint(0, 59)))
        return self.sent[key]

    def future(self, at: datetime) -> bool:
        """Whether a drawn sending time lies after the "as of" day began (so nothing was sent yet)."""
        return self.cutoff is not None and at >= self.cutoff


def _denominator(rng: random.Random, national_code: str | None, kind: str) -> int:
    small = kind == COMMUNE
    if national_code in ("satisfaction",):
        return rng.randint(150, 900) if small else rng.randint(600, 4000)
    if national_code in ("digital_skills", "data_governance"):
        return rng.randint(25, 60) if small else rng.randint(60, 400)
    if national_code in ("online_services", "business_online", "boundary_free"):
        return rng.randint(60, 180) if small else rng.randint(40, 260)
    return rng.randint(40, 300)


def _measurements(
    session: Session, rng: random.Random, as_of: date, sent: _ReportCalendar, skip: tuple[str, ...] = ()
) -> list[dict]:
    rows: list[dict] = []
    cache: dict = {}
    plans = session.scalars(select(Plan).order_by(Plan.id)).all()
    for plan in plans:
        months = [m for m in months_until(plan.year, as_of) if m.replace(day=25) <= as_of or m.month < as_of.month]
        indicators = session.scalars(
            select(Indicator).where(Indicator.plan_id == plan.id).order_by(Indicator.position)
        ).all()
        for ind in indicators:
            if ind.target_value is None or ind.national_code in skip:
                continue
            leads = session.scalars(
                select(Agency)
                .join(IndicatorLead)
                .where(IndicatorLead.indicator_id == ind.id)
                .order_by(IndicatorLead.position)
            ).all()
            reporters: list[Agency] = []
            for lead in leads:
                for a in _members(session, lead, cache):
                    if a not in reporters:
                        reporters.append(a)
            target = ind.target_value
            shared: float | None = None
            for agency in reporters:
                # Each agency has its own pace: most reach the target, some lag well behind. A province figure
                # is one number, so its co-leads report the same one.
                skill = rng.choice((1.02, 1.0, 0.99, 0.97, 0.93, 0.86, 0.75))
                if ind.aggregation == PROVINCE:
                    shared = skill if shared is None else shared
                    skill = shared
                den = _denominator(rng, ind.national_code, agency.kind)
                for i, month in enumerate(months):
                    reported = sent(agency.id, month)
                    if reported is None:
                        continue
                    progress = min(1.0, (i + 1) / 10)
                    figure = dict(
                        indicator_id=ind.id,
                        agency_id=agency.id,
                        month=month,
                        numerator=None,
                        denominator=None,
                        value=None,
                        source=DEMO_SOURCE,
                        recorded_at=reported,
                        recorded_by="demo",
                    )
                    if ind.is_ratio:
                        start = max(0.0, min(100.0, target * skill) - 25)
                        pct = min(100.0, start + (min(100.0, target * skill) - start) * progress**0.7)
                        month_den = den + i * rng.randint(0, 3)
                        figure.update(numerator=min(month_den, round(month_den * pct / 100)), denominator=month_den)
                    else:
                        figure.update(value=round(target * skill * progress**0.8, 1))
                    if not sent.future(reported):
                        rows.append(figure)
    return rows


def finish_date(rng: random.Random, due: date, as_of: date, year: int) -> tuple[date | None, bool]:
    """When a dated task was (or will be shown as) finished, and whether it has not started at all."""
    fate = rng.random()
    if due <= as_of:
        # Past due: mostly done on time, some done late, the rest overdue.
        if fate < 0.58:
            return max(date(year, 1, 5), date.fromordinal(due.toordinal() - rng.randint(0, 25))), False
        if fate < 0.75:
            return min(as_of, date.fromordinal(due.toordinal() + rng.randint(5, 45))), False
        return None, False
    finish = as_of if fate < 0.12 else None
    return finish, finish is None and fate > 0.85


def _dated_reports(
    add: Callable[..., None],
    rng: random.Random,
    months: list[date],
    due: date,
    finish: date | None,
    as_of: date,
    year: int,
) -> None:
    """A dated task's monthly updates: progress towards its deadline, then done when it finished."""
    start = date(year, 1, 1)
    elapsed = (as_of - start).days / max(1, (due - start).days)
    progress = 0
    for month in months:
        if finish is not None and finish <= date(month.year, month.month, 28):
            add(month, "done", 100, "Đã hoàn thành, có văn bản kèm theo", completed=finish)
            return
        if month > as_of:
            return
        share = (month.toordinal() - start.toordinal()) / max(1, (due - start).days)
        target = min(95, int(100 * min(1.0, share)))
        if finish is None and due <= as_of:
            target = min(target, rng.choice((30, 45, 60, 80)))
        if due > as_of:
            target = min(target, int(100 * elapsed))
        progress = max(progress, target - rng.randint(0, 10))
        add(
            month,
            "in_progress" if progress > 0 else "not_started",
            max(0, progress),
            "Đang triển khai" if progress else "Chưa triển khai",
        )


def _recurring_reports(
    add: Callable[..., None], reporters: list[int], months: list[date], sent: _ReportCalendar
) -> None:
    """A recurring task's monthly reports, one per reporting agency and month it sent its report."""
    for reporter in reporters:
        for month in months:
            at = sent(reporter, month)
            if at is None or sent.future(at):
                continue
            note = f"Báo cáo định kỳ tháng {month.month}/{month.year}"
            late = at.day > 25
            add(month, "in_progress", 50, note + (" (gửi muộn)" if late else ""), agency_id=reporter, at=at)


def _task_updates(session: Session, rng: random.Random, as_of: date, sent: _ReportCalendar) -> list[dict]:
    rows: list[dict] = []
    tasks = session.scalars(select(Task).join(Plan).where(Task.active.is_(True)).order_by(Task.id)).all()
    leads: dict[int, int] = {}
    all_leads: dict[int, list[int]] = {}
    for ta in session.scalars(select(TaskAgency).where(TaskAgency.role == "lead").order_by(TaskAgency.position)):
        leads.setdefault(ta.task_id, ta.agency_id)
        all_leads.setdefault(ta.task_id, []).append(ta.agency_id)
    plans = {p.id: p for p in session.scalars(select(Plan))}
    member_cache: dict[int, dict[int, list[int]]] = {}

    def members_of(plan_id: int) -> dict[int, list[int]]:
        province_id = plans[plan_id].province_id
        if province_id not in member_cache:
            member_cache[province_id] = group_members(session, province_id)
        return member_cache[province_id]

    def writer(task_id: int, lead: int | None) -> Callable[..., None]:
        def add(
            month: date,
            status: str,
            progress: int,
            note: str,
            completed: date | None = None,
            agency_id: int | None = lead,
            at: datetime | None = None,
        ) -> None:
            created = at or (sent(agency_id, month) if agency_id is not None else None)
            if created is None:  # no report that month: the update came with the next one, late
                created = datetime.combine(month.replace(day=28), time(9, rng.randint(0, 59)))
            if sent.future(created):  # a late update that would come after today: it came just before
                created = sent.cutoff - timedelta(hours=1)
            rows.append(
                dict(
                    task_id=task_id,
                    agency_id=agency_id,
                    status=status,
                    progress=progress,
                    note=note,
                    evidence_url=None,
                    month=month,
                    completed_on=completed,
                    created_at=created,
                    created_by="demo",
                )
            )

        return add

    for task in tasks:
        year = plans[task.plan_id].year
        add = writer(task.id, leads.get(task.id))
        months = list(months_until(year, as_of))
        if task.start_date and task.start_date.year == year:
            months = [m for m in months if m >= task.start_date.replace(day=1)]
        if task.deadline_kind == RECURRING:
            # Every agency behind the lead (all members of a collective group) reports each month.
            _recurring_reports(add, expand(all_leads.get(task.id, []), members_of(task.plan_id)), months, sent)
        elif task.deadline_kind == CONDITIONAL:
            if rng.random() < 0.3 and months:
                add(months[-1], "not_started", 0, "Chưa có hướng dẫn của Trung ương")
        elif task.deadline_kind != DATE or task.due_date is None:
            if rng.random() < 0.5 and months:
                add(months[-1], "in_progress", rng.choice((20, 40, 60)), "Đang triển khai")
        else:
            finish, not_started = finish_date(rng, task.due_date, as_of, year)
            if not not_started:
                _dated_reports(add, rng, months, task.due_date, finish, as_of, year)
    return rows


def _demo_accounts(session: Session) -> None:
    for username, password, role, where, name in DEMO_USERS:
        agency_id = province_id = None
        if where is not None and where[1] is None:  # a viewer of one province
            province_id = session.scalar(select(Province.id).where(Province.name == where[0]))
        elif where is not None:
            agency_id = session.scalar(
                select(Agency.id).join(Province).where(Province.name == where[0], Agency.name == where[1])
            )
        create_user(session, SYSTEM, username, password, role, agency_id, name, province_id)
    session.add(
        KioskToken(name="Phòng điều hành UBND tỉnh (demo)", token_hash=token_hash(DEMO_KIOSK_TOKEN), created_by="demo")
    )


RETURN_REASON = "Thiếu minh chứng kết quả nhiệm vụ; đề nghị bổ sung đường dẫn văn bản và số liệu mẫu số."
WAITING = 3  # the last reports of this month still wait for the secretariat


def _demo_cycle(session: Session, as_of: date) -> None:
    """The monthly cycle as the committee would have run it: every earlier month approved; this month, once its
    report day has passed, the last reports still waiting (their figures and task reports not yet counted) and
    one returned with its reason; and, per plan, leaders' directives: one answered, one waiting, one unanswered
    past its date (a red flag)."""
    this_month = as_of.replace(day=1)
    # the demo's own agency accounts have this month still open: a visitor walks the cycle with them
    walk = set(session.scalars(select(User.agency_id).where(User.agency_id.is_not(None))))
    for plan in session.scalars(select(Plan).order_by(Plan.id)).all():
        received = kept.receipts_from_store(session, plan.id)
        sent = {k: at for k, at in received.items() if not (k[1] == this_month and k[0] in walk)}
        current = sorted((at, agency) for (agency, month), at in sent.items() if month == this_month)
        held = {agency: RETURNED if n == 0 else SUBMITTED for n, (_, agency) in enumerate(current[-WAITING - 1 :])}
        rows = []
        for (agency, month), at in sorted(sent.items()):
            if month > this_month:
                continue
            status = held.get(agency, APPROVED) if month == this_month else APPROVED
            decided = min(at + timedelta(days=2), datetime.combine(as_of, time(7)))
            rows.append(
                {
                    "plan_id": plan.id,
                    "agency_id": agency,
                    "month": month,
                    "status": status,
                    "submitted_at": at,
                    "submitted_by": "demo",
                    "decided_at": None if status == SUBMITTED else decided,
                    "decided_by": None if status == SUBMITTED else "admin",
                    "reason": RETURN_REASON if status == RETURNED else None,
                    "version": 2,
                }
            )
        if rows:
            session.execute(insert(MonthReport), rows)
        if held:
            indicators = select(Indicator.id).where(Indicator.plan_id == plan.id)
            tasks = select(Task.id).where(Task.plan_id == plan.id)
            session.execute(
                update(Measurement)
                .where(
                    Measurement.indicator_id.in_(indicators),
                    Measurement.agency_id.in_(list(held)),
                    Measurement.month == this_month,
                    Measurement.source == "demo",
                )
                .values(approved=False)
            )
            session.execute(
                update(TaskUpdate)
                .where(
                    TaskUpdate.task_id.in_(tasks), TaskUpdate.agency_id.in_(list(held)), TaskUpdate.month == this_month
                )
                .values(approved=False)
            )
        _demo_directives(session, plan, as_of)


def _demo_directives(session: Session, plan: Plan, as_of: date) -> None:
    leads = session.execute(
        select(TaskAgency.agency_id, Task.id)
        .join(Task)
        .join(Agency, Agency.id == TaskAgency.agency_id)
        .where(Task.plan_id == plan.id, TaskAgency.role == "lead", Agency.kind != GROUP, Task.active.is_(True))
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id)
    ).all()
    distinct: dict[int, int] = {}
    for agency, task in leads:  # three agencies, each with its earliest-due task
        distinct.setdefault(agency, task)
    leads = list(distinct.items())
    if len(leads) < 3:
        return
    at = datetime.combine(as_of - timedelta(days=20), time(9))
    given = [
        # (agency, task, text, due, answer)
        (
            *leads[0],
            "Khẩn trương hoàn thành nhiệm vụ; báo cáo kết quả và nguyên nhân chậm.",
            as_of - timedelta(days=6),
            None,
        ),
        (
            leads[1][0],
            None,
            "Rà soát, đề xuất giải pháp nâng tỷ lệ hồ sơ trực tuyến toàn trình.",
            as_of + timedelta(days=7),
            None,
        ),
        (
            leads[2][0],
            None,
            "Tham mưu báo cáo sơ kết công tác chuyển đổi số của đơn vị.",
            as_of - timedelta(days=10),
            "Đã gửi báo cáo sơ kết (Văn bản số 125/BC).",
        ),
    ]
    for agency, task, body, due, answer in given:
        session.add(
            Directive(
                plan_id=plan.id,
                agency_id=agency,
                subject="task" if task else "agency",
                subject_id=task,
                text=body,
                due_date=due,
                created_at=at,
                created_by="lanhdao",
                answer=answer,
                answered_at=at + timedelta(days=5) if answer else None,
                answered_by="demo" if answer else None,
            )
        )


def clear(engine: Engine) -> None:
    """Delete every row, keeping the schema (children first)."""
    with transaction(engine) as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())


def build_demo(
    engine: Engine,
    as_of: date,
    *,
    force: bool = False,
    sources_url: str | None = None,
    sources: list | None = None,
    source_scale: float = 1.0,
) -> DemoSummary:
    """Create the schema if needed and (re)fill it with the demo; real data is never overwritten unless forced."""
    upgrade(engine)
    with transaction(engine) as session:
        has_plans = session.scalar(select(Plan.id).limit(1)) is not None
        is_demo = get_meta(session, "dataset") == "demo"
    if has_plans and not is_demo and not force:
        raise DemoRefused("the database already holds imported plans; use --force to replace them with the demo")
    if has_plans:
        clear(engine)
    parsed = [read_plan(DATA / "plans" / name) for name in PLANS]
    rng = random.Random(SEED)
    with transaction(engine) as session:
        agencies = _load_agencies(session)
        reports = [load_plan(session, p) for p in parsed]
        session.flush()
        sent = _ReportCalendar(rng, datetime.combine(as_of, time.min))
        # With a source database the headline KPIs come from its raw records, not from the generator.
        measurements = _measurements(session, rng, as_of, sent, HEADLINE if sources_url else ())
        if measurements:
            session.execute(insert(Measurement), measurements)
        updates = _task_updates(session, rng, as_of, sent)
        if updates:
            session.execute(insert(TaskUpdate), updates)
        _demo_accounts(session)
        session.flush()
        _demo_cycle(session, as_of)
        kept.rebuild(session)  # loaded in bulk: every plan's latest reports, recent figures and receipts
        set_meta(session, "dataset", "demo")
        set_meta(session, "demo_as_of", as_of.isoformat())
        if sources_url:
            # The raw records behind the headline KPIs: the refresh turns them into figures below.
            raw = build_source_db(make_engine(sources_url), session, as_of, source_scale)
            set_meta(session, "demo_source_rows", str(sum(raw.values())))
    if sources_url:
        for src in sources or []:
            run_source(engine, src, trigger="demo")
    return DemoSummary(reports, agencies, len(measurements), len(updates), as_of)


def demo_options(config: Config) -> dict:
    """What the configuration says about the demo's data sources, as ``build_demo`` keywords."""
    return {
        "sources_url": config.demo_sources(),
        "sources": config.sources(),
        "source_scale": config.demo_source_scale,
    }


def ensure_database(
    engine: Engine,
    as_of: date,
    *,
    fill_demo: bool,
    sources_url: str | None = None,
    sources: list | None = None,
    source_scale: float = 1.0,
) -> bool:
    """Migrate the schema; fill an empty database with the demo when asked. True if the demo was built."""
    empty = is_empty(engine)
    upgrade(engine)
    if not fill_demo:
        return False
    with transaction(engine) as session:
        has_plans = session.scalar(select(Plan.id).limit(1)) is not None
    if empty or not has_plans:
        build_demo(engine, as_of, sources_url=sources_url, sources=sources, source_scale=source_scale)
        return True
    return False


def prepare_store(config: Config) -> bool:
    """What a process that serves the site does once before building the app (``serve``, gunicorn's
    ``create_server``): migrate the store and, on the embedded default, fill an empty one with the demo.
    True if the demo was built. The app factory itself never touches the data."""
    engine = make_engine(config.database_url, config.db_timeout_s)
    try:
        fill = config.auto_demo and engine.dialect.name == "sqlite"
        return ensure_database(engine, config.as_of(), fill_demo=fill, **demo_options(config))
    finally:
        engine.dispose()


def data_files() -> list[Path]:
    """The files the demo is built from."""
    return [DATA / "plans" / n for n in PLANS] + [DATA / "agencies.csv"]
