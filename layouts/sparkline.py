"""Sparklines: a KPI's months as a tiny SVG image (a data URL), drawn by the browser at no cost.

A page with a dozen KPIs used to draw a full Plotly chart for each month-by-month trend; an image of a few
hundred bytes says the same at a glance (the numbers stay in the table beside it)."""

from __future__ import annotations

from urllib.parse import quote

WIDTH = 140
HEIGHT = 36
PAD = 4


def sparkline(values: list[float | None], target: float | None, color: str) -> str | None:
    """An SVG data URL of ``values`` (None: a month without a figure, a gap in the line), with the target as
    a dashed line and the last value as a dot; None when there is nothing to draw."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    scale = known + ([target] if target is not None else [])
    low, high = min(scale), max(scale)
    if high == low:
        high, low = high + 1, low - 1
    step = (WIDTH - 2 * PAD) / max(1, len(values) - 1)

    def y(v: float) -> float:
        return round(HEIGHT - PAD - (v - low) / (high - low) * (HEIGHT - 2 * PAD), 1)

    lines, current = [], []
    for i, v in enumerate(values):
        if v is None:
            if current:
                lines.append(current)
            current = []
        else:
            current.append(f"{round(PAD + i * step, 1)},{y(v)}")
    if current:
        lines.append(current)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">'
    ]
    if target is not None:
        ty = y(target)
        parts.append(
            f'<line x1="{PAD}" y1="{ty}" x2="{WIDTH - PAD}" y2="{ty}" stroke="#111" stroke-width="1" '
            'stroke-dasharray="3,2"/>'
        )
    for points in lines:
        if len(points) == 1:
            x0, y0 = points[0].split(",")
            parts.append(f'<circle cx="{x0}" cy="{y0}" r="2" fill="{color}"/>')
        else:
            parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{color}" stroke-width="2"/>')
    last = max(i for i, v in enumerate(values) if v is not None)
    parts.append(f'<circle cx="{round(PAD + last * step, 1)}" cy="{y(values[last])}" r="3" fill="{color}"/>')
    parts.append("</svg>")
    return "data:image/svg+xml;charset=utf-8," + quote("".join(parts))
