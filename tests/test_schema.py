"""The migrations build exactly the schema the models describe, on both databases, and the read paths that
must stay cheap at national scale use their indexes."""

from __future__ import annotations

import re
from datetime import date, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from dashboard.store.database import transaction
from dashboard.store.latest import keep_tasks, latest_updates, task_reports
from dashboard.store.models import Base, Plan, Province, Task, TaskUpdate


def test_migrations_match_the_models(engine) -> None:  # noqa: ANN001
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_a_tasks_latest_update_and_note_follow_month_then_time_of_entry(engine) -> None:  # noqa: ANN001
    with transaction(engine) as s:
        province = Province(name="Tỉnh Thử", slug="tinh-thu")
        plan = Plan(province=province, year=2026, doc_type="KH", code="T", title="t")
        task = Task(plan=plan, key="t-1", code="1", name="Việc", deadline_kind="date")
        s.add_all([province, plan, task])
        s.flush()
        rows = [
            ("update", "in_progress", 30, date(2026, 10, 1), datetime(2026, 10, 5), "tháng 10"),
            ("update", "in_progress", 60, date(2026, 11, 1), datetime(2026, 11, 3), None),
            ("note", "in_progress", 0, date(2026, 11, 1), datetime(2026, 11, 9), "ghi chú"),
            ("update", "in_progress", 70, date(2026, 11, 1), datetime(2026, 11, 8), ""),  # same month, later
            ("update", "done", 100, date(2026, 12, 1), datetime(2026, 11, 10), "tương lai"),  # after "today"
        ]
        for kind, status, progress, month, at, note in rows:
            s.add(
                TaskUpdate(
                    task_id=task.id, kind=kind, status=status, progress=progress, month=month, created_at=at, note=note
                )
            )
        s.flush()
        today = date(2026, 11, 27)
        latest = latest_updates(s, [task.id], TaskUpdate.kind != "note", today)
        notes = latest_updates(s, [task.id], TaskUpdate.note.is_not(None) & (TaskUpdate.note != ""), today)
        assert latest[task.id].progress == 70
        assert notes[task.id].note == "ghi chú"
        assert latest_updates(s, [task.id], TaskUpdate.kind != "note", date(2026, 10, 31))[task.id].progress == 30
        assert latest_updates(s, [], TaskUpdate.kind != "note", today) == {}
        # the kept row holds the newest report (December's); read as of November it is not used
        keep_tasks(s, [task.id])
        reports, kept_notes = task_reports(s, [task.id], today)
        assert reports[task.id].progress == 70 and kept_notes[task.id].note == "ghi chú"
        assert task_reports(s, [task.id], date(2026, 12, 31))[0][task.id].progress == 100


def test_postgresql_reads_a_tasks_latest_update_from_the_index(engine) -> None:  # noqa: ANN001
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))  # an empty table: make the planner show its index choice
        plan = "\n".join(
            r[0]
            for r in conn.execute(
                text(
                    "EXPLAIN SELECT id FROM task_update WHERE task_id = 1 AND month <= '2026-11-27' "
                    "ORDER BY task_id DESC, month DESC, created_at DESC, id DESC LIMIT 1"
                )
            )
        )
    assert "ix_task_update_latest" in plan and "Sort" not in plan


def test_the_index_of_source_fed_figures_names_every_submitted_source() -> None:
    """``ix_measurement_fed`` holds the figures no agency submitted: its predicate lists exactly the sources that
    ``kpi.figure_origin`` counts as submissions (a new one added there must be added to the index too)."""
    from dashboard.kpi.figure_origin import SUBMITTED
    from dashboard.store.models import FED_BY_SOURCE

    assert sorted(re.findall(r"'([^']+)'", FED_BY_SOURCE)) == sorted(SUBMITTED)


def test_postgresql_finds_the_kpis_a_source_feeds_by_index(engine) -> None:  # noqa: ANN001
    if engine.dialect.name != "postgresql":
        return
    from sqlalchemy.dialects import postgresql

    from dashboard.kpi import figure_origin

    captured: list[str] = []

    class Spy:  # the statement fed_by_sources runs, rendered with its values as PostgreSQL gets them
        def execute(self, stmt):  # noqa: ANN001, ANN202
            captured.append(str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})))
            return conn.execute(stmt)

    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        figure_origin.fed_by_sources(Spy(), [1, 2])
        plan = "\n".join(r[0] for r in conn.execute(text("EXPLAIN " + captured[0])))
    assert "ix_measurement_fed" in plan, plan
