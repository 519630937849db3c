"""Every page in headless Chromium on the demo data: content, counts, filters in the URL, no console error."""

import os
import re
import time
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from dash.testing.wait import until
from demo_copy import demo_url
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlalchemy import text
from webclient import browser_login, download_folder, downloaded

from dashboard.config import Config
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import Settings, all_flags, flag_counts, load_context, timeline
from dashboard.store.database import make_engine, transaction
from webapp import create_app

pytestmark = pytest.mark.browser
TODAY = date(2026, 11, 27)
TN = 1  # plan ids in the demo: Thái Nguyên, Đồng Tháp, Lào Cai
DT = 2
LC = 3


@pytest.fixture
def demo(tmp_path: Path):  # noqa: ANN201
    url = demo_url(tmp_path, "demo.db")
    app = create_app(Config(database_url=url, secret_key="test", today=TODAY, demo_source_scale=0.05))
    return app, make_engine(url)


def core(engine, plan: int, f: Filters | None = None):  # noqa: ANN001, ANN201
    f = (f or Filters()).with_(plan=plan)
    with transaction(engine) as s:
        ctx = load_context(s, f, TODAY)
        return ctx, all_flags(ctx, s, f, Settings()), timeline(ctx, f)


def open_page(dash_duo, path: str, wait_for: str, username: str = "lanhdao") -> None:  # noqa: ANN001
    if not dash_duo.driver.get_cookies():
        browser_login(dash_duo.driver, dash_duo.server.url, username)
    dash_duo.driver.get(dash_duo.server.url + path)
    dash_duo.wait_for_element(wait_for, timeout=30)


def no_console_errors(dash_duo) -> None:  # noqa: ANN001
    errors = [e for e in dash_duo.get_logs() or [] if e.get("level") == "SEVERE"]
    assert errors == []


def test_overview(dash_duo, demo) -> None:  # noqa: ANN001
    app, engine = demo
    dash_duo.start_server(app, navigate=False)  # the login page comes first
    open_page(dash_duo, f"/?plan={TN}", "#headline-gauges")
    for code in ("online_services", "satisfaction", "digital_skills"):
        dash_duo.wait_for_element(f"#gauge-{code} .indicatorlayer .trace", timeout=20)
    dash_duo.wait_for_element("#agency-gauges .indicatorlayer .trace", timeout=20)
    assert len(dash_duo.find_elements("#kpi-table tbody tr")) == 17
    assert "Theo đơn vị (39)" in dash_duo.find_element("#page-content").text
    _, flags, _ = core(engine, TN)
    assert dash_duo.find_element("#nav-flag-count").text == str(len(flags))
    # statuses carry an icon and a word, not colour alone
    badges = [b.text for b in dash_duo.find_elements("#kpi-table .status-badge")]
    assert all(b[0] in "✔◐✖—" and len(b) > 2 for b in badges)
    no_console_errors(dash_duo)


def test_filter_by_agency_changes_the_url_and_the_content(dash_duo, demo) -> None:  # noqa: ANN001
    app, engine = demo
    dash_duo.start_server(app, navigate=False)  # the login page comes first
    open_page(dash_duo, f"/canh-bao?plan={LC}", "#flags-heading")
    before = dash_duo.find_element("#flags-heading").text
    ctx, _, _ = core(engine, LC)
    police = next(a for a in ctx.agencies.values() if a["name"] == "Công an tỉnh")
    dash_duo.select_dcc_dropdown("#f-agency", value="Công an tỉnh")
    dash_duo.wait_for_contains_text("#flags-heading", "(", timeout=10)
    until(lambda: f"agency={police['id']}" in dash_duo.driver.current_url, timeout=10)
    _, flags, _ = core(engine, LC, Filters(agencies=(police["id"],)))
    dash_duo.wait_for_text_to_equal("#flags-heading", f"Cảnh báo cần Chủ tịch quan tâm ({len(flags)})", timeout=10)
    assert dash_duo.find_element("#flags-heading").text != before
    # the back button returns to the unfiltered view
    dash_duo.driver.back()
    dash_duo.wait_for_text_to_equal("#flags-heading", before, timeout=10)
    no_console_errors(dash_duo)


