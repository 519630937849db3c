"""The trajectory status as a table: rising and falling KPIs, milestones, missing data, early and late in the
year. Expected values are worked out here by hand from the dates (days since the baseline / days in the path)."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.kpi.trajectory import (
    AT_RISK,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    expected_at,
    make_path,
    trajectory_status,
)

JAN1, DEC31 = date(2026, 1, 1), date(2026, 12, 31)
YEAR = (DEC31 - JAN1).days  # 364 days from the baseline to the year's end
JUL1 = date(2026, 7, 1)
HALF = (JUL1 - JAN1).days / YEAR  # 181 / 364


def test_a_straight_path_from_the_baseline_to_the_target() -> None:
    rising = make_path((JAN1, 40.0), 80.0, DEC31)
    assert expected_at(rising, JAN1) == 40.0
    assert expected_at(rising, JUL1) == pytest.approx(40 + 40 * HALF)  # 59.89
    assert expected_at(rising, DEC31) == 80.0
    assert expected_at(rising, date(2027, 2, 1)) == 80.0  # after the year: the target
    assert expected_at(rising, date(2025, 12, 1)) == 40.0  # before the baseline: the baseline


@pytest.mark.parametrize(
    ("latest", "op", "baseline", "target", "on", "state"),
    [
        # rising ("≥"), path 40 → 80: the thresholds are 5 % (2 points) and 15 % (6 points) of the change
        (60.0, ">=", 40.0, 80.0, JUL1, ON_TRACK),  # ahead of 59.89
        (58.0, ">=", 40.0, 80.0, JUL1, ON_TRACK),  # 1.89 behind: within 2
        (56.0, ">=", 40.0, 80.0, JUL1, AT_RISK),  # 3.89 behind: within 6
        (53.0, ">=", 40.0, 80.0, JUL1, OFF_TRACK),  # 6.89 behind
        (79.0, ">=", 40.0, 80.0, date(2026, 3, 1), ON_TRACK),  # far ahead early in the year
        # falling ("≤": days to settle a file), path 20 → 10: thresholds 0.5 and 1.5 days
        (14.9, "<=", 20.0, 10.0, JUL1, ON_TRACK),  # expected 20 - 10 × 181/364 = 15.03
        (15.4, "<=", 20.0, 10.0, JUL1, ON_TRACK),  # 0.37 above: within 0.5
        (16.0, "<=", 20.0, 10.0, JUL1, AT_RISK),  # 0.97 above
        (17.0, "<=", 20.0, 10.0, JUL1, OFF_TRACK),  # 1.97 above
        # late in the year the path has reached its target: only the target counts
        (79.0, ">=", 40.0, 80.0, date(2026, 12, 31), ON_TRACK),  # 1 behind 80: within 2
        (75.0, ">=", 40.0, 80.0, date(2026, 12, 31), AT_RISK),
        (70.0, ">=", 40.0, 80.0, date(2027, 1, 15), OFF_TRACK),
        (10.4, "<=", 20.0, 10.0, date(2026, 12, 31), ON_TRACK),
        (12.0, "<=", 20.0, 10.0, date(2026, 12, 31), OFF_TRACK),
    ],
)
def test_the_status_against_the_path(
    latest: float, op: str, baseline: float, target: float, on: date, state: str
) -> None:
    assert trajectory_status(latest, make_path((JAN1, baseline), target, DEC31), op, on) == state


def test_quarterly_milestones_bend_the_path() -> None:
    q1, q2, q3 = date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)
    path = make_path((JAN1, 0.0), 80.0, DEC31, ((q3, 60.0), (q1, 10.0), (q2, 40.0)))  # in any order
    assert expected_at(path, q1) == 10.0 and expected_at(path, q2) == 40.0
    may16 = date(2026, 5, 16)
    assert expected_at(path, may16) == pytest.approx(10 + 30 * (may16 - q1).days / (q2 - q1).days)
    # the straight line expects 80 × 135/364 = 29.7 on 16 May: 25 is 4.7 behind it (at risk: more than 5 % of
    # 80), the milestones expect 10 + 30 × 46/91 = 25.2: on track
    assert trajectory_status(25.0, path, ">=", may16) == ON_TRACK
    assert trajectory_status(25.0, make_path((JAN1, 0.0), 80.0, DEC31), ">=", may16) == AT_RISK
    # a milestone before the baseline or after the year is ignored
    late = make_path((date(2026, 4, 1), 20.0), 80.0, DEC31, ((q1, 10.0), (date(2027, 3, 31), 99.0)))
    assert [d for d, _ in late.points] == [date(2026, 4, 1), DEC31]


def test_no_value_no_target_or_no_baseline_is_no_data() -> None:
    path = make_path((JAN1, 40.0), 80.0, DEC31)
    assert trajectory_status(None, path, ">=", JUL1) == NO_DATA
    assert trajectory_status(60.0, make_path(None, 80.0, DEC31), ">=", JUL1) == NO_DATA
    assert trajectory_status(60.0, make_path((JAN1, 40.0), None, DEC31), ">=", JUL1) == NO_DATA
    assert trajectory_status(60.0, path, None, JUL1) == NO_DATA


def test_a_flat_path_measures_against_the_target_size() -> None:
    """Baseline already at the target (95 % satisfaction kept all year): 5 % of 95 = 4.75 points of slack."""
    path = make_path((JAN1, 95.0), 95.0, DEC31)
    assert trajectory_status(91.0, path, ">=", JUL1) == ON_TRACK
    assert trajectory_status(89.0, path, ">=", JUL1) == AT_RISK
    assert trajectory_status(80.0, path, ">=", JUL1) == OFF_TRACK


def test_the_loaded_figures_hold_each_kpis_first_of_the_year(demo_engine) -> None:  # noqa: ANN001
    """On SQLite and PostgreSQL: the two newest figures of each KPI and agency and its first of the year, as
    plain SQL counts them."""
    from sqlalchemy import text

    from dashboard.kpi.values import load_recent_figures
    from dashboard.store.database import transaction

    until = date(2026, 11, 27)
    with demo_engine.connect() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM indicator WHERE plan_id = 1"))]
        pairs = conn.execute(
            text(
                "SELECT indicator_id, agency_id, MIN(month), COUNT(*) FROM measurement "
                "WHERE indicator_id IN (SELECT id FROM indicator WHERE plan_id = 1) AND month <= '2026-11-27' "
                "GROUP BY indicator_id, agency_id"
            )
        ).all()
    with transaction(demo_engine) as s:
        figures = load_recent_figures(s, ids, until)
    got: dict[tuple[int, int], set[date]] = {}
    for fig in figures:
        got.setdefault((fig.indicator_id, fig.agency_id), set()).add(fig.month)
    assert len(figures) == sum(len(months) for months in got.values())  # no figure twice
    for ind, agency, first, count in pairs:
        first = date.fromisoformat(str(first)[:10])
        months = got[(ind, agency)]
        assert first in months  # every figure of the demo is of 2026: the oldest is the year's first
        assert len(months) == min(count, 2 + (count > 2))


# --- the plan gives the baseline and the quarterly milestones (the spreadsheet template) ------------------------


def test_the_plans_baseline_and_milestones_are_imported_and_drive_the_status(tmp_path, engine) -> None:  # noqa: ANN001
    from openpyxl import Workbook

    from dashboard.importers import import_file, read_plan
    from dashboard.kpi.values import Figure, snapshot
    from dashboard.reads.rows import indicator_rows

    wb = Workbook()
    wb.active.title = "Kế hoạch"
    for row in (["Tỉnh", "Hà Giang"], ["Năm", 2026], ["Số hiệu", "12/KH-UBND"]):
        wb.active.append(row)
    sheet = wb.create_sheet("Chỉ tiêu")
    sheet.append(["Mã", "Tên chỉ tiêu", "Đơn vị tính", "Mục tiêu", "Giá trị cơ sở", "Ngày cơ sở", "Mốc theo quý"])
    sheet.append(["1", "Tỷ lệ hồ sơ trực tuyến toàn trình", "%", "≥ 80", "40", "01/01/2026", "45; 50; 70"])
    sheet.append(["2", "Số ngày giải quyết hồ sơ", "ngày", "≤ 5", "12,5", "31/13/2026", "10; abc"])
    path = tmp_path / "ha-giang.xlsx"
    wb.save(path)
    plan = read_plan(path)
    messages = [str(f) for f in plan.findings]
    assert any("column 'Ngày cơ sở': cannot read '31/13/2026'" in m for m in messages)
    assert any("column 'Mốc theo quý': cannot read '10; abc'" in m for m in messages)
    first, second = plan.indicators
    assert (first.baseline, first.baseline_date, first.milestones) == (40, date(2026, 1, 1), [45, 50, 70])
    assert (second.baseline, second.baseline_date, second.milestones) == (12.5, None, None)

    import_file(engine, path)
    from dashboard.store.database import transaction

    with transaction(engine) as s:
        kpi = indicator_rows(s)[0]
    assert (kpi.baseline_value, kpi.milestones) == (40, (45, 50, 70))
    # On 15/08 the path runs from 50 (30/06) to 70 (30/09): 50 + 20 * 46/92 = 60 expected; the path's whole
    # change is 80 - 40 = 40, so 5 % of it is 2 and 15 % is 6.
    on = date(2026, 8, 15)
    assert kpi.is_ratio  # a percentage of files: reported as numerator / denominator

    def fig(value: float) -> Figure:
        return Figure(kpi.id, 1, date(2026, 8, 1), value * 10, 1000, None, None)

    for value, state in ((59, ON_TRACK), (57, AT_RISK), (53, OFF_TRACK)):
        snap = snapshot(kpi, [fig(value)], on)
        assert (snap.expected, snap.trajectory) == (pytest.approx(60), state), value
    # thresholds are settings: with 1 % and 3 %, 59 is at risk and 57 off track
    assert snapshot(kpi, [fig(59)], on, trajectory_shares=(0.01, 0.03)).trajectory == AT_RISK
    assert snapshot(kpi, [fig(57)], on, trajectory_shares=(0.01, 0.03)).trajectory == OFF_TRACK
