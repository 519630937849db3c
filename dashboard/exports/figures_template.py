"""The Excel template an agency downloads, fills with its month's KPI figures and uploads back.

Reading it never writes anything: it returns the rows and, per row, what is wrong, for a preview.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from dashboard.importers.workbook import UnreadableWorkbook, WorkbookTooLarge, read_sheets
from dashboard.kpi.targets import parse_number
from dashboard.messages import LANGS, Message, msg, t
from dashboard.store.models import Indicator, Measurement
from dashboard.text import clean, fold_key
from dashboard.updates import FigureInput, source_fed_message, validate_figure

# Sheets and columns as catalogue keys: a template is made in the page's language and read back in either.
SHEET = "tpl.sheet"
INFO_SHEET = "tpl.info_sheet"
HEADERS = ("tpl.code", "tpl.name", "unit", "tpl.kind", "mw.numerator", "mw.denominator", "mw.value", "tpl.system_id")
NEEDED = ("tpl.code", "mw.numerator", "mw.denominator", "mw.value")
MAX_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_ROWS = 2_000  # a month of one agency's figures is a few dozen rows


@dataclass
class PreviewRow:
    row: int
    code: str
    name: str
    numerator: float | None
    denominator: float | None
    value: float | None
    error: Message | None = None


@dataclass
class Upload:
    agency_id: int | None
    month: date | None
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[Message] = field(default_factory=list)  # file-level problems

    @property
    def ok(self) -> bool:
        return not self.errors and not any(r.error for r in self.rows) and bool(self.rows)

    def figures(self, indicators: dict[str, Indicator]) -> list[FigureInput]:
        return [
            FigureInput(indicators[r.code].id, r.numerator, r.denominator, r.value, row=f"row-{r.row}")
            for r in self.rows
            if r.code in indicators
        ]


def build_template(
    indicators: list[Indicator],
    agency_id: int,
    agency_name: str,
    month: date,
    existing: dict[int, Measurement],
    fed: dict[int, str] | None = None,
    lang: str = "vi",
) -> bytes:
    """An .xlsx in ``lang`` with one row per KPI the agency reports, pre-filled with what is stored for the
    month. A KPI that a SQL source feeds (``fed``: KPI id -> source) says so in its "Loại" cell and is not to
    be filled."""
    fed = fed or {}
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format({"bold": True, "bg_color": "#DDE7F0", "border": 1, "text_wrap": True, "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    locked = wb.add_format({"text_wrap": True, "valign": "top", "bg_color": "#F2F2F2"})
    info = wb.add_worksheet(t(INFO_SHEET, lang))
    info.set_column(0, 0, 18)
    info.set_column(1, 1, 60)
    for r, (k, v) in enumerate(
        (
            (t("tpl.agency", lang), agency_name),
            (t("tpl.agency_id", lang), str(agency_id)),
            (t("tpl.month", lang), f"{month.month:02d}/{month.year}"),
            (t("tpl.help_title", lang), t("tpl.help", lang)),
        )
    ):
        info.write_string(r, 0, k, head)
        info.write_string(r, 1, v, wrap)
    ws = wb.add_worksheet(t(SHEET, lang))
    for c, h in enumerate(HEADERS):
        ws.write_string(0, c, t(h, lang), head)
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 70)
    ws.set_column(2, 3, 12)
    ws.set_column(4, 6, 12)
    ws.set_column(7, 7, 12, None, {"hidden": True})
    for r, ind in enumerate(indicators, start=1):
        m = existing.get(ind.id)
        ws.write_string(r, 0, ind.code, locked)
        ws.write_string(r, 1, ind.name, locked)
        ws.write_string(r, 2, ind.unit or "", locked)
        kind = (
            t("tpl.fed", lang, source=fed[ind.id])
            if ind.id in fed
            else t("tpl.ratio" if ind.is_ratio else "mw.value", lang)
        )
        ws.write_string(r, 3, kind, locked)
        for c, v in ((4, m.numerator if m else None), (5, m.denominator if m else None), (6, m.value if m else None)):
            if v is not None and ind.id not in fed:  # a source's figures are not the agency's to send back
                ws.write_number(r, c, v)
        ws.write_number(r, 7, ind.id)
    ws.freeze_panes(1, 0)
    ws.activate()
    wb.close()
    return out.getvalue()


def _num(value: object) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return float(value)
    text = clean(str(value)).replace(" ", "")
    if not re.fullmatch(r"-?\d+(?:[.,]\d+)*", text):
        raise ValueError
    return parse_number(text)


def _names(key: str) -> set[str]:
    """What a sheet or column of the template may be called: its name in either language, folded."""
    return {fold_key(t(key, lang)) for lang in LANGS}


def _sheet(sheets: dict[str, list], key: str) -> list | None:
    return next((sheets[n] for n in _names(key) if n in sheets), None)


def _read_info(up: Upload, filename: str, info: list) -> None:
    """The agency and month the template was made for, from its information sheet."""
    where = {"file": filename, "sheet": msg(INFO_SHEET)}
    for row in info:
        if not row or row[0] is None or len(row) < 2:
            continue
        key = fold_key(str(row[0]))
        if key in _names("tpl.agency_id"):
            try:
                up.agency_id = int(float(str(row[1])))
            except (TypeError, ValueError):
                up.errors.append(msg("tpl.bad_agency", value=row[1], **where))
        elif key in _names("tpl.month"):
            m = re.fullmatch(r"\s*(\d{1,2})/(\d{4})\s*", str(row[1] or ""))
            if m and 1 <= int(m.group(1)) <= 12:
                up.month = date(int(m.group(2)), int(m.group(1)), 1)
            else:
                up.errors.append(msg("tpl.bad_month", value=row[1], **where))


def _columns(up: Upload, filename: str, rows: list | None) -> dict[str, int]:
    """Where each needed column is in the figures sheet; what is missing goes to ``up.errors``."""
    where = {"file": filename, "sheet": msg(SHEET)}
    if rows is None:
        up.errors.append(msg("tpl.no_sheet", **where))
        return {}
    if not rows:
        up.errors.append(msg("tpl.empty_sheet", **where))
        return {}
    header = [fold_key(str(h or "")) for h in rows[0]]
    cols = {}
    for key in NEEDED:
        at = next((i for i, h in enumerate(header) if h in _names(key)), None)
        if at is None:
            up.errors.append(msg("tpl.no_column", column=msg(key), **where))
        else:
            cols[key] = at
    return cols


def _preview_row(
    n: int, code: str, values: list, ind: Indicator | None, seen: dict[str, int], fed: dict[int, str]
) -> PreviewRow | None:
    """Row ``n`` checked, with its error if any; None for a KPI left blank this month."""
    pr = PreviewRow(n, code, ind.name if ind else "", None, None, None)
    if code in seen:
        pr.error = msg("tpl.repeated", code=code, first=seen[code])
        return pr
    seen[code] = n
    try:
        pr.numerator, pr.denominator, pr.value = (_num(v) for v in values)
    except ValueError:
        pr.error = msg("tpl.not_numbers", code=code)
    if ind is None:
        pr.error = msg("tpl.not_reported", code=code)
    elif pr.error is None and any(v is not None for v in (pr.numerator, pr.denominator, pr.value)):
        if ind.id in fed:
            pr.error = source_fed_message(ind, fed[ind.id])
        else:
            pr.error = validate_figure(ind, FigureInput(ind.id, pr.numerator, pr.denominator, pr.value))
    elif pr.error is None:
        return None
    return pr


def read_upload(
    data: bytes,
    filename: str,
    indicators: list[Indicator],
    agency_id: int,
    month: date,
    fed: dict[int, str] | None = None,
) -> Upload:
    """Parse an uploaded template for a preview: rows with their error, and file-level problems. A row that
    fills a KPI a SQL source feeds (``fed``) is an error that names the source."""
    fed = fed or {}
    up = Upload(agency_id=None, month=None)
    if not data:
        up.errors.append(msg("tpl.empty_file", file=filename))
        return up
    if len(data) > MAX_BYTES:
        up.errors.append(msg("tpl.too_big", file=filename, kb=len(data) // 1024, max=MAX_BYTES // 1024))
        return up
    try:
        sheets = {fold_key(title): rows for title, rows in read_sheets(data, MAX_UPLOAD_ROWS).items()}
    except WorkbookTooLarge as exc:
        up.errors.append(msg("tpl.file_problem", file=filename, problem=exc.message))
        return up
    except UnreadableWorkbook:
        up.errors.append(msg("tpl.unreadable", file=filename))
        return up
    _read_info(up, filename, _sheet(sheets, INFO_SHEET) or [])
    if up.agency_id is not None and up.agency_id != agency_id:
        up.errors.append(msg("tpl.other_agency", file=filename))
    if up.month is not None and up.month != month.replace(day=1):
        theirs, chosen = f"{up.month.month:02d}/{up.month.year}", f"{month.month:02d}/{month.year}"
        up.errors.append(msg("tpl.other_month", file=filename, month=theirs, chosen=chosen))
    rows = _sheet(sheets, SHEET)
    cols = _columns(up, filename, rows)
    if up.errors or rows is None:
        return up
    by_code = {i.code: i for i in indicators}
    seen: dict[str, int] = {}  # KPI code -> the row that gave it first
    for n, row in enumerate(rows[1:], start=2):
        padded = list(row) + [None] * len(HEADERS)
        code = clean(str(padded[cols["tpl.code"]] or ""))
        values = [padded[cols[c]] for c in NEEDED[1:]]
        if not code and all(v in (None, "") for v in values):
            continue
        pr = _preview_row(n, code, values, by_code.get(code), seen, fed)
        if pr is not None:
            up.rows.append(pr)
    if not up.rows:
        up.errors.append(msg("tpl.no_figures", file=filename, sheet=msg(SHEET)))
    return up
