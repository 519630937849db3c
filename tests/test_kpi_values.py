from dataclasses import replace
from datetime import date

import pytest
from rows import kpi_row

from dashboard.kpi.rules import BELOW_TARGET, NEAR_TARGET, NO_DATA, ON_TARGET
from dashboard.kpi.targets import Target
from dashboard.kpi.values import Figure, combine, gap_to_target, monthly_series, snapshot

RATIO = kpi_row(id=1, is_ratio=True, unit="%", target_op=">=", target_value=85.0, name="DVC")
COUNT = kpi_row(id=2, is_ratio=False, unit="Sản phẩm", target_op=">=", target_value=5.0, name="SP")


def fig(
    agency: int, month: int, num: float | None, den: float | None, value: float | None = None, ind: int = 1
) -> Figure:
    return Figure(ind, agency, date(2026, month, 1), num, den, value)


def test_two_agencies_aggregate_by_numerators_and_denominators() -> None:
    s = snapshot(RATIO, [fig(1, 10, 8, 10), fig(2, 10, 90, 100)], date(2026, 10, 31))
    assert (s.numerator, s.denominator) == (98, 110)
    assert s.value == pytest.approx(100 * 98 / 110)
    assert s.value != pytest.approx(85.0)  # the mean of 80 % and 90 %
    assert s.status == ON_TARGET
    assert [a.agency_id for a in s.agencies] == [1, 2]  # furthest from target first
    assert s.agencies[0].gap == pytest.approx(5.0) and s.agencies[0].status == NEAR_TARGET


def test_latest_figure_per_agency_and_trend() -> None:
    figs = [fig(1, 9, 5, 10), fig(1, 10, 7, 10), fig(2, 9, 50, 100)]  # agency 2 did not report in October
    s = snapshot(RATIO, figs, date(2026, 10, 20))
    assert (s.numerator, s.denominator) == (57, 110)
    assert s.previous == pytest.approx(100 * 55 / 110)
    assert s.trend == "up"
    assert s.status == BELOW_TARGET


def test_figures_after_the_as_of_month_are_ignored() -> None:
    s = snapshot(RATIO, [fig(1, 11, 10, 10)], date(2026, 10, 31))
    assert s.value is None and s.status == NO_DATA


def test_agency_scope() -> None:
    s = snapshot(RATIO, [fig(1, 10, 8, 10), fig(2, 10, 90, 100)], date(2026, 10, 31), agency_ids={1})
    assert s.value == pytest.approx(80.0)


def test_counts_follow_their_aggregation_rule() -> None:
    parts = [fig(1, 3, None, None, 2, 2), fig(2, 3, None, None, 1, 2)]
    assert combine(replace(COUNT, aggregation="sum"), parts)[0] == 3  # each agency's own part
    assert combine(replace(COUNT, aggregation="province"), parts)[0] in (1, 2)  # one province figure, never 3
    share = replace(COUNT, unit="%", aggregation="province")
    assert combine(share, [fig(1, 3, None, None, 30, 2), fig(2, 3, None, None, 30, 2)])[0] == 30  # never 60


def test_monthly_series_carries_the_last_figure() -> None:
    months = [date(2026, m, 1) for m in (1, 2, 3)]
    series = monthly_series(RATIO, [fig(1, 1, 5, 10), fig(1, 3, 9, 10)], months)
    assert [v for _, v in series] == [50.0, 50.0, 90.0]


def test_gap() -> None:
    assert gap_to_target(70, Target(">=", 80)) == 10
    assert gap_to_target(95, Target("<=", 90)) == 5
    assert gap_to_target(None, Target(">=", 80)) is None
