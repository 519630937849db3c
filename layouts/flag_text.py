"""One line that says what a red flag is about (pages, wall screen and PDF briefing share it; no Dash here)."""

from __future__ import annotations

from dashboard.kpi import red_flags as rf
from dashboard.kpi.red_flags import Flag
from dashboard.messages import t

from .formatting import month_label, vn_date, with_unit


def flag_detail(fl: Flag, lang: str) -> str:
    if fl.kind == rf.OVERDUE_TASK:
        return f"{t('days_overdue', lang, n=fl.days)} · {t('due', lang)} {vn_date(fl.due)}"
    if fl.kind == rf.DUE_SOON:
        left = t("due_today", lang) if fl.days == 0 else t("days_left", lang, n=fl.days)
        return f"{left} · {t('due', lang)} {vn_date(fl.due)}"
    if fl.kind == rf.MISSING_REPORT:
        return t("missing_months", lang, months=", ".join(month_label(m) for m in fl.months))
    if fl.kind == rf.KPI_BELOW:
        return t("kpi_gap", lang, value=with_unit(fl.value, fl.unit, lang), target=with_unit(fl.target, fl.unit, lang))
    if fl.kind == rf.DIRECTIVE:
        return f"{t('dir.overdue', lang)} · {t('days_overdue', lang, n=fl.days)} · {t('due', lang)} {vn_date(fl.due)}"
    if fl.kind == rf.UNCLEAR:
        return t("lacks", lang, what=", ".join(t(f"lack_{m}", lang) for m in fl.missing))
    return ""
