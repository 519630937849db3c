"""Exports of tasks and KPIs: JSON (public field names), and CSV/xlsx in the import template's layout."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from dashboard.importers.spreadsheet import (
    INDICATOR_COLUMNS,
    KPI_SHEET,
    PLAN_FIELDS,
    PLAN_SHEET,
    TASK_COLUMNS,
    TASK_SHEET,
    format_subtargets,
)
from dashboard.kpi.deadlines import KINDS
from dashboard.kpi.rules import AGGREGATION_LABELS, is_percent
from dashboard.kpi.status import label as status_label

FORMATS = ("json", "csv", "xlsx")
DEADLINE_KIND_VI = {
    "date": "Có hạn",
    "recurring": "Thường xuyên",
    "conditional": "Theo điều kiện",
    "unknown": "Chưa rõ",
}
assert set(DEADLINE_KIND_VI) == set(KINDS)

TASK_EXTRA = (
    ("plan", "Kế hoạch"),
    ("key", "Mã định danh"),
    ("deadline_kind", "Loại thời hạn"),
    ("start_date", "Ngày bắt đầu"),
    ("due_date", "Hạn hoàn thành"),
    ("status", "Trạng thái"),
    ("progress", "Tiến độ (%)"),
)
INDICATOR_EXTRA = (
    ("plan", "Kế hoạch"),
    ("national_code", "Mã chỉ tiêu quốc gia"),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT, DATE, INT, NUMBER, PERCENT = "text", "date", "int", "number", "percent"  # column kinds
WIDE_COLUMNS = {"Tên nhiệm vụ", "Tên chỉ tiêu", "Nội dung", "Chỉ tiêu", "Nhiệm vụ"}


def neutralise(value: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _task_cells(row: dict) -> dict[str, object]:
    cells: dict[str, object] = {
        "code": row["code"],
        "section": row["section"] or "",
        "name": row["name"],
        "lead_agencies": "; ".join(row["lead_agencies"]),
        "coordinating_agencies": "; ".join(row["coordinating_agencies"]),
        "output": row["output"] or "",
        "deadline_text": row["deadline_text"] or "",
        "basis": row["basis"] or "",
        "plan": row["plan"],
        "key": row["key"],
        "deadline_kind": DEADLINE_KIND_VI.get(row["deadline_kind"], row["deadline_kind"]),
        "start_date": date.fromisoformat(row["start_date"]) if row["start_date"] else None,
        "due_date": date.fromisoformat(row["due_date"]) if row["due_date"] else None,
        "status": status_label(row["status"]),
        "progress": row["progress"],
    }
    return cells


def _indicator_cells(row: dict) -> dict[str, object]:
    return {
        "code": row["code"],
        "name": row["name"],
        "unit": row["unit"] or "",
        "target": row["target_text"] or "",
        "subtargets": format_subtargets(row["subtargets"]),
        "lead_agencies": "; ".join(row["lead_agencies"]),
        "is_ratio": "Có" if row["is_ratio"] else "Không",
        "aggregation": AGGREGATION_LABELS["vi"].get(row["aggregation"], row["aggregation"]),
        "note": "",
        "plan": row["plan"],
        "national_code": row["national_code"] or "",
    }


def _table(kind: str, rows: list[dict]) -> tuple[list[tuple[str, str]], list[list[object]]]:
    """The template layout as typed columns (header, kind) and rows, for ``table_csv`` / ``write_table``."""
    if kind == "tasks":
        fields = [(c.field, c.header) for c in TASK_COLUMNS] + list(TASK_EXTRA)
        cells = [_task_cells(r) for r in rows]
    else:
        fields = [(c.field, c.header) for c in INDICATOR_COLUMNS] + list(INDICATOR_EXTRA)
        cells = [_indicator_cells(r) for r in rows]
    kinds = {"start_date": DATE, "due_date": DATE, "progress": INT}
    return [(h, kinds.get(f, TEXT)) for f, h in fields], [[c[f] for f, _ in fields] for c in cells]


def to_json(rows: list[dict], kind: str) -> str:
    """JSON list of objects with the public field names (internal ids left out)."""
    public = [{k: v for k, v in r.items() if k != "id" and not k.startswith("_")} for r in rows]
    return json.dumps(public, ensure_ascii=False, indent=2)


def to_csv(rows: list[dict], kind: str) -> bytes:
    """UTF-8 CSV with a BOM so that Excel reads Vietnamese correctly; formula-like text neutralised."""
    return table_csv(*_table(kind, rows))


def to_xlsx(rows: list[dict], kind: str, plan: dict | None = None) -> bytes:
    """An .xlsx in the template layout (with the plan sheet when given), so that it re-imports."""
    out = io.BytesIO()
    wb, formats = _workbook(out)
    if plan is not None:
        ws = wb.add_worksheet(PLAN_SHEET)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 90)
        for i, (field, label) in enumerate(PLAN_FIELDS):
            ws.write_string(i, 0, label, formats["head"])
            value = plan.get(field)
            if field == "issue_date" and value:
                ws.write_datetime(i, 1, date.fromisoformat(value), formats[DATE])
            elif isinstance(value, int):
                ws.write_number(i, 1, value)
            else:
                ws.write_string(i, 1, str(value or ""), formats[TEXT])
    write_table(wb.add_worksheet(TASK_SHEET if kind == "tasks" else KPI_SHEET), formats, *_table(kind, rows))
    wb.close()
    return out.getvalue()


# --- tables the pages show: red flags, KPIs; the national tracking export ---------------------------


def _workbook(out: io.BytesIO):  # noqa: ANN202
    """An xlsxwriter workbook that never turns text into formulas or links, and its cell formats."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    formats = {
        "head": wb.add_format({"bold": True, "bg_color": "#DDE7F0", "text_wrap": True, "valign": "top", "border": 1}),
        TEXT: wb.add_format({"text_wrap": True, "valign": "top"}),
        DATE: wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top"}),
        INT: wb.add_format({"num_format": "0", "valign": "top"}),
        NUMBER: wb.add_format({"num_format": "#,##0.0", "valign": "top"}),
        PERCENT: wb.add_format({"num_format": "0.0%", "valign": "top"}),
    }
    return wb, formats


