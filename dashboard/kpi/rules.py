"""KPI arithmetic: aggregation over agencies and comparison with the target."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dashboard.kpi.targets import Target, meets

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


# --- how agencies' figures make the province's ---------------------------------------------------

RATIO = "ratio"  # Σ numerators / Σ denominators (the default for ratio KPIs)
SUM = "sum"  # each agency reports its own part: people trained, applications filed
PROVINCE = "province"  # one figure for the province, reported by the lead; co-leads never add up
AGGREGATIONS = (RATIO, SUM, PROVINCE)
# What the import template's "Cách tổng hợp" column accepts (folded, without punctuation).
_AGGREGATION_WORDS = {
    RATIO: ("ratio", "ty le", "tu so mau so", "tu so tren mau so"),
    SUM: ("sum", "cong", "tong", "cong cac don vi", "tong cac don vi"),
    PROVINCE: ("province", "tinh", "so lieu chung", "so lieu chung cua tinh", "so cua tinh", "cap tinh", "mot so"),
}


def parse_aggregation(text: str | None) -> str | None:
    """The rule a template cell names ("Cộng", "sum", "Số liệu chung của tỉnh"…); None when empty or unknown."""
    from dashboard.messages import LANGS, label
    from dashboard.text import fold_key

    key = fold_key(text)
    if not key:
        return None
    for rule, words in _AGGREGATION_WORDS.items():
        labels = {fold_key(label("aggregation", rule, lang)) for lang in LANGS}
        if key in words or key in labels:
            return rule
    return None


def is_percent(unit: str | None) -> bool:
    """Whether a KPI's figures are percentages: its unit is "%" (the one place that decides it)."""
    return (unit or "").strip() == "%"


def default_aggregation(is_ratio: bool, unit: str | None, led_by_group: bool) -> tuple[str, str | None]:
    """The rule a KPI gets when the plan does not say, and why (None when it is not a guess).

    Ratios add numerators and denominators. Otherwise a KPI led by a collective group ("Các sở, ban, ngành")
    is each member's own part, summed; a percentage share or a count with one lead is the province's figure.
    """
    if is_ratio:
        return RATIO, None
    if led_by_group and not is_percent(unit):
        return SUM, "rule.why_group"
    return PROVINCE, "rule.why_province"


def fill_aggregation_rules(session) -> int:  # noqa: ANN001
    """Give every stored KPI its default rule (the migration that introduced rules); returns how many."""
    from sqlalchemy import column, select, table, update

    indicator = table("indicator", column("id"), column("is_ratio"), column("unit"), column("aggregation"))
    lead = table("indicator_lead", column("indicator_id"), column("agency_id"))
    agency = table("agency", column("id"), column("kind"))
    grouped = set(
        session.scalars(
            select(lead.c.indicator_id).join(agency, agency.c.id == lead.c.agency_id).where(agency.c.kind == "group")
        )
    )
    rows = session.execute(select(indicator.c.id, indicator.c.is_ratio, indicator.c.unit)).all()
    for ind_id, ratio, unit in rows:
        rule, _ = default_aggregation(bool(ratio), unit, ind_id in grouped)
        session.execute(update(indicator).where(indicator.c.id == ind_id).values(aggregation=rule))
    return len(rows)
