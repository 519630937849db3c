"""Generated malformed inputs for the importer and the Excel figures upload (deterministic, seeded).

Each generator yields (case name, file name, bytes). The cases cover what arrives in real mailboxes:
truncated and binary files, huge ones, UTF-16 and legacy Vietnamese encodings, HTML and script in cells,
formula cells, broken CSV quoting and NUL bytes, over-long fields and odd numbers.
"""

from __future__ import annotations

import csv
import io
import random
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from dashboard.importers.spreadsheet import INDICATOR_COLUMNS, KPI_SHEET, PLAN_SHEET, TASK_COLUMNS, TASK_SHEET

FIGURES_SHEET = "Số liệu"  # the template's sheet, as a Vietnamese user sees it

ROOT = Path(__file__).resolve().parent.parent
TEXT_PLAN = ROOT / "data" / "plans" / "thai-nguyen-kh-2026.txt"

SCRIPT = '<script>alert("xss")</script>'
HOSTILE = [
    SCRIPT,
    '<img src=x onerror="alert(1)">',
    "<b>in đậm</b> &amp; <i>nghiêng</i>",
    "</td></tr></table><h1>vỡ bảng</h1>",
    '=HYPERLINK("http://evil.example","bấm")',
    "=1+1",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(1)",
    "=cmd|' /C calc'!A0",
    "\u202eđảo chiều",
    "x" * 5000,
    "Sở\x00Y tế",
    "🙂 emoji 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
]
TASK_HEADERS = [c.header for c in TASK_COLUMNS]
KPI_HEADERS = [c.header for c in INDICATOR_COLUMNS]
GOOD_TASK = [
    "1",
    "I. Thể chế",
    "Ban hành quy chế",
    "Sở Khoa học và Công nghệ",
    "Sở Nội vụ",
    "Quy chế",
    "Quý II/2026",
    "",
]
GOOD_KPI = ["CT1", "Tỷ lệ dịch vụ công trực tuyến toàn trình", "%", "≥ 80%", "", "Văn phòng UBND tỉnh", "có", ""]


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:  # a workbook cannot hold control characters: Excel would refuse the file
            ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _plan_sheet() -> list[list[object]]:
    return [["Tỉnh", "Thái Nguyên"], ["Năm", 2026], ["Số hiệu", "99/KH-UBND"], ["Trích yếu", "Kế hoạch thử"]]


def good_csv() -> bytes:
    return csv_bytes([TASK_HEADERS, GOOD_TASK, [*GOOD_TASK[:1], "", "Việc hai", "Sở Y tế", "", "", "Năm 2026", ""]])


def good_xlsx() -> bytes:
    return xlsx_bytes(
        {PLAN_SHEET: _plan_sheet(), KPI_SHEET: [KPI_HEADERS, GOOD_KPI], TASK_SHEET: [TASK_HEADERS, GOOD_TASK]}
    )


