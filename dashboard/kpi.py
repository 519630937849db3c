"""KPI arithmetic: aggregation over agencies and comparison with the target."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .targets import Target, meets

ON_TARGET = "on_target"
NEAR_TARGET = "near_target"
BELOW_TARGET = "below_target"
NO_DATA = "no_data"


@dataclass(frozen=True)
class Aggregate:
    numerator: float
    denominator: float

    @property
    def percent(self) -> float | None:
        return 100.0 * self.numerator / self.denominator if self.denominator else None


def aggregate(pairs: Iterable[tuple[float | None, float | None]]) -> Aggregate:
    """Sum numerators and denominators (8/10 and 90/100 give 98/110, never the mean of 80 % and 90 %).

    Pairs with a missing or zero denominator are left out, so they cannot distort the ratio.
    """
    num = den = 0.0
    for n, d in pairs:
        if n is None or not d:
            continue
        num += n
        den += d
    return Aggregate(num, den)


def kpi_status(value: float | None, target: Target | None, margin: float = 5.0) -> str:
    """on/near/below target; "near" is within ``margin`` points of a target that is not met."""
    ok = meets(value, target)
    if ok is None:
        return NO_DATA
    if ok:
        return ON_TARGET
    assert value is not None and target is not None
    gap = abs(target.value - value)
    return NEAR_TARGET if gap <= margin else BELOW_TARGET
