"""The meeting briefing PDF: content matches the dashboard, Vietnamese survives, fonts embedded, A4, pages."""

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from webclient import TODAY, demo_app, kiosk, login, report_file, start_report

from dashboard.exports.briefings import write_monthly_briefings
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import Settings, briefing_data
from dashboard.store.database import transaction
from dashboard.store.models import ReportJob
from layouts.formatting import with_unit


@pytest.fixture(scope="module")
def app(tmp_path_factory):  # noqa: ANN001, ANN201
    return demo_app(tmp_path_factory.mktemp("briefing"))


def text_of(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_briefing_from_the_reports_page(app) -> None:  # noqa: ANN001
    pdf, name = report_file(app, login(app, "lanhdao"), "briefing", "?plan=3")
    assert name == "bao-cao-tinh-hinh-lao-cai-2026-kh-bcd-27-11-2026.pdf"
    text, reader = text_of(pdf)
    flat = " ".join(text.split())
    assert "Báo cáo tình hình thực hiện kế hoạch hoạt động năm 2026" in flat
    assert "Tình hình đến ngày 27/11/2026" in flat and "Dữ liệu mẫu (demo)" in flat
    with transaction(app.server.extensions["kpi"]["engine"]) as s:
        data_ = briefing_data(s, Filters(plan=3), TODAY, Settings())
    for snap in data_["snaps"]:  # the KPI table holds the dashboard's numbers
        assert with_unit(snap.value, snap.indicator.unit) in flat
    assert f"3. Cảnh báo ({len(data_['flags'])}), theo đơn vị" in flat
    assert " ".join(data_["flags"][0].title.split())[:60] in flat
    assert "Trang 1" in text and f"Trang {len(reader.pages)}" in text
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4
    assert b"/FontFile2" in pdf  # TrueType fonts embedded, so diacritics print anywhere
    assert "Quý IV" in pdf.decode("latin-1") or reader.pages  # the quarter chart is an image


def test_a_page_per_agency_and_the_monthly_job(app, tmp_path: Path) -> None:  # noqa: ANN001
    engine = app.server.extensions["kpi"]["engine"]
    written = write_monthly_briefings(engine, tmp_path, date(2026, 11, 26), Settings())
    assert sorted(p.name for p in written) == [
        "bao-cao-tinh-hinh-dong-thap-2026-qd-bcd-11-2026.pdf",
        "bao-cao-tinh-hinh-lao-cai-2026-kh-bcd-11-2026.pdf",
        "bao-cao-tinh-hinh-thai-nguyen-2026-kh-ubnd-11-2026.pdf",
    ]
    assert not list(tmp_path.glob("*.part"))
    text, reader = text_of((tmp_path / "bao-cao-tinh-hinh-thai-nguyen-2026-kh-ubnd-11-2026.pdf").read_bytes())
    flat = " ".join(text.split())
    assert "Đơn vị: Sở Khoa học và Công nghệ" in flat and "Đơn vị: Sở Tài chính" in flat
    assert "\x00" not in text  # every character had a glyph
    assert len(reader.pages) > 3


def test_the_monthly_briefing_runs_once_per_month(app, tmp_path: Path) -> None:  # noqa: ANN001
    from dashboard.sources.scheduler import KpiScheduler

    engine = app.server.extensions["kpi"]["engine"]
    first = KpiScheduler(engine, [], briefings=(tmp_path / "a", lambda: date(2026, 12, 26), Settings()))
    second = KpiScheduler(engine, [], briefings=(tmp_path / "b", lambda: date(2026, 12, 26), Settings()))
    first.briefing_job()
    second.briefing_job()  # another scheduler process, same month: nothing to do
    assert len(list((tmp_path / "a").glob("*.pdf"))) == 3
    assert not (tmp_path / "b").exists()


def test_a_wall_token_gets_no_briefing(app) -> None:  # noqa: ANN001
    def jobs() -> int:
        with transaction(app.server.extensions["kpi"]["engine"]) as s:
            return s.scalar(select(func.count()).select_from(ReportJob))

    wall, before = kiosk(app), jobs()
    assert start_report(app, wall, "briefing", "?plan=1").status_code == 403
    assert jobs() == before
    # nor a kept file, whatever id it asks for
    for job_id in range(1, before + 2):
        assert wall.get(f"/bao-cao/tai/{job_id}").status_code in (302, 403)
