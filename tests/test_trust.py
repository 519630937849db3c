"""Each defect of issue 12, reproduced on the demo: what agencies submit versus what sources pull, co-led
counts, KPIs sharing a national code, field validation, units, freshness and atomic data versions."""

from __future__ import annotations

import base64
import io
import json
import threading
from datetime import date, datetime, timedelta

import pytest
from conftest import TN
from openpyxl import load_workbook
from sqlalchemy import select, text, update
from webclient import TODAY, call, demo_app, login

from dashboard import clock
from dashboard.accounts.users import Actor
from dashboard.exports.figures_template import build_template, read_upload
from dashboard.importers import import_file
from dashboard.sources.definitions import Source, SourceConfigError, load_sources
from dashboard.sources.refresh import run_source
from dashboard.store.database import bump_data_version, data_version, make_engine, transaction
from dashboard.store.models import Agency, AuditLog, FigureChange, Indicator, Measurement, RefreshRun, Task, User
from dashboard.updates import FigureInput, ValidationFailed, reported_indicators, save_figures


@pytest.fixture(scope="module")
def app(tmp_path_factory):  # noqa: ANN001, ANN201
    return demo_app(tmp_path_factory.mktemp("trust"), login_rate_limit="1000 per minute")


def engine_of(app):  # noqa: ANN001, ANN201
    return app.server.extensions["kpi"]["engine"]


def render(app, client, path: str, search: str) -> str:  # noqa: ANN001
    resp = call(app, client, "url", {"url.pathname": path, "url.search": search})
    assert resp.status_code == 200, resp.data[:300]
    return json.dumps(resp.get_json()["response"], ensure_ascii=False)


def actor(s, username: str) -> Actor:  # noqa: ANN001
    user = s.scalar(select(User).where(User.username == username))
    return Actor(user.id, user.username, user.role, user.agency_id)


# --- co-leads and national codes ------------------------------------------------------------------


def test_lao_cai_products_co_led_count_is_not_doubled(app) -> None:  # noqa: ANN001
    with engine_of(app).connect() as c:
        rows = c.execute(
            text(
                "SELECT m.agency_id, m.value FROM measurement m JOIN indicator i ON i.id = m.indicator_id "
                "WHERE i.plan_id = 3 AND i.code = '13' AND m.month = :m"
            ),
            {"m": date(2026, 10, 1)},
        ).all()
        rule = c.execute(text("SELECT aggregation FROM indicator WHERE plan_id = 3 AND code = '13'")).scalar()
    assert rule == "province" and len(rows) == 2  # both co-leads report the province's one count
    assert rows[0].value == rows[1].value
    client = login(app, "lanhdao")
    page = render(app, client, "/", "?plan=3&lang=en")
    doubled = f"{rows[0].value * 2:g}"
    assert f"{doubled} Sản phẩm" not in page


def test_two_plan_kpis_with_one_national_code_each_keep_their_data(app) -> None:  # noqa: ANN001
    with engine_of(app).connect() as c:
        counts = c.execute(
            text(
                "SELECT i.code, count(m.id) FROM indicator i LEFT JOIN measurement m ON m.indicator_id = i.id "
                "WHERE i.plan_id = 3 AND i.national_code = 'online_services' GROUP BY i.code ORDER BY i.code"
            )
        ).all()
    assert [c for c, _ in counts] == ["5", "6"]
    assert all(n > 0 for _, n in counts), counts  # the source feeds both, each under its own rows


# --- what agencies submit and what sources pull ---------------------------------------------------


def ratings_source(tmp_path, rows: list[tuple]) -> Source:  # noqa: ANN001
    """A satisfaction-rating system for Thái Nguyên as a SQL source: (agency, month, satisfied, ratings) rows."""
    src = tmp_path / "src.db"
    with make_engine(f"sqlite:///{src}").begin() as c:
        c.execute(text("CREATE TABLE r (agency TEXT, month TEXT, num INT, den INT)"))
        for row in rows:
            c.execute(text("INSERT INTO r VALUES (:a, :m, :n, :d)"), dict(zip("amnd", row, strict=True)))
    query = "SELECT 'satisfaction', agency, month, num, den FROM r"
    return Source("hai-long", "Cổng đánh giá", f"sqlite:///{src}", query, plan="thai-nguyen-2026-kh-ubnd")


