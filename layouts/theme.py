"""Colours and icons. Okabe-Ito colours stay apart for colour-blind viewers; an icon or word always goes
with a colour, never the colour alone."""

from __future__ import annotations

from dashboard.kpi import red_flags as rf
from dashboard.kpi import rules as kpi
from dashboard.kpi import status

GREEN = "#009E73"
AMBER = "#E69F00"
RED = "#D55E00"
BLUE = "#0072B2"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
GREY = "#8C8C8C"

STATUS_COLOR = {
    status.DONE: GREEN,
    status.DONE_LATE: SKY,
    status.IN_PROGRESS: BLUE,
    status.NOT_STARTED: GREY,
    status.OVERDUE: RED,
    status.WAITING: PURPLE,
}
STATUS_ICON = {
    status.DONE: "✔",
    status.DONE_LATE: "✔",
    status.IN_PROGRESS: "▶",
    status.NOT_STARTED: "○",
    status.OVERDUE: "⚠",
    status.WAITING: "‖",
}
STATUS_SYMBOL = {  # plotly marker symbols, so status reads without colour too
    status.DONE: "circle",
    status.DONE_LATE: "circle-open",
    status.IN_PROGRESS: "triangle-right",
    status.NOT_STARTED: "circle-open-dot",
    status.OVERDUE: "x",
    status.WAITING: "hourglass",
}
KPI_COLOR = {kpi.ON_TARGET: GREEN, kpi.NEAR_TARGET: AMBER, kpi.BELOW_TARGET: RED, kpi.NO_DATA: GREY}
KPI_ICON = {kpi.ON_TARGET: "✔", kpi.NEAR_TARGET: "◐", kpi.BELOW_TARGET: "✖", kpi.NO_DATA: "—"}
TREND_ICON = {"up": "▲", "down": "▼", "flat": "▶", None: ""}
FLAG_COLOR = {
    rf.OVERDUE_TASK: RED,
    rf.DIRECTIVE: RED,
    rf.MISSING_REPORT: AMBER,
    rf.KPI_BELOW: RED,
    rf.DUE_SOON: BLUE,
    rf.UNCLEAR: GREY,
}
FLAG_ICON = {
    rf.OVERDUE_TASK: "⚠",
    rf.DIRECTIVE: "☛",
    rf.MISSING_REPORT: "✉",
    rf.KPI_BELOW: "✖",
    rf.DUE_SOON: "◷",
    rf.UNCLEAR: "?",
}

# The in-year trajectory (``dashboard.kpi.trajectory``): the same colours and icons as the year-end states.
TRAJECTORY_COLOR = {"on_track": GREEN, "at_risk": AMBER, "off_track": RED, "no_data": GREY}
TRAJECTORY_ICON = {"on_track": "✔", "at_risk": "◐", "off_track": "✖", "no_data": "—"}
