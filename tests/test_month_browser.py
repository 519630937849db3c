"""One month of the steering committee, end to end in headless Chromium: the D-5 reminder arrives by mail on a
loopback SMTP server, the agency types its figure and submits, the overview shows it pending, the secretariat
approves it, the overview counts it, the month is locked and a late edit is refused, an admin reopens it with a
reason, and the approvals page's log shows each step."""

import re
from datetime import date
from pathlib import Path

import pytest
from dash.testing.wait import until
from demo_copy import demo_url
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlalchemy import text
from test_notices import smtp  # noqa: F401 - the loopback SMTP server fixture
from test_roles_browser import click, severe, start
from webclient import browser_login

from dashboard.config import Config
from dashboard.sources.scheduler import KpiScheduler
from webapp import create_app

pytestmark = pytest.mark.browser
TODAY = date(2026, 11, 27)


def sign_in(dash_duo, url: str, username: str, path: str) -> None:  # noqa: ANN001
    dash_duo.driver.delete_all_cookies()
    browser_login(dash_duo.driver, url, username, path)


def figure_box(dash_duo, kpi: int, part: str):  # noqa: ANN001, ANN201
    """The figures form's field of a KPI (its id is a JSON object: found by XPath)."""
    dash_duo.wait_for_element("#mw-save-figures", timeout=20)
    xpath = f'//input[@id=\'{{"index":{kpi},"type":"{part}"}}\']'
    return dash_duo.driver.find_element(By.XPATH, xpath)


def pending(engine) -> str:  # noqa: ANN001
    """What the overview's pending line should count for Thái Nguyên, by SQL."""
    with engine.connect() as conn:
        months, figures = conn.execute(
            text(
                "SELECT (SELECT COUNT(*) FROM month_report WHERE plan_id = 1 AND status = 'submitted'), "
                "(SELECT COUNT(*) FROM measurement m JOIN indicator i ON i.id = m.indicator_id "
                "WHERE i.plan_id = 1 AND NOT m.approved)"
            )
        ).one()
    return f"{months} báo cáo tháng · {figures} số liệu"


def type_into(el, value: str) -> None:  # noqa: ANN001
    el.send_keys(Keys.CONTROL, "a")
    el.send_keys(value)


