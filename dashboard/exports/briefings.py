"""The monthly briefing, written to a folder the day after the reporting deadline (the 26th for the 25th), and
kept in the store for the "Báo cáo" page."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from dashboard.exports.report_jobs import briefing_pdf, keep_scheduled
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import Settings, briefing_data
from dashboard.reads.rows import plan_rows
from dashboard.store.database import get_meta, transaction
from dashboard.text import slug

log = logging.getLogger(__name__)


def briefing_day(settings: Settings) -> int:
    """The day of the month the briefing is written: the day after reports were due (``REPORT_DAY``)."""
    return settings.report_day + 1


def briefing_name(plan: dict, today: date) -> str:
    return slug(f"bao cao tinh hinh {plan['code']} {today:%m-%Y}") + ".pdf"


def write_monthly_briefings(engine: Engine, folder: Path, today: date, settings: Settings) -> list[Path]:
    """One PDF per plan, with a page per agency, into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with transaction(engine) as s:
        plans = plan_rows(s)
        demo = get_meta(s, "dataset") == "demo"
        for plan in plans:
            path = folder / briefing_name(plan, today)
            try:
                data = briefing_data(s, Filters(plan=plan["id"]), today, settings, per_agency=True)
                pdf = briefing_pdf(data, demo, "vi")
                tmp = path.with_suffix(".part")
                tmp.write_bytes(pdf)
                tmp.replace(path)  # never a half-written file in the folder
                with transaction(engine) as kept:
                    keep_scheduled(kept, plan["id"], today, pdf, path.name)  # on the "Báo cáo" page too
            except Exception:
                log.exception("the monthly briefing of plan %s could not be written", plan["code"])
                continue
            written.append(path)
    return written
