"""Downloads for meetings: the tables of the pages as Excel and CSV, and the national tracking export."""

import base64
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from webclient import TODAY, call, demo_app, kiosk, login

from dashboard.reads.filters import Filters
from dashboard.reads.page_data import Settings, all_flags, filtered_tasks, load_context, snapshots
from dashboard.store.database import bump_data_version, transaction
from dashboard.store.models import Task


@pytest.fixture(scope="module")
def app(tmp_path_factory):  # noqa: ANN001, ANN201
    return demo_app(tmp_path_factory.mktemp("exports"))


def download(app, client, what: str, fmt: str, search: str):  # noqa: ANN001, ANN201
    resp = call(
        app,
        client,
        '{"fmt":["ALL"],"type":"export","what":["ALL"]}',
        {
            '{"fmt":["ALL"],"type":"export","what":["ALL"]}.n_clicks': [
                ({"fmt": fmt, "type": "export", "what": what}, 1)
            ],
            "url.search": search,
        },
        trigger={"fmt": fmt, "type": "export", "what": what},
    )
    return resp


def fetch(app, client, what: str, fmt: str, search: str) -> tuple[bytes, str]:  # noqa: ANN001
    resp = download(app, client, what, fmt, search)
    assert resp.status_code == 200, resp.data[:300]
    data = resp.get_json()["response"]["download"]["data"]
    return base64.b64decode(data["content"]), data["filename"]


def core(app, search: str):  # noqa: ANN001, ANN201
    f = Filters.from_query(search)
    with transaction(app.server.extensions["kpi"]["engine"]) as s:
        ctx = load_context(s, f, TODAY)
        f = f.with_(plan=ctx.plan["id"])
        return ctx, f, all_flags(ctx, s, f, Settings()), snapshots(ctx, f, Settings())


def test_red_flags_to_excel(app) -> None:  # noqa: ANN001
    client = login(app, "lanhdao")
    data, name = fetch(app, client, "flags", "xlsx", "?plan=3")
    assert name == "canh-bao-lao-cai-2026-kh-bcd-27-11-2026.xlsx"
    _, _, flags, _ = core(app, "?plan=3")
    ws = load_workbook(io.BytesIO(data))["Cảnh báo"]
    assert [c.value for c in ws[1]][:4] == ["Loại cảnh báo", "Mã", "Nội dung", "Đơn vị"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert ws.max_row - 1 == len(flags)
    first = [c for c in ws[2]]
    assert first[0].value == "Quá hạn" and first[2].value == flags[0].title  # worst first, Vietnamese intact
    assert first[4].is_date and first[4].value.date() == flags[0].due
    assert first[5].value == flags[0].days


def test_kpis_to_excel_with_percentages_as_numbers(app) -> None:  # noqa: ANN001
    client = login(app, "lanhdao")
    data, name = fetch(app, client, "kpis", "xlsx", "?plan=1")
    assert name.startswith("chi-tieu-thai-nguyen-2026-kh-ubnd-")
    _, _, _, snaps = core(app, "?plan=1")
    ws = load_workbook(io.BytesIO(data))["Chỉ tiêu"]
    header = [c.value for c in ws[1]]
    pct = header.index("Hiện tại (%)")
    for row, snap in zip(ws.iter_rows(min_row=2), snaps, strict=True):
        assert row[0].value == snap.indicator.code
        if snap.value is not None and snap.indicator.unit == "%":
            assert isinstance(row[pct].value, (int, float)) and "%" in row[pct].number_format
            assert row[pct].value == pytest.approx(snap.value / 100)  # the number the gauge shows


def test_filtered_tasks_to_csv_and_formulas_stay_text(app) -> None:  # noqa: ANN001
    engine = app.server.extensions["kpi"]["engine"]
    with transaction(engine) as s:
        task = s.scalar(select(Task).where(Task.key == "lao-cai-2026-kh-bcd:PLII.I.1"))
        task.name = '=HYPERLINK("http://x","bấm vào đây")'
        bump_data_version(s)
    client = login(app, "lanhdao")
    search = "?plan=3&q=bam+vao+day"
    data, name = fetch(app, client, "tasks", "csv", search)
    assert data.startswith("\ufeff".encode()) and name.endswith(".csv")
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "bấm vào đây" in text
    assert len(text.strip().splitlines()) == 2  # the header and the one task the search finds
    xlsx, _ = fetch(app, client, "tasks", "xlsx", search)
    cell = load_workbook(io.BytesIO(xlsx))["Nhiệm vụ"]["C2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_tracking_export(app) -> None:  # noqa: ANN001
    client = login(app, "lanhdao")
    data, name = fetch(app, client, "tracking", "json", "?plan=2")
    rows = json.loads(data)
    ctx, f, _, _ = core(app, "?plan=2")
    assert len(rows) == len(filtered_tasks(ctx, f)) == 56
    assert set(rows[0]) >= {"key", "status", "progress", "last_note"}
    assert all(r["key"].startswith("dong-thap-2026-qd-bcd:") for r in rows)
    csv_data, _ = fetch(app, client, "tracking", "csv", "?plan=2")
    assert csv_data.decode("utf-8-sig").splitlines()[0].startswith("Mã định danh,Kế hoạch,Mã,Nhiệm vụ")


def test_a_wall_token_downloads_nothing(app) -> None:  # noqa: ANN001
    resp = download(app, kiosk(app), "flags", "xlsx", "?plan=1")
    assert resp.status_code == 403  # a wall screen calls nothing but the wall
    assert download(app, app.server.test_client(), "flags", "xlsx", "?plan=1").status_code == 401


def test_charts_save_as_named_slide_sized_png(app, tmp_path: Path) -> None:  # noqa: ANN001
    client = login(app, "lanhdao")
    resp = call(app, client, "url", {"url.pathname": "/", "url.search": "?plan=1"})
    page = json.dumps(resp.get_json(), ensure_ascii=False)
    assert '"filename": "dvc-truc-tuyen-toan-trinh-thai-nguyen-2026-kh-ubnd-27-11-2026"' in page
    # the slide maker (assets/charts.js) titles the image with what, the province, the date and the plan
    assert (
        '"meta": {"title": "DVC trực tuyến toàn trình", "subtitle": "Thái Nguyên · Tình hình đến ngày 27/11/2026 · '
        in page
    )
    assert '"modeBarButtonsToRemove": ["sendDataToCloud", "toImage"]' in page  # Plotly's screen-size camera