def test_accent_insensitive_search_on_the_timeline(dash_duo, demo) -> None:  # noqa: ANN001
    app, engine = demo
    dash_duo.start_server(app, navigate=False)  # the login page comes first
    open_page(dash_duo, f"/tien-do?plan={LC}", "#timeline-heading")
    _, _, all_tasks = core(engine, LC)
    heading = dash_duo.find_element("#timeline-heading")
    assert heading.text.endswith(f"({len(all_tasks['dated'])})")
    dash_duo.wait_for_element("#timeline-chart .scatterlayer", timeout=20)
    dash_duo.wait_for_element("#report-grid .heatmaplayer", timeout=20)
    box = dash_duo.find_element("#f-q")
    box.send_keys("an ninh mang")
    box.send_keys(Keys.ENTER)
    _, _, found = core(engine, LC, Filters(q="an ninh mang"))
    assert 0 < len(found["dated"]) < len(all_tasks["dated"])
    dash_duo.wait_for_text_to_equal(
        "#timeline-heading", f"Thời hạn nhiệm vụ theo quý ({len(found['dated'])})", timeout=10
    )
    assert "q=an+ninh+mang" in dash_duo.driver.current_url
    conditional = len(dash_duo.find_elements("#conditional-tasks tbody tr"))
    assert conditional == len(found["conditional"])
    no_console_errors(dash_duo)


def test_timeline_grouping_and_quarter(dash_duo, demo) -> None:  # noqa: ANN001
    app, engine = demo
    dash_duo.start_server(app, navigate=False)  # the login page comes first
    open_page(dash_duo, f"/tien-do?plan={DT}&quarter=3", "#timeline-heading")
    _, _, q3 = core(engine, DT, Filters(quarter=3))
    assert dash_duo.find_element("#timeline-heading").text.endswith(f"({len(q3['dated'])})")
    dash_duo.find_element('#t-group input[value="section"]').click()
    until(lambda: "group=section" in dash_duo.driver.current_url, timeout=10)
    dash_duo.wait_for_contains_text("#timeline-chart", "Quý III năm 2026", timeout=10)
    no_console_errors(dash_duo)


def test_red_flags_page_counts_and_phone_width(dash_duo, demo) -> None:  # noqa: ANN001
    app, engine = demo
    dash_duo.start_server(app, navigate=False)  # the login page comes first
    dash_duo.driver.set_window_size(390, 844)
    open_page(dash_duo, f"/canh-bao?plan={TN}", "#flag-list")
    _, flags, _ = core(engine, TN)
    counts = flag_counts(flags)
    assert dash_duo.find_element("#flags-heading").text.endswith(f"({len(flags)})")
    for kind, n in counts.items():
        assert dash_duo.find_element(f"#flag-count-{kind}").text == str(n)
    items = dash_duo.find_elements("#flag-list .flag-item")
    assert len(items) == len(flags)
    assert "quá hạn" in items[0].text  # worst first: an overdue task
    width = dash_duo.driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1]  # no sideways scrolling on a phone
    no_console_errors(dash_duo)


def test_agency_page(dash_duo, demo) -> None:  # noqa: ANN001
    app, engine = demo
    dash_duo.start_server(app, navigate=False)  # the login page comes first
    open_page(dash_duo, f"/don-vi?plan={TN}", "#agency-chooser")
    dash_duo.find_element("#agency-chooser").find_element(By.LINK_TEXT, "Sở Nội vụ").click()
    dash_duo.wait_for_text_to_equal("#agency-name", "Sở Nội vụ", timeout=10)
    dash_duo.wait_for_element("#agency-kpi-chart .barlayer .point", timeout=20)
    # one light chart, and the months of each KPI as a sparkline in its row (no chart per KPI any more)
    assert len(dash_duo.find_elements("#page-content .js-plotly-plot")) == 1
    rows = dash_duo.find_elements("#agency-kpi-table tbody tr")
    assert rows and len(dash_duo.find_elements("#agency-kpi-table img.sparkline")) == len(rows)
    assert len(dash_duo.find_elements("#agency-kpi-chart .barlayer .point")) == len(rows)
    if os.environ.get("SCREENSHOT_DIR"):
        dash_duo.driver.save_screenshot(os.path.join(os.environ["SCREENSHOT_DIR"], "agency.png"))
    assert int(dash_duo.find_element("#rep-expected").text) == 11  # January..November: all due by 25/11
    received = int(dash_duo.find_element("#rep-received").text)
    on_time = int(dash_duo.find_element("#rep-on-time").text)
    assert 0 < on_time <= received <= 11
    assert dash_duo.find_elements("#agency-lead-tasks tbody tr")  # tasks of "Các sở, ban, ngành" are its too
    no_console_errors(dash_duo)