def test_one_month_from_reminder_to_reopening(dash_duo, tmp_path: Path, smtp) -> None:  # noqa: ANN001, F811
    smtp_url, inbox = smtp
    db = demo_url(tmp_path, "month.db")
    app = create_app(Config(database_url=db, secret_key="test", today=TODAY, demo_source_scale=0.05, smtp_url=smtp_url))
    engine = app.server.extensions["kpi"]["engine"]
    with engine.begin() as conn:
        conn.execute(text("UPDATE app_user SET email = 'khcn@thainguyen.gov.vn' WHERE username = 'sokhcn.thainguyen'"))
        agency_id, kpi = conn.execute(
            text(
                "SELECT u.agency_id, i.id FROM app_user u JOIN indicator_lead l ON l.agency_id = u.agency_id "
                "JOIN indicator i ON i.id = l.indicator_id WHERE u.username = 'sokhcn.thainguyen' AND i.code = '3' "
                "AND i.is_ratio"
            )
        ).one()

    # 20/11, D-5: the scheduler's morning job reminds every agency that has not submitted, by mail too
    reminders = Config(database_url=db, today=date(2026, 11, 20), smtp_url=smtp_url, site_url="http://kpi.local")
    KpiScheduler(engine, [], cycle=reminders).reminder_job()
    mails = [m for to, m in inbox.mails if to == ["khcn@thainguyen.gov.vn"]]
    assert len(mails) == 1
    assert "còn 5 ngày đến hạn báo cáo tháng 11/2026" in mails[0].get_content()
    assert re.search(r"http://kpi\.local/viec-cua-toi\?plan=\d+", mails[0].get_content())

    # the agency types its November figure for KPI 3 and submits the month
    url = start(dash_duo, app)
    sign_in(dash_duo, url, "sokhcn.thainguyen", "/viec-cua-toi")
    dash_duo.wait_for_contains_text("#mw-cycle", "Chưa gửi", timeout=20)
    num = figure_box(dash_duo, kpi, "fig-num")
    den = figure_box(dash_duo, kpi, "fig-den")
    type_into(num, "637")
    type_into(den, "1000")
    click(dash_duo, "#mw-save-figures")
    dash_duo.wait_for_contains_text("#mw-figures-feedback", "Đã lưu", timeout=20)
    dash_duo.wait_for_contains_text("#mw-figures", "Chờ duyệt", timeout=20)  # the agency sees it waiting
    click(dash_duo, "#mw-submit")
    dash_duo.wait_for_contains_text("#mw-cycle-feedback", "Đã gửi báo cáo tháng 11/2026", timeout=20)
    dash_duo.wait_for_contains_text("#mw-cycle", "Đã gửi, chờ duyệt", timeout=20)

    # the overview shows it pending, not counted
    sign_in(dash_duo, url, "admin", "/?plan=1")
    dash_duo.wait_for_contains_text("#pending-line", pending(engine), timeout=30)
    assert "63,7" not in dash_duo.find_element("#kpi-table").text

    # the secretariat approves it on its page (the admins: this agency is the standing one)
    click(dash_duo, "#nav-duyet")
    dash_duo.wait_for_contains_text("#appr-table", "Sở Khoa học và Công nghệ", timeout=20)
    with engine.connect() as conn:
        report = conn.execute(
            text("SELECT id FROM month_report WHERE agency_id = :a AND status = 'submitted'"), {"a": agency_id}
        ).scalar_one()
    click(dash_duo, f"#appr-row-{report} .btn-success")
    dash_duo.wait_for_contains_text("#appr-feedback", "Đã duyệt báo cáo tháng 11/2026", timeout=20)
    until(lambda: not dash_duo.find_elements(f"#appr-row-{report}"), timeout=20)  # off the waiting list

    # the overview counts it
    click(dash_duo, "#nav-")
    dash_duo.wait_for_contains_text("#kpi-table", "63,7", timeout=30)
    dash_duo.wait_for_contains_text("#pending-line", pending(engine), timeout=30)

    # the month is locked: the agency's late edit is refused, with who can reopen it
    sign_in(dash_duo, url, "sokhcn.thainguyen", "/viec-cua-toi")
    dash_duo.wait_for_contains_text("#mw-cycle", "Đã khoá", timeout=20)
    with engine.connect() as conn:
        unread = conn.execute(
            text(
                "SELECT n.kind FROM notification n JOIN app_user u ON u.id = n.user_id "
                "WHERE u.username = 'sokhcn.thainguyen' AND n.read_at IS NULL ORDER BY n.id"
            )
        ).scalars()
        assert list(unread) == ["remind_before", "approved"]
    assert dash_duo.find_element("#nav-unread").text == "2"  # the reminder and the approval, in its bell
    num = figure_box(dash_duo, kpi, "fig-num")
    type_into(num, "700")
    click(dash_duo, "#mw-save-figures")
    dash_duo.wait_for_contains_text("#mw-figures-feedback", "đã khoá", timeout=20)
    assert "Văn phòng thường trực BCĐ (demo)" in dash_duo.find_element("#mw-figures-feedback").text

    # an admin reopens it with a reason
    sign_in(dash_duo, url, "admin", "/duyet?plan=1")
    dash_duo.wait_for_element("#appr-reopen", timeout=20)
    dash_duo.select_dcc_dropdown("#appr-agency", value="Sở Khoa học và Công nghệ")
    dash_duo.find_element("#appr-reopen-reason").send_keys("Sai mẫu số, Sở bổ sung")
    click(dash_duo, "#appr-reopen")
    dash_duo.wait_for_contains_text("#appr-feedback", "Đã mở lại tháng 11/2026", timeout=20)
    # the audit shows each step, newest first
    dash_duo.wait_for_contains_text("#appr-log-table", "Mở lại tháng đã khoá", timeout=20)
    steps = [r.find_element(By.CLASS_NAME, "log-action").text for r in dash_duo.find_elements("#appr-log-table tr")]
    assert steps == ["Mở lại tháng đã khoá", "Duyệt báo cáo tháng", "Gửi báo cáo tháng"]
    assert "Sai mẫu số, Sở bổ sung" in dash_duo.find_element("#appr-log-table").text

    # and the agency can correct it now
    sign_in(dash_duo, url, "sokhcn.thainguyen", "/viec-cua-toi")
    dash_duo.wait_for_contains_text("#mw-cycle", "Đã mở lại", timeout=20)
    num = figure_box(dash_duo, kpi, "fig-num")
    type_into(num, "700")
    click(dash_duo, "#mw-save-figures")
    dash_duo.wait_for_contains_text("#mw-figures-feedback", "Đã lưu", timeout=20)
    with engine.connect() as conn:
        assert (
            conn.execute(
                text(
                    "SELECT numerator FROM measurement "
                    "WHERE indicator_id = :k AND agency_id = :a AND month = '2026-11-01'"
                ),
                {"k": kpi, "a": agency_id},
            ).scalar_one()
            == 700
        )
    assert severe(dash_duo) == []


