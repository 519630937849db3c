"""The rows every write keeps (``dashboard.store.latest``: each task's latest report and note, each KPI's recent
figures, each agency's monthly receipts) equal what the stored history says after every kind of write, on SQLite
and PostgreSQL, and the pages' readers give the history's answer for a past "as of" date too.

The expected values are computed here from plain SQL rows of the history, not by the module's own rules."""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import date, datetime

import pytest
from alembic import command
from sqlalchemy import select, text

from dashboard.accounts.users import SYSTEM, Actor, create_user
from dashboard.cycle import approval
from dashboard.cycle.locks import Rhythm
from dashboard.kpi.reporting import submissions
from dashboard.kpi.values import load_recent_figures
from dashboard.reads.rows import task_rows
from dashboard.sources.definitions import Source
from dashboard.sources.refresh import apply_rows
from dashboard.store.database import alembic_config, transaction, upgrade
from dashboard.store.models import Agency, Indicator, MonthReport, Plan, Province, Task, TaskAgency, User
from dashboard.updates import FigureInput, TaskChange, add_task_note, save_figures, update_task

TODAY = date(2026, 11, 27)
NOV = date(2026, 11, 1)
OPEN = Rhythm(25, None, 365)  # every month of the year open: these tests are about what the writes keep
SUBMITTED_BY_AGENCIES = ("form", "excel", "upload", "demo")  # the sources an agency's own figures carry


# --- expectations from the history, in plain SQL ----------------------------------------------------------


def _plan_ids(conn) -> list[int]:  # noqa: ANN001
    return list(conn.execute(text("SELECT id FROM plan ORDER BY id")).scalars())


def expected_tasks(conn, plan_id: int, today: date | None = None) -> dict[int, tuple]:  # noqa: ANN001
    """Per task: (month, status, progress, completed_on, evidence_url) of its newest approved report that is not
    a note, and (note, month) of its newest non-empty note, newest by month, then time of entry, then id."""
    rows = conn.execute(
        text(
            "SELECT u.task_id, u.month, u.created_at, u.id, u.kind, u.approved, u.status, u.progress,"
            " u.completed_on, u.evidence_url, u.note FROM task_update u JOIN task t ON t.id = u.task_id"
            " WHERE t.plan_id = :p"
        ),
        {"p": plan_id},
    ).all()
    report: dict[int, tuple] = {}
    note: dict[int, tuple] = {}
    for r in rows:
        month = _day(r.month)
        if today is not None and month > today:
            continue
        order = (month, _moment(r.created_at), r.id)
        if r.kind != "note" and r.approved and (r.task_id not in report or order > report[r.task_id][0]):
            report[r.task_id] = (order, (month, r.status, r.progress, _day(r.completed_on), r.evidence_url))
        if r.note and (r.task_id not in note or order > note[r.task_id][0]):
            note[r.task_id] = (order, (r.note, month))
    out: dict[int, tuple] = {}
    for task_id in set(report) | set(note):
        out[task_id] = (report.get(task_id, (None, None))[1], note.get(task_id, (None, None))[1])
    return out


def kept_tasks(conn, plan_id: int) -> dict[int, tuple]:  # noqa: ANN001
    rows = conn.execute(
        text(
            "SELECT task_id, month, status, progress, completed_on, evidence_url, note, note_month"
            " FROM task_latest WHERE plan_id = :p"
        ),
        {"p": plan_id},
    ).all()
    return {
        r.task_id: (
            (_day(r.month), r.status, r.progress, _day(r.completed_on), r.evidence_url) if r.month else None,
            (r.note, _day(r.note_month)) if r.note_month else None,
        )
        for r in rows
    }


