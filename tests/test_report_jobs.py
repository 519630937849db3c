"""Briefings as background jobs: the per-agency pack and the slide deck hold the pages' numbers, a second click
never starts a second job, files are kept for who may read them, failures and lost workers end cleanly."""

from __future__ import annotations

import io
import json
import re
import threading
import time
import zipfile
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text, update
from webclient import TODAY, call, demo_app, find, login, report_file, report_list, start_report

from dashboard import clock
from dashboard.accounts.users import Actor
from dashboard.exports import report_jobs
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import Settings
from dashboard.store.database import transaction
from dashboard.store.models import ReportJob


@pytest.fixture(scope="module")
def app(tmp_path_factory):  # noqa: ANN001, ANN201
    return demo_app(tmp_path_factory.mktemp("reports"))


def _engine(app):  # noqa: ANN001, ANN202
    return app.server.extensions["kpi"]["engine"]


def _page(app, client, path: str, search: str) -> dict:  # noqa: ANN001
    resp = call(app, client, "url", {"url.pathname": path, "url.search": search})
    assert resp.status_code == 200
    return resp.get_json()["response"]


def _texts(node) -> list[str]:  # noqa: ANN001
    """Every text in a rendered tree, in order."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, (int, float)) and not isinstance(node, bool):
        return [str(node)]
    out = []
    if isinstance(node, dict):
        if "props" in node:
            out += _texts(node["props"].get("children"))
        else:
            for value in node.values():
                out += _texts(value)
    elif isinstance(node, list):
        for item in node:
            out += _texts(item)
    return out


def _flat(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pack_holds_the_province_summary_and_each_agency_only_its_own(app) -> None:  # noqa: ANN001
    client = login(app, "lanhdao")
    data, name = report_file(app, client, "pack", "?plan=1")
    assert name == "bo-bao-cao-theo-don-vi-thai-nguyen-2026-kh-ubnd-27-11-2026.zip"
    pack = zipfile.ZipFile(io.BytesIO(data))
    names = pack.namelist()
    assert names[0] == "00-bao-cao-tinh-hinh-thai-nguyen-2026-kh-ubnd-27-11-2026.pdf"
    with _engine(app).connect() as conn:
        agency = conn.execute(text("SELECT id FROM agency WHERE name = 'Sở Nội vụ' AND province_id = 1")).scalar_one()
        other = conn.execute(text("SELECT name FROM agency WHERE name = 'Sở Tài chính' AND province_id = 1")).scalar()
    assert "so-noi-vu.pdf" in names and len(names) > 10
    summary = _flat(pack.read(names[0]))
    nav = _texts(find(_page(app, client, "/canh-bao", "?plan=1"), "nav-flag-count"))
    assert f"3. Cảnh báo ({nav[0]}), theo đơn vị" in summary  # the province's flags, as the navigation counts them
    # Sở Nội vụ's PDF: the numbers of its agency page, and nobody else's
    page = _page(app, client, "/don-vi", f"?plan=1&agency={agency}")
    own = _flat(pack.read("so-noi-vu.pdf"))
    assert "Đơn vị: Sở Nội vụ" in own
    values = [" ".join(_texts(c)) for c in _all_with_class(page, "kpi-value")]
    assert values and all(v in own for v in values), (values, own[:500])
    heading = next(s for s in _texts(page) if s.startswith("Cảnh báo của đơn vị"))
    flags = int(re.search(r"\((\d+)\)", heading).group(1))
    assert f"3. Cảnh báo ({flags}), theo đơn vị" in own
    for table in ("agency-lead-tasks", "agency-coord-tasks"):
        for row in _rows(find(page, table)):
            assert row[:20] in own, row
    assert other and f"Đơn vị: {other}" not in own


def _nodes(node, keep) -> list:  # noqa: ANN001
    """Every component of a rendered tree that ``keep`` accepts, in order."""
    out = []
    if isinstance(node, dict):
        if keep(node):
            out.append(node)
        for value in node.values():
            out += _nodes(value, keep)
    elif isinstance(node, list):
        for value in node:
            out += _nodes(value, keep)
    return out


def _all_with_class(node, cls: str) -> list:  # noqa: ANN001
    return _nodes(node, lambda n: cls in str(n.get("props", {}).get("className", "")).split())


def _rows(table) -> list[str]:  # noqa: ANN001
    """The task names of a task table (its second column)."""
    if table is None:
        return []
    names = []
    for row in _all_of_type(table, "Tr")[1:]:
        cells = _all_of_type(row, "Td")
        if len(cells) > 1:
            names.append(" ".join(" ".join(_texts(cells[1])).split()))
    return names


def _all_of_type(node, kind: str) -> list:  # noqa: ANN001
    return _nodes(node, lambda n: n.get("type") == kind)


def test_the_slide_deck_shows_the_overview_numbers_as_text(app) -> None:  # noqa: ANN001
    from pptx import Presentation
    from pptx.util import Inches

    client = login(app, "lanhdao")
    data, name = report_file(app, client, "slides", "?plan=1")
    assert name == "trinh-chieu-thai-nguyen-2026-kh-ubnd-27-11-2026.pptx"
    deck = Presentation(io.BytesIO(data))
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))  # 16:9
    slides = [[s.text_frame.text for s in slide.shapes if s.has_text_frame] for slide in deck.slides]
    tables = [[s.table for s in slide.shapes if s.has_table] for slide in deck.slides]
    overview = _page(app, client, "/", "?plan=1")
    gauges = [g for g in _all_of_type(overview, "Graph") if str(g["props"]["id"]).startswith("gauge-")]
    assert len(gauges) == 3
    for gauge in gauges:
        trace = gauge["props"]["figure"]["data"][0]
        title = re.sub(r"<[^>]+>", "\n", trace["title"]["text"]).split("\n")[0]
        value = f"{trace['value']:.1f}".replace(".", ",") + " %"
        slide = next(texts for texts in slides if texts and texts[0] == title)  # one slide per headline KPI
        assert value in slide, (value, slide)
    # every red flag is on a flag slide, counted as the navigation bar counts them
    total = int(_texts(find(overview, "nav-flag-count"))[0])
    pairs = list(zip(slides, tables, strict=True))
    flag_rows = sum(len(tb.rows) - 1 for texts, tbs in pairs for tb in tbs if texts[0].startswith("Cảnh báo"))
    assert flag_rows == total
    assert any(texts[0] == "Tiến độ theo quý" for texts in slides)
    ranking = [tb for texts, tbs in pairs for tb in tbs if texts[0].startswith("Xếp hạng")]
    ranks = [int(row.cells[0].text) for tb in ranking for row in list(tb.rows)[1:]]
    assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) > 10
    english, _ = report_file(app, client, "slides", "?plan=1&lang=en")
    words = " ".join(
        s.text_frame.text
        for slide in Presentation(io.BytesIO(english)).slides
        for s in slide.shapes
        if s.has_text_frame
    )
    assert "Red flags" in words and "Cảnh báo" not in words


def test_a_second_click_finds_the_job_under_way(app, monkeypatch) -> None:  # noqa: ANN001
    gate = threading.Event()
    real = report_jobs.BUILDERS["briefing"]

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setitem(report_jobs.BUILDERS, "briefing", slow)
    client = login(app, "lanhdao")
    first = json.dumps(start_report(app, client, "briefing", "?plan=2").get_json(), ensure_ascii=False)
    second = json.dumps(start_report(app, client, "briefing", "?plan=2").get_json(), ensure_ascii=False)
    assert "Đã bắt đầu tạo" in first and "đang được tạo, không tạo thêm" in second
    answer = report_list(app, client, "?plan=2")
    # the page keeps polling, and the briefing's button (only) waits
    waiting = {json.loads(k)["kind"]: v["disabled"] for k, v in answer.items() if "report-start" in k}
    assert answer["report-poll"]["disabled"] is False
    assert waiting == {"briefing": True, "pack": False, "slides": False}
    gate.set()
    for _ in range(600):
        if report_list(app, client, "?plan=2")["report-poll"]["disabled"]:
            break
        time.sleep(0.1)
    _, name = report_file(app, client, "briefing", "?plan=2")  # a third click, once it is done, starts anew
    with transaction(_engine(app)) as s:
        made = s.scalars(select(ReportJob.status).where(ReportJob.plan_id == 2, ReportJob.kind == "briefing")).all()
    assert sorted(made) == ["done", "done"] and name.endswith(".pdf")


def test_clicks_at_the_same_moment_start_one_job(demo_engine) -> None:  # noqa: ANN001
    """On SQLite and PostgreSQL alike: eight workers asked at once, one job exists."""
    with demo_engine.connect() as conn:
        user = conn.execute(text("SELECT id FROM app_user WHERE username = 'lanhdao'")).scalar_one()
    who = Actor(user, "lanhdao", "leader")
    results, errors = [], []
    barrier = threading.Barrier(8)

    def click() -> None:
        try:
            barrier.wait(10)
            results.append(report_jobs.start(demo_engine, who, 1, "slides", Filters(plan=1), TODAY))
        except Exception as exc:  # noqa: BLE001 - the point: any failure is a finding
            errors.append(repr(exc))

    threads = [threading.Thread(target=click) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert errors == []
    assert len({job for job, _ in results}) == 1 and sum(new for _, new in results) == 1
    with transaction(demo_engine) as s:
        assert s.scalar(select(func.count()).select_from(ReportJob)) == 1


def test_a_failed_or_abandoned_job_ends_and_frees_the_button(demo_engine, monkeypatch) -> None:  # noqa: ANN001
    with demo_engine.connect() as conn:
        user = conn.execute(text("SELECT id FROM app_user WHERE username = 'lanhdao'")).scalar_one()
    who = Actor(user, "lanhdao", "leader")

    def broken(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("kaleido died")

    monkeypatch.setitem(report_jobs.BUILDERS, "briefing", broken)
    job, new = report_jobs.start(demo_engine, who, 1, "briefing", Filters(plan=1), TODAY)
    report_jobs.run(demo_engine, job, Settings())
    with transaction(demo_engine) as s:
        views = report_jobs.jobs_for(s, who, 1)
    assert new and [(v.status, v.error) for v in views] == [("failed", "report.failed")]
    # a worker that died mid-job: after ten minutes without news the job is over and a new click starts anew
    again, new = report_jobs.start(demo_engine, who, 1, "briefing", Filters(plan=1), TODAY)
    assert new and again != job
    with transaction(demo_engine) as s:
        s.execute(
            update(ReportJob).where(ReportJob.id == again).values(heartbeat_at=clock.now() - timedelta(minutes=11))
        )
    with transaction(demo_engine) as s:  # the list already says so, before anyone starts another
        shown = {v.id: (v.status, v.error) for v in report_jobs.jobs_for(s, who, 1)}
    assert shown[again] == ("failed", "report.interrupted")
    third, new = report_jobs.start(demo_engine, who, 1, "briefing", Filters(plan=1), TODAY)
    assert new and third != again
    with transaction(demo_engine) as s:
        assert s.get(ReportJob, again).status == "failed" and s.get(ReportJob, again).error == "report.interrupted"


def test_a_kept_file_is_for_who_may_read_it(app) -> None:  # noqa: ANN001
    engine = _engine(app)
    leader = login(app, "lanhdao")
    _, _ = report_file(app, leader, "briefing", "?plan=3")
    with transaction(engine) as s:
        job = s.scalar(select(func.max(ReportJob.id)).where(ReportJob.plan_id == 3, ~ReportJob.scheduled))
    assert leader.get(f"/bao-cao/tai/{job}").status_code == 200
    # another person's job: refused, even for a reader of the same plan; a scheduled one: every reader of its plan
    assert login(app, "xem").get(f"/bao-cao/tai/{job}").status_code == 403
    assert login(app, "congan.laocai").get(f"/bao-cao/tai/{job}").status_code == 403
    with transaction(engine) as s:
        report_jobs.keep_scheduled(s, 3, TODAY, b"%PDF-1.4 monthly", "bao-cao-thang.pdf")
    with transaction(engine) as s:
        monthly = s.scalar(select(func.max(ReportJob.id)).where(ReportJob.scheduled))
    assert login(app, "congan.laocai").get(f"/bao-cao/tai/{monthly}").data == b"%PDF-1.4 monthly"
    assert login(app, "sokhcn.thainguyen").get(f"/bao-cao/tai/{monthly}").status_code == 403  # another province
    assert leader.get("/bao-cao/tai/999999").status_code == 403
    listed = json.dumps(report_list(app, login(app, "congan.laocai"), "?plan=3"), ensure_ascii=False)
    assert "Tự động hằng tháng" in listed and f"/bao-cao/tai/{job}" not in listed
    english = json.dumps(report_list(app, leader, "?plan=3&lang=en"), ensure_ascii=False)
    assert "Briefing (PDF)" in english and "Monthly, automatic" in english and "Download" in english
    assert "Báo cáo tình hình (PDF)" not in english and "Tải về" not in english