def test_source_figures_never_make_a_report_on_time(engine, tmp_path) -> None:  # noqa: ANN001
    eng = engine
    import_file(eng, TN)
    source = ratings_source(tmp_path, [("Sở Y tế", "2026-10", 90, 100), ("Sở Y tế", "2026-11", 95, 100)])
    assert run_source(eng, source).status == "ok"
    from dashboard.reads.filters import Filters
    from dashboard.reads.page_data import Settings, load_context, reporting

    with transaction(eng) as s:
        health = s.scalar(select(Agency.id).where(Agency.name == "Sở Y tế"))
        ctx = load_context(s, Filters(plan=1), date(2026, 11, 27))
        cells, _ = reporting(ctx, s, Settings())
    october = [c for c in cells if c.agency_id == health and c.month == date(2026, 10, 1)]
    assert october and october[0].status == "missing"  # the pulled October figure is not Sở Y tế's report


def test_a_source_fed_kpi_takes_no_typed_figure(app) -> None:  # noqa: ANN001
    sources = app.server.extensions["kpi"]["sources"]
    with transaction(engine_of(app)) as s:
        who = actor(s, "sokhcn.thainguyen")
        fed = s.scalar(select(Indicator).where(Indicator.plan_id == 1, Indicator.national_code == "satisfaction"))
        typed = s.scalar(select(Indicator).where(Indicator.plan_id == 1, Indicator.code == "4"))
        with pytest.raises(ValidationFailed) as err:
            save_figures(s, who, who.agency_id, date(2026, 11, 1), [FigureInput(fed.id, 5, 10)], TODAY, "form", sources)
        message = str(next(iter(err.value.errors.values())))
        assert message == (
            f"Chỉ tiêu {fed.code} được cập nhật tự động từ Hệ thống thông tin giải quyết TTHC (một cửa điện tử); "
            "không nhập tay số liệu này."
        )
        inds = reported_indicators(s, who.agency_id, 1)
        from dashboard.kpi.figure_origin import fed_by_sources

        fed_map = fed_by_sources(s, [i.id for i in inds], sources)
        assert fed.id in fed_map and typed.id not in fed_map
        tpl = build_template(inds, who.agency_id, "Sở KH&CN", date(2026, 11, 1), {}, fed_map)
    ws = load_workbook(io.BytesIO(tpl))["Số liệu"]
    kinds = {row[0].value: row[3].value for row in ws.iter_rows(min_row=2)}
    assert kinds[fed.code].startswith("Tự động (Hệ thống thông tin giải quyết TTHC")
    assert kinds[typed.code] == "Tỷ lệ"
    for row in ws.iter_rows(min_row=2):
        if row[0].value == fed.code:
            row[4].value, row[5].value = 5, 10
    out = io.BytesIO()
    ws.parent.save(out)
    with transaction(engine_of(app)) as s:
        up = read_upload(out.getvalue(), "so-lieu.xlsx", inds, who.agency_id, date(2026, 11, 1), fed_map)
    assert not up.ok and any("cập nhật tự động từ" in str(r.error or "") for r in up.rows)
    # the form shows the KPI with its source and without an input to type in
    client = login(app, "sokhcn.thainguyen")
    resp = call(
        app,
        client,
        "mw-month",
        {"mw-month.value": "2026-11-01", "mw-context.data": {"agency_id": who.agency_id, "plan_id": 1}},
    )
    form = json.dumps(resp.get_json()["response"], ensure_ascii=False)
    assert "Tự động từ Hệ thống thông tin giải quyết TTHC (một cửa điện tử)" in form


