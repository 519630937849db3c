"""Trajectory status: a KPI judged against where it should be by now, not only against its year-end target.

A KPI starts from a baseline (a value on a date: from the plan, else its first figure of the year) and moves
to its target by the end of the plan year: in a straight line, or through quarterly milestones when the plan
gives them. Its status compares the latest value with the value expected on the "as of" date:

- on track (``ON_TRACK``): at or ahead of the path, or behind by at most ``at_risk`` of the path's whole
  change (a rounding's worth);
- at risk (``AT_RISK``): behind by at most ``off_track`` of it;
- off track (``OFF_TRACK``): further behind;
- no data yet (``NO_DATA``): no figure, or no target or baseline to draw a path from.

Direction comes from the target's operator: for "≥" (more is better) behind means below the path, for "≤"
(less is better: days to settle a file) behind means above it. The year-end verdict (``rules.kpi_status``)
stays as it is; this is the in-year view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_DATA = "no_data"
STATES = (ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA)
AT_RISK_SHARE = 0.05  # of the path's whole change
OFF_TRACK_SHARE = 0.15


@dataclass(frozen=True)
class TrajectoryPath:
    """The values a KPI should have on given dates, baseline first and target last, in date order."""

    points: tuple[tuple[date, float], ...]

    @property
    def span(self) -> float:
        """The path's whole change (the thresholds are shares of it); a flat path counts its target's size."""
        start, end = self.points[0][1], self.points[-1][1]
        return abs(end - start) or abs(end) or 1.0


def make_path(
    baseline: tuple[date, float] | None,
    target: float | None,
    year_end: date,
    milestones: tuple[tuple[date, float], ...] = (),
) -> TrajectoryPath | None:
    """The path from the baseline through the milestones (those after the baseline) to the target at the end
    of the plan year; None without a baseline or a target."""
    if baseline is None or target is None:
        return None
    start, value = baseline
    inner = sorted((d, v) for d, v in milestones if start < d < year_end)
    end = max(year_end, start)
    return TrajectoryPath(((start, value), *inner, (end, target)))


def expected_at(path: TrajectoryPath, on: date) -> float:
    """The value the path expects on ``on``: the baseline before it starts, the target after it ends, and in
    between a straight line between the two points around ``on``."""
    points = path.points
    if on <= points[0][0]:
        return points[0][1]
    for (d0, v0), (d1, v1) in zip(points, points[1:], strict=False):
        if on <= d1:
            share = (on - d0).days / max(1, (d1 - d0).days)
            return v0 + (v1 - v0) * share
    return points[-1][1]


def trajectory_status(
    latest: float | None,
    path: TrajectoryPath | None,
    op: str | None,
    on: date,
    at_risk: float = AT_RISK_SHARE,
    off_track: float = OFF_TRACK_SHARE,
) -> str:
    """On track, at risk or off track: ``latest`` against the path's value on ``on``, in the KPI's
    direction (``op``: ">=", ">", "<=", "<", "="); no data when there is no value or no path."""
    if latest is None or path is None or op is None:
        return NO_DATA
    expected = expected_at(path, on)
    if op in ("<=", "<"):
        behind = latest - expected
    elif op == "=":
        behind = abs(latest - expected)
    else:
        behind = expected - latest
    if behind <= at_risk * path.span + 1e-9:
        return ON_TRACK
    if behind <= off_track * path.span + 1e-9:
        return AT_RISK
    return OFF_TRACK
