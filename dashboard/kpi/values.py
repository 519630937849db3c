"""KPI values as of a date: per agency, province-wide (weighted), month by month, against the target."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.kpi import trajectory as trajectory_rules
from dashboard.kpi.rules import NO_DATA, PROVINCE, RATIO, aggregate, kpi_status
from dashboard.kpi.targets import Target
from dashboard.records import KpiRow
from dashboard.store import latest as kept
from dashboard.store.database import id_list
from dashboard.store.models import Measurement


class Figure(NamedTuple):
    """One monthly figure of one agency for one KPI (a tuple: a province loads tens of thousands)."""

    indicator_id: int
    agency_id: int
    month: date
    numerator: float | None
    denominator: float | None
    value: float | None
    recorded_at: datetime | None = None


@dataclass
class AgencyValue:
    agency_id: int
    value: float | None
    numerator: float | None
    denominator: float | None
    status: str
    gap: float | None  # how far below target (positive) or above (negative)
    month: date | None


@dataclass
class KpiSnapshot:
    """A KPI as of a month: province-wide value, previous month, trend, status and each agency."""

    indicator: KpiRow
    value: float | None
    numerator: float | None
    denominator: float | None
    previous: float | None
    trend: str | None  # "up", "down", "flat" or None
    status: str
    gap: float | None
    agencies: list[AgencyValue] = field(default_factory=list)
    # In-year: against the value expected by now on the path from its first figure to the target
    # (``kpi.trajectory``); ``status`` above is the year-end verdict.
    trajectory: str = trajectory_rules.NO_DATA
    expected: float | None = None


def _figures_query(ids: list[int], until: date):  # noqa: ANN202
    """The columns of ``Figure`` for the given KPIs up to ``until``, approved figures only."""
    return select(*kept.figure_columns()).where(
        Measurement.indicator_id.in_(id_list(ids)), Measurement.month <= until, kept.FIGURE_COUNTS
    )


def load_figures(
    session: Session, indicator_ids: Iterable[int], until: date, agency_ids: Iterable[int] | None = None
) -> list[Figure]:
    """Figures of the given KPIs (and agencies, when given) for months up to ``until``."""
    ids = list(indicator_ids)
    if not ids:
        return []
    stmt = _figures_query(ids, until)
    if agency_ids is not None:
        stmt = stmt.where(Measurement.agency_id.in_(id_list(agency_ids)))
    return [Figure._make(r) for r in session.execute(stmt).all()]


def load_recent_figures(session: Session, indicator_ids: Iterable[int], until: date) -> list[Figure]:
    """For each KPI and agency, its two latest figures up to ``until`` and its first of that year: all that a
    snapshot reads (the value now, at the end of the previous month, and the trajectory's baseline), a
    fraction of a province's year of figures; kept up to date by every write (``dashboard.store.latest``)."""
    # One object per distinct month and moment (a province's 4,000 figures share a few hundred): a cached plan
    # context pickles each once, then refers to it.
    months: dict[date, date] = {}
    moments: dict[datetime, datetime] = {}
    return [
        Figure(i, a, months.setdefault(m, m), n, d, v, moments.setdefault(at, at) if at is not None else None)
        for i, a, m, n, d, v, at in kept.recent_figures(session, indicator_ids, until)
    ]


def target_of(indicator: KpiRow) -> Target | None:
    if indicator.target_op is None or indicator.target_value is None:
        return None
    return Target(indicator.target_op, indicator.target_value)


def gap_to_target(value: float | None, target: Target | None) -> float | None:
    """Distance to the target in the KPI's unit: positive when short of it."""
    if value is None or target is None:
        return None
    return value - target.value if target.op in ("<=", "<") else target.value - value


def figure_value(fig: Figure, is_ratio: bool) -> float | None:
    if is_ratio:
        return 100.0 * fig.numerator / fig.denominator if fig.numerator is not None and fig.denominator else None
    return fig.value


def _latest(figures: Iterable[Figure], month: date) -> dict[int, Figure]:
    latest: dict[int, Figure] = {}
    for f in figures:
        if f.month <= month and (f.agency_id not in latest or f.month > latest[f.agency_id].month):
            latest[f.agency_id] = f
    return latest


def rule_of(indicator: KpiRow) -> str:
    """The KPI's aggregation rule, as stored (``dashboard.kpi.rules``); ratio KPIs never sum their percentages."""
    rule = indicator.aggregation or (RATIO if indicator.is_ratio else PROVINCE)
    if not indicator.is_ratio and rule == RATIO:
        return PROVINCE  # plain values have no numerators to add
    return rule


def combine(indicator: KpiRow, figures: Iterable[Figure]) -> tuple[float | None, float | None, float | None]:
    """Province-wide (value, numerator, denominator) from one figure per agency, by the KPI's rule.

    ratio: numerators and denominators add up (8/10 and 90/100 give 98/110); sum: each agency's part adds up;
    province: the province's one figure, the newest any lead reported (two co-leads reporting 5 mean 5).
    """
    figs = list(figures)
    if not figs:
        return None, None, None
    rule = rule_of(indicator)
    if rule == PROVINCE:
        usable = [f for f in figs if figure_value(f, indicator.is_ratio) is not None]
        if not usable:
            return None, None, None
        newest = max(usable, key=lambda f: (f.month, f.recorded_at or datetime.min, -f.agency_id))
        return figure_value(newest, indicator.is_ratio), newest.numerator, newest.denominator
    if indicator.is_ratio:
        agg = aggregate((f.numerator, f.denominator) for f in figs)
        return agg.percent, agg.numerator, agg.denominator
    values = [f.value for f in figs if f.value is not None]
    if not values:
        return None, None, None
    return sum(values), None, None


def _previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def snapshot(
    indicator: KpiRow,
    figures: Iterable[Figure],
    as_of: date,
    margin: float = 5.0,
    agency_ids: set[int] | None = None,
    trajectory_shares: tuple[float, float] = (trajectory_rules.AT_RISK_SHARE, trajectory_rules.OFF_TRACK_SHARE),
) -> KpiSnapshot:
    """The KPI as of ``as_of``: each agency's latest figure, and the weighted province value.

    ``agency_ids`` limits the view to some agencies (a filter); the province value then covers them only.
    ``trajectory_shares``: how far behind its path (shares of the path's change) is at risk, and off track.
    """
    target = target_of(indicator)
    month = as_of.replace(day=1)
    figs = [f for f in figures if f.indicator_id == indicator.id]
    if agency_ids is not None:
        figs = [f for f in figs if f.agency_id in agency_ids]
    latest = _latest(figs, month)
    value, num, den = combine(indicator, latest.values())
    previous, _, _ = combine(indicator, _latest(figs, _previous_month(month)).values())
    trend = None
    if value is not None and previous is not None:
        trend = "flat" if abs(value - previous) < 0.05 else ("up" if value > previous else "down")
    agencies = []
    for agency_id, f in latest.items():
        v = figure_value(f, indicator.is_ratio)
        agencies.append(
            AgencyValue(
                agency_id,
                v,
                f.numerator,
                f.denominator,
                kpi_status(v, target, margin),
                gap_to_target(v, target),
                f.month,
            )
        )
    agencies.sort(key=lambda a: (-(a.gap if a.gap is not None else float("-inf")), a.agency_id))
    status = kpi_status(value, target, margin) if value is not None else NO_DATA
    path = _path(indicator, figs, target, as_of)
    return KpiSnapshot(
        indicator,
        value,
        num,
        den,
        previous,
        trend,
        status,
        gap_to_target(value, target),
        agencies,
        trajectory_rules.trajectory_status(value, path, target.op if target else None, as_of, *trajectory_shares),
        trajectory_rules.expected_at(path, as_of) if path is not None else None,
    )


def _path(
    indicator: KpiRow, figs: list[Figure], target: Target | None, as_of: date
) -> trajectory_rules.TrajectoryPath | None:
    """The KPI's path this year: from its baseline (the plan's, else its first figure of the year) through the
    plan's quarterly milestones, if any, to the target on 31/12."""
    if target is None:
        return None
    year_end = date(as_of.year, 12, 31)
    quarter_ends = (date(as_of.year, 3, 31), date(as_of.year, 6, 30), date(as_of.year, 9, 30))
    milestones = tuple((d, v) for d, v in zip(quarter_ends, indicator.milestones or (), strict=False) if v is not None)
    if indicator.baseline_value is not None:
        start = indicator.baseline_date or date(as_of.year, 1, 1)
        return trajectory_rules.make_path((start, indicator.baseline_value), target.value, year_end, milestones)
    months = sorted({f.month for f in figs if f.month.year == as_of.year and f.month <= as_of})
    for month in months:
        start, _, _ = combine(indicator, _latest(figs, month).values())
        if start is not None:
            return trajectory_rules.make_path((month, start), target.value, year_end, milestones)
    return None


def monthly_series(
    indicator: KpiRow, figures: Iterable[Figure], months: list[date], agency_ids: set[int] | None = None
) -> list[tuple[date, float | None]]:
    """Province-wide (or the given agencies') value at the end of each month, carrying the last figure."""
    figs = [f for f in figures if f.indicator_id == indicator.id and (agency_ids is None or f.agency_id in agency_ids)]
    return [(m, combine(indicator, _latest(figs, m).values())[0] if figs else None) for m in months]
