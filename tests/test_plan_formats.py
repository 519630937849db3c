"""A plan imports the same from every format a province publishes it in: the text, Word (.docx) and PDF, and
with its sections and items numbered in any common style. Bad documents are refused naming the file."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import CB, DT, LC, TN, content
from plan_formats import as_docx, as_pdf, renumbered
from sqlalchemy import Engine

from dashboard.exports.tables import to_json
from dashboard.importers import PlanImportError, import_file, read_plan
from dashboard.importers.numbering import BULLET, ITEM, SECTION, SUB, read_number
from dashboard.reads.rows import indicator_rows, task_rows
from dashboard.store.database import make_engine, transaction, upgrade

TODAY = date(2026, 11, 27)


def exported(path: Path, folder: Path) -> tuple[list, list]:
    """The JSON export (tasks, KPIs) of ``path`` imported alone into a new database."""
    engine = make_engine(f"sqlite:///{folder / (path.name + '.db')}")
    upgrade(engine)
    report = import_file(engine, path)
    with transaction(engine) as s:
        tasks = json.loads(to_json(task_rows(s, TODAY, report.plan_id), "tasks"))
        kpis = json.loads(to_json(indicator_rows(s, report.plan_id), "indicators"))
    engine.dispose()
    return tasks, kpis


@pytest.mark.parametrize("seed", [TN, DT, LC, CB], ids=lambda p: p.stem)
def test_each_seed_exports_the_same_from_text_word_pdf_and_any_numbering(seed: Path, tmp_path: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    variants = {
        "docx": as_docx(text),
        "pdf": as_pdf(text),
        "dot.txt": renumbered(text, lambda r: f"{r}.", lambda n: f"{n}.").encode(),  # "I.", "1."
        "phan.txt": renumbered(text, lambda r: f"Phần {r}", lambda n: n).encode(),  # "Phần I", "1"
        "dash.txt": renumbered(text, lambda r: f"{r} -", lambda n: f"{n}.").encode(),  # "I -", "1."
    }
    tasks, kpis = exported(seed, tmp_path)
    assert tasks or kpis
    for name, data in variants.items():
        path = tmp_path / f"{seed.stem}.{name}"
        path.write_bytes(data)
        got_tasks, got_kpis = exported(path, tmp_path)
        assert len(got_tasks) == len(tasks) and len(got_kpis) == len(kpis), name
        for got, want in zip(got_tasks + got_kpis, tasks + kpis, strict=True):
            assert got == want, name  # field by field: code, section, leads, deadline, name...


def test_measures_in_a_word_bullet_list_read_as_the_typed_ones(tmp_path: Path) -> None:
    """Word draws a list's bullets itself: the document's text has no "- ", its numbering definitions do."""
    text = CB.read_text(encoding="utf-8")
    path = tmp_path / "cao-bang.docx"
    path.write_bytes(as_docx(text, word_lists=True))
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "<w:t>- " not in xml and 'w:val="ListBullet"' in xml
    want = [(t.code, t.name, t.section) for t in read_plan(CB).tasks]
    assert [(t.code, t.name, t.section) for t in read_plan(path).tasks] == want and len(want) == 89


def test_the_pdf_really_splits_rows_and_repeats_headers_over_pages(tmp_path: Path) -> None:
    """The PDF variant exercises what a printed plan does: its task table runs over several pages, with the
    header row on each one (so the identical export above proves they were joined)."""
    import pdfplumber

    pdf = pdfplumber.open(io.BytesIO(as_pdf(DT.read_text(encoding="utf-8"))))
    headers = sum(1 for page in pdf.pages for t in page.extract_tables() if t and t[0][0] == "TT")
    assert len(pdf.pages) > 3 and headers > 3


@pytest.mark.parametrize(
    ("cell", "kind", "label"),
    [
        ("I", SECTION, "I"),
        ("I.", SECTION, "I"),
        ("II -", SECTION, "II"),
        ("Phần III", SECTION, "III"),
        ("A", SECTION, "A"),
        ("B.", SECTION, "B"),
        ("1", ITEM, "1"),
        ("12.", ITEM, "12"),
        ("1.1", ITEM, "1.1"),
        ("2.3.", ITEM, "2.3"),
        ("a)", SUB, "a"),
        ("đ.", SUB, "đ"),
        ("-", BULLET, ""),
        ("+", BULLET, ""),
    ],
)
def test_every_common_numbering_style(cell: str, kind: str, label: str) -> None:
    number = read_number(cell)
    assert number is not None and (number.kind, number.label) == (kind, label)


@pytest.mark.parametrize("cell", ["", "Nội dung", "2026a", "a", "x1"])
def test_what_is_not_a_number(cell: str) -> None:
    assert read_number(cell) is None


PLAN = """KẾ HOẠCH
Thái Nguyên, ngày 5 tháng 3 năm 2026

TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tThời hạn
I.\tTHỂ CHẾ\t\t
1.\tHoàn thiện văn bản\t\t
a)\tRà soát văn bản\tSở Tư pháp\tQuý II/2026
b)\tBan hành quy chế\tSở Nội vụ\tQuý III/2026
2.\tSố hóa hồ sơ\tSở Nội vụ\tQuý IV/2026
-\tSố hóa hồ sơ cấp xã\tUBND cấp xã\tQuý IV/2026
2.1\tSố hóa hồ sơ tỉnh\tSở Nội vụ\t30/11/2026
2.1\tSố hóa hồ sơ đất đai\tSở Nông nghiệp và Môi trường\t30/11/2026
Phần II\tHẠ TẦNG\t\t
1\tPhủ sóng 5G\tSở Khoa học và Công nghệ\tQuý IV/2026
"""


def test_lettered_bulleted_and_repeated_numbers_get_unique_codes_from_their_path(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.txt"
    path.write_text(PLAN, encoding="utf-8")
    plan = read_plan(path)
    got = [(t.code, t.name, t.section) for t in plan.tasks]
    assert got == [
        ("I.1.a", "Rà soát văn bản", "I. THỂ CHẾ › 1. Hoàn thiện văn bản"),  # "1." only a heading here
        ("I.1.b", "Ban hành quy chế", "I. THỂ CHẾ › 1. Hoàn thiện văn bản"),
        ("I.2", "Số hóa hồ sơ", "I. THỂ CHẾ"),
        ("I.2.1", "Số hóa hồ sơ cấp xã", "I. THỂ CHẾ"),  # the first bullet under 2
        ("I.2.1-2", "Số hóa hồ sơ tỉnh", "I. THỂ CHẾ"),  # "2.1" as printed, after the bullet took 2.1
        ("I.2.1-3", "Số hóa hồ sơ đất đai", "I. THỂ CHẾ"),  # printed twice: never two tasks with one code
        ("II.1", "Phủ sóng 5G", "II. HẠ TẦNG"),
    ]
    assert sum("numbered I.2.1 in the same section" in str(f) for f in plan.findings) == 2


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(as_pdf(TN.read_text(encoding="utf-8")))))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scanned_pdf() -> bytes:
    """A page that is only a picture: what a scanner makes (no text layer)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    for y in range(100, 700, 20):
        page.rect(60, y, 400, 8, fill=1)  # lines of "text" as ink, not characters
    page.showPage()
    page.save()
    return out.getvalue()


def _docx_prose_only() -> bytes:
    return as_docx("KẾ HOẠCH\nMột văn bản chỉ có lời văn.\nKhông có bảng, không có biện pháp đánh số.")


def _corrupt_docx() -> bytes:
    return as_docx(TN.read_text(encoding="utf-8"))[:5000]