def test_a_leader_directs_and_the_agency_answers(dash_duo, tmp_path: Path) -> None:  # noqa: ANN001
    app = create_app(
        Config(database_url=demo_url(tmp_path, "dir.db"), secret_key="test", today=TODAY, demo_source_scale=0.05)
    )
    engine = app.server.extensions["kpi"]["engine"]
    with engine.connect() as conn:
        agency_id = conn.execute(
            text("SELECT agency_id FROM app_user WHERE username = 'sokhcn.thainguyen'")
        ).scalar_one()
    url = start(dash_duo, app)
    sign_in(dash_duo, url, "lanhdao", "/")
    dash_duo.driver.get(f"{url}/don-vi?plan=1&agency={agency_id}")
    dash_duo.wait_for_element("#dir-send", timeout=30)  # the leader's form
    dash_duo.find_element("#dir-text").send_keys("Báo cáo tiến độ hạ tầng dữ liệu tại phiên họp tháng 12")
    click(dash_duo, "#dir-send")
    dash_duo.wait_for_contains_text("#dir-feedback", "Đã gửi ý kiến chỉ đạo đến Sở Khoa học và Công nghệ", timeout=20)

    sign_in(dash_duo, url, "sokhcn.thainguyen", "/viec-cua-toi")
    dash_duo.wait_for_contains_text("#mw-directives", "Báo cáo tiến độ hạ tầng dữ liệu", timeout=20)
    with engine.connect() as conn:
        directive = conn.execute(
            text("SELECT id FROM directive WHERE text LIKE 'Báo cáo tiến độ hạ tầng%'")
        ).scalar_one()
    box = dash_duo.driver.find_element(
        By.XPATH, f'//textarea[@id=\'{{"index":{directive},"type":"dir-answer-text"}}\']'
    )
    box.send_keys("Sở sẽ báo cáo tại phiên họp ngày 10/12")
    dash_duo.driver.find_element(By.XPATH, f'//button[@id=\'{{"index":{directive},"type":"dir-answer"}}\']').click()
    dash_duo.wait_for_contains_text("#mw-dir-feedback", "Đã gửi trả lời", timeout=20)
    dash_duo.wait_for_contains_text(f"#directive-{directive}", "Sở sẽ báo cáo tại phiên họp ngày 10/12", timeout=20)
    # the leader is told in the bell
    sign_in(dash_duo, url, "lanhdao", "/thong-bao")
    dash_duo.wait_for_contains_text("#ntc-list", "đã trả lời ý kiến chỉ đạo: Sở sẽ báo cáo", timeout=20)
    assert severe(dash_duo) == []
