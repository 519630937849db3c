"""Each role signs in through the login form and walks its main path in headless Chromium."""

import time
from datetime import date
from pathlib import Path

import pytest
from demo_copy import demo_url
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlalchemy import select
from webclient import browser_login

from dashboard.config import Config
from dashboard.exports.figures_template import build_template
from dashboard.store.database import transaction
from dashboard.store.models import Agency, Measurement, Province, Task
from dashboard.updates import reported_indicators
from webapp import create_app

pytestmark = pytest.mark.browser
TODAY = date(2026, 11, 27)


@pytest.fixture
def app(tmp_path: Path):  # noqa: ANN201
    return create_app(
        Config(database_url=demo_url(tmp_path, "roles.db"), secret_key="test", today=TODAY, demo_source_scale=0.05)
    )


def start(dash_duo, app) -> str:  # noqa: ANN001
    dash_duo.start_server(app, navigate=False)
    return dash_duo.server.url


def click(dash_duo, css: str) -> None:  # noqa: ANN001
    """Scroll to an element and click it (a sticky header must not get the click)."""
    el = dash_duo.wait_for_element(css, timeout=20)
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", el)


def severe(dash_duo) -> list:  # noqa: ANN001
    return [e for e in dash_duo.get_logs() or [] if e.get("level") == "SEVERE"]