def expected_figures(conn, plan_id: int, until: date) -> set[tuple]:  # noqa: ANN001
    """Per KPI and agency: its two newest approved figures up to ``until`` and its first of that year."""
    rows = conn.execute(
        text(
            "SELECT m.indicator_id, m.agency_id, m.month, m.numerator, m.denominator, m.value"
            " FROM measurement m JOIN indicator i ON i.id = m.indicator_id"
            " WHERE i.plan_id = :p AND m.approved = :yes"
        ),
        {"p": plan_id, "yes": True},
    ).all()
    series: dict[tuple, list] = defaultdict(list)
    for r in rows:
        if _day(r.month) <= until:
            series[(r.indicator_id, r.agency_id)].append((r.indicator_id, r.agency_id, _day(r.month), *r[3:6]))
    out: set[tuple] = set()
    for figures in series.values():
        figures.sort(key=lambda f: f[2])
        out.update(figures[-2:])
        this_year = [f for f in figures if f[2].year == until.year]
        if this_year:
            out.add(this_year[0])
    return out


def read_figures(session, plan_id: int, until: date) -> set[tuple]:  # noqa: ANN001
    ids = session.scalars(select(Indicator.id).where(Indicator.plan_id == plan_id)).all()
    return {
        (f.indicator_id, f.agency_id, f.month, f.numerator, f.denominator, f.value)
        for f in load_recent_figures(session, ids, until)
    }


def expected_receipts(conn, plan_id: int) -> dict[tuple[int, date], datetime]:  # noqa: ANN001
    """The first moment each agency sent a figure of its own (not a SQL source's) or a task report, per month."""
    names = ", ".join(f"'{n}'" for n in SUBMITTED_BY_AGENCIES)
    rows = conn.execute(
        text(
            "SELECT m.agency_id, m.month, m.recorded_at FROM measurement m JOIN indicator i ON i.id = m.indicator_id"
            f" WHERE i.plan_id = :p AND m.source IN ({names})"
            " UNION ALL SELECT u.agency_id, u.month, u.created_at FROM task_update u JOIN task t ON t.id = u.task_id"
            " WHERE t.plan_id = :p AND u.agency_id IS NOT NULL"
        ),
        {"p": plan_id},
    ).all()
    first: dict[tuple[int, date], datetime] = {}
    for agency_id, month, at in rows:
        if at is None:
            continue
        key = (agency_id, _day(month))
        first[key] = min(first.get(key, _moment(at)), _moment(at))
    return first


