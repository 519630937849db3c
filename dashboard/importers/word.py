"""Word (.docx) plans: the document's own tables and paragraphs, in order, as the lines the plan parser reads.

A table row becomes one tab-separated line (a cell spanning columns keeps the columns after it empty; the lower
part of a vertically merged cell is empty, as in the printed plan); a multi-paragraph cell is one line of text.
Paragraphs numbered by Word itself ("a)", "1.", "-" generated from the numbering definitions, not typed) get
their number written out, so the prose measures read as the plan shows them."""

from __future__ import annotations

import io
import zipfile

from dashboard.importers.document import PlanImportError
from dashboard.importers.workbook import MAX_UNPACKED, unpacked_size, unpacks_too_large

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_lines(data: bytes, source: str) -> str:
    """The plan's text: paragraphs as lines, table rows as tab-separated lines; refuses what it cannot read."""
    _check_archive(data, source)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise PlanImportError("imp.docx_unreadable", file=source, cause=exc.__class__.__name__) from None
    numbering = _Numbering(document)
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag == f"{_W}p":
            text = _text(block)
            label = numbering.label(block)
            lines.append(f"{label} {text}".strip() if label else text)
        elif block.tag == f"{_W}tbl":
            lines += ["", *_table_lines(block), ""]
    return "\n".join(lines)


def _check_archive(data: bytes, source: str) -> None:
    unpacked = unpacked_size(data)
    if unpacked is None:
        raise PlanImportError("imp.docx_damaged", file=source)
    if unpacks_too_large(data, unpacked):
        raise PlanImportError(
            "imp.docx_bomb", file=source, mb=unpacked // 1024 // 1024, max=MAX_UNPACKED // 1024 // 1024
        )


def _text(element) -> str:  # noqa: ANN001
    """The visible text of a paragraph or cell: runs, tabs and breaks as spaces."""
    parts: list[str] = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}p"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        else:
            parts.append(" ")
    return " ".join("".join(parts).split())


def _table_lines(tbl) -> list[str]:  # noqa: ANN001
    lines = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, merged = 1, False
            if props is not None:
                grid = props.find(f"{_W}gridSpan")
                span = int(grid.get(f"{_W}val", "1")) if grid is not None else 1
                vmerge = props.find(f"{_W}vMerge")
                merged = vmerge is not None and vmerge.get(f"{_W}val", "continue") == "continue"
            cells += ["" if merged else _text(tc)] + [""] * (span - 1)
        if any(cells):
            lines.append("\t".join(cells))
    return lines


_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in _ROMAN:
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":  # as Word shows it: a..z, then aa
        return "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26] * ((n - 1) // 26 + 1)
    if fmt == "upperLetter":
        return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n - 1) % 26] * ((n - 1) // 26 + 1)
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)


class _Numbering:
    """Word's automatic numbering, counted as Word counts it: per list and level, deeper levels restarting."""

    def __init__(self, document) -> None:  # noqa: ANN001
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> level -> (format, text, start)
        self.counters: dict[str, list[int]] = {}
        self.styles = self._style_numbering(document)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.iterchildren(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.iterchildren(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "",
                    int(start.get(f"{_W}val")) if start is not None else 1,
                )
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for num in root.iterchildren(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId")] = abstract.get(ref.get(f"{_W}val"), {})

    @staticmethod
    def _style_numbering(document) -> dict:  # noqa: ANN001
        """Paragraph styles that number their paragraphs themselves ("List Bullet", "List Number"): style id ->
        its numbering properties, following "based on" to the style that sets them."""
        styles = {}
        for style in document.styles.element.iterchildren(f"{_W}style"):
            styles[style.get(f"{_W}styleId")] = style
        found = {}
        for style_id in styles:
            seen, current = set(), styles.get(style_id)
            while current is not None and style_id not in found and current.get(f"{_W}styleId") not in seen:
                seen.add(current.get(f"{_W}styleId"))
                props = current.find(f"{_W}pPr")
                num_pr = props.find(f"{_W}numPr") if props is not None else None
                if num_pr is not None:
                    found[style_id] = num_pr
                based = current.find(f"{_W}basedOn")
                current = styles.get(based.get(f"{_W}val")) if based is not None else None
        return found

    def label(self, p) -> str:  # noqa: ANN001
        """The number Word shows before paragraph ``p`` ("a)", "2.", "-"), or "" when it has none."""
        props = p.find(f"{_W}pPr")
        num_pr = props.find(f"{_W}numPr") if props is not None else None
        if num_pr is None and props is not None:
            style = props.find(f"{_W}pStyle")
            num_pr = self.styles.get(style.get(f"{_W}val")) if style is not None else None
        if num_pr is None:
            return ""
        num_id = num_pr.find(f"{_W}numId")
        ilvl = num_pr.find(f"{_W}ilvl")
        key = num_id.get(f"{_W}val") if num_id is not None else None
        level = int(ilvl.get(f"{_W}val")) if ilvl is not None else 0
        levels = self.levels.get(key or "")
        if not levels or level not in levels:
            return ""
        counts = self.counters.setdefault(key, [0] * 9)
        fmt, text, start = levels[level]
        counts[level] = counts[level] + 1 if counts[level] else start
        for deeper in range(level + 1, 9):
            counts[deeper] = 0
        if fmt == "bullet":
            return "-"
        label = text
        for i in range(level + 1):
            lfmt, _, lstart = levels.get(i, ("decimal", "", 1))
            label = label.replace(f"%{i + 1}", _format(counts[i] or lstart, lfmt))
        return label