def _docx_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 120_000_000 + b"</w:document>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("ky-so.pdf", _encrypted_pdf, "protected by a password"),
        ("ban-quet.pdf", _scanned_pdf, "no text layer"),
        ("chi-van.docx", _docx_prose_only, "no KPI or task table found"),
        ("hong.docx", _corrupt_docx, "not a readable Word (.docx) file"),
        ("bom.docx", _docx_bomb, "unpacks to"),
    ],
)
def test_bad_documents_are_refused_naming_the_file_and_the_reason(
    engine: Engine, tmp_path: Path, name: str, make: Callable[[], bytes], reason: str
) -> None:
    import_file(engine, TN)  # a database with something to lose
    before = content(engine)
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(PlanImportError) as err:
        import_file(engine, path)
    assert str(err.value).startswith(f"{name}: ") and reason in str(err.value)
    assert content(engine) == before


def test_dry_run_shows_changes_field_by_field_and_saves_nothing(tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    from dashboard.cli import main

    db = tmp_path / "x.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    first = tmp_path / "tn.docx"
    first.write_bytes(as_docx(TN.read_text(encoding="utf-8")))
    assert main(["import-plan", "--dry-run", str(first)]) == 0
    out = capsys.readouterr().out
    assert "nothing was saved" in out and "KPIs: 17 to add" in out and "tasks: 10 to add" in out
    engine = make_engine(f"sqlite:///{db}")
    empty = content(engine)
    assert empty["task"] == [] and empty["indicator"] == []
    assert main(["import-plan", str(first)]) == 0
    saved = content(engine)

    # The corrected document: one task moves to another agency, one task is dropped, one is added.
    text = TN.read_text(encoding="utf-8").replace("Sở Tư pháp, Công an tỉnh", "Sở Nội vụ, Công an tỉnh", 1)
    second = tmp_path / "tn-sua.pdf"
    second.write_bytes(as_pdf(text))
    capsys.readouterr()
    assert main(["import-plan", "--dry-run", str(second)]) == 0
    out = capsys.readouterr().out
    assert "~ PLII.III.3 coordinating: ['Sở Tư pháp', 'Công an tỉnh', 'Văn phòng UBND tỉnh'] -> " in out
    assert "['Sở Nội vụ', 'Công an tỉnh', 'Văn phòng UBND tỉnh']" in out
    assert content(engine) == saved
    engine.dispose()


def test_a_pdf_too_slow_to_read_within_a_web_request_is_refused_with_where_to_import_it(tmp_path: Path) -> None:
    path = tmp_path / "dai.pdf"
    path.write_bytes(as_pdf(DT.read_text(encoding="utf-8")))
    with pytest.raises(PlanImportError) as err:
        read_plan(path, time_limit=0)  # the page's limit, already spent
    assert str(err.value).startswith("dai.pdf: reading the PDF took over 0 s") and "import-plan" in str(err.value)
    assert read_plan(path).tasks  # the command line has no such limit


def test_a_prose_plan_with_numbered_and_lettered_measures(tmp_path: Path) -> None:
    path = tmp_path / "van-ban.txt"
    path.write_text(
        "KẾ HOẠCH\nHà Giang, ngày 5 tháng 2 năm 2026\n\nI. MỤC ĐÍCH\n1. Mục đích\n- Không phải biện pháp.\n\n"
        "II. NHIỆM VỤ, GIẢI PHÁP\n1. Hạ tầng số\n1.1. Phủ sóng 5G các xã\n1.2. Cáp quang đến thôn\n"
        "2. Dữ liệu\na) Số hóa hồ sơ\nb) Kết nối cơ sở dữ liệu\n- Công khai dữ liệu mở\n\nIII. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Khoa học và Công nghệ\n- Theo dõi, tổng hợp.\n",
        encoding="utf-8",
    )
    got = [(t.code, t.name, t.section) for t in read_plan(path).tasks]
    assert got == [
        ("II.1.1", "Phủ sóng 5G các xã", "1. Hạ tầng số"),
        ("II.1.2", "Cáp quang đến thôn", "1. Hạ tầng số"),
        ("II.2.a", "Số hóa hồ sơ", "2. Dữ liệu"),
        ("II.2.b", "Kết nối cơ sở dữ liệu", "2. Dữ liệu"),
        ("II.2.3", "Công khai dữ liệu mở", "2. Dữ liệu"),  # the third measure of group 2
    ]
