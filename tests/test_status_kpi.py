"""The status rules and the weighted KPI aggregation."""

from datetime import date

import pytest

from dashboard.kpi.rules import BELOW_TARGET, NEAR_TARGET, NO_DATA, ON_TARGET, aggregate, kpi_status
from dashboard.kpi.status import (
    DONE,
    DONE_LATE,
    IN_PROGRESS,
    NOT_STARTED,
    OVERDUE,
    WAITING,
    Report,
    days_overdue,
    task_status,
)
from dashboard.kpi.targets import Target
from dashboard.messages import label

TODAY = date(2026, 11, 27)
DUE = date(2026, 6, 30)


def test_not_started_before_due() -> None:
    assert task_status("date", date(2026, 12, 31), [], TODAY) == NOT_STARTED


def test_in_progress() -> None:
    assert task_status("date", date(2026, 12, 31), [Report(date(2026, 10, 1), IN_PROGRESS, 40)], TODAY) == IN_PROGRESS


def test_overdue_when_past_due_and_not_done() -> None:
    assert task_status("date", DUE, [Report(date(2026, 6, 1), IN_PROGRESS, 60)], TODAY) == OVERDUE
    assert task_status("date", DUE, [], TODAY) == OVERDUE
    assert days_overdue(DUE, TODAY) == 150


def test_due_today_is_not_overdue() -> None:
    assert task_status("date", TODAY, [], TODAY) == NOT_STARTED


def test_done_and_done_late() -> None:
    on_time = Report(date(2026, 6, 1), DONE, 100, completed_on=date(2026, 6, 20))
    late = Report(date(2026, 8, 1), DONE, 100, completed_on=date(2026, 8, 3))
    assert task_status("date", DUE, [on_time], TODAY) == DONE
    assert task_status("date", DUE, [late], TODAY) == DONE_LATE


def test_conditional_waits_for_guidance_until_done() -> None:
    assert task_status("conditional", None, [], TODAY) == WAITING
    assert task_status("conditional", None, [Report(date(2026, 9, 1), DONE, 100)], TODAY) == DONE


def test_recurring_never_overdue_by_date() -> None:
    assert task_status("recurring", None, [Report(date(2026, 11, 1), IN_PROGRESS, 50)], TODAY) == IN_PROGRESS


def test_reports_after_as_of_date_are_ignored() -> None:
    future = Report(date(2026, 12, 1), DONE, 100)
    assert task_status("date", DUE, [future], TODAY) == OVERDUE


def test_latest_report_wins() -> None:
    reports = [Report(date(2026, 5, 1), DONE, 100), Report(date(2026, 6, 1), IN_PROGRESS, 80)]
    assert task_status("date", date(2026, 12, 31), reports, TODAY) == IN_PROGRESS


def test_labels() -> None:
    assert label("status", OVERDUE) == "Quá hạn"
    assert label("status", OVERDUE, "en") == "Overdue"


def test_weighted_aggregation_sums_numerators_and_denominators() -> None:
    agg = aggregate([(8, 10), (90, 100)])
    assert (agg.numerator, agg.denominator) == (98, 110)
    assert agg.percent == pytest.approx(89.0909, rel=1e-4)
    assert agg.percent != pytest.approx((80 + 90) / 2)


def test_aggregation_skips_missing_denominators() -> None:
    assert aggregate([(5, 0), (None, 10), (3, 4)]).percent == 75
    assert aggregate([]).percent is None


def test_kpi_status() -> None:
    t = Target(">=", 80)
    assert kpi_status(81, t) == ON_TARGET
    assert kpi_status(77, t) == NEAR_TARGET
    assert kpi_status(60, t) == BELOW_TARGET
    assert kpi_status(None, t) == NO_DATA
    assert kpi_status(77, t, margin=2) == BELOW_TARGET