def test_a_refresh_that_overwrites_a_typed_figure_is_audited(engine, tmp_path) -> None:  # noqa: ANN001
    eng = engine
    import_file(eng, TN)
    with transaction(eng) as s:  # Sở Y tế typed its satisfaction figure before any source fed that KPI
        ind = s.scalar(select(Indicator).where(Indicator.plan_id == 1, Indicator.national_code == "satisfaction"))
        health = s.scalar(select(Agency.id).where(Agency.name == "Sở Y tế"))
        s.add(
            Measurement(
                indicator_id=ind.id,
                agency_id=health,
                month=date(2026, 10, 1),
                numerator=70,
                denominator=100,
                source="form",
                recorded_at=datetime(2026, 10, 20),
                recorded_by="syt",
            )
        )
    source = ratings_source(tmp_path, [("Sở Y tế", "2026-10", 90, 100), ("Sở Y tế", "2026-11", 91, 100)])
    result = run_source(eng, source)
    assert result.rows_changed == 2
    with transaction(eng) as s:
        run_id = s.scalar(select(RefreshRun.id).order_by(RefreshRun.id.desc()))
        changes = {c.month: c for c in s.scalars(select(FigureChange).where(FigureChange.run_id == run_id))}
        assert changes[date(2026, 10, 1)].before == {
            "numerator": 70,
            "denominator": 100,
            "value": None,
            "source": "form",
        }
        assert changes[date(2026, 10, 1)].after == {
            "numerator": 90,
            "denominator": 100,
            "value": None,
            "source": "hai-long",
        }
        assert changes[date(2026, 11, 1)].before is None
        audit = s.scalar(select(AuditLog).where(AuditLog.action == "refresh.figures"))
        assert audit.entity_id == run_id and audit.after["replaced_submitted"] == 1 and audit.after["created"] == 1
    assert run_source(eng, source).rows_changed == 0  # nothing changed: nothing recorded
    with transaction(eng) as s:
        assert s.scalar(select(AuditLog.id).where(AuditLog.action == "refresh.figures").offset(1)) is None


@pytest.mark.parametrize("name", ["form", "excel", "upload", "demo"])
def test_a_source_cannot_pass_for_an_agency(tmp_path, name: str) -> None:  # noqa: ANN001
    path = tmp_path / "sources.toml"
    path.write_text(f'[[source]]\nname = "{name}"\nurl = "sqlite://"\nquery = "SELECT 1"\n', encoding="utf-8")
    with pytest.raises(SourceConfigError, match="kept for figures agencies submit"):
        load_sources(path)


# --- validation at the field ----------------------------------------------------------------------


@pytest.mark.parametrize("progress", ["150", "-5", "abc"])
def test_bad_progress_is_refused_next_to_the_field(app, progress: str) -> None:  # noqa: ANN001
    client = login(app, "sokhcn.thainguyen")
    with transaction(engine_of(app)) as s:
        who = actor(s, "sokhcn.thainguyen")
        task = s.scalar(select(Task).where(Task.plan_id == 1, Task.agencies.any(agency_id=who.agency_id, role="lead")))
        before = s.scalar(text("SELECT count(*) FROM task_update"))
        task_id, version = task.id, task.version
    resp = call(
        app,
        client,
        "mw-save-task",
        {
            "mw-save-task.n_clicks": 1,
            "mw-edit.data": {"task_id": task_id, "version": version, "mode": "update"},
            "mw-status.value": "in_progress",
            "mw-progress.value": progress,
            "mw-completed.date": None,
            "mw-evidence.value": "",
            "mw-note.value": "",
        },
    )
    out = resp.get_json()["response"]
    assert out["mw-progress"]["invalid"] is True
    assert "Tiến độ" in out["mw-progress-error"]["children"]
    assert out["mw-modal"]["is_open"] is True
    with transaction(engine_of(app)) as s:
        assert s.scalar(text("SELECT count(*) FROM task_update")) == before  # never stored as 0 %


