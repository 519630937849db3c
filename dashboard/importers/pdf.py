"""PDF plans with a text layer: tables found by their ruling lines, the prose around them, in reading order, as
the lines the plan parser reads. A table split over pages is one table (the repeated header row is dropped by
the parser, a row cut by the page break is joined back); page numbers in the margins are left out."""

from __future__ import annotations

import io
import re
import time

from dashboard.importers.document import PlanImportError
from dashboard.importers.numbering import read_number

MAX_PAGES = 300  # a provincial plan runs to a few dozen pages
MARGIN = 0.06  # the top and bottom of a page where running headers and page numbers sit
_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?$", re.IGNORECASE)


def pdf_lines(data: bytes, source: str, time_limit: float | None = None) -> str:
    """The plan's text; refuses encrypted and scanned (image-only) PDFs with a message that says so, and
    gives up after ``time_limit`` seconds (a page of a web request) with a message saying where to import it."""
    started = time.monotonic()
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except (PDFPasswordIncorrect, PDFEncryptionError, PdfminerException) as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise PlanImportError("imp.pdf_password", file=source) from None
        raise PlanImportError("imp.pdf_unreadable", file=source, cause=cause.__class__.__name__) from None
    with pdf:
        if len(pages) > MAX_PAGES:
            raise PlanImportError("imp.pdf_pages", file=source, n=len(pages), max=MAX_PAGES)
        lines: list[str] = []
        chars = 0
        headers: list[list[str]] = []  # the header row of each table seen so far
        running = _running_lines(pages)
        open_end = False  # the previous page ended inside a paragraph
        for number, page in enumerate(pages, start=1):
            if time_limit is not None and time.monotonic() - started >= time_limit:
                raise PlanImportError("imp.pdf_slow", file=source, s=f"{time_limit:g}", page=number, pages=len(pages))
            chars += len(page.chars)
            page_lines, starts_prose, ends_open = _page_lines(page, headers, running)
            if open_end and starts_prose and lines and page_lines and not _starts_item(page_lines[0]):
                lines[-1] = f"{lines[-1]} {page_lines.pop(0)}"  # a paragraph running over the page break
            lines += page_lines
            open_end = ends_open
    if chars == 0:
        raise PlanImportError("imp.pdf_no_text", file=source)
    return "\n".join(lines)


def _starts_item(text: str) -> bool:
    """A line that opens a numbered or bulleted item ("a)", "2.", "II.", "- Cơ quan chủ trì: ...")."""
    head, _, rest = text.partition(" ")
    if head in ("-", "+", "•", "–"):
        # A measure opens with a capital ("- Xây dựng ..."); "- xã hội, ..." is "kinh tế - xã hội" wrapped.
        return not rest[:1].islower()
    return head.endswith((".", ")")) and read_number(head) is not None  # "2." or "a)", never a year


def _split_header(first: list[str], headers: list[list[str]]) -> list[list[str]]:
    """A page's first table row: when it is a table's repeated header fused with the rest of a row cut by the
    page break (no ruling line between them), the header and that rest as a row of its own."""
    for header in headers:
        if len(header) != len(first) or first == header:
            continue
        if all(cell.startswith(h) for cell, h in zip(first, header, strict=True)):
            rest = [cell[len(h) :].strip() for cell, h in zip(first, header, strict=True)]
            return [header, rest]
    return [first]


def _margin_key(text: str) -> str:
    """A margin line with its numbers blanked: "Trang 3/12" and "Trang 4/12" are one running footer."""
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def _in_margin(page, line: dict) -> bool:  # noqa: ANN001
    return line["bottom"] < page.height * MARGIN or line["top"] > page.height * (1 - MARGIN)


def _running_lines(pages: list) -> set[str]:
    """The running headers and footers: margin lines that come back on more than one page (the document's
    number, the page number); left out like the page numbers themselves."""
    seen: dict[str, int] = {}
    for page in pages:
        for key in {_margin_key(line["text"]) for line in page.extract_text_lines() if _in_margin(page, line)}:
            seen[key] = seen.get(key, 0) + 1
    return {key for key, n in seen.items() if n > 1}


def _page_lines(page, headers: list[list[str]], running: set[str]) -> tuple[list[str], bool, bool]:  # noqa: ANN001
    """One page in reading order: prose lines and table rows (tab-separated), top to bottom; and whether the
    page starts with prose, and ends inside a paragraph (its last line reaching the right margin)."""
    # A row cut by the page break may have no border where the page ends (or starts): the column rules
    # still reach there, so their ends close the table.
    ends = sorted(
        {round(e["top"], 1) for e in page.vertical_edges} | {round(e["bottom"], 1) for e in page.vertical_edges}
    )
    tables = page.find_tables({"explicit_horizontal_lines": ends} if ends else {})
    boxes = [t.bbox for t in tables]

    def outside(obj: dict) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    blocks: list[tuple[float, list[str]]] = []
    prose = [
        line
        for line in page.filter(outside).extract_text_lines(return_chars=False)
        if " ".join(line["text"].split())
        and not (
            _in_margin(page, line)
            and (_PAGE_NUMBER.match(line["text"].strip()) or _margin_key(line["text"]) in running)
        )
    ]
    right = max((line["x1"] for line in prose), default=0)
    paragraph: list[str] = []
    for i, line in enumerate(prose):
        text = " ".join(line["text"].split())
        if paragraph and not _starts_item(text):
            paragraph.append(text)
        else:
            paragraph = [text]
            blocks.append((line["top"], paragraph))
        # A line that does not reach the right margin ends its paragraph: the text wraps, a paragraph stops.
        wrapped = line["x1"] >= right - 0.04 * page.width
        between = i + 1 < len(prose) and any(line["bottom"] <= b[1] <= prose[i + 1]["top"] for b in boxes)
        if not wrapped or between:
            paragraph = []
    ends_open = bool(paragraph) and not any(b[1] > prose[-1]["bottom"] for b in boxes)
    blocks = [(top, [" ".join(lines)]) for top, lines in blocks]
    for table, box in zip(tables, boxes, strict=True):
        raw = [[(c or "").replace("\n", " ").strip() for c in row] for row in table.extract()]
        raw = [row for row in raw if any(row)]
        if raw:
            raw = _split_header(raw[0], headers) + raw[1:]
            if raw[0] not in headers:
                headers.append(raw[0])
        rows = ["\t".join(" ".join(c.split()) for c in row) for row in raw]
        blocks.append((box[1], rows))
    blocks.sort(key=lambda b: b[0])
    starts_prose = bool(prose) and not any(b[1] < prose[0]["top"] for b in boxes)
    return [line for _, block in blocks for line in block], starts_prose, ends_open
