"""Plan documents as plain text (extracted from the signed PDF/DOCX): metadata, tables and prose tasks.

Tables are tab-separated rows. The reader joins cells that ran over a page break (a row whose number
column is empty continues the row above), drops header rows repeated after page breaks, keeps section
rows (I, II, ... or A, B) and reads KPI sub-target rows ("Cấp tỉnh ≥ 70").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from dashboard.agencies.names import split_agencies
from dashboard.importers.document import ParsedIndicator, ParsedPlan, ParsedTask, PlanImportError
from dashboard.importers.numbering import BULLET, ITEM, SECTION, SUB, read_number, unique_codes
from dashboard.importers.repeats import link_repeated_tasks
from dashboard.kpi.targets import parse_target
from dashboard.messages import msg
from dashboard.text import clean, fold, fold_key

NUMBER_HEADERS = {"tt", "stt", "so tt", "so thu tu"}
UNIT_HEADERS = {"don vi", "don vi tinh", "dvt"}
NAME_PREFIXES = ("ten nhiem vu", "nhiem vu", "noi dung", "ten chi tieu", "chi tieu", "muc tieu", "ten")
DEADLINE_PREFIXES = ("thoi han", "thoi gian", "tien do")
NOTE_PREFIXES = ("can cu", "ghi chu", "van ban nguon", "nguon")
OUTPUT_PREFIXES = ("ket qua", "san pham")

_APPENDIX = re.compile(r"phu luc\s*([ivxl]+|\d+)\b")
_ISSUE_LINE = re.compile(r"^([^\W\d_][^,\n]{1,40}?),\s*ngày\b(.*?)\btháng\b(.*?)\bnăm\s*(\d{4})", re.IGNORECASE)
_DOC_NUMBER = re.compile(r"^Số\s*:?\s*(.+)$", re.IGNORECASE)
_DOC_KIND = re.compile(r"^(KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH(?: CÔNG TÁC)?|NGHỊ QUYẾT)$")
_TOP_HEADING = re.compile(r"^([IVX]+)\.\s+(.+)$")
_SUB_HEADING = re.compile(r"^(\d+)\.\s+(.+)$")
_PROSE_ITEM = re.compile(r"^([a-zđ])\)\s*(.+)$")
_PROSE_FIELD = re.compile(r"^[-–+•]\s*([^:]{3,40}):\s*(.*)$")


@dataclass
class _Table:
    kind: str  # "task" or "kpi"
    roles: dict[str, int]
    header_key: tuple[str, ...]
    label: str
    line: int
    rows: list[dict] = field(default_factory=list)


def decode(data: bytes, source: str) -> str:
    """Bytes of a text plan to text; refuses empty, binary and non-UTF-8 input with a clear message."""
    if not data.strip():
        raise PlanImportError("imp.empty", file=source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise PlanImportError("imp.utf16", file=source, byte=exc.start, reason=exc.reason) from None
    else:
        if b"\x00" in data[:4096] or data.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
            raise PlanImportError("imp.binary", file=source)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            where = msg("imp.at_line", file=source, line=line)
            raise PlanImportError("imp.not_utf8", where=where, byte=f"0x{data[exc.start]:02x}") from None
    controls = sum(1 for c in text[:20000] if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    if controls > 20:
        raise PlanImportError("imp.controls", file=source, n=controls)
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


MAX_LINES = 100_000


def parse_text_plan(text: str, source: str) -> ParsedPlan:
    """Parse a whole plan document; raises PlanImportError when it holds no KPI or task at all."""
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        raise PlanImportError("imp.too_many_lines", file=source, n=f"{len(lines):,}")
    plan = ParsedPlan(source_file=source)
    _read_metadata(lines, plan)
    tables = _read_tables(lines, plan)
    kpi_tables = [t for t in tables if t.kind == "kpi"]
    task_tables = [t for t in tables if t.kind == "task"]
    for i, table in enumerate(kpi_tables):
        _build_indicators(table, plan, prefix="" if i == 0 else f"{table.label or f'T{i + 1}'}.")
    used_labels: set[str] = set()
    for i, table in enumerate(task_tables):
        label = table.label or ("" if i == 0 else f"T{i + 1}")
        if label in used_labels:
            label = f"{label}-{i + 1}" if label else f"T{i + 1}"
        used_labels.add(label)
        _build_tasks(table, plan, label)
    _read_prose_tasks(lines, plan)
    if not plan.indicators and not plan.tasks:
        _read_prose_measures(lines, plan)
    _unique_codes(plan)
    link_repeated_tasks(plan)
    if not plan.indicators and not plan.tasks:
        raise PlanImportError("imp.nothing", file=source)
    return plan


def _unique_codes(plan: ParsedPlan) -> None:
    """Never two tasks (or KPIs) with one code: a repeated number gets a suffix and a line in the report."""
    for items, what in ((plan.tasks, "imp.w.task"), (plan.indicators, "imp.w.kpi")):
        codes, changed = unique_codes([x.code for x in items])
        for i, old, new in changed:
            items[i].code = new
            plan.warn(items[i].line, "imp.w.second_number", what=msg(what), old=old, new=new)


# --- metadata -----------------------------------------------------------------------------------


def _read_metadata(lines: list[str], plan: ParsedPlan) -> None:
    for raw in lines[:80]:
        line = clean(raw)
        if plan.doc_number is None and (m := _DOC_NUMBER.match(line)):
            number = re.sub(r"\s+", "", m.group(1))
            plan.doc_number = number
            dm = re.match(r"^(\d*)[-/]?(.+)$", number)
            plan.doc_type = dm.group(2) if dm else number
        if plan.province is None and (m := _ISSUE_LINE.match(line)):
            plan.province = m.group(1).strip()
            day, month, year = m.group(2).strip(), m.group(3).strip(), int(m.group(4))
            if day.isdigit() and month.isdigit():
                try:
                    plan.issue_date = date(year, int(month), int(day))
                except ValueError:
                    plan.warn(lines.index(raw) + 1, "imp.w.issue_date", text=line)
            plan.year = year
    plan.title = _read_title(lines)
    if plan.title:
        years = re.findall(r"năm (20\d\d)", plan.title)
        if years:
            plan.year = int(years[-1])
    if plan.doc_type and plan.province:
        t = fold(plan.doc_type)
        if "bcd" in t:
            plan.issuer = f"Ban Chỉ đạo tỉnh {plan.province}"
        elif "ubnd" in t:
            plan.issuer = f"UBND tỉnh {plan.province}"
        elif "tu" in re.split(r"[-/]", t):
            plan.issuer = f"Tỉnh ủy {plan.province}"


def _read_title(lines: list[str]) -> str | None:
    for i, raw in enumerate(lines[:120]):
        if "\t" in raw:
            break
        heading = clean(raw)
        if not _DOC_KIND.match(heading):
            continue
        parts: list[str] = []
        for nxt in lines[i + 1 : i + 12]:
            text = clean(nxt)
            if not text:
                if parts:
                    break
                continue
            parts.append(text)
            if len(" ".join(parts)) > 400:
                break
        body = " ".join(parts)
        if body:
            return f"{heading.capitalize()} {body[0].lower()}{body[1:]}"
    return None


# --- tables -------------------------------------------------------------------------------------


def _roles(cells: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for idx, cell in enumerate(cells):
        key = fold_key(cell)
        if not key:
            continue
        if key in NUMBER_HEADERS:
            role = "number"
        elif key.startswith(DEADLINE_PREFIXES):
            role = "deadline"
        elif "phoi hop" in key:
            role = "coord"
        elif "chu tri" in key or "theo doi" in key or key in ("co quan thuc hien", "don vi thuc hien"):
            role = "lead"
        elif key in UNIT_HEADERS:
            role = "unit"
        elif key.startswith(NOTE_PREFIXES):
            role = "note"
        elif key.startswith(OUTPUT_PREFIXES):
            role = "result"
        elif key.startswith(NAME_PREFIXES):
            role = "name" if "name" not in roles else "result"
        else:
            continue
        roles.setdefault(role, idx)
    return roles


def _table_kind(roles: dict[str, int]) -> str | None:
    if "number" not in roles or "name" not in roles:
        return None
    if "deadline" in roles:
        return "task"
    if "unit" in roles or "result" in roles:
        return "kpi"
    return None


def _read_tables(lines: list[str], plan: ParsedPlan) -> list[_Table]:
    tables: list[_Table] = []
    table: _Table | None = None
    appendix = ""
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if "\t" not in raw:
            table = None
            m = _APPENDIX.search(fold(clean(raw)))
            if m:
                appendix = "PL" + m.group(1).upper()
            continue
        cells = [clean(c) for c in raw.split("\t")]
        if not any(cells):
            continue
        roles = _roles(cells)
        kind = _table_kind(roles)
        if kind:
            header_key = tuple(fold_key(c) for c in cells)
            if table is not None and table.header_key == header_key:
                continue  # header repeated after a page break
            table = _Table(kind, roles, header_key, appendix, n)
            tables.append(table)
            continue
        if table is None:
            plan.warn(n, "imp.w.stray_tabs")
            continue
        table.rows.append({"line": n, "cells": cells})
    return tables


def _cell(cells: list[str], roles: dict[str, int], role: str) -> str:
    idx = roles.get(role)
    return cells[idx] if idx is not None and idx < len(cells) else ""


def _merge(rows: list[dict], plan: ParsedPlan, table: _Table) -> list[dict]:
    """Group raw rows into records: section rows, item rows with their continuations and sub-targets; lettered
    and bulleted rows are items under the numbered item above them (their number is its path)."""
    records: list[dict] = []
    width = len(table.header_key)
    parent: dict | None = None  # the last numbered item: lettered and bulleted rows belong to it
    for row in rows:
        cells = (row["cells"] + [""] * width)[:width] if len(row["cells"]) <= width else row["cells"]
        number = _cell(cells, table.roles, "number").strip()
        others = [c for i, c in enumerate(cells) if i not in (table.roles["number"], table.roles["name"]) and c]
        name = _cell(cells, table.roles, "name")
        num = read_number(number) if number else None
        if num is not None and num.kind == SECTION and name and not others:
            records.append({"type": "section", "number": num.label, "title": name, "line": row["line"]})
            parent = None
        elif num is not None and num.kind == ITEM:
            parent = _item(num.label, cells, row["line"], bare=not others)
            records.append(parent)
        elif num is not None and num.kind in (SUB, BULLET) and parent is not None:
            parent["children"] += 1
            label = num.label or str(parent["children"])
            records.append(_item(f"{parent['number']}.{label}", cells, row["line"], parent=parent))
        elif not number:
            last = records[-1] if records and records[-1]["type"] == "item" else None
            target = parse_target(_cell(cells, table.roles, "result")) if table.kind == "kpi" else None
            if last is not None and target is not None and name and len(name) <= 60:
                last["subtargets"].append(
                    {
                        "label": name,
                        "op": target.op,
                        "value": target.value,
                        "text": f"{name} {_cell(cells, table.roles, 'result')}",
                    }
                )
                unit_idx = table.roles.get("unit")
                if unit_idx is not None and not last["cells"][unit_idx]:
                    last["cells"][unit_idx] = cells[unit_idx]
            elif last is not None:
                for i, c in enumerate(cells):
                    if c and i < len(last["cells"]):
                        last["cells"][i] = f"{last['cells'][i]} {c}".strip()
                if any(c for i, c in enumerate(cells) if i not in (table.roles["number"], table.roles["name"])):
                    last["bare"] = False
            else:
                plan.warn(row["line"], "imp.w.orphan_row")
        else:
            plan.warn(row["line"], "imp.w.bad_number", number=number)
    return records


def _item(number: str, cells: list[str], line: int, *, bare: bool = False, parent: dict | None = None) -> dict:
    """An item record; ``bare``: only a number and a name (a heading when lettered items follow it)."""
    return {
        "type": "item",
        "number": number,
        "cells": cells,
        "line": line,
        "subtargets": [],
        "bare": bare,
        "children": 0,
        "parent": parent,
    }


def _build_indicators(table: _Table, plan: ParsedPlan, prefix: str) -> None:
    for rec in _merge(table.rows, plan, table):
        if rec["type"] != "item":
            continue
        cells = rec["cells"]
        name = _cell(cells, table.roles, "name")
        if not name:
            plan.warn(rec["line"], "imp.w.kpi_no_name", code=rec["number"])
            continue
        plan.indicators.append(
            ParsedIndicator(
                code=f"{prefix}{rec['number']}",
                name=name,
                unit=_cell(cells, table.roles, "unit"),
                target_text=_cell(cells, table.roles, "result"),
                leads=split_agencies(_cell(cells, table.roles, "lead")),
                subtargets=rec["subtargets"],
                note=_cell(cells, table.roles, "note"),
                line=rec["line"],
            )
        )


def _build_tasks(table: _Table, plan: ParsedPlan, label: str) -> None:
    letter: tuple[str, str] | None = None
    roman: tuple[str, str] | None = None
    for rec in _merge(table.rows, plan, table):
        if rec["type"] == "section":
            if read_number(rec["number"]).is_letter_section:
                letter, roman = (rec["number"], rec["title"]), None
            else:
                roman = (rec["number"], rec["title"])
            continue
        cells = rec["cells"]
        name = _cell(cells, table.roles, "name")
        if rec["bare"] and rec["children"]:
            continue  # "1. Group" with only a name, then "a)", "b)": a heading of the items below, not a task
        heading = rec["parent"] if rec["parent"] is not None and rec["parent"]["bare"] else None
        parts = [p for p in (label, letter and letter[0], roman and roman[0], rec["number"]) if p]
        if not name:
            plan.warn(rec["line"], "imp.w.task_no_name", code=".".join(parts))
            continue
        path = [f"{s[0]}. {s[1]}" for s in (letter, roman) if s]
        if heading is not None:
            path.append(f"{heading['number']}. {_cell(heading['cells'], table.roles, 'name')}")
        plan.tasks.append(
            ParsedTask(
                code=".".join(parts),
                name=name,
                section=" › ".join(path),
                number=rec["number"],
                leads=split_agencies(_cell(cells, table.roles, "lead")),
                coordinating=split_agencies(_cell(cells, table.roles, "coord")),
                output=_cell(cells, table.roles, "result"),
                deadline_text=_cell(cells, table.roles, "deadline"),
                basis=_cell(cells, table.roles, "note"),
                line=rec["line"],
            )
        )


# --- prose tasks --------------------------------------------------------------------------------


def _field_role(label: str) -> str | None:
    key = fold_key(label)
    if "chu tri" in key:
        return "lead"
    if "phoi hop" in key:
        return "coord"
    if key.startswith(DEADLINE_PREFIXES):
        return "deadline"
    if key.startswith(OUTPUT_PREFIXES):
        return "output"
    return None


def _read_prose_tasks(lines: list[str], plan: ParsedPlan) -> None:
    """Tasks written as "a) <task>" followed by "- Cơ quan chủ trì: ...", "- Thời hạn: ..." lines."""
    top: tuple[str, str] | None = None
    sub: tuple[str, str] | None = None
    item: dict | None = None

    def close() -> None:
        if item and ("lead" in item or "deadline" in item):
            parts = [p for p in (top and top[0], sub and sub[0], item["letter"]) if p]
            plan.tasks.append(
                ParsedTask(
                    code=".".join(parts),
                    name=item["name"],
                    section=" › ".join(f"{s[0]}. {s[1]}" for s in (top, sub) if s),
                    number=item["letter"],
                    leads=split_agencies(item.get("lead", "")),
                    coordinating=split_agencies(item.get("coord", "")),
                    output=item.get("output", ""),
                    deadline_text=item.get("deadline", ""),
                    line=item["line"],
                    origin="prose",
                )
            )

    for n, raw in enumerate(lines, start=1):
        if "\t" in raw:
            continue
        line = clean(raw)
        if not line:
            continue
        if m := _TOP_HEADING.match(line):
            close()
            top, sub, item = (m.group(1), m.group(2)), None, None
        elif m := _SUB_HEADING.match(line):
            close()
            sub, item = (m.group(1), m.group(2)), None
        elif m := _PROSE_ITEM.match(line):
            close()
            item = {"letter": m.group(1), "name": m.group(2), "line": n}
        elif item is not None and (m := _PROSE_FIELD.match(line)) and (role := _field_role(m.group(1))):
            item[role] = (item.get(role, "") + " " + m.group(2)).strip()
        elif item is not None and not any(k in item for k in ("lead", "coord", "deadline", "output")):
            item["name"] = f"{item['name']} {line}"
    close()


_MEASURES_HEADING = ("nhiem vu", "cac nhiem vu", "nhiem vu trong tam", "giai phap")


def _read_prose_measures(lines: list[str], plan: ParsedPlan) -> None:
    """A plan written only as prose (Cao Bằng's QĐ 1139): under its "Nhiệm vụ, giải pháp" heading, each
    measure ("- ...", "+ ...", "a) ...") of each numbered group is a task with that group as its section. The
    text names no lead and no deadline, so each such task fails "06 rõ"; the report says so once per gap."""
    heading: tuple[str, str] | None = None
    group: tuple[str, str] | None = None
    counts: dict[str, int] = {}
    for n, raw in enumerate(lines, start=1):
        line = clean(raw)
        if not line:
            continue
        head, _, rest = line.partition(" ")
        number = read_number(head) if head.endswith((".", ")")) or head in ("-", "+", "•") else None
        if number is not None and number.kind == SECTION and not number.is_letter_section:
            heading = (number.label, rest) if fold_key(rest).startswith(_MEASURES_HEADING) else None
            group = None
        elif heading is None:
            continue
        elif number is not None and number.kind == ITEM and "." not in number.label:
            group = (number.label, rest)
        elif number is not None and group is not None and rest.strip() and number.kind in (ITEM, SUB, BULLET):
            # "- ...", "a) ..." or "1.2. ..." under group 1: a measure, numbered as printed when it is numbered
            key = f"{heading[0]}.{group[0]}"
            counts[key] = counts.get(key, 0) + 1
            own = number.label.rsplit(".", 1)[-1] if number.kind != BULLET else str(counts[key])
            plan.tasks.append(
                ParsedTask(
                    code=f"{key}.{own}",
                    name=rest.strip(),
                    section=f"{group[0]}. {group[1]}",
                    number=own,
                    line=n,
                    origin="prose",
                )
            )
    if plan.tasks:
        total = len(plan.tasks)
        plan.warn(None, "imp.w.prose_no_lead", n=total)
        plan.warn(None, "imp.w.prose_no_deadline", n=total)