def test_english_switch(dash_duo, demo) -> None:  # noqa: ANN001
    app, _ = demo
    dash_duo.start_server(app, navigate=False)  # the login page comes first
    open_page(dash_duo, f"/?plan={TN}", "#headline-gauges")
    dash_duo.find_element("#lang-switch").click()
    dash_duo.wait_for_contains_text("#nav-", "Overview", timeout=10)
    assert "lang=en" in dash_duo.driver.current_url
    dash_duo.wait_for_contains_text("#page-content", "Headline KPIs", timeout=10)
    no_console_errors(dash_duo)


def test_plan_without_kpis_has_an_empty_state(dash_duo, demo) -> None:  # noqa: ANN001
    app, _ = demo
    dash_duo.start_server(app, navigate=False)  # the login page comes first
    open_page(dash_duo, f"/?plan={DT}", "#no-headline")
    assert dash_duo.find_element("#no-headline").text == "Kế hoạch này không có bảng chỉ tiêu."
    open_page(dash_duo, f"/tien-do?plan={DT}&q=khong+co+viec+nay", "#timeline-empty")
    assert dash_duo.find_element("#timeline-empty").text == "Không có nhiệm vụ nào khớp bộ lọc."
    no_console_errors(dash_duo)


def test_open_page_picks_up_a_refresh_by_itself(dash_duo, tmp_path: Path) -> None:  # noqa: ANN001
    from sqlalchemy import create_engine, text

    from dashboard.sources.refresh import run_source

    url = demo_url(tmp_path, "poll.db")
    app = create_app(Config(database_url=url, secret_key="test", today=TODAY, demo_source_scale=0.05, poll_seconds=1))
    dash_duo.start_server(app, navigate=False)
    open_page(dash_duo, f"/?plan={TN}", "#kpi-table")

    from selenium.common.exceptions import WebDriverException

    def row_text() -> str:
        for _ in range(50):  # the table may be re-rendering at the moment it is read
            try:
                return next(r.text for r in dash_duo.find_elements("#kpi-table tbody tr") if r.text.startswith("13 "))
            except (WebDriverException, StopIteration):
                time.sleep(0.2)
        raise AssertionError("KPI 13 row not found")

    time.sleep(2)  # the first poll re-renders the page once
    before = row_text()
    assert "100 %" not in before
    src = create_engine(app.server.extensions["kpi"]["config"].demo_sources())
    with src.begin() as conn:  # every citizen is satisfied now
        conn.execute(text("UPDATE application SET rating = 5 WHERE rating IS NOT NULL"))
    src.dispose()
    mot_cua = next(s for s in app.server.extensions["kpi"]["sources"] if s.name == "mot-cua-dvc")
    assert run_source(make_engine(url), mot_cua).status == "ok"
    deadline, seen = time.time() + 20, before
    while time.time() < deadline and "100 %" not in seen:  # no reload, no click: the page polls
        seen = row_text()
        time.sleep(0.3)
    assert "100 %" in seen
    no_console_errors(dash_duo)


def _plan_title(engine, plan: int) -> str:  # noqa: ANN001
    with engine.connect() as conn:
        return conn.execute(text("SELECT title FROM plan WHERE id = :p"), {"p": plan}).scalar_one()


