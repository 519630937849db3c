"""Vietnamese formats: dates as dd/mm/yyyy, decimal comma (95,5 %)."""

from __future__ import annotations

from datetime import date

from dashboard.kpi.rules import is_percent
from dashboard.messages import t


def vn_date(value: str | date | None) -> str:
    """``2026-06-30`` -> ``30/06/2026``; empty for None."""
    if not value:
        return ""
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return d.strftime("%d/%m/%Y")


def vn_number(value: float | None, decimals: int = 1, lang: str = "vi") -> str:
    """``95.5`` -> ``95,5``; ``1234`` -> ``1.234``; whole numbers without decimals. English keeps 95.5."""
    if value is None:
        return "–"
    rounded = round(float(value), decimals)
    text = f"{int(rounded):,}" if rounded.is_integer() else f"{rounded:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_percent(value: float | None, decimals: int = 1, lang: str = "vi") -> str:
    """``95.5`` -> ``95,5 %``."""
    return "–" if value is None else f"{vn_number(value, decimals, lang)} %"


def with_unit(value: float | None, unit: str | None, lang: str = "vi") -> str:
    if value is None:
        return "–"
    if is_percent(unit):
        return vn_percent(value, 1, lang)
    return f"{vn_number(value, 1, lang)} {unit or ''}".strip()


def age_words(seconds: float, lang: str = "vi") -> str:
    """How old, in the unit a reader wants: "12 phút" under an hour, "5 giờ" under two days, else "3 ngày"."""
    minutes = max(0, int(seconds // 60))
    if minutes < 60:
        return t("age.minutes", lang, n=minutes)
    hours = minutes // 60
    if hours < 48:
        return t("age.hours", lang, n=hours)
    return t("age.days", lang, n=hours // 24)


def month_label(d: date) -> str:
    return f"{d.month:02d}/{d.year}"
