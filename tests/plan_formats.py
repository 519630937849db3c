"""The same plan in the formats a province publishes it: Word (.docx, written with python-docx) and PDF (written
with reportlab, tables with ruling lines, header rows repeated on each page, rows split over page breaks), built
from a plan's text form; and numbering variants of the text itself ("I." for "I", "Phần I", "1." for "1")."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from dashboard.text import clean


def blocks(text: str) -> list[tuple[str, list[list[str]] | str]]:
    """The text as ("p", paragraph) and ("table", rows) blocks: consecutive tab-separated lines form a table."""
    out: list = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            if out and out[-1][0] == "table":
                out[-1][1].append(cells)
            else:
                out.append(("table", [cells]))
        elif line.strip():
            out.append(("p", line))
    return out


def as_docx(text: str, word_lists: bool = False) -> bytes:
    """``word_lists``: paragraphs typed as "- ..." become items of a Word bullet list ("List Bullet"), whose
    dash Word draws itself and the text does not hold, as in a document typed in Word."""
    import docx

    document = docx.Document()
    for kind, body in blocks(text):
        if kind == "p":
            if word_lists and body.startswith("- "):
                document.add_paragraph(body[2:], style="List Bullet")
            else:
                document.add_paragraph(body)
            continue
        width = max(len(r) for r in body)
        table = document.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for cells in body:
            row = table.add_row().cells
            for i, cell in enumerate(cells):
                row[i].text = cell
        document.add_paragraph("")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xml(text: str) -> str:
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def as_pdf(text: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer

    from layouts.briefing import _fonts

    regular, _ = _fonts()
    body = ParagraphStyle("b", fontName=regular, fontSize=10, leading=13, spaceAfter=6, alignment=4)
    cell = ParagraphStyle("c", fontName=regular, fontSize=8, leading=10)
    out = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(out, pagesize=page, leftMargin=36, rightMargin=36, topMargin=40, bottomMargin=40)
    story: list = []
    usable = page[0] - 72
    for kind, content in blocks(text):
        if kind == "p":
            story.append(Paragraph(_xml(content), body))
            continue
        width = max(len(r) for r in content)
        rows = [[Paragraph(_xml(c), cell) for c in r] + [""] * (width - len(r)) for r in content]
        weights = [max(5, min(40, max(len(clean(r[i])) if i < len(r) else 0 for r in content))) for i in range(width)]
        widths = [usable * w / sum(weights) for w in weights]
        table = LongTable(rows, colWidths=widths, repeatRows=1, splitInRow=1)
        table.setStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                # a row cut by the page break keeps its borders on both pages, as Word prints it
                ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), 0.5, colors.black),
                ("LINEABOVE", (0, "splitfirst"), (-1, "splitfirst"), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
        story += [table, Spacer(1, 8)]
    doc.build(story, onLaterPages=_page_number, onFirstPage=_page_number)
    return out.getvalue()


def _page_number(canvas, doc) -> None:  # noqa: ANN001
    """What a printed plan carries on every page: its number in the footer, a running header."""
    canvas.setFont("Helvetica", 9)
    canvas.drawCentredString(doc.pagesize[0] / 2, 20, str(doc.page))
    canvas.drawRightString(doc.pagesize[0] - 36, doc.pagesize[1] - 24, f"Ke hoach so 45/KH-UBND - trang {doc.page}")


_ROMAN_CELL = re.compile(r"^(\s*(?:<[bi]>)?)([IVXL]+)((?:</[bi]>)?\s*)$")
_DIGIT_CELL = re.compile(r"^(\s*)(\d+)\.?(\s*)$")


def renumbered(text: str, section: Callable[[str], str], item: Callable[[str], str]) -> str:
    """The text with the number cell of each table row rewritten: Roman section numbers by ``section``, item
    numbers by ``item`` (e.g. ``lambda n: f"{n}."``)."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            first, rest = line.split("\t", 1)
            if m := _ROMAN_CELL.match(first):
                first = m.group(1) + section(m.group(2)) + m.group(3)
            elif m := _DIGIT_CELL.match(first):
                first = m.group(1) + item(m.group(2)) + m.group(3)
            line = f"{first}\t{rest}"
        out.append(line)
    return "\n".join(out)
