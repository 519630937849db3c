"""The "Báo cáo" page in headless Chromium: a briefing started, left, come back to and downloaded."""

import time
from pathlib import Path

import pytest
import test_pages_browser
from pypdf import PdfReader
from test_pages_browser import LC, no_console_errors, open_page
from webclient import download_folder, downloaded

from dashboard.exports import report_jobs

pytestmark = pytest.mark.browser
demo = test_pages_browser.demo  # the pages' fixture: the app on a copy of the demo, and its engine


def test_a_briefing_is_made_while_the_person_is_elsewhere(dash_duo, demo, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    real = report_jobs.BUILDERS["briefing"]

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        time.sleep(3)  # long enough to leave the page while it runs
        return real(*args, **kwargs)

    monkeypatch.setitem(report_jobs.BUILDERS, "briefing", slow)
    app, _ = demo
    dash_duo.start_server(app, navigate=False)
    downloads = download_folder(dash_duo.driver, tmp_path / "downloads")
    open_page(dash_duo, f"/canh-bao?plan={LC}", "#flags-heading")
    dash_duo.find_element(".reports-link").click()  # from the red flags to the reports, same filters
    dash_duo.wait_for_element("#reports-heading", timeout=20)
    button = dash_duo.find_elements(".report-start")[0]
    assert button.text == "Tạo báo cáo PDF"
    dash_duo.driver.execute_script("arguments[0].click(); arguments[0].click();", button)  # a double click
    dash_duo.wait_for_element("#report-started", timeout=20)
    dash_duo.wait_for_element(".report-progress", timeout=20)  # its progress, in the list
    assert not dash_duo.find_elements(".report-start")[0].is_enabled()  # the button waits for it
    # away to another page while it runs, and back through the navigation bar
    dash_duo.find_element("#nav-canh-bao").click()
    dash_duo.wait_for_element("#flags-heading", timeout=20)
    dash_duo.find_element("#nav-bao-cao").click()
    link = dash_duo.wait_for_element(".report-download", timeout=90)
    rows = dash_duo.find_elements("#report-table tbody tr")
    assert len(rows) == 1  # two clicks, one job
    assert dash_duo.find_elements(".report-start")[0].is_enabled()
    link.click()
    pdf = downloaded(downloads, ".pdf")
    assert pdf.name == "bao-cao-tinh-hinh-lao-cai-2026-kh-bcd-27-11-2026.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Báo cáo tình hình thực hiện" in " ".join(text.split())
    no_console_errors(dash_duo)
