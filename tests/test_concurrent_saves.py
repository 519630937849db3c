"""No lost update on any store (issue 13): two people saving the same task, or creating the same monthly figure,
at the same moment get one success and one conflict, on SQLite (no row locks) as on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from conftest import TN
from sqlalchemy import func, select

from dashboard.accounts.users import SYSTEM, Actor, create_user
from dashboard.cycle.locks import Rhythm
from dashboard.importers import import_file
from dashboard.store.database import transaction
from dashboard.store.models import Agency, Indicator, IndicatorLead, Measurement, Task, TaskAgency, TaskUpdate
from dashboard.updates import Conflict, FigureInput, TaskChange, save_figures, update_task

TODAY = date(2026, 11, 27)
ROUNDS = 10
OPEN = Rhythm(25, None, 365)  # the months of the year stay open: these tests are about two saves at once


@pytest.fixture
def world(engine):  # noqa: ANN001, ANN201
    import_file(engine, TN)
    with transaction(engine) as s:
        agency = s.scalar(select(Agency).where(Agency.name == "Sở Khoa học và Công nghệ"))
        user = create_user(s, SYSTEM, "skhcn", "mat-khau-dai-du", "agency", agency.id, "Sở KH&CN")
        task = s.scalar(
            select(Task.id).join(TaskAgency).where(TaskAgency.agency_id == agency.id, TaskAgency.role == "lead")
        )
        kpi = s.scalar(
            select(Indicator.id)
            .join(IndicatorLead)
            .where(IndicatorLead.agency_id == agency.id, Indicator.is_ratio.is_(True))
        )
        return Actor(user.id, user.username, user.role, agency.id), task, kpi


def race(n: int, work) -> list[str]:  # noqa: ANN001
    """Run ``work(i)`` in ``n`` threads released together; each result is "ok", "conflict" or an error."""
    barrier = threading.Barrier(n)
    results: list[str] = [""] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            work(i)
            results[i] = "ok"
        except Conflict:
            results[i] = "conflict"
        except Exception as exc:  # noqa: BLE001 - reported in the assertion
            results[i] = f"{type(exc).__name__}: {exc}"

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_saves_of_one_task_never_both_succeed(engine, world) -> None:  # noqa: ANN001
    who, task_id, _ = world
    for r in range(ROUNDS):
        with transaction(engine) as s:
            version = s.get(Task, task_id).version

        def save(i: int, version: int = version, r: int = r) -> None:
            with transaction(engine, write=True) as s:
                change = TaskChange("in_progress", 10 + r, TODAY.replace(day=1), note=f"round {r} by {i}")
                update_task(s, who, task_id, version, change, TODAY, OPEN)

        results = race(2, save)
        assert sorted(results) == ["conflict", "ok"], (r, results)
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(TaskUpdate).where(TaskUpdate.task_id == task_id)) == ROUNDS
        assert s.get(Task, task_id).version == 1 + ROUNDS


def test_two_people_creating_one_figure_get_one_conflict(engine, world) -> None:  # noqa: ANN001
    who, _, kpi = world
    for r in range(ROUNDS):
        month = date(2026, 1 + r, 1)

        def create(i: int, month: date = month) -> None:
            with transaction(engine, write=True) as s:
                figure = FigureInput(kpi, 10 + i, 20, version=0)  # neither saw a figure when the form opened
                save_figures(s, who, who.agency_id, month, [figure], TODAY, rhythm=OPEN)

        results = race(2, create)
        assert sorted(results) == ["conflict", "ok"], (r, results)
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(Measurement).where(Measurement.indicator_id == kpi)) == ROUNDS


def test_a_figure_created_after_the_form_opened_is_not_overwritten(engine, world) -> None:  # noqa: ANN001
    who, _, kpi = world
    month = date(2026, 10, 1)
    with transaction(engine, write=True) as s:
        save_figures(s, who, who.agency_id, month, [FigureInput(kpi, 5, 10, version=0)], TODAY, rhythm=OPEN)
    with pytest.raises(Conflict), transaction(engine, write=True) as s:
        save_figures(s, who, who.agency_id, month, [FigureInput(kpi, 7, 10, version=0)], TODAY, rhythm=OPEN)
    with transaction(engine) as s:
        m = s.scalar(select(Measurement).where(Measurement.indicator_id == kpi, Measurement.month == month))
        assert (m.numerator, m.denominator) == (5, 10)