def test_agency_updates_a_task_and_uploads_a_month_of_figures(dash_duo, app, tmp_path: Path) -> None:  # noqa: ANN001
    engine = app.server.extensions["kpi"]["engine"]
    with transaction(engine) as s:
        tn = s.scalar(select(Province.id).where(Province.name == "Thái Nguyên"))
        agency = s.scalar(select(Agency).where(Agency.province_id == tn, Agency.name == "Sở Khoa học và Công nghệ"))
        agency_id = agency.id
        task_id = s.scalar(select(Task.id).where(Task.key == "thai-nguyen-2026-kh-ubnd:PLII.IV.4"))
        inds = reported_indicators(s, agency_id)
        # a KPI the agency types itself (digital skills comes from the HR database and takes no typed figure)
        skills = next(i for i in inds if i.national_code == "data_governance")
        template = build_template(inds, agency_id, agency.name, date(2026, 11, 1), {})
    url = start(dash_duo, app)
    browser_login(dash_duo.driver, url, "sokhcn.thainguyen")
    dash_duo.wait_for_contains_text("#mywork-title", "Sở Khoa học và Công nghệ", timeout=20)
    assert "/viec-cua-toi" in dash_duo.driver.current_url  # an agency lands on its own work

    # update a task it leads
    click(dash_duo, f"#mw-task-row-{task_id} .mw-edit-btn")
    dash_duo.wait_for_element(".modal.show #mw-save-task", timeout=10)
    dash_duo.select_dcc_dropdown("#mw-status", value="Đang thực hiện")
    progress = dash_duo.find_element("#mw-progress")
    progress.send_keys(Keys.CONTROL, "a")
    progress.send_keys("85")
    dash_duo.find_element("#mw-note").send_keys("Đã trình dự thảo lên UBND tỉnh")
    dash_duo.find_element("#mw-evidence").send_keys("https://thainguyen.gov.vn/van-ban/123")
    click(dash_duo, "#mw-save-task")
    dash_duo.wait_for_contains_text(f"#mw-task-row-{task_id}", "85 %", timeout=20)
    assert "Đã trình dự thảo lên UBND tỉnh" in dash_duo.find_element(f"#mw-task-row-{task_id}").text
    dash_duo.wait_for_contains_text("#history-table", "Cập nhật nhiệm vụ", timeout=10)

    # a bad value is refused with a message in Vietnamese
    click(dash_duo, f"#mw-task-row-{task_id} .mw-edit-btn")
    dash_duo.wait_for_element(".modal.show #mw-save-task", timeout=10)
    evidence = dash_duo.find_element("#mw-evidence")
    evidence.send_keys(Keys.CONTROL, "a")
    evidence.send_keys("ftp://khong-hop-le")
    click(dash_duo, "#mw-save-task")
    dash_duo.wait_for_contains_text("#mw-task-feedback", "http:// hoặc https://", timeout=10)
    dash_duo.wait_for_contains_text("#mw-evidence-error", "http:// hoặc https://", timeout=10)  # at the field
    click(dash_duo, "#mw-cancel")

    # progress out of range is refused next to its field, never stored as 0 %
    click(dash_duo, f"#mw-task-row-{task_id} .mw-edit-btn")
    dash_duo.wait_for_element(".modal.show #mw-save-task", timeout=10)
    progress = dash_duo.find_element("#mw-progress")
    progress.send_keys(Keys.CONTROL, "a")
    progress.send_keys("150")
    click(dash_duo, "#mw-save-task")
    dash_duo.wait_for_contains_text("#mw-progress-error", "đã nhập 150", timeout=10)
    assert "is-invalid" in dash_duo.find_element("#mw-progress").get_attribute("class")
    click(dash_duo, "#mw-cancel")
    assert "85 %" in dash_duo.find_element(f"#mw-task-row-{task_id}").text

    # upload the month's figures from the Excel template: preview first, then save
    path = tmp_path / "so-lieu.xlsx"
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template))
    ws = wb["Số liệu"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == skills.code:
            row[4].value, row[5].value = 40, 80
    wb.save(path)
    dash_duo.find_element("#mw-upload input[type=file]").send_keys(str(path))
    dash_duo.wait_for_contains_text("#mw-preview", "dòng hợp lệ", timeout=20)
    click(dash_duo, "#mw-upload-save")
    dash_duo.wait_for_contains_text("#mw-upload-feedback", "Đã lưu từ tệp", timeout=20)
    with transaction(engine) as s:
        m = s.scalar(
            select(Measurement).where(
                Measurement.indicator_id == skills.id,
                Measurement.agency_id == agency_id,
                Measurement.month == date(2026, 11, 1),
            )
        )
        assert (m.numerator, m.denominator, m.source, m.recorded_by) == (40, 80, "excel", "sokhcn.thainguyen")

    # the overview, narrowed to the agency, shows the new value
    dash_duo.driver.get(f"{url}/?plan=1&agency={agency_id}")
    dash_duo.wait_for_element("#kpi-table", timeout=20)
    row = next(r for r in dash_duo.find_elements("#kpi-table tbody tr") if r.text.startswith(f"{skills.code} "))
    assert "50 %" in row.text
    assert severe(dash_duo) == []


def test_admin_creates_a_user_and_a_wall_token(dash_duo, app) -> None:  # noqa: ANN001
    url = start(dash_duo, app)
    browser_login(dash_duo.driver, url, "admin")
    dash_duo.driver.get(f"{url}/quan-tri")
    dash_duo.wait_for_element("#adm-users-table", timeout=20)
    dash_duo.find_element("#adm-username").send_keys("nguoi.moi")
    dash_duo.find_element("#adm-fullname").send_keys("Người Mới")
    dash_duo.select_dcc_dropdown("#adm-role", value="Chỉ xem")
    dash_duo.find_element("#adm-password").send_keys("mat-khau-that-dai")
    click(dash_duo, "#adm-create")
    dash_duo.wait_for_contains_text("#adm-create-feedback", "Đã tạo tài khoản nguoi.moi", timeout=10)
    dash_duo.wait_for_element("#adm-user-nguoi\\.moi", timeout=10)
    dash_duo.find_element("#adm-kiosk-name").send_keys("TV phòng họp")
    click(dash_duo, "#adm-kiosk-create")
    link = dash_duo.wait_for_element("#adm-kiosk-link", timeout=10).text
    assert link.startswith("/wall?token=")
    assert severe(dash_duo) == []
    # the new token signs a screen in to the wall
    dash_duo.driver.delete_all_cookies()
    dash_duo.driver.get(url + link)
    dash_duo.wait_for_element("#wall-root", timeout=20)
    assert "token=" not in dash_duo.driver.current_url


def test_admin_imports_a_word_plan_with_preview_and_accounts(dash_duo, app, tmp_path: Path) -> None:  # noqa: ANN001
    from conftest import DT
    from plan_formats import as_docx

    document = tmp_path / "qd-07-bcd.docx"
    document.write_bytes(as_docx(DT.read_text(encoding="utf-8")))
    url = start(dash_duo, app)
    browser_login(dash_duo.driver, url, "admin")
    dash_duo.driver.get(f"{url}/quan-tri")
    dash_duo.wait_for_element("#adm-users-table", timeout=20)
    dash_duo.driver.find_element(By.CSS_SELECTOR, "#adm-import input[type=file]").send_keys(str(document))
    dash_duo.wait_for_contains_text("#adm-import-preview", "chưa lưu gì", timeout=30)
    # The demo already holds this plan: the corrected document would change nothing, and says so.
    assert "Nhiệm vụ: thêm 0, sửa 0, rút 0" in dash_duo.find_element("#adm-import-preview").text
    click(dash_duo, "#adm-import-save")
    dash_duo.wait_for_contains_text("#adm-import-ok", "Nhiệm vụ: 56 (0 mới, 56 cập nhật", timeout=30)
    click(dash_duo, "#adm-accounts-create")
    dash_duo.wait_for_element("#adm-accounts-made, #adm-accounts-none", timeout=20)
    assert severe(dash_duo) == []


@pytest.mark.parametrize("username", ["lanhdao", "xem"])
def test_leader_and_viewer_see_everything_and_change_nothing(dash_duo, app, username: str) -> None:  # noqa: ANN001
    url = start(dash_duo, app)
    browser_login(dash_duo.driver, url, username)
    dash_duo.wait_for_element("#headline-gauges", timeout=20)
    assert not dash_duo.driver.find_elements(By.ID, "nav-mywork")
    assert not dash_duo.driver.find_elements(By.ID, "nav-admin")
    dash_duo.driver.get(f"{url}/quan-tri")
    dash_duo.wait_for_text_to_equal("#forbidden", "Bạn không có quyền xem trang này.", timeout=20)
    dash_duo.driver.get(f"{url}/viec-cua-toi")
    dash_duo.wait_for_contains_text("#forbidden", "chỉ được xem", timeout=20)
    dash_duo.driver.get(f"{url}/canh-bao?plan=3")
    dash_duo.wait_for_element("#flag-list", timeout=20)
    assert severe(dash_duo) == []


def test_every_page_passes_the_content_security_policy(dash_duo, app) -> None:  # noqa: ANN001
    """The security headers are sent, and no page breaks them: no console error (a refused script or style
    is one) on any page, the wall included, and the sign-in page."""
    headers = app.server.test_client().get("/login").headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "same-origin"
    url = start(dash_duo, app)
    dash_duo.driver.get(f"{url}/login")
    dash_duo.wait_for_element("#login-form", timeout=20)
    assert severe(dash_duo) == []
    browser_login(dash_duo.driver, url, "admin")
    pages = {
        "/?plan=1": "#kpi-table",
        "/don-vi?plan=1&agency=86": "#agency-name",
        "/tien-do?plan=3": "#timeline-heading",
        "/canh-bao?plan=2": "#flags-heading",
        "/viec-cua-toi?plan=1&agency=86": "#mywork-title",
        "/quan-tri": "#adm-users-table",
        "/wall?plan=1": "#wall-root",
    }
    for path, element in pages.items():
        dash_duo.driver.get(f"{url}{path}")
        dash_duo.wait_for_element(element, timeout=30)
        time.sleep(1)  # charts draw after the layout
        assert severe(dash_duo) == [], path