def _day(value) -> date | None:  # noqa: ANN001
    """SQLite hands back dates as text through ``text()`` queries."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _moment(value) -> datetime:  # noqa: ANN001
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def assert_kept(engine, as_of: date = TODAY) -> None:  # noqa: ANN001
    """Every plan's kept rows, and what the pages read from them, equal the history's answer."""
    with engine.connect() as conn:
        for plan_id in _plan_ids(conn):
            assert kept_tasks(conn, plan_id) == expected_tasks(conn, plan_id), f"plan {plan_id}: task_latest"
            want_receipts = expected_receipts(conn, plan_id)
            with transaction(engine) as s:
                got = {k: _moment(v) for k, v in submissions(s, plan_id).items()}
                assert got == want_receipts, f"plan {plan_id}: report_receipt"
                assert read_figures(s, plan_id, as_of) == expected_figures(conn, plan_id, as_of), (
                    f"plan {plan_id}: figure_recent"
                )
                _assert_task_rows(s, conn, plan_id, as_of)


def _assert_task_rows(session, conn, plan_id: int, as_of: date) -> None:  # noqa: ANN001
    """The tasks' rows as the pages show them carry the history's latest report and note as of the date."""
    want = expected_tasks(conn, plan_id, as_of)
    for row in task_rows(session, as_of, plan_id=plan_id):
        report, note = want.get(row.id, (None, None))
        shown = (row.last_update, row.completed_on, row.evidence_url)
        assert shown == ((report[0], report[3], report[4]) if report else (None, None, None)), f"task {row.id}"
        assert row.last_note == (note[0] if note else None), f"task {row.id}: note"


# --- the world -----------------------------------------------------------------------------------------------


@pytest.fixture
def world(demo_engine):  # noqa: ANN001, ANN201
    with transaction(demo_engine) as s:
        tn = s.scalar(select(Province.id).where(Province.name == "Thái Nguyên"))
        plan = s.scalar(select(Plan.id).where(Plan.province_id == tn))
        science = s.scalar(select(Agency.id).where(Agency.province_id == tn, Agency.name == "Sở Khoa học và Công nghệ"))
        finance = s.scalar(select(Agency.id).where(Agency.province_id == tn, Agency.name == "Sở Tài chính"))
        tasks = s.scalars(
            select(Task.id)
            .join(TaskAgency)
            .where(Task.plan_id == plan, TaskAgency.agency_id == science, TaskAgency.role == "lead")
            .order_by(Task.id)
        ).all()
        kpi = s.scalar(select(Indicator.id).where(Indicator.plan_id == plan, Indicator.code == "14"))
        reporter = create_user(s, SYSTEM, "sotc.kept", "mat-khau-dai-du", "agency", finance)
        actors = {
            "science": Actor(
                s.scalar(select(User.id).where(User.username == "sokhcn.thainguyen")),
                "sokhcn.thainguyen",
                "agency",
                science,
            ),
            "finance": Actor(reporter.id, reporter.username, "agency", finance),
            "admin": Actor(s.scalar(select(User.id).where(User.username == "admin")), "admin", "admin"),
        }
    ids = {"plan": plan, "science": science, "finance": finance, "tasks": tasks, "kpi": kpi}
    return demo_engine, ids, actors


def _version(engine, task_id: int) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return conn.execute(text("SELECT version FROM task WHERE id = :t"), {"t": task_id}).scalar_one()


def _report(engine, task_id: int, who: Actor, progress: int, note: str = "") -> None:  # noqa: ANN001
    with transaction(engine, write=True) as s:
        update_task(
            s, who, task_id, _version(engine, task_id), TaskChange("in_progress", progress, NOV, note=note), TODAY, OPEN
        )


# --- the tests ------------------------------------------------------------------------------------------------


def test_the_demo_as_built_keeps_the_history(world) -> None:  # noqa: ANN001
    engine, _, _ = world
    assert_kept(engine)
    assert_kept(engine, date(2026, 6, 15))  # a page dated in June: the readers go back to the history


def test_task_reports_and_notes_are_kept_approved_or_not(world) -> None:  # noqa: ANN001
    engine, ids, who = world
    first, second = ids["tasks"][:2]
    _report(engine, first, who["science"], 55, "chờ duyệt")  # waits for approval: the page keeps the old one
    _report(engine, second, who["admin"], 65, "duyệt ngay")  # the secretariat's own: counts at once
    with transaction(engine, write=True) as s:
        add_task_note(s, who["science"], first, _version(engine, first), "ghi chú mới", TODAY)
    assert_kept(engine)
    with engine.connect() as conn:
        kept = kept_tasks(conn, ids["plan"])
    assert kept[second][0][2] == 65
    assert kept[first][1] == ("ghi chú mới", NOV)
    assert kept[first][0] is None or kept[first][0][2] != 55


def test_figures_typed_uploaded_and_approved_are_kept(world) -> None:  # noqa: ANN001
    engine, ids, who = world
    with transaction(engine, write=True) as s:
        s.execute(MonthReport.__table__.delete().where(MonthReport.agency_id == ids["finance"]))
    with transaction(engine, write=True) as s:
        save_figures(s, who["finance"], ids["finance"], NOV, [FigureInput(ids["kpi"], 120, 1000)], TODAY, rhythm=OPEN)
    with transaction(engine, write=True) as s:
        save_figures(
            s,
            who["finance"],
            ids["finance"],
            date(2026, 10, 1),
            [FigureInput(ids["kpi"], 90, 1000)],
            TODAY,
            source="upload",
            rhythm=OPEN,
        )
    assert_kept(engine)
    with engine.connect() as conn:
        receipts = expected_receipts(conn, ids["plan"])
    assert (ids["finance"], NOV) in receipts  # the typed figure is a receipt before it is approved
    _report(engine, ids["tasks"][0], who["science"], 40)
    with transaction(engine, write=True) as s:
        report = approval.submit(s, who["finance"], ids["plan"], ids["finance"], NOV, OPEN, TODAY)
        report_id = report.id
    with transaction(engine, write=True) as s:
        approval.approve(s, who["admin"], report_id)
    assert_kept(engine)
    with transaction(engine) as s:
        nov = [f for f in read_figures(s, ids["plan"], TODAY) if f[:3] == (ids["kpi"], ids["finance"], NOV)]
    assert nov == [(ids["kpi"], ids["finance"], NOV, 120.0, 1000.0, None)]  # approved: counts on the pages


def test_a_source_replacing_an_agency_figure_moves_its_receipt(world) -> None:  # noqa: ANN001
    engine, ids, who = world
    with transaction(engine, write=True) as s:
        s.execute(MonthReport.__table__.delete().where(MonthReport.agency_id == ids["finance"]))
        save_figures(s, who["finance"], ids["finance"], NOV, [FigureInput(ids["kpi"], 120, 1000)], TODAY, rhythm=OPEN)
    with transaction(engine) as s:
        plan_code = s.scalar(select(Plan.code).where(Plan.id == ids["plan"]))
        code = s.scalar(select(Indicator.code).where(Indicator.id == ids["kpi"]))
        name = s.scalar(select(Agency.name).where(Agency.id == ids["finance"]))
    source = Source("kept-test", "Nguồn thử", "sqlite://", "SELECT 1", plan=plan_code)
    with transaction(engine, write=True) as s:
        applied = apply_rows(s, source, [(code, name, "2026-11", 300, 1000)], datetime(2026, 11, 27, 9, 0))
        assert applied.changed == 1, applied.problems
    assert_kept(engine)
    with engine.connect() as conn:
        source_now = conn.execute(
            text("SELECT source FROM measurement WHERE indicator_id = :k AND agency_id = :a AND month = :m"),
            {"k": ids["kpi"], "a": ids["finance"], "m": NOV},
        ).scalar_one()
    assert source_now == "kept-test"


def test_the_migration_fills_the_kept_rows_of_an_existing_store(world) -> None:  # noqa: ANN001
    engine, _, _ = world
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0012")
    cfg.attributes.pop("connection", None)
    upgrade(engine)
    assert_kept(engine)


def test_an_approval_and_task_reports_at_once_keep_both(world) -> None:  # noqa: ANN001
    """PostgreSQL runs the transactions side by side: an approval keeps every task of the plan while other
    agencies' reports keep theirs; neither may miss the other's report nor write the same kept row twice."""
    engine, ids, who = world
    months = [date(2026, m, 1) for m in (9, 10, 11)]
    with transaction(engine, write=True) as s:
        s.execute(MonthReport.__table__.delete().where(MonthReport.plan_id == ids["plan"]))
    report_ids = []
    for month in months:
        with transaction(engine, write=True) as s:
            save_figures(
                s, who["finance"], ids["finance"], month, [FigureInput(ids["kpi"], 70, 1000)], TODAY, rhythm=OPEN
            )
            report_ids.append(approval.submit(s, who["finance"], ids["plan"], ids["finance"], month, OPEN, TODAY).id)
    tasks = ids["tasks"][:4]
    errors: list[str] = []
    for round_, report_id in enumerate(report_ids):
        barrier = threading.Barrier(len(tasks) + 1)

        def work(i: int, round_: int = round_, report_id: int = report_id, barrier=barrier) -> None:  # noqa: ANN001
            barrier.wait()
            try:
                if i < len(tasks):
                    _report(engine, tasks[i], who["admin"], 10 * round_ + i, f"báo cáo {round_}.{i}")
                else:
                    with transaction(engine, write=True) as s:
                        approval.approve(s, who["admin"], report_id)
            except Exception as exc:  # noqa: BLE001 - reported in the assertion
                errors.append(f"{type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(tasks) + 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert_kept(engine)