def test_download_a_chart_png_and_an_excel_file(dash_duo, demo, tmp_path: Path) -> None:  # noqa: ANN001
    import struct

    from openpyxl import load_workbook
    from selenium.webdriver.common.action_chains import ActionChains

    app, engine = demo
    dash_duo.start_server(app, navigate=False)
    downloads = download_folder(dash_duo.driver, tmp_path / "downloads")

    def wait_file(suffix: str) -> Path:
        return downloaded(downloads, suffix)

    open_page(dash_duo, f"/canh-bao?plan={LC}", "#flags-heading")
    dash_duo.find_elements(".export-bar .export-btn")[0].click()  # Excel
    xlsx = wait_file(".xlsx")
    assert xlsx.name == "canh-bao-lao-cai-2026-kh-bcd-27-11-2026.xlsx"
    _, flags, _ = core(engine, LC)
    assert load_workbook(xlsx)["Cảnh báo"].max_row - 1 == len(flags)

    open_page(dash_duo, f"/?plan={TN}", "#gauge-online_services .indicatorlayer .trace")
    graph = dash_duo.find_element("#gauge-online_services")
    ActionChains(dash_duo.driver).move_to_element(graph).perform()
    button = dash_duo.wait_for_element("#gauge-online_services .modebar-btn-png", timeout=10)
    assert button.get_attribute("data-title") == "Tải ảnh PNG khổ trình chiếu"
    dash_duo.driver.execute_script("arguments[0].click();", button)
    png = wait_file(".png")
    assert png.name == "dvc-truc-tuyen-toan-trinh-thai-nguyen-2026-kh-ubnd-27-11-2026.png"
    width, height = struct.unpack(">II", png.read_bytes()[16:24])  # the PNG header's IHDR chunk
    assert width == 1920 and height >= 1080
    # The SVG is drawn by the same slide maker: its text shows what the PNG holds, at which size.
    svg_button = dash_duo.wait_for_element("#gauge-online_services .modebar-btn-svg", timeout=10)
    dash_duo.driver.execute_script("arguments[0].click();", svg_button)
    svg = wait_file(".svg")
    assert svg.name == png.name.replace(".png", ".svg")
    text = svg.read_text(encoding="utf-8")
    root = ElementTree.fromstring(text)
    drawn_width = float(root.get("viewBox").split()[2])
    zoom = float(root.get("width")) / drawn_width  # the file's pixels per drawn pixel
    assert float(root.get("width")) == 1920 and zoom == 2
    title = next(e for e in root.iter() if "gtitle" in (e.get("class") or "") and e.get("style"))
    title_px = float(re.search(r"font-size: ?([\d.]+)px", title.get("style")).group(1)) * zoom
    assert title_px >= 40, title_px
    words = " ".join("".join(e.itertext()) for e in root.iter() if "gtitle" in (e.get("class") or ""))
    plan_title = _plan_title(engine, TN)
    assert "DVC trực tuyến toàn trình" in words and "Thái Nguyên" in words and "27/11/2026" in words
    assert plan_title[:40] in words, words
    no_console_errors(dash_duo)


def test_national_view_lists_every_province_and_links_to_its_pages(dash_duo, demo) -> None:  # noqa: ANN001
    app, _ = demo
    dash_duo.start_server(app, navigate=False)
    open_page(dash_duo, "/toan-quoc", "#national-table")
    rows = dash_duo.find_elements("#national-table tbody tr.national-row")
    assert len(rows) == 3 and any("Lào Cai" in r.text for r in rows)
    assert dash_duo.find_elements("#national-table .status-badge")  # headline KPIs with their status
    link = next(a for a in dash_duo.find_elements("#national-table tbody a") if "Lào Cai" in a.text)
    link.click()  # an in-app link: the overview of that province, without reloading the page
    until(lambda: f"plan={LC}" in dash_duo.driver.current_url, timeout=10)
    dash_duo.wait_for_element("#headline-gauges", timeout=30)
    no_console_errors(dash_duo)


# Plotly's and the dropdown's own English texts, which a Vietnamese page must not show.
ENGLISH_WIDGET_TEXT = (
    "Download plot",
    "Zoom in",
    "Zoom out",
    "Autoscale",
    "Reset axes",
    "Box Select",
    "Select All",
    "Deselect All",
    "No options found",
    "selected",
    "Produced with Plotly",
)


