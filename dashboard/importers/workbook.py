"""Reading an uploaded .xlsx into plain rows, whatever state the file is in.

openpyxl raises a different exception for each way a file can be damaged (zip, deflate, XML, cell
types, ...), some only while rows are read. Everything is read here at once, so callers get either
every sheet's rows or one ``UnreadableWorkbook``.
"""

from __future__ import annotations

import io
import zipfile

from dashboard.messages import Message, msg

# A workbook small on disk can unpack to gigabytes (a "zip bomb") or declare a million rows: the limits are
# checked before and while reading, so such a file is refused in a second and the worker stays free.
MAX_UNPACKED = 50 * 1024 * 1024  # bytes of XML once unzipped
MAX_RATIO = 200  # unpacked / packed; real workbooks stay under 20
MAX_ROWS = 20_000  # rows in all sheets together (a province plan has a few hundred)
MAX_CELLS = 400_000


class UnreadableWorkbook(Exception):
    """The bytes are not a readable .xlsx workbook; ``str()`` names the underlying problem briefly."""


class WorkbookTooLarge(UnreadableWorkbook):
    """The workbook is readable but beyond the limits; ``message`` says so for a page, ``str()`` in English."""

    def __init__(self, english: str, message: Message) -> None:
        super().__init__(english)
        self.message = message


def unpacked_size(data: bytes) -> int | None:
    """What an Office file (a zip) declares it unpacks to; None when it is no readable zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except Exception:  # noqa: BLE001 - not a zip this module can read: the reader says what is wrong
        return None


def unpacks_too_large(data: bytes, unpacked: int) -> bool:
    """A zip bomb, or more XML than any plan or template holds (Word documents and workbooks alike)."""
    return unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(1, len(data))


def _check_size(data: bytes) -> None:
    unpacked = unpacked_size(data)
    if unpacked is None:
        return  # openpyxl says what is wrong below
    mb = unpacked / 1024 / 1024
    if unpacks_too_large(data, unpacked):
        raise WorkbookTooLarge(
            f"the workbook unpacks to {mb:.0f} MB (at most {MAX_UNPACKED // 1024 // 1024} MB)",
            msg("wb.unpacks", mb=f"{mb:.0f}", max=MAX_UNPACKED // 1024 // 1024),
        )


def read_sheets(data: bytes, max_rows: int = MAX_ROWS) -> dict[str, list[tuple]]:
    """Sheet title -> its rows (cell values; formulas as their cached results, None when never computed).
    Raises WorkbookTooLarge past the size, row or cell limits, UnreadableWorkbook for a damaged file."""
    from openpyxl import load_workbook

    _check_size(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            out: dict[str, list[tuple]] = {}
            rows = cells = 0
            for ws in wb.worksheets:
                sheet = out.setdefault(ws.title, [])
                for row in ws.iter_rows(values_only=True):
                    rows += 1
                    cells += len(row)
                    if rows > max_rows or cells > MAX_CELLS:
                        raise WorkbookTooLarge(
                            f"the workbook has more than {max_rows:,} rows or {MAX_CELLS:,} cells",
                            msg(
                                "wb.too_many",
                                rows=f"{max_rows:,}".replace(",", "."),
                                cells=f"{MAX_CELLS:,}".replace(",", "."),
                            ),
                        )
                    sheet.append(row)
            return out
        finally:
            wb.close()
    except WorkbookTooLarge:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means the same thing to the user
        raise UnreadableWorkbook(exc.__class__.__name__) from None
