"""The monthly figures template: download, fill, upload; the preview says what is wrong, row by row."""

import io
import shutil
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dashboard.exports.figures_template import build_template, read_upload
from dashboard.store.database import transaction
from dashboard.store.models import Agency, Province
from dashboard.updates import reported_indicators

NOV = date(2026, 11, 1)


@pytest.fixture
def setup(tmp_path):  # noqa: ANN001, ANN201
    from conftest import _sqlite_template

    from dashboard.store.database import make_engine

    shutil.copyfile(_sqlite_template(), tmp_path / "t.db")
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with transaction(engine) as s:
        tn = s.scalar(select(Province.id).where(Province.name == "Thái Nguyên"))
        agency = s.scalar(select(Agency).where(Agency.province_id == tn, Agency.name == "Sở Khoa học và Công nghệ"))
        inds = reported_indicators(s, agency.id)
        s.expunge_all()
    return agency, inds


def filled(template: bytes, values: dict[str, tuple]) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    ws = wb["Số liệu"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in values:
            row[4].value, row[5].value, row[6].value = values[row[0].value]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_round_trip(setup) -> None:  # noqa: ANN001
    agency, inds = setup
    tpl = build_template(inds, agency.id, agency.name, NOV, {})
    wb = load_workbook(io.BytesIO(tpl))
    assert wb.sheetnames == ["Thông tin", "Số liệu"]
    assert [c.value for c in wb["Số liệu"][1]][:7] == [
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Loại",
        "Tử số",
        "Mẫu số",
        "Giá trị",
    ]
    up = read_upload(filled(tpl, {"3": (930, 1000, None), "16": (None, None, 1)}), "f.xlsx", inds, agency.id, NOV)
    assert up.ok and len(up.rows) == 2
    assert (up.rows[0].code, up.rows[0].numerator, up.rows[0].denominator) == ("3", 930, 1000)


def test_row_level_errors(setup) -> None:  # noqa: ANN001
    agency, inds = setup
    tpl = build_template(inds, agency.id, agency.name, NOV, {})
    up = read_upload(
        filled(tpl, {"3": (1100, 1000, None), "10": ("nhiều", 5, None), "16": (None, None, -2)}),
        "f.xlsx",
        inds,
        agency.id,
        NOV,
    )
    assert not up.ok
    errors = {r.code: str(r.error) for r in up.rows}
    assert errors["3"] == "Chỉ tiêu 3: tử số (1100) lớn hơn mẫu số (1000)."
    assert errors["10"] == "Chỉ tiêu 10: tử số, mẫu số và giá trị phải là số."
    assert errors["16"] == "Chỉ tiêu 16: giá trị không được âm (đã nhập -2)."
    assert {r.row for r in up.rows} <= set(range(2, 2 + len(inds)))


def test_file_level_problems(setup) -> None:  # noqa: ANN001
    agency, inds = setup
    tpl = build_template(inds, agency.id, agency.name, NOV, {})
    other_agency = read_upload(filled(tpl, {"3": (1, 2, None)}), "f.xlsx", inds, agency.id + 1, NOV)
    assert any("đơn vị khác" in str(e) for e in other_agency.errors)
    other_month = read_upload(filled(tpl, {"3": (1, 2, None)}), "f.xlsx", inds, agency.id, date(2026, 10, 1))
    assert any("không phải tháng 10/2026" in str(e) for e in other_month.errors)
    assert list(map(str, read_upload(b"", "rong.xlsx", inds, agency.id, NOV).errors)) == ["rong.xlsx: tệp rỗng."]
    assert "không phải tệp Excel" in str(read_upload(b"%PDF-1.4 ...", "a.pdf", inds, agency.id, NOV).errors[0])
    assert "chưa có số liệu" in str(read_upload(tpl, "trong.xlsx", inds, agency.id, NOV).errors[0])
