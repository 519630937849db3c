"""The agency page's light charts, as plain functions: the combined KPI bars and the sparklines."""

from __future__ import annotations

from urllib.parse import unquote
from xml.etree import ElementTree

from rows import kpi_row

from dashboard.kpi.values import KpiSnapshot
from layouts.charts import kpi_bars
from layouts.sparkline import sparkline

SVG = "{http://www.w3.org/2000/svg}"


def _svg(url: str) -> ElementTree.Element:
    assert url.startswith("data:image/svg+xml;charset=utf-8,")
    return ElementTree.fromstring(unquote(url.split(",", 1)[1]))


def test_a_sparkline_draws_months_with_gaps_the_target_and_the_last_value() -> None:
    svg = _svg(sparkline([10.0, 20.0, None, 40.0, 50.0], 30.0, "#009E73"))
    lines = svg.findall(f"{SVG}polyline")
    assert [len(p.get("points").split()) for p in lines] == [2, 2]  # a month without a figure breaks the line
    target = svg.find(f"{SVG}line")
    assert target is not None and target.get("stroke-dasharray")
    # the target (30) lies between the lowest (10) and highest (50) value: halfway down the drawing
    height, pad = float(svg.get("height")), 4
    assert abs(float(target.get("y1")) - (pad + (height - 2 * pad) / 2)) < 0.2
    last = svg.findall(f"{SVG}circle")[-1]
    assert abs(float(last.get("cx")) - (float(svg.get("width")) - pad)) < 0.2  # the last month, at the right
    assert abs(float(last.get("cy")) - pad) < 0.2  # the highest value, at the top


def test_a_sparkline_of_one_value_or_none() -> None:
    assert sparkline([None, None], 80.0, "#000") is None
    svg = _svg(sparkline([None, 55.0], None, "#000"))
    assert svg.find(f"{SVG}line") is None and len(svg.findall(f"{SVG}circle")) == 2
    flat = _svg(sparkline([5.0, 5.0, 5.0], 5.0, "#000"))  # no range: still drawn, not a division by zero
    assert len(flat.findall(f"{SVG}polyline")) == 1


def _snap(value: float | None, unit: str, target: float, status: str, code: str = "1") -> KpiSnapshot:
    ind = kpi_row(id=int(code), code=code, name=f"KPI {code}", unit=unit, target_op=">=", target_value=target)
    return KpiSnapshot(ind, value, None, None, None, None, status, None)


def test_kpi_bars_put_each_kpi_on_its_own_scale_with_its_target() -> None:
    snaps = [
        _snap(72.5, "%", 80.0, "near_target", "1"),  # a percentage: its scale is 0..100
        _snap(50.0, "hệ thống", 100.0, "below_target", "2"),  # a count: 0..1.25 × the larger of target, value
        _snap(None, "%", 95.0, "no_data", "3"),
    ]
    fig = kpi_bars(snaps, "vi")
    bars, ticks = fig["data"]
    assert bars["x"] == [72.5, 40.0, 0]
    assert ticks["x"] == [80.0, 80.0, 95.0]
    assert bars["text"] == ["72,5 %", "50 hệ thống", "–"]
    assert len(set(bars["marker"]["color"])) == 3  # coloured by state
    assert fig["layout"]["height"] == 50 + 38 * 3
    assert kpi_bars(snaps, "en")["data"][0]["text"][0] == "72.5 %"


def test_chart_tooltips_are_written_in_the_page_language() -> None:
    """Plotly's default tooltip names axes and traces in its own words; every hoverable trace has its own."""
    from datetime import date

    from rows import task_row

    from layouts.charts import quarter_bars, trend

    ind = kpi_row(unit="%", target_op=">=", target_value=80.0)
    tasks = [task_row(due_date="2026-05-01", status="overdue"), task_row(id=2, due_date="2026-08-01", status="done")]
    figures = [
        quarter_bars(tasks, 2026, "vi"),
        trend([(date(2026, 1, 1), 50.0), (date(2026, 2, 1), 60.0)], ind, "vi"),
        kpi_bars([_snap(72.5, "%", 80.0, "near_target")], "vi"),
    ]
    for fig in figures:
        for trace in fig["data"]:
            assert trace.get("hovertemplate") or trace.get("hoverinfo") == "skip", trace
    quarter = " ".join(tr["hovertemplate"] for tr in quarter_bars(tasks, 2026, "vi")["data"])
    assert "Quá hạn" in quarter and "nhiệm vụ" in quarter
    assert "Overdue" in " ".join(tr["hovertemplate"] for tr in quarter_bars(tasks, 2026, "en")["data"])
