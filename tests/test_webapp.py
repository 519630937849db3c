"""The web app without a browser: first run fills the demo, every page renders from its URL, health check."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from demo_copy import demo_url
from webclient import call, login

from dashboard import clock
from dashboard.config import Config
from webapp import create_app


@pytest.fixture
def app(tmp_path: Path):  # noqa: ANN201
    config = Config(
        database_url=demo_url(tmp_path, "web.db"),
        secret_key="test",
        today=date(2026, 11, 27),
        demo_source_scale=0.05,
    )
    return create_app(config)


def render(client, path: str, search: str = "", app=None) -> str:  # noqa: ANN001
    resp = call(app or client.application_for_test, client, "url", {"url.pathname": path, "url.search": search})
    assert resp.status_code == 200, resp.data[:500]
    return json.dumps(resp.get_json()["response"], ensure_ascii=False)


def test_first_run_builds_the_demo_and_serves_the_app(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import sqlite3

    import webapp

    url = f"sqlite:///{tmp_path / 'first.db'}"
    config = Config(database_url=url, secret_key="test", today=date(2026, 11, 27), demo_source_scale=0.05)
    create_app(config)  # building the app reads and writes no data
    tables = sqlite3.connect(tmp_path / "first.db").execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == []
    # gunicorn's entry point prepares the store first: migrated and filled with the demo on a first run
    monkeypatch.setattr(Config, "from_env", classmethod(lambda cls: config))
    server = webapp.create_server()
    with sqlite3.connect(tmp_path / "first.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM plan").fetchone()[0] == 3
    assert server.test_client().get("/").status_code == 302  # to the login page


def test_the_app_serves_its_pages_to_a_signed_in_user(app) -> None:  # noqa: ANN001
    assert app.server.test_client().get("/").status_code == 302  # to the login page
    client = login(app, "lanhdao")
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/_dash-dependencies").status_code == 200
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok" and health["database"] is True and health["version"]


@pytest.mark.parametrize(
    ("path", "search", "expected"),
    [
        (
            "/",
            "?plan=1",
            ["Chỉ tiêu chủ yếu", "Dữ liệu mẫu (demo)", "DVC trực tuyến toàn trình", "Tình hình đến ngày 27/11/2026"],
        ),
        ("/", "?plan=1&lang=en", ["Headline KPIs", "Demo data", "Full online public services"]),
        ("/don-vi", "?plan=1", ["Chọn một đơn vị để xem chi tiết"]),
        ("/tien-do", "?plan=2", ["Thời hạn nhiệm vụ theo quý", "Chờ hướng dẫn (nhiệm vụ theo điều kiện) (6)"]),
        ("/canh-bao", "?plan=3", ["Cảnh báo cần Chủ tịch quan tâm", "quá hạn"]),
        ("/khong-co", "", ["Không tìm thấy trang này."]),
    ],
)
def test_pages_render_from_the_url(app, path: str, search: str, expected: list[str]) -> None:  # noqa: ANN001
    text = render(login(app, "lanhdao"), path, search)
    for snippet in expected:
        assert snippet in text


def test_bad_query_values_never_break_a_page(app) -> None:  # noqa: ANN001
    text = render(login(app, "lanhdao"), "/canh-bao", "?plan=999&agency=abc&quarter=7&status=%3Cscript%3E&lang=xx")
    assert "Cảnh báo cần Chủ tịch quan tâm" in text


def test_wall_shell_takes_rotation_and_refresh_from_the_url(app) -> None:  # noqa: ANN001
    text = render(login(app, "lanhdao"), "/wall", "?plan=1&rotate=30&refresh=2")
    assert '"rotate_ms": 30000' in text and '"refresh_ms": 120000' in text
    text = render(login(app, "lanhdao"), "/wall", "?rotate=abc&refresh=-5")
    assert '"rotate_ms": 20000' in text and '"refresh_ms": 3000' in text


def test_every_page_says_when_a_source_is_stale(app) -> None:  # noqa: ANN001
    from datetime import timedelta

    from sqlalchemy import update

    from dashboard.store.database import bump_data_version, transaction
    from dashboard.store.models import RefreshRun

    client = login(app, "lanhdao")
    fresh = render(client, "/canh-bao", "?plan=1")
    assert "Cập nhật dữ liệu" in fresh and "đã cũ" not in fresh
    engine = app.server.extensions["kpi"]["engine"]
    with transaction(engine) as s:  # the one-stop-shop source was last read three hours ago
        s.execute(
            update(RefreshRun)
            .where(RefreshRun.source == "mot-cua-dvc")
            .values(finished_at=clock.now() - timedelta(hours=3))
        )
        bump_data_version(s)
    for path in ("/", "/tien-do", "/canh-bao", "/don-vi"):
        text = render(client, path, "?plan=1")
        assert "Dữ liệu từ Hệ thống thông tin giải quyết TTHC (một cửa điện tử) đã cũ 3 giờ" in text
        assert "Cơ sở dữ liệu cán bộ" not in text  # the HR source is fresh


def test_admin_imports_a_plan_from_the_page(app, tmp_path: Path) -> None:  # noqa: ANN001
    import base64

    from conftest import LC, snapshot

    engine = app.server.extensions["kpi"]["engine"]
    client = login(app, "admin")

    def upload(path, lang: str = "vi") -> str:  # noqa: ANN001
        """Upload, see the preview, then save (what the admin does): the texts of both answers."""
        body = "data:text/plain;base64," + base64.b64encode(path.read_bytes()).decode()
        values = {"adm-import.contents": body, "adm-import.filename": path.name, "adm-lang.data": lang}
        resp = call(app, client, "adm-import", values)
        answer = resp.get_json()["response"]
        pending = answer.get("adm-import-pending", {}).get("data")
        if not pending:
            return json.dumps(answer, ensure_ascii=False)
        saved = call(
            app, client, "adm-import-save", {"adm-import-save.n_clicks": 1, "adm-import-pending.data": pending}
        )
        return json.dumps([answer, saved.get_json()["response"]], ensure_ascii=False)

    before = snapshot(engine)
    prose = tmp_path / "chi-van-ban.txt"
    prose.write_text("KẾ HOẠCH\n\nMột văn bản chỉ có lời văn.\n", encoding="utf-8")
    text = upload(prose)
    # the refusal speaks the page's language: Vietnamese first, English under ?lang=en
    assert "chi-van-ban.txt: không thấy bảng chỉ tiêu hay nhiệm vụ nào" in text and "dữ liệu giữ nguyên" in text
    english = upload(prose, "en")
    assert "chi-van-ban.txt: no KPI or task table found" in english and "the data is unchanged" in english
    assert snapshot(engine) == before
    text = upload(LC)  # the same document again: updated in place
    assert "Nhiệm vụ: 123 (0 mới, 123 cập nhật" in text
    after = snapshot(engine)
    assert after["task"] == before["task"] and after["audit_log"] == before["audit_log"] + 1


def test_the_agency_page_lists_each_kpi_with_its_months_as_a_sparkline(app) -> None:  # noqa: ANN001
    """One light chart and a row per KPI the agency reports: the sparkline's text names each month from the
    agency's first figure to November (a month without a new figure carries the last one), counted here from
    plain SQL."""
    import re

    from sqlalchemy import text
    from webclient import find

    engine = app.server.extensions["kpi"]["engine"]
    with engine.connect() as conn:
        agency = conn.execute(text("SELECT id FROM agency WHERE name = 'Sở Nội vụ' AND province_id = 1")).scalar_one()
        months = dict(
            conn.execute(
                text(
                    "SELECT m.indicator_id, MIN(m.month) FROM measurement m "
                    "JOIN indicator i ON i.id = m.indicator_id WHERE i.plan_id = 1 AND m.agency_id = :a "
                    "AND (m.value IS NOT NULL OR m.denominator > 0) AND m.month <= '2026-11-27' GROUP BY m.indicator_id"
                ),
                {"a": agency},
            ).all()
        )
    resp = call(
        app, login(app, "lanhdao"), "url", {"url.pathname": "/don-vi", "url.search": f"?plan=1&agency={agency}"}
    )
    page = resp.get_json()["response"]
    table = find(page, "agency-kpi-table")
    shown = {}
    for row in re.findall(r'"id": "agency-kpi-(\d+)"', json.dumps(table)):
        cell = json.dumps(find(table, f"agency-kpi-{row}"), ensure_ascii=False)
        title = re.search(r'"title": "([^"]*\d{2}/\d{4}[^"]*)"', cell)
        shown[int(row)] = len(title.group(1).split("; ")) if title else 0
    assert months and shown == {ind: 12 - date.fromisoformat(str(first)[:10]).month for ind, first in months.items()}
    assert json.dumps(page).count('"type": "Graph"') == 1  # one chart for all the KPIs


def test_the_overview_shows_each_kpis_trajectory_and_the_demo_has_all_three(app) -> None:  # noqa: ANN001
    """In-year states beside the year-end verdict; the gauges mark the value expected by now."""
    from webclient import find

    client = login(app, "lanhdao")
    states: set[str] = set()
    for plan in (1, 3):
        resp = call(app, client, "url", {"url.pathname": "/", "url.search": f"?plan={plan}"})
        page = resp.get_json()["response"]
        table = json.dumps(find(page, "kpi-table"), ensure_ascii=False)
        states |= set(re.findall(r'"data-trajectory": "(\w+)"', table))
        assert "Theo lộ trình, đến nay cần đạt" in table  # the value expected by now, in the cell's tooltip
        gauge = find(page, "gauge-online_services")["props"]["figure"]["data"][0]["gauge"]
        (mark,) = gauge["steps"]
        assert 0 < mark["range"][0] < mark["range"][1] <= 100
    assert {"on_track", "at_risk", "off_track"} <= states