def write_table(ws, formats: dict, columns: list[tuple[str, str]], rows: list[list[object]]) -> None:  # noqa: ANN001
    """Vietnamese headers, frozen header row, filters, dates as dates, percentages as numbers."""
    for c, (header, _kind) in enumerate(columns):
        ws.write_string(0, c, header, formats["head"])
        ws.set_column(c, c, 50 if header in WIDE_COLUMNS else 16)
    for r, values in enumerate(rows, start=1):
        for c, ((_, kind), v) in enumerate(zip(columns, values, strict=True)):
            if v is None or v == "":
                ws.write_blank(r, c, None, formats[kind])
            elif kind == DATE:
                ws.write_datetime(r, c, v if isinstance(v, date) else date.fromisoformat(str(v)), formats[DATE])
            elif kind == PERCENT:
                ws.write_number(r, c, float(v) / 100, formats[PERCENT])  # 95.5 shows as 95,5 %
            elif kind in (INT, NUMBER):
                ws.write_number(r, c, float(v), formats[kind])
            else:
                ws.write_string(r, c, str(v), formats[TEXT])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)


def table_xlsx(sheet: str, columns: list[tuple[str, str]], rows: list[list[object]]) -> bytes:
    """One sheet holding a table (see ``write_table``)."""
    out = io.BytesIO()
    wb, formats = _workbook(out)
    write_table(wb.add_worksheet(sheet[:31]), formats, columns, rows)
    wb.close()
    return out.getvalue()


