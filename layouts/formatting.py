"""Vietnamese formats: dates as dd/mm/yyyy, decimal comma."""

from __future__ import annotations

from datetime import date


def vn_date(value: str | date | None) -> str:
    """``2026-06-30`` -> ``30/06/2026``; empty for None."""
    if not value:
        return ""
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return d.strftime("%d/%m/%Y")


def vn_number(value: float | None, decimals: int = 1) -> str:
    """``95.5`` -> ``95,5``; whole numbers without decimals."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")