def test_figure_errors_sit_in_their_row_and_name_the_kpi(app) -> None:  # noqa: ANN001
    client = login(app, "sokhcn.thainguyen")
    with transaction(engine_of(app)) as s:
        who = actor(s, "sokhcn.thainguyen")
        kpi = s.scalar(select(Indicator).where(Indicator.plan_id == 1, Indicator.code == "4"))
        other = s.scalar(select(Indicator).where(Indicator.plan_id == 1, Indicator.code == "5"))
    cases = [
        ("-5", "100", "tử số không được âm"),
        ("2.5", "10", "số nguyên"),
        ("120", "100", "lớn hơn mẫu số"),
        ("abc", "100", "“abc” không phải là số"),
    ]
    for num, den, fragment in cases:
        resp = call(
            app,
            client,
            "mw-save-figures",
            {
                "mw-save-figures.n_clicks": 1,
                '{"index":["ALL"],"type":"fig-num"}.value': [(kpi.id, num), (other.id, "")],
                '{"index":["ALL"],"type":"fig-den"}.value': [(kpi.id, den), (other.id, "")],
                '{"index":["ALL"],"type":"fig-val"}.value': [(kpi.id, ""), (other.id, "")],
                '{"index":["ALL"],"type":"fig-num"}.id': [
                    (kpi.id, {"type": "fig-num", "index": kpi.id}),
                    (other.id, {"type": "fig-num", "index": other.id}),
                ],
                "mw-month.value": "2026-11-01",
                "mw-context.data": {"agency_id": who.agency_id, "plan_id": 1},
                "mw-fig-versions.data": {},
            },
        )
        out = resp.get_json()["response"]
        row = out[json.dumps({"index": kpi.id, "type": "fig-err"}, separators=(",", ":"))]["children"]
        assert row.startswith("Chỉ tiêu 4:") and fragment in row, (num, row)
        assert out[json.dumps({"index": other.id, "type": "fig-err"}, separators=(",", ":"))]["children"] is None


# --- units ------------------------------------------------------------------------------------------


def test_flags_export_has_a_unit_column_not_a_percent_header(app) -> None:  # noqa: ANN001
    client = login(app, "lanhdao")
    key = '{"fmt":["ALL"],"type":"export","what":["ALL"]}'
    trigger = {"fmt": "xlsx", "type": "export", "what": "flags"}
    resp = call(app, client, key, {f"{key}.n_clicks": [(trigger, 1)], "url.search": "?plan=3"}, trigger=trigger)
    data = base64.b64decode(resp.get_json()["response"]["download"]["data"]["content"])
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in ws[1]]
    assert not any("(%)" in (h or "") for h in header) and "Đơn vị tính" in header


# --- freshness ------------------------------------------------------------------------------------


def test_ages_under_an_hour_and_no_raw_errors(app) -> None:  # noqa: ANN001
    client = login(app, "lanhdao")
    eng = engine_of(app)
    with transaction(eng) as s:
        s.execute(
            update(RefreshRun)
            .where(RefreshRun.source == "mot-cua-dvc")
            .values(finished_at=clock.now() - timedelta(minutes=45))
        )
        s.add(
            RefreshRun(
                source="mot-cua-dvc",
                started_at=clock.now(),
                finished_at=clock.now(),
                status="error",
                error="OperationalError: could not connect to server: Connection refused",
            )
        )
        bump_data_version(s)
    page = render(app, client, "/canh-bao", "?plan=1")
    assert "đã cũ 45 phút" in page and "đã cũ 0 giờ" not in page
    assert "OperationalError" not in page and "Connection refused" not in page
    assert "chi tiết ở trang Quản trị" in page
    # the wall says how old the data is, not when it fetched it, and warns
    kiosk = app.server.test_client()
    kiosk.get("/wall?token=man-hinh-demo-2026&plan=1")
    resp = call(
        app, kiosk, "wall-refresh", {"wall-refresh.n_intervals": 1, "wall-config.data": {"plan": 1, "lang": "vi"}}
    )
    meta = resp.get_json()["response"]["wall-meta"]["data"]
    assert meta["stale"] == ["Hệ thống thông tin giải quyết TTHC (một cửa điện tử)"]
    oldest = datetime.fromtimestamp(meta["data_at"] / 1000, clock.zone()).replace(tzinfo=None)
    assert oldest <= clock.now() - timedelta(minutes=44)
    assert meta["fetched_at"] / 1000 > (datetime.now().timestamp() - 60)


# --- atomic data versions -------------------------------------------------------------------------


@pytest.mark.parametrize("writers", [8])
def test_concurrent_changes_never_lose_a_version(engine, writers: int) -> None:  # noqa: ANN001
    with transaction(engine) as s:
        start = data_version(s)
    rounds = 5
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(rounds):
                with transaction(engine) as s:
                    bump_data_version(s, [1])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:1]
    with transaction(engine) as s:
        assert data_version(s) == start + writers * rounds
