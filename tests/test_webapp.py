"""The web app on the embedded default: first run fills the demo, the first page lists plans, KPIs, tasks."""

import json
from datetime import date
from pathlib import Path

import pytest

from dashboard.config import Config
from webapp import create_app


@pytest.fixture
def app(tmp_path: Path):  # noqa: ANN201
    config = Config(database_url=f"sqlite:///{tmp_path / 'web.db'}", secret_key="test", today=date(2026, 11, 27))
    return create_app(config)


def callback(client, output: str, outputs: list[dict] | dict, inputs: list[dict]):  # noqa: ANN001, ANN201
    body = {"output": output, "outputs": outputs, "inputs": inputs, "changedPropIds": [], "state": []}
    resp = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 200, resp.data[:500]
    return resp.get_json()["response"]


def test_first_run_builds_the_demo_and_serves_pages(app) -> None:  # noqa: ANN001
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    assert "Theo dõi KPI" in json.dumps(layout.get_json(), ensure_ascii=False)
    assert client.get("/_dash-dependencies").status_code == 200
    resp = callback(
        client,
        "..home-plans.children...demo-badge.children..",
        [{"id": "home-plans", "property": "children"}, {"id": "demo-badge", "property": "children"}],
        [{"id": "url", "property": "pathname", "value": "/"}],
    )
    text = json.dumps(resp, ensure_ascii=False)
    assert "Dữ liệu mẫu (demo)" in text
    for province in ("Thái Nguyên", "Đồng Tháp", "Lào Cai"):
        assert province in text
    assert "136 nhiệm vụ" in text and "17 chỉ tiêu" in text


def test_plan_detail_lists_kpis_and_tasks(app) -> None:  # noqa: ANN001
    client = app.server.test_client()
    resp = callback(
        client,
        "home-detail.children",
        {"id": "home-detail", "property": "children"},
        [{"id": "plan-select", "property": "value", "value": 1}],
    )
    text = json.dumps(resp, ensure_ascii=False)
    assert "Chỉ tiêu (17)" in text and "Nhiệm vụ (10)" in text
    assert "30/06/2026" in text  # dates as dd/mm/yyyy
    assert "Quá hạn" in text or "Hoàn thành" in text
