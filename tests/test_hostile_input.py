"""Hostile input is refused quickly and changes nothing (issue 13): a workbook small on disk that unpacks huge
or declares thousands of rows, a CSV with an open quote or a million rows, crafted URL parameters, a wall
screen trying to upload."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from conftest import content
from openpyxl import Workbook
from webclient import call, demo_app, kiosk, login, report_file

from dashboard.importers import PlanImportError, import_file
from dashboard.importers.workbook import MAX_UNPACKED, WorkbookTooLarge, read_sheets

XLSX = "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,"


@pytest.fixture(scope="module")
def app(tmp_path_factory):  # noqa: ANN001, ANN201
    return demo_app(tmp_path_factory.mktemp("hostile"), login_rate_limit="1000 per minute")


def engine_of(app):  # noqa: ANN001, ANN201
    return app.server.extensions["kpi"]["engine"]


def workbook(rows: int = 3) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Loại", "Tử số", "Mẫu số", "Giá trị"])
    for i in range(rows):
        ws.append([str(i % 17 + 1), "x", "%", "Tỷ lệ", 1, 2, None])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bomb() -> bytes:
    """A real workbook with one more part that unpacks to more than the limit: about 100 KB on disk."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/media/padding.xml", b" " * (MAX_UNPACKED + 1024 * 1024))
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    data = bomb()
    assert len(data) < 1024 * 1024
    with pytest.raises(WorkbookTooLarge) as err:
        read_sheets(data)
    assert "unpacks to" in str(err.value) and "giải nén" in str(err.value.message)


def test_too_many_rows_are_refused_while_reading() -> None:
    with pytest.raises(WorkbookTooLarge, match="more than 100 rows"):
        read_sheets(workbook(150), max_rows=100)
    assert len(read_sheets(workbook(50), max_rows=100)["Số liệu"]) == 51


def preview(app, client, data: bytes, context: dict):  # noqa: ANN001, ANN201
    return call(
        app,
        client,
        "mw-upload",
        {
            "mw-upload.contents": XLSX + base64.b64encode(data).decode(),
            "mw-upload.filename": "so-lieu.xlsx",
            "mw-month.value": "2026-11-01",
            "mw-context.data": context,
        },
    )


def agency_context(app) -> dict:  # noqa: ANN001
    from sqlalchemy import select

    from dashboard.store.database import transaction
    from dashboard.store.models import User

    with transaction(engine_of(app)) as s:
        user = s.scalar(select(User).where(User.username == "sokhcn.thainguyen"))
        return {"agency_id": user.agency_id, "plan_id": 1}


@pytest.mark.parametrize("kind", ["bomb", "rows"])
def test_the_figures_preview_refuses_oversized_files_and_the_site_answers(app, kind: str) -> None:  # noqa: ANN001
    client = login(app, "sokhcn.thainguyen")
    before = content(engine_of(app))
    data = bomb() if kind == "bomb" else workbook(2_500)
    resp = preview(app, client, data, agency_context(app))
    text = json.dumps(resp.get_json(), ensure_ascii=False)
    assert resp.status_code == 200
    assert ("giải nén ra" in text) if kind == "bomb" else ("quá lớn để đọc" in text)
    assert resp.get_json()["response"]["mw-upload-save"]["disabled"] is True
    assert content(engine_of(app)) == before
    other = login(app, "lanhdao")  # everyone else is still served
    page = call(app, other, "url", {"url.pathname": "/", "url.search": "?plan=1"})
    assert page.status_code == 200


def test_a_wall_screen_cannot_upload(app) -> None:  # noqa: ANN001
    client = kiosk(app)
    resp = preview(app, client, workbook(), agency_context(app))
    assert resp.status_code == 403  # the request guard: a wall screen calls nothing but the wall
    # and the callback itself refuses anyone who may not report the agency's figures
    viewer = login(app, "xem")
    out = preview(app, viewer, workbook(), agency_context(app)).get_json()["response"]
    assert out["mw-upload-data"]["data"] is None and out["mw-upload-save"]["disabled"] is True
    assert "không được báo cáo số liệu" in json.dumps(out, ensure_ascii=False)