def _english_on_page(driver) -> list[str]:  # noqa: ANN001
    """English interface text in what the page shows: its text and every title, tooltip and placeholder."""
    from dashboard.messages import TEXT

    shown = driver.execute_script(
        "var out = [document.body.innerText];"
        "document.querySelectorAll('[title],[data-title],[placeholder],[aria-label]').forEach(function (e) {"
        "  ['title', 'data-title', 'placeholder', 'aria-label'].forEach(function (a) {"
        "    if (e.getAttribute(a)) { out.push(e.getAttribute(a)); } }); });"
        "return out;"
    )
    catalogue_english = [en for vi, en in TEXT.values() if en != vi and len(en) >= 8 and "{" not in en]
    return sorted({s for s in (*ENGLISH_WIDGET_TEXT, *catalogue_english) if any(s in text for text in shown)})


def test_vietnamese_pages_show_no_english_chart_toolbar_or_dropdown_text(dash_duo, demo) -> None:  # noqa: ANN001
    app, _ = demo
    dash_duo.start_server(app, navigate=False)  # the login page comes first
    open_page(dash_duo, f"/tien-do?plan={LC}", "#timeline-chart")
    dash_duo.wait_for_element("#timeline-chart .modebar-btn", timeout=20)
    titles = [b.get_attribute("data-title") for b in dash_duo.find_elements("#timeline-chart .modebar-btn")]
    assert {"Tự co giãn", "Tải ảnh PNG khổ trình chiếu", "Tải ảnh SVG khổ trình chiếu"} <= set(titles), titles
    # the timeline names the quarters, not the first of a month
    ticks = [t.text for t in dash_duo.find_elements("#timeline-chart .xtick text")]
    assert "Quý II/2026" in ticks, ticks
    # every dropdown speaks Vietnamese and finds an agency without its accents
    dash_duo.find_element("#f-agency").click()
    box = dash_duo.wait_for_element(".dash-dropdown-search", timeout=10)
    box.send_keys("noi vu")
    until(lambda: "Sở Nội vụ" in dash_duo.find_element(".dash-dropdown-options").text, timeout=10)
    shown = [o.text for o in dash_duo.find_elements(".dash-dropdown-option")]
    assert shown and all("Nội vụ" in o for o in shown), shown
    assert _english_on_page(dash_duo.driver) == []
    box.send_keys(Keys.ESCAPE)
    # the same check is not vacuous: the English page shows Plotly's English toolbar
    dash_duo.driver.get(dash_duo.server.url + f"/tien-do?plan={LC}&lang=en")
    dash_duo.wait_for_element("#timeline-chart .modebar-btn", timeout=20)
    titles = [b.get_attribute("data-title") for b in dash_duo.find_elements("#timeline-chart .modebar-btn")]
    assert {"Autoscale", "Download a slide-size PNG"} <= set(titles), titles
    no_console_errors(dash_duo)


def test_a_phone_shows_the_flags_first(dash_duo, demo) -> None:  # noqa: ANN001
    """At 390×844: the first red flag is on the first screen, the flag count is in sight, the filters fold
    behind one button, and the per-agency view is a list that names every agency."""
    app, engine = demo
    dash_duo.start_server(app, navigate=False)
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True}
    )
    open_page(dash_duo, f"/canh-bao?plan={LC}", ".flag-item")
    _, flags, _ = core(engine, LC)
    top = dash_duo.driver.execute_script(
        "return document.querySelector('.flag-item').getBoundingClientRect().top + window.scrollY"
    )
    assert top < 844 - 60, top  # the first flag's title is on the first screen, no scrolling
    count = dash_duo.find_element("#nav-flag-count-small")
    assert count.is_displayed() and count.text == f"⚠ {len(flags)}"
    assert not dash_duo.find_element("#f-agency").is_displayed()  # folded
    dash_duo.find_element("#filter-toggle").click()
    until(lambda: dash_duo.find_element("#f-agency").is_displayed(), timeout=10)
    # the overview: gauges first, then the agencies as a list rather than a squeezed chart
    dash_duo.driver.get(dash_duo.server.url + f"/?plan={TN}")
    dash_duo.wait_for_element("#agency-list", timeout=30)
    ctx, _, _ = core(engine, TN)
    items = dash_duo.find_elements("#agency-list .list-group-item")
    assert items and all(i.is_displayed() for i in items[:3])
    assert not dash_duo.find_element("#agency-gauges").is_displayed()
    gauges_top = dash_duo.driver.execute_script(
        "return document.getElementById('headline-gauges').getBoundingClientRect().top"
    )
    assert gauges_top < 844
    no_console_errors(dash_duo)
