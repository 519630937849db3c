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
from dashboard.kpi.rules import is_percent
from dashboard.messages import label, t
from dashboard.records import KpiRow, TaskRow

Row = TaskRow | KpiRow

FORMATS = ("json", "csv", "xlsx")
# Columns after the template's own: (field, catalogue key of the header)
TASK_EXTRA = (
    ("plan", "col.plan"),
    ("key", "col.key"),
    ("deadline_kind", "col.deadline_kind"),
    ("start_date", "col.start_date"),
    ("due_date", "col.due_date"),
    ("status", "col.status"),
    ("progress", "col.progress"),
)
INDICATOR_EXTRA = (
    ("plan", "col.plan"),
    ("national_code", "col.national_code"),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Column kinds; LONG is text in a wide column (a task's or a KPI's name).
TEXT, LONG, DATE, INT, NUMBER, PERCENT = "text", "long", "date", "int", "number", "percent"


def neutralise(value: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _task_cells(row: TaskRow, lang: str) -> dict[str, object]:
    cells: dict[str, object] = {
        "code": row.code,
        "section": row.section or "",
        "name": row.name,
        "lead_agencies": "; ".join(row.lead_agencies),
        "coordinating_agencies": "; ".join(row.coordinating_agencies),
        "output": row.output or "",
        "deadline_text": row.deadline_text or "",
        "basis": row.basis or "",
        "plan": row.plan,
        "key": row.key,
        "deadline_kind": label("deadline_kind", row.deadline_kind, lang),
        "start_date": row.start_date,
        "due_date": row.due_date,
        "status": label("status", row.status, lang),
        "progress": row.progress,
    }
    return cells


def _indicator_cells(row: KpiRow, lang: str) -> dict[str, object]:
    return {
        "code": row.code,
        "name": row.name,
        "unit": row.unit or "",
        "target": row.target_text or "",
        "subtargets": format_subtargets(row.subtargets),
        "lead_agencies": "; ".join(row.lead_agencies),
        "is_ratio": t("yes" if row.is_ratio else "no", lang),
        "aggregation": label("aggregation", row.aggregation, lang),
        "note": "",
        "baseline": f"{row.baseline_value:g}" if row.baseline_value is not None else "",
        "baseline_date": row.baseline_date.strftime("%d/%m/%Y") if row.baseline_date else "",
        "milestones": "; ".join("" if v is None else f"{v:g}" for v in row.milestones),
        "plan": row.plan,
        "national_code": row.national_code or "",
    }


def _table(kind: str, rows: list[Row], lang: str = "vi") -> tuple[list[tuple[str, str]], list[list[object]]]:
    """The template layout as typed columns (header, kind) and rows, for ``table_csv`` / ``write_table``;
    English headers re-import too (the importer knows both)."""
    if kind == "tasks":
        own, extra = TASK_COLUMNS, TASK_EXTRA
        cells = [_task_cells(r, lang) for r in rows]
    else:
        own, extra = INDICATOR_COLUMNS, INDICATOR_EXTRA
        cells = [_indicator_cells(r, lang) for r in rows]
    fields = [(c.field, c.title(lang)) for c in own] + [(f, t(key, lang)) for f, key in extra]
    kinds = {"start_date": DATE, "due_date": DATE, "progress": INT, "name": LONG}
    return [(h, kinds.get(f, TEXT)) for f, h in fields], [[c[f] for f, _ in fields] for c in cells]


def to_json(rows: list[Row], kind: str) -> str:
    """JSON list of objects with the public field names (internal ids left out)."""
    return json.dumps([r.public() for r in rows], ensure_ascii=False, indent=2)


def to_csv(rows: list[Row], kind: str, lang: str = "vi") -> bytes:
    """UTF-8 CSV with a BOM so that Excel reads Vietnamese correctly; formula-like text neutralised."""
    return table_csv(*_table(kind, rows, lang))


def to_xlsx(rows: list[Row], kind: str, plan: dict | None = None, lang: str = "vi") -> bytes:
    """An .xlsx in the template layout (with the plan sheet when given), so that it re-imports."""
    out = io.BytesIO()
    wb, formats = _workbook(out)
    if plan is not None:
        ws = wb.add_worksheet(PLAN_SHEET if lang != "en" else "plan")
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 90)
        for i, (field, label) in enumerate(PLAN_FIELDS):
            ws.write_string(i, 0, label if lang != "en" else field, formats["head"])
            value = plan.get(field)
            if field == "issue_date" and value:
                ws.write_datetime(i, 1, date.fromisoformat(value), formats[DATE])
            elif isinstance(value, int):
                ws.write_number(i, 1, value)
            else:
                ws.write_string(i, 1, str(value or ""), formats[TEXT])
    sheet = (TASK_SHEET if kind == "tasks" else KPI_SHEET) if lang != "en" else kind.replace("kpis", "indicators")
    write_table(wb.add_worksheet(sheet), formats, *_table(kind, rows, lang))
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
        LONG: wb.add_format({"text_wrap": True, "valign": "top"}),
        DATE: wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top"}),
        INT: wb.add_format({"num_format": "0", "valign": "top"}),
        NUMBER: wb.add_format({"num_format": "#,##0.0", "valign": "top"}),
        PERCENT: wb.add_format({"num_format": "0.0%", "valign": "top"}),
    }
    return wb, formats


