"""Reading an uploaded .xlsx into plain rows, whatever state the file is in.

openpyxl raises a different exception for each way a file can be damaged (zip, deflate, XML, cell
types, ...), some only while rows are read. Everything is read here at once, so callers get either
every sheet's rows or one ``UnreadableWorkbook``.
"""

from __future__ import annotations

import io


class UnreadableWorkbook(Exception):
    """The bytes are not a readable .xlsx workbook; ``str()`` names the underlying problem briefly."""


def read_sheets(data: bytes) -> dict[str, list[tuple]]:
    """Sheet title -> its rows (cell values; formulas as their cached results, None when never computed)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
        finally:
            wb.close()
    except Exception as exc:  # noqa: BLE001 - any parser failure means the same thing to the user
        raise UnreadableWorkbook(exc.__class__.__name__) from None
