"""Where a KPI figure came from: submitted by its agency (form, Excel upload) or pulled from a SQL source.

One home for the rule, because three things depend on it: only submissions make an agency's monthly report,
a KPI that a source feeds takes no typed figures, and the reporting record ignores source-fed KPIs.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.sources.definitions import RESERVED_NAMES, Source
from dashboard.store.database import id_list
from dashboard.store.models import Indicator, Measurement

# The ``source`` of a figure an agency submitted (the demo's simulated submissions included).
SUBMITTED = RESERVED_NAMES


def fed_by_sources(session: Session, indicator_ids: Iterable[int], sources: Iterable[Source] = ()) -> dict[int, str]:
    """The KPIs among ``indicator_ids`` that a SQL source feeds, with the source's name: those that hold a
    figure from a source. ``sources`` turns a name into its title for messages."""
    ids = list(indicator_ids)
    if not ids:
        return {}
    # per KPI, the first name of a source among its figures: one probe into ``ix_measurement_fed`` each, where
    # grouping all of a province's figures read them all
    first = (
        select(func.min(Measurement.source))
        .where(Measurement.indicator_id == Indicator.id, Measurement.source.not_in(SUBMITTED))
        .correlate(Indicator)
        .scalar_subquery()
    )
    rows = session.execute(select(Indicator.id, first).where(Indicator.id.in_(id_list(ids)))).all()
    titles = {s.name: s.title for s in sources}
    return {ind: titles.get(name, name) for ind, name in rows if name is not None}
