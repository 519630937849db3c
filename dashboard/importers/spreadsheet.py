"""The spreadsheet template: one sheet (or CSV file) of KPIs, one of tasks, Vietnamese headers.

The same column definitions serve the importer and ``export``, so an exported file re-imports.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from dashboard.agencies.names import split_agencies
from dashboard.importers.document import ParsedIndicator, ParsedPlan, ParsedTask, PlanImportError
from dashboard.importers.text_plan import decode
from dashboard.importers.workbook import MAX_ROWS, UnreadableWorkbook, read_sheets
from dashboard.kpi.rules import parse_aggregation
from dashboard.kpi.targets import parse_number, parse_target
from dashboard.messages import Message, msg
from dashboard.text import clean, fold_key


@dataclass(frozen=True)
class Column:
    field: str  # the public (English) field name, also accepted as a header
    header: str  # the Vietnamese header of the template
    required: bool = False
    english: str = ""  # the header of an English export, accepted on import too

    def title(self, lang: str = "vi") -> str:
        return self.english if lang == "en" and self.english else self.header


TASK_SHEET = "Nhiệm vụ"
KPI_SHEET = "Chỉ tiêu"
PLAN_SHEET = "Kế hoạch"

TASK_COLUMNS = (
    Column("code", "Mã", english="Code"),
    Column("section", "Mục", english="Section"),
    Column("name", "Tên nhiệm vụ", True, "Task"),
    Column("lead_agencies", "Cơ quan chủ trì", True, "Lead agencies"),
    Column("coordinating_agencies", "Cơ quan phối hợp", english="Coordinating agencies"),
    Column("output", "Kết quả, sản phẩm", english="Output"),
    Column("deadline_text", "Thời hạn", True, "Deadline"),
    Column("basis", "Căn cứ, ghi chú", english="Basis, note"),
)
INDICATOR_COLUMNS = (
    Column("code", "Mã"),
    Column("name", "Tên chỉ tiêu", True, "KPI"),
    Column("unit", "Đơn vị tính", english="Unit"),
    Column("target", "Mục tiêu", True, "Target"),
    Column("subtargets", "Chỉ tiêu thành phần", english="Sub-targets"),
    Column("lead_agencies", "Cơ quan chủ trì", english="Lead agencies"),
    Column("is_ratio", "Tỷ lệ (tử số/mẫu số)", english="Ratio (numerator/denominator)"),
    Column("aggregation", "Cách tổng hợp", english="Aggregation"),
    Column("note", "Ghi chú", english="Note"),
    # the in-year path (``kpi.trajectory``): where the KPI starts, and where it should be at the end of quarters
    # I, II and III ("40; 55; 70"); without them the path runs straight from the first figure of the year
    Column("baseline", "Giá trị cơ sở", english="Baseline"),
    Column("baseline_date", "Ngày cơ sở", english="Baseline date"),
    Column("milestones", "Mốc theo quý", english="Quarterly milestones"),
)
PLAN_FIELDS = (
    ("province", "Tỉnh"),
    ("year", "Năm"),
    ("doc_number", "Số hiệu"),
    ("title", "Trích yếu"),
    ("issuer", "Cơ quan ban hành"),
    ("issue_date", "Ngày ban hành"),
)
_HEADER_ALIASES = {
    "target": ("muc tieu", "gia tri muc tieu", "target", "target text", "ket qua", "chi tieu ke hoach"),
    "name": ("ten", "ten nhiem vu", "ten chi tieu", "nhiem vu", "chi tieu", "name"),
}
_SUBTARGET = re.compile(r"^(.*?)\s*(≥|≤|>=|<=|>|<|=)\s*([\d.,]+)\s*%?$")


def _header_map(headers: list[str], columns: tuple[Column, ...]) -> dict[str, int]:
    keys = [fold_key(h) for h in headers]
    found: dict[str, int] = {}
    for col in columns:
        names = {fold_key(col.header), fold_key(col.english), fold_key(col.field), *_HEADER_ALIASES.get(col.field, ())}
        for idx, key in enumerate(keys):
            if key in names and idx not in found.values():
                found[col.field] = idx
                break
    return found


def _missing(found: dict[str, int], columns: tuple[Column, ...]) -> list[str]:
    return [c.header for c in columns if c.required and c.field not in found]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = clean(str(value))
    # Undo the apostrophe that the export puts in front of formula-looking text.
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


def _rows_to_plan(
    plan: ParsedPlan, kind: str, headers: list[str], rows: list[tuple[int, list]], place: Message
) -> None:
    columns = TASK_COLUMNS if kind == "task" else INDICATOR_COLUMNS
    found = _header_map(headers, columns)
    missing = _missing(found, columns)
    if missing:
        raise PlanImportError("imp.missing_columns", where=place, columns=", ".join(f"'{m}'" for m in missing))
    auto = 0
    for rownum, raw in rows:
        values = {f: _text(raw[i]) if i < len(raw) else "" for f, i in found.items()}
        if not any(values.values()):
            continue
        if not values.get("name"):
            plan.warn(None, "imp.w.no_name_row", where=msg("imp.at_row", place=place, row=rownum))
            continue
        auto += 1
        code = values.get("code") or str(auto)
        if kind == "task":
            plan.tasks.append(
                ParsedTask(
                    code=code,
                    name=values["name"],
                    section=values.get("section", ""),
                    number=code.rsplit(".", 1)[-1],
                    leads=split_agencies(values.get("lead_agencies")),
                    coordinating=split_agencies(values.get("coordinating_agencies")),
                    output=values.get("output", ""),
                    deadline_text=values.get("deadline_text", ""),
                    basis=values.get("basis", ""),
                    line=rownum,
                )
            )
        else:
            target_text = values.get("target", "")
            if target_text and parse_target(target_text) is None:
                cell = msg("imp.at_cell", place=place, row=rownum, column=_col_header(columns, "target"))
                plan.warn(None, "imp.w.bad_target", where=cell, text=target_text)
            ratio = fold_key(values.get("is_ratio", ""))
            rule = parse_aggregation(values.get("aggregation"))
            if values.get("aggregation") and rule is None:
                cell = msg("imp.at_cell", place=place, row=rownum, column=_col_header(columns, "aggregation"))
                plan.warn(None, "imp.w.bad_rule", where=cell, text=values["aggregation"])
            plan.indicators.append(
                ParsedIndicator(
                    code=code,
                    name=values["name"],
                    unit=values.get("unit", ""),
                    target_text=target_text,
                    leads=split_agencies(values.get("lead_agencies")),
                    subtargets=_subtargets(
                        values.get("subtargets", ""), plan, msg("imp.at_row", place=place, row=rownum)
                    ),
                    note=values.get("note", ""),
                    is_ratio=None if not ratio else ratio in ("co", "x", "yes", "true", "1"),
                    aggregation=rule,
                    line=rownum,
                    **_path_cells(values, plan, place, rownum),
                )
            )


def _path_cells(values: dict[str, str], plan: ParsedPlan, place: Message, rownum: int) -> dict:
    """Baseline value and date, and quarterly milestones, of a KPI row; a cell that does not read is warned
    about (naming the cell) and left out."""

    def warn(field: str, text: str) -> None:
        cell = msg("imp.at_cell", place=place, row=rownum, column=_col_header(INDICATOR_COLUMNS, field))
        plan.warn(None, "imp.w.bad_path", where=cell, text=text)

    out: dict = {}
    if raw := values.get("baseline", ""):
        try:
            out["baseline"] = parse_number(raw.replace("%", "").strip())
        except ValueError:
            warn("baseline", raw)
    if raw := values.get("baseline_date", ""):
        try:
            day = _parse_date(raw)
        except ValueError:  # 31/13/2026
            day = None
        if day is None:
            warn("baseline_date", raw)
        else:
            out["baseline_date"] = day
    if raw := values.get("milestones", ""):
        parts = [p.strip() for p in raw.split(";")]
        try:
            numbers = [parse_number(p.rsplit(":", 1)[-1].replace("%", "").strip()) if p else None for p in parts]
        except ValueError:
            numbers = []
        if not numbers or len(numbers) > 4:
            warn("milestones", raw)
        else:
            out["milestones"] = numbers[:3]  # the end of quarter IV is the target itself
    return out


def _col_header(columns: tuple[Column, ...], field: str) -> str:
    return next(c.header for c in columns if c.field == field)


def _subtargets(text: str, plan: ParsedPlan, where: Message) -> list[dict]:
    out = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        m = _SUBTARGET.match(part)
        target = parse_target(part) if m else None
        if not m or target is None:
            plan.warn(None, "imp.w.bad_subtarget", where=where, text=part)
            continue
        out.append({"label": m.group(1).strip(), "op": target.op, "value": target.value, "text": part})
    return out


def format_subtargets(subtargets: list[dict]) -> str:
    """Sub-targets as the template writes them: "Cấp tỉnh ≥ 70; Cấp xã ≥ 70"."""
    sym = {">=": "≥", "<=": "≤"}
    parts = []
    for s in subtargets or []:
        v = s["value"]
        v = int(v) if float(v).is_integer() else v
        parts.append(f"{s['label']} {sym.get(s['op'], s['op'])} {v}")
    return "; ".join(parts)


def _kind_of(headers: list[str]) -> str | None:
    if not _missing(_header_map(headers, TASK_COLUMNS), TASK_COLUMNS):
        return "task"
    if not _missing(_header_map(headers, INDICATOR_COLUMNS), INDICATOR_COLUMNS):
        return "kpi"
    return None


def read_csv(data: bytes, source: str) -> ParsedPlan:
    """A CSV file of tasks or of KPIs (told apart by its headers)."""
    text = decode(data, source)
    # strict: a quote left open is an error naming its line, never rows merged into one garbled task
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        rows = []
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise PlanImportError("imp.too_many_rows", file=source, max=f"{MAX_ROWS:,}")
    except csv.Error as exc:
        where = msg("imp.at_line", file=source, line=reader.line_num)
        raise PlanImportError("imp.csv_broken", where=where, cause=str(exc)) from None
    if not rows or not any(rows[0]):
        raise PlanImportError("imp.csv_no_header", file=source)
    headers = [clean(h) for h in rows[0]]
    kind = _kind_of(headers)
    if kind is None:
        need_t = _missing(_header_map(headers, TASK_COLUMNS), TASK_COLUMNS)
        need_k = _missing(_header_map(headers, INDICATOR_COLUMNS), INDICATOR_COLUMNS)
        raise PlanImportError(
            "imp.csv_columns",
            where=msg("imp.at_line", file=source, line=1),
            tasks=", ".join(f"'{m}'" for m in need_t),
            kpis=", ".join(f"'{m}'" for m in need_k),
        )
    plan = ParsedPlan(source_file=source)
    _rows_to_plan(plan, kind, headers, [(i, r) for i, r in enumerate(rows[1:], start=2)], msg("imp.file", file=source))
    if not plan.tasks and not plan.indicators:
        raise PlanImportError("imp.csv_no_rows", file=source)
    return plan


def read_xlsx(data: bytes, source: str) -> ParsedPlan:
    """An .xlsx workbook with sheets 'Kế hoạch' (optional), 'Chỉ tiêu' and/or 'Nhiệm vụ'."""
    try:
        book = read_sheets(data)
    except UnreadableWorkbook as exc:
        raise PlanImportError("imp.xlsx_unreadable", file=source, cause=str(exc)) from None
    plan = ParsedPlan(source_file=source)
    sheets = {fold_key(title): (title, rows) for title, rows in book.items()}
    meta_sheet = sheets.get(fold_key(PLAN_SHEET)) or sheets.get("plan")
    if meta_sheet is not None:
        _read_plan_sheet(*meta_sheet, plan, source)
    found_any = False
    for kind, names in (("kpi", (KPI_SHEET, "indicators")), ("task", (TASK_SHEET, "tasks"))):
        sheet = next((sheets[fold_key(n)] for n in names if fold_key(n) in sheets), None)
        if sheet is None:
            continue
        found_any = True
        title, rows = sheet
        if not rows:
            continue
        headers = [_text(h) for h in rows[0]]
        _rows_to_plan(
            plan,
            kind,
            headers,
            [(i, list(r)) for i, r in enumerate(rows[1:], start=2)],
            msg("imp.in_sheet", file=source, sheet=title),
        )
    if not found_any:
        found = ", ".join(f"'{title}'" for title in book)
        raise PlanImportError("imp.no_sheets", file=source, kpis=KPI_SHEET, tasks=TASK_SHEET, found=found)
    if not plan.tasks and not plan.indicators:
        raise PlanImportError("imp.empty_sheets", file=source, kpis=KPI_SHEET, tasks=TASK_SHEET)
    return plan


def _read_plan_sheet(title: str, rows: list[tuple], plan: ParsedPlan, source: str) -> None:
    labels = {fold_key(label): f for f, label in PLAN_FIELDS} | {f: f for f, _ in PLAN_FIELDS}
    for rownum, row in enumerate(rows, start=1):
        if not row or row[0] is None:
            continue
        field = labels.get(fold_key(_text(row[0])))
        value = row[1] if len(row) > 1 else None
        if field is None or value in (None, ""):
            continue
        if field == "year":
            try:
                plan.year = int(float(str(value)))
            except ValueError:
                where = msg("imp.at_sheet_row", file=source, sheet=title, row=rownum)
                raise PlanImportError("imp.year_not_number", where=where, value=value) from None
        elif field == "issue_date":
            try:
                plan.issue_date = value.date() if isinstance(value, datetime) else _parse_date(str(value))
            except ValueError:
                where = msg("imp.at_sheet_row", file=source, sheet=title, row=rownum)
                raise PlanImportError("imp.no_such_date", where=where, value=value) from None
        else:
            setattr(plan, field, _text(value))
    if plan.doc_number:
        m = re.match(r"^\s*\d*\s*[-/]?\s*(.+)$", plan.doc_number)
        plan.doc_type = m.group(1).replace(" ", "") if m else None


def _parse_date(text: str) -> date | None:
    m = re.match(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$", text)
    return date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None


def read_spreadsheet(path: Path, data: bytes) -> ParsedPlan:
    """Dispatch on the file extension (.xlsx or .csv)."""
    if path.suffix.lower() == ".csv":
        return read_csv(data, path.name)
    return read_xlsx(data, path.name)