def test_a_plan_workbook_bomb_is_refused_naming_the_file(engine, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "ke-hoach.xlsx"
    path.write_bytes(bomb())
    before = content(engine)
    with pytest.raises(PlanImportError, match="ke-hoach.xlsx: .*unpacks to"):
        import_file(engine, path)
    assert content(engine) == before


def test_a_csv_with_an_open_quote_is_refused_with_its_line(engine, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "nhiem-vu.csv"
    path.write_text(
        'Mã,Tên nhiệm vụ,Cơ quan chủ trì,Thời hạn\n1,"Việc một,Sở Y tế,Năm 2026\n2,Việc hai,Sở Y tế,Năm 2026\n',
        encoding="utf-8",
    )
    with pytest.raises(PlanImportError, match=r"nhiem-vu.csv, line 3: .*quote"):
        import_file(engine, path, province="Thái Nguyên", year=2026)


def test_a_csv_of_a_million_rows_is_refused(engine, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "lon.csv"
    row = "1,Việc,Sở Y tế,Năm 2026\n"
    path.write_text("Mã,Tên nhiệm vụ,Cơ quan chủ trì,Thời hạn\n" + row * 30_000, encoding="utf-8")
    with pytest.raises(PlanImportError, match="more than 20,000 rows"):
        import_file(engine, path, province="Thái Nguyên", year=2026)


@pytest.mark.parametrize("query", ["?plan=²", "?plan=99999999999999999999", "?agency=¹,٣", "?quarter=Ⅳ", "?plan=-1"])
def test_crafted_url_parameters_are_ignored(app, query: str) -> None:  # noqa: ANN001
    client = login(app, "lanhdao")
    for path in ("/", "/canh-bao", "/tien-do", "/don-vi"):
        resp = call(app, client, "url", {"url.pathname": path, "url.search": query})
        assert resp.status_code == 200, (path, query, resp.data[:200])


def test_a_huge_task_name_never_breaks_the_briefing(app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from sqlalchemy import update

    from dashboard.exports.briefings import write_monthly_briefings
    from dashboard.reads.page_data import Settings
    from dashboard.store.database import bump_data_version, transaction
    from dashboard.store.models import Task

    with transaction(engine_of(app)) as s:
        s.execute(update(Task).where(Task.plan_id == 3, Task.code == "PLII.I.1").values(name="Rà soát " * 4096))
        bump_data_version(s)
    client = login(app, "lanhdao")
    pdf, _ = report_file(app, client, "briefing", "?plan=3")
    assert pdf.startswith(b"%PDF")
    pack, _ = report_file(app, client, "pack", "?plan=3")  # the lead agency's own PDF lists the task in full
    assert pack.startswith(b"PK")
    deck, _ = report_file(app, client, "slides", "?plan=3")
    assert deck.startswith(b"PK")
    # one plan's briefing failing does not stop the monthly run for the plans after it
    import layouts.briefing as briefing

    real = briefing.build_pdf

    def fails_for_thai_nguyen(**data):  # noqa: ANN003, ANN202
        if data["plan"]["province"] == "Thái Nguyên":
            raise RuntimeError("kaleido died")
        return real(**data)

    monkeypatch.setattr(briefing, "build_pdf", fails_for_thai_nguyen)
    written = write_monthly_briefings(engine_of(app), tmp_path, date(2026, 11, 26), Settings())
    assert sorted(p.name.split("-")[4] for p in written) == ["dong", "lao"]


def test_a_kpi_twice_in_one_upload_is_an_error_row(app) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(workbook(0)))
    ws = wb["Số liệu"]
    ws.append(["11", "x", "%", "Tỷ lệ", 1, 2, None])
    ws.append(["11", "x", "%", "Tỷ lệ", 2, 2, None])
    out = io.BytesIO()
    wb.save(out)
    resp = preview(app, login(app, "sokhcn.thainguyen"), out.getvalue(), agency_context(app))
    text = json.dumps(resp.get_json(), ensure_ascii=False)
    assert "Chỉ tiêu 11 đã có ở dòng 2" in text
    assert resp.get_json()["response"]["mw-upload-save"]["disabled"] is True


def test_a_source_cannot_push_a_figure_beyond_any_sensible_size(engine, tmp_path: Path) -> None:  # noqa: ANN001
    from conftest import TN
    from sqlalchemy import func, select, text

    from dashboard.sources.definitions import Source
    from dashboard.sources.refresh import run_source
    from dashboard.store.database import make_engine, transaction
    from dashboard.store.models import Measurement

    import_file(engine, TN)
    src = tmp_path / "src.db"
    with make_engine(f"sqlite:///{src}").begin() as c:
        c.execute(text("CREATE TABLE r (a TEXT, m TEXT, n REAL, d REAL)"))
        c.execute(text("INSERT INTO r VALUES ('Sở Y tế', '2026-10', 1e308, 1e308), ('Sở Y tế', '2026-11', 5, 10)"))
    query = "SELECT 'satisfaction', a, m, n, d FROM r"
    result = run_source(engine, Source("x", "X", f"sqlite:///{src}", query, plan="thai-nguyen-2026-kh-ubnd"))
    assert result.rows_changed == 1 and result.rows_skipped == 1 and "finite numbers" in result.error
    with transaction(engine) as s:
        assert s.scalar(select(func.max(Measurement.numerator))) == 5


def test_retries_are_named_the_same_in_every_scheduler(engine) -> None:  # noqa: ANN001
    from dashboard.sources.definitions import Source
    from dashboard.sources.scheduler import KpiScheduler

    broken = Source("hong", "Hỏng", "sqlite:////no/such/folder/x.db", "SELECT 1", interval_minutes=60)
    first, second = KpiScheduler(engine, [broken]), KpiScheduler(engine, [broken])
    for sched in (first, second):
        sched.scheduler.start(paused=True)
    try:
        first.refresh_job(broken)  # the tick: first runs it and fails, second finds it claimed
        second.refresh_job(broken)
        retry = first.scheduler.get_job("retry:hong")
        assert second.scheduler.get_job("retry:hong") is None
        tick = retry.args[1]
        first.refresh_job(broken, tick)
        second.refresh_job(broken, tick)  # the same retry: claimed once
    finally:
        first.shutdown()
        second.shutdown()
    from sqlalchemy import func, select

    from dashboard.store.database import transaction
    from dashboard.store.models import RefreshRun

    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(RefreshRun)) == 2  # the tick and one retry
