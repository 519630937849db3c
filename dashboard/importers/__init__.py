"""Plan importers: the published documents (Word, PDF, their text) and the .xlsx/.csv template, into the store."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from dashboard.importers.document import Finding, ParsedPlan, PlanImportError
from dashboard.importers.loader import ImportReport, load_plan
from dashboard.importers.pdf import pdf_lines
from dashboard.importers.spreadsheet import read_spreadsheet
from dashboard.importers.text_plan import decode, parse_text_plan
from dashboard.importers.word import docx_lines
from dashboard.store.database import transaction

__all__ = ["Finding", "ImportReport", "ParsedPlan", "PlanImportError", "import_file", "read_plan"]

SPREADSHEET_SUFFIXES = {".xlsx", ".csv"}
MAX_BYTES = 20 * 1024 * 1024


def read_plan(path: Path, time_limit: float | None = None) -> ParsedPlan:
    """Parse a plan file without touching the database; raises PlanImportError on bad input. ``time_limit``:
    seconds a PDF may take to read (a web request must answer before its worker is killed)."""
    path = Path(path)
    if not path.exists():
        raise PlanImportError("imp.no_file", file=str(path))
    if path.is_dir():
        raise PlanImportError("imp.folder", file=str(path))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PlanImportError("imp.too_big", file=path.name, mb=size // (1024 * 1024), max=MAX_BYTES // (1024 * 1024))
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        if not data.strip():
            raise PlanImportError("imp.empty", file=path.name)
        return read_spreadsheet(path, data)
    # The published documents: their own tables and paragraphs become the lines the one plan parser reads.
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        return parse_text_plan(pdf_lines(data, path.name, time_limit), path.name)
    if suffix == ".docx" or (data.startswith(b"PK\x03\x04") and b"word/document.xml" in data[:4096]):
        return parse_text_plan(docx_lines(data, path.name), path.name)
    return parse_text_plan(decode(data, path.name), path.name)


def import_file(
    engine: Engine,
    path: Path,
    *,
    province: str | None = None,
    year: int | None = None,
    actor=None,  # noqa: ANN001
    time_limit: float | None = None,
) -> ImportReport:
    """Parse and store one plan file in a single transaction: all of it (with its audit record), or nothing."""
    parsed = read_plan(path, time_limit)
    with transaction(engine, write=True) as session:
        report = load_plan(session, parsed, province=province, year=year)
        if actor is not None:
            from dashboard.accounts.audit import record

            record(
                session,
                actor,
                "plan.import",
                "plan",
                report.plan_id,
                None,
                {
                    "file": parsed.source_file,
                    "tasks": report.counts["tasks"],
                    "indicators": report.counts["indicators"],
                },
            )
        return report