def write_table(ws, formats: dict, columns: list[tuple[str, str]], rows: list[list[object]]) -> None:  # noqa: ANN001
    """Headers, frozen header row, filters, dates as dates, percentages as numbers, long text wide."""
    for c, (header, kind) in enumerate(columns):
        ws.write_string(0, c, header, formats["head"])
        ws.set_column(c, c, 50 if kind == LONG else 16)
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
                ws.write_string(r, c, str(v), formats[kind if kind == LONG else TEXT])
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
            elif kind in (TEXT, LONG):
                out.append(neutralise(str(v)))
            else:
                out.append(v)
        writer.writerow(out)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def flags_table(flags: list, lang: str = "vi") -> tuple[list[tuple[str, str]], list[list[object]]]:
    """Red flags, worst first, as export columns and rows."""
    columns = headed(
        lang,
        ("col.flag_kind", TEXT),
        ("code", TEXT),
        ("col.content", LONG),
        ("agencies", TEXT),
        ("due", DATE),
        ("col.days", INT),
        ("col.missing_months", TEXT),
        ("col.current_value", NUMBER),
        ("target", NUMBER),
        ("unit", TEXT),
        ("col.lacks", TEXT),
    )
    rows = [
        [
            label("flag", f.kind, lang),
            f.code or "",
            f.title,
            "; ".join(f.agencies),
            f.due,
            f.days,
            ", ".join(f"{m.month:02d}/{m.year}" for m in f.months),
            f.value,
            f.target,
            f.unit or "",
            ", ".join(t(f"lack_{m}", lang) for m in f.missing),
        ]
        for f in flags
    ]
    return columns, rows


def kpis_table(snapshots: list, lang: str = "vi") -> tuple[list[tuple[str, str]], list[list[object]]]:
    """Every KPI of a plan with its target and current value; percentages as numbers."""
    columns = headed(
        lang,
        ("code", TEXT),
        ("col.national_code_short", TEXT),
        ("kpi", LONG),
        ("unit", TEXT),
        ("target", TEXT),
        ("col.target_value", NUMBER),
        ("current", NUMBER),
        ("col.current_pct", PERCENT),
        ("field.numerator", NUMBER),
        ("field.denominator", NUMBER),
        ("col.previous_month", NUMBER),
        ("status", TEXT),
        ("lead", TEXT),
        ("aggregation", TEXT),
    )
    rows = []
    for s in snapshots:
        ind = s.indicator
        is_pct = is_percent(ind.unit)
        rows.append(
            [
                ind.code,
                ind.national_code or "",
                ind.name,
                ind.unit or "",
                ind.target_text or "",
                ind.target_value,
                s.value,
                s.value if is_pct else None,
                s.numerator,
                s.denominator,
                s.previous,
                label("kpi_state", s.status, lang),
                "; ".join(ind.lead_agencies),
                label("aggregation", ind.aggregation, lang),
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


def tracking_rows(tasks: list[TaskRow], lang: str = "vi") -> list[dict]:
    """One row per task for the national resolution-tracking system: stable key, status, progress, last note."""
    return [
        {
            "key": task.key,
            "plan": task.plan,
            "code": task.code,
            "name": task.name,
            "status": task.status,
            "status_label": label("status", task.status, lang),
            "progress": task.progress,
            "last_note": task.last_note,
            "last_update": task.last_update.isoformat() if task.last_update else None,
            "deadline_kind": task.deadline_kind,
            "due_date": task.due_date.isoformat() if task.due_date else None,
        }
        for task in tasks
    ]


def tracking_csv(tasks: list[TaskRow], lang: str = "vi") -> bytes:
    columns = headed(
        lang,
        ("col.key", TEXT),
        ("col.plan", TEXT),
        ("code", TEXT),
        ("task", LONG),
        ("col.status_code", TEXT),
        ("col.status", TEXT),
        ("col.progress", INT),
        ("col.last_note", TEXT),
        ("col.update_month", DATE),
        ("col.deadline_kind", TEXT),
        ("col.due_date", DATE),
    )
    return table_csv(columns, [[r[f] for f in TRACKING_FIELDS] for r in tracking_rows(tasks, lang)])


def headed(lang: str, *columns: tuple[str, str]) -> list[tuple[str, str]]:
    """Typed columns whose headers are catalogue keys, in ``lang``."""
    return [(t(key, lang), kind) for key, kind in columns]