def table_csv(columns: list[tuple[str, str]], rows: list[list[object]]) -> bytes:
    """UTF-8 with a BOM; dates as dd/mm/yyyy; formula-looking text neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([h for h, _ in columns])
    for values in rows:
        out = []
        for (_, kind), v in zip(columns, values, strict=True):
            if v is None:
                out.append("")
            elif kind == DATE:
                out.append((v if isinstance(v, date) else date.fromisoformat(str(v))).strftime("%d/%m/%Y"))
            elif kind == TEXT:
                out.append(neutralise(str(v)))
            else:
                out.append(v)
        writer.writerow(out)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def flags_table(flags: list, lang: str = "vi") -> tuple[list[tuple[str, str]], list[list[object]]]:
    """Red flags, worst first, as export columns and rows."""
    from dashboard.kpi.red_flags import label

    columns = [
        ("Loại cảnh báo", TEXT),
        ("Mã", TEXT),
        ("Nội dung", TEXT),
        ("Đơn vị", TEXT),
        ("Hạn", DATE),
        ("Số ngày", INT),
        ("Tháng thiếu báo cáo", TEXT),
        ("Giá trị hiện tại", NUMBER),
        ("Mục tiêu", NUMBER),
        ("Đơn vị tính", TEXT),
        ("Thiếu (06 rõ)", TEXT),
    ]
    rows = [
        [
            label(f.kind, lang),
            f.code or "",
            f.title,
            "; ".join(f.agencies),
            f.due,
            f.days,
            ", ".join(f"{m.month:02d}/{m.year}" for m in f.months),
            f.value,
            f.target,
            f.unit or "",
            ", ".join(f.missing),
        ]
        for f in flags
    ]
    return columns, rows


def kpis_table(snapshots: list) -> tuple[list[tuple[str, str]], list[list[object]]]:
    """Every KPI of a plan with its target and current value; percentages as numbers."""
    columns = [
        ("Mã", TEXT),
        ("Mã quốc gia", TEXT),
        ("Chỉ tiêu", TEXT),
        ("Đơn vị tính", TEXT),
        ("Mục tiêu", TEXT),
        ("Giá trị mục tiêu", NUMBER),
        ("Hiện tại", NUMBER),
        ("Hiện tại (%)", PERCENT),
        ("Tử số", NUMBER),
        ("Mẫu số", NUMBER),
        ("Tháng trước", NUMBER),
        ("Trạng thái", TEXT),
        ("Cơ quan chủ trì", TEXT),
        ("Cách tổng hợp", TEXT),
    ]
    from dashboard.kpi.rules import BELOW_TARGET, NEAR_TARGET, NO_DATA, ON_TARGET

    state = {ON_TARGET: "Đạt", NEAR_TARGET: "Gần đạt", BELOW_TARGET: "Chưa đạt", NO_DATA: "Chưa có số liệu"}
    rows = []
    for s in snapshots:
        ind = s.indicator
        is_pct = is_percent(ind.get("unit"))
        rows.append(
            [
                ind["code"],
                ind.get("national_code") or "",
                ind["name"],
                ind.get("unit") or "",
                ind.get("target_text") or "",
                ind.get("target_value"),
                s.value,
                s.value if is_pct else None,
                s.numerator,
                s.denominator,
                s.previous,
                state.get(s.status, s.status),
                "; ".join(ind["lead_agencies"]),
                AGGREGATION_LABELS["vi"].get(ind.get("aggregation"), ind.get("aggregation") or ""),
            ]
        )
    return columns, rows


TRACKING_FIELDS = (
    "key",
    "plan",
    "code",
    "name",
    "status",
    "status_label",
    "progress",
    "last_note",
    "last_update",
    "deadline_kind",
    "due_date",
)


def tracking_rows(tasks: list[dict]) -> list[dict]:
    """One row per task for the national resolution-tracking system: stable key, status, progress, last note."""
    return [
        {
            "key": t["key"],
            "plan": t["plan"],
            "code": t["code"],
            "name": t["name"],
            "status": t["status"],
            "status_label": status_label(t["status"]),
            "progress": t["progress"],
            "last_note": t["last_note"],
            "last_update": t["last_update"],
            "deadline_kind": t["deadline_kind"],
            "due_date": t["due_date"],
        }
        for t in tasks
    ]


def tracking_csv(tasks: list[dict]) -> bytes:
    columns = [
        ("Mã định danh", TEXT),
        ("Kế hoạch", TEXT),
        ("Mã", TEXT),
        ("Nhiệm vụ", TEXT),
        ("Trạng thái (mã)", TEXT),
        ("Trạng thái", TEXT),
        ("Tiến độ (%)", INT),
        ("Ghi chú gần nhất", TEXT),
        ("Tháng cập nhật", DATE),
        ("Loại thời hạn", TEXT),
        ("Hạn hoàn thành", DATE),
    ]
    return table_csv(columns, [[r[f] for f in TRACKING_FIELDS] for r in tracking_rows(tasks)])
