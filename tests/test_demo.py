"""The demo dataset: built from the seeds, deterministic, with a realistic mix of situations."""

from collections import Counter
from datetime import date, datetime, time

from sqlalchemy import func, select

from dashboard.demo import build_demo
from dashboard.reads.rows import task_rows
from dashboard.store.database import get_meta, transaction
from dashboard.store.models import Measurement, Plan, TaskUpdate

AS_OF = date(2026, 11, 27)


def test_demo_content(engine) -> None:  # noqa: ANN001
    summary = build_demo(engine, AS_OF)
    assert [r.plan_code for r in summary.reports] == [
        "thai-nguyen-2026-kh-ubnd",
        "dong-thap-2026-qd-bcd",
        "lao-cai-2026-kh-bcd",
    ]
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(Plan)) == 3
        assert get_meta(s, "dataset") == "demo"
        assert s.scalar(select(func.count()).select_from(Measurement)) == summary.measurements > 1000
        assert s.scalar(select(func.max(Measurement.month))) <= AS_OF
        assert s.scalar(select(func.max(TaskUpdate.month))) <= AS_OF
        # Nothing is dated after the "as of" day began, so an update saved that day is the latest one.
        assert s.scalar(select(func.max(TaskUpdate.created_at))) < datetime.combine(AS_OF, time.min)
        statuses = Counter(r.status for r in task_rows(s, AS_OF))
    for status in ("done", "done_late", "overdue", "in_progress", "waiting"):
        assert statuses[status] >= 3, statuses
    assert sum(statuses.values()) == 10 + 56 + 123


def test_demo_is_deterministic(engine) -> None:  # noqa: ANN001
    def fingerprint() -> tuple:
        with transaction(engine) as s:
            m = s.execute(select(func.sum(Measurement.numerator), func.count(Measurement.id))).one()
            u = s.execute(select(func.sum(TaskUpdate.progress), func.count(TaskUpdate.id))).one()
            return tuple(m) + tuple(u)

    build_demo(engine, AS_OF)
    first = fingerprint()
    build_demo(engine, AS_OF)
    assert fingerprint() == first


def test_demo_early_in_the_year_has_less(engine) -> None:  # noqa: ANN001
    early = build_demo(engine, date(2026, 3, 10))
    assert 0 < early.measurements < build_demo(engine, AS_OF).measurements