def damage(name: str, data: bytes, suffix: str, rng: random.Random) -> Iterator[tuple[str, str, bytes]]:
    """Truncations, flipped bytes, inserted garbage and wrong wrappers of one good file."""
    for frac in (0.0, 0.01, 0.1, 0.33, 0.5, 0.77, 0.9, 0.99):
        yield f"{name}-truncated-{frac}", f"{name}{suffix}", data[: int(len(data) * frac)]
    for k in range(10):
        buf = bytearray(data)
        for _ in range(rng.randint(1, 40)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        yield f"{name}-flipped-{k}", f"{name}{suffix}", bytes(buf)
    for k in range(4):
        cut = rng.randrange(len(data))
        yield f"{name}-garbage-{k}", f"{name}{suffix}", data[:cut] + rng.randbytes(rng.randint(1, 3000)) + data[cut:]
    yield f"{name}-gzipped", f"{name}{suffix}", b"\x1f\x8b\x08\x00" + data[:500]
    yield f"{name}-doubled", f"{name}{suffix}", data + data


def binaries(suffix: str, rng: random.Random) -> Iterator[tuple[str, str, bytes]]:
    for k in range(12):
        yield f"random-{k}", f"random{suffix}", rng.randbytes(rng.choice((1, 7, 512, 4096, 100_000)))
    headers = {
        "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40),
        "ole-doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "elf": b"\x7fELF\x02\x01\x01" + bytes(300),
        "nul-only": bytes(2048),
        "whitespace": b" \n\t\r\n   ",
    }
    for name, data in headers.items():
        yield name, f"{name}{suffix}", data
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("readme.txt", "không phải workbook")
    yield "zip-not-xlsx", f"zip{suffix}", zbuf.getvalue()
    # A zip whose parts look like a workbook but hold nonsense.
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='x' r:id='rId9'/></sheets>")
    yield "zip-fake-workbook", f"fake{suffix}", zbuf.getvalue()


ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1258", "cp1252", "latin-1", "cp437", "mac-roman")


def encodings(text: str, name: str, suffix: str) -> Iterator[tuple[str, str, bytes]]:
    for enc in ENCODINGS:
        # Windows-1258 writes Vietnamese as base letters plus combining tone marks.
        source = unicodedata.normalize("NFD", text) if enc == "cp1258" else text
        yield f"{name}-{enc}", f"{name}{suffix}", source.encode(enc, errors="replace")
    odd = text.encode("utf-16")
    yield f"{name}-utf-16-odd-length", f"{name}{suffix}", odd[:-1]
    yield (
        f"{name}-utf-16-bad-surrogate",
        f"{name}{suffix}",
        b"\xff\xfe" + "ab".encode("utf-16-le") + b"\x00\xd8\x41\x00",
    )
    # TCVN3 and VNI put Vietnamese letters on Latin-1 code points: bytes that are not UTF-8.
    yield f"{name}-tcvn3-like", f"{name}{suffix}", text.encode("utf-8").replace(b"\xe1\xbb", b"\xb8\xd7")
    yield (
        f"{name}-mixed-utf8-and-latin1",
        f"{name}{suffix}",
        text.encode("utf-8")[:2000] + unicodedata.normalize("NFD", "Sở Y tế").encode("cp1258", errors="replace"),
    )


def hostile_csv_rows() -> Iterator[tuple[str, list[list[object]]]]:
    for k, value in enumerate(HOSTILE):
        for col in (0, 1, 2, 3, 6):
            row = list(GOOD_TASK)
            row[col] = value
            yield f"task-col{col}-hostile{k}", [TASK_HEADERS, row]
        row = list(GOOD_KPI)
        row[3] = value
        yield f"kpi-target-hostile{k}", [KPI_HEADERS, row]
    long_code = list(GOOD_TASK)
    long_code[0] = "1." * 400
    yield "task-code-800-chars", [TASK_HEADERS, long_code]
    long_section = list(GOOD_TASK)
    long_section[1] = "Mục " * 300
    yield "task-section-1200-chars", [TASK_HEADERS, long_section]
    yield "kpi-code-200-chars", [KPI_HEADERS, ["C" * 200, *GOOD_KPI[1:]]]
    yield "kpi-unit-300-chars", [KPI_HEADERS, [GOOD_KPI[0], GOOD_KPI[1], "đơn vị " * 40, *GOOD_KPI[3:]]]
    yield "kpi-target-300-chars", [KPI_HEADERS, [*GOOD_KPI[:3], "≥ 80% " * 50, *GOOD_KPI[4:]]]
    yield "agency-500-chars", [TASK_HEADERS, [*GOOD_TASK[:3], "Sở " + "Khoa học " * 60, *GOOD_TASK[4:]]]
    for v in ("≥ 1e309%", "≥ nan", "≥ -inf", "≥ 99999999999999999999999", "≥ 80,5,5%", "≤ -0"):
        yield f"kpi-target-{v}", [KPI_HEADERS, [*GOOD_KPI[:3], v, *GOOD_KPI[4:]]]
    for v in ("31/02/2026", "00/00/0000", "Quý 9/2026", "tháng 13/2026", "năm 99999", "trước ngày 32/13/2026"):
        yield f"deadline-{v}", [TASK_HEADERS, [*GOOD_TASK[:6], v, ""]]
    yield "header-only", [TASK_HEADERS]
    yield "duplicate-headers", [TASK_HEADERS + TASK_HEADERS, GOOD_TASK + GOOD_TASK]
    yield "missing-required", [TASK_HEADERS[:2], GOOD_TASK[:2]]
    yield "no-name-rows", [TASK_HEADERS] + [["", "", "", "Sở Y tế", "", "", "2026", ""]] * 20
    yield "ragged-rows", [TASK_HEADERS, GOOD_TASK[:3], GOOD_TASK + ["x"] * 50, []]
    yield (
        "many-rows",
        [TASK_HEADERS] + [[str(i), "", f"Việc {i}", "Sở Y tế", "", "", "Năm 2026", ""] for i in range(1000)],
    )
    yield "same-code-twice", [TASK_HEADERS, GOOD_TASK, GOOD_TASK]
    yield "wide", [TASK_HEADERS + [f"c{i}" for i in range(1000)], GOOD_TASK + ["v"] * 3000]


def plan_inputs(seed: int = 57) -> Iterator[tuple[str, str, bytes]]:
    """Malformed plan files for ``import_file``: text, CSV and .xlsx."""
    rng = random.Random(seed)
    text_plan = TEXT_PLAN.read_bytes()
    yield from damage("plan", text_plan, ".txt", rng)
    yield from damage("tasks", good_csv(), ".csv", rng)
    yield from damage("book", good_xlsx(), ".xlsx", rng)
    for suffix in (".txt", ".csv", ".xlsx"):
        yield from binaries(suffix, rng)
    yield from encodings(text_plan.decode("utf-8"), "plan", ".txt")
    yield from encodings(good_csv().decode("utf-8"), "tasks", ".csv")
    for name, rows in hostile_csv_rows():
        file = re.sub(r"[^\w.-]+", "_", name)
        yield f"csv-{name}", f"{file}.csv", csv_bytes(rows)
        yield (
            f"xlsx-{name}",
            f"{file}.xlsx",
            xlsx_bytes({PLAN_SHEET: _plan_sheet(), rows[0] is KPI_HEADERS and KPI_SHEET or TASK_SHEET: rows}),
        )
    yield "csv-nul-bytes", "nul.csv", good_csv().replace(b"Ban", b"B\x00an")
    yield "csv-unclosed-quote", "quote.csv", good_csv() + b'"never closed,' + b"a" * 200_000
    yield "csv-huge-field", "field.csv", csv_bytes([TASK_HEADERS, [*GOOD_TASK[:2], "x" * 300_000, *GOOD_TASK[3:]]])
    yield "csv-cr-only", "cr.csv", good_csv().replace(b"\r\n", b"\r")
    yield "csv-semicolons", "semi.csv", good_csv().replace(b",", b";")
    yield "txt-one-huge-line", "line.txt", ("Nhiệm vụ " * 400_000).encode()
    yield "txt-deep-numbering", "deep.txt", "\n".join(f"{'1.' * k}1. Việc {k}" for k in range(1, 400)).encode()
    yield "txt-html-page", "page.txt", b"<html><body><script>alert(1)</script><table><tr><td>x</td></tr></table>"
    yield "txt-over-limit", "big.txt", b"a" * (20 * 1024 * 1024 + 1)
    yield "xlsx-formula-cells", "formula.xlsx", _formula_workbook()
    yield (
        "xlsx-year-text",
        "year.xlsx",
        xlsx_bytes({PLAN_SHEET: [["Năm", "hai nghìn"]], TASK_SHEET: [TASK_HEADERS, GOOD_TASK]}),
    )
    yield (
        "xlsx-year-huge",
        "year.xlsx",
        xlsx_bytes({PLAN_SHEET: [["Năm", 1e30]], TASK_SHEET: [TASK_HEADERS, GOOD_TASK]}),
    )
    yield (
        "xlsx-date-cells",
        "dates.xlsx",
        xlsx_bytes(
            {PLAN_SHEET: [["Ngày ban hành", "31/02/2026"]], TASK_SHEET: [TASK_HEADERS, [*GOOD_TASK[:6], 45000.5, ""]]}
        ),
    )
    yield "xlsx-no-sheets-we-know", "other.xlsx", xlsx_bytes({"Sheet1": [["a", "b"]]})
    yield "xlsx-empty-sheets", "empty.xlsx", xlsx_bytes({KPI_SHEET: [], TASK_SHEET: []})
    yield "xlsx-disguised-csv", "csv.xlsx", good_csv()
    yield "csv-disguised-xlsx", "book.csv", good_xlsx()


def _formula_workbook() -> bytes:
    """Real formula cells (no cached values, as openpyxl writes them), in every column."""
    row = [
        "=1+1",
        '=CONCAT("I. ","Thể chế")',
        '=HYPERLINK("http://evil.example","Việc")',
        "=A1",
        "=1/0",
        "",
        "=TODAY()",
        "",
    ]
    return xlsx_bytes({PLAN_SHEET: _plan_sheet(), TASK_SHEET: [TASK_HEADERS, GOOD_TASK, row]})


def figure_inputs(template: bytes, seed: int = 606) -> Iterator[tuple[str, str, bytes]]:
    """Malformed versions of a figures template (the agency's monthly Excel upload)."""
    rng = random.Random(seed)
    yield from damage("figures", template, ".xlsx", rng)
    yield from binaries(".xlsx", rng)
    yield from encodings("Mã chỉ tiêu,Tử số,Mẫu số,Giá trị\nCT1,1,2,\n", "figures-csv", ".xlsx")
    wb = load_workbook(io.BytesIO(template))
    ws = wb[FIGURES_SHEET]
    header = [c.value for c in ws[1]]
    first_code = ws.cell(row=2, column=1).value
    values = [
        *HOSTILE,
        "1e309",
        "nan",
        "-inf",
        "-5",
        "1.234.567,89",
        "12,5,6",
        "một trăm",
        "  ",
        True,
        1e308,
        -1e308,
        10**30,
    ]
    for k, value in enumerate(values):
        for name in ("Mã chỉ tiêu", "Tử số", "Mẫu số", "Giá trị"):
            col = header.index(name) + 1
            yield f"figures-{name}-value{k}", "figures.xlsx", _edited(template, 2, col, value)
    yield "figures-code-script", "figures.xlsx", _edited(template, 2, 1, SCRIPT)
    yield "figures-formula", "figures.xlsx", _edited(template, 2, header.index("Tử số") + 1, "=1/0")
    yield "figures-unknown-code", "figures.xlsx", _edited(template, 2, 1, f"{first_code}-không-có")
    yield "figures-no-header", "figures.xlsx", _edited(template, 1, 1, None)
    yield "figures-renamed-sheet", "figures.xlsx", _renamed(template)


def _edited(template: bytes, row: int, col: int, value: object) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    clean = ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
    wb[FIGURES_SHEET].cell(row=row, column=col).value = clean
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _renamed(template: bytes) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    wb[FIGURES_SHEET].title = "Trang khác"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
