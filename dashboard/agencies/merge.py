"""Putting stored agencies right: one record per agency, collective assignees as groups.

Older imports stored "Văn phòng Tỉnh uỷ" beside "Văn phòng Tỉnh ủy" (the old and the new tone placement),
and collective assignees ("Các doanh nghiệp viễn thông") as single agencies. ``fix_stored_agencies`` merges
each duplicate into the oldest record (tasks, KPI leads, figures, updates, users, spellings and history move
to it) and turns collective names into groups, with an audit record for every step. It is written against
table names, not the ORM models, so the migration that runs it keeps working as the models grow.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import JSON, Date, DateTime, column, delete, insert, select, table, update
from sqlalchemy.orm import Session

from dashboard import clock
from dashboard.agencies.names import GROUP, is_collective
from dashboard.text import spelling_key

_agency = table("agency", column("id"), column("province_id"), column("name"), column("kind"))
_alias = table("agency_alias", column("id"), column("agency_id"))
_task_agency = table("task_agency", column("task_id"), column("agency_id"), column("role"))
_lead = table("indicator_lead", column("indicator_id"), column("agency_id"))
_figure = table(
    "measurement",
    column("id"),
    column("indicator_id"),
    column("agency_id"),
    column("month", Date),
    column("recorded_at", DateTime),
    column("numerator"),
    column("denominator"),
    column("value"),
)
_update = table("task_update", column("agency_id"))
_user = table("app_user", column("agency_id"))
_audit = table(
    "audit_log",
    column("at", DateTime),
    column("username"),
    column("action"),
    column("entity"),
    column("entity_id"),
    column("agency_id"),
    column("before", JSON),
    column("after", JSON),
)


def _audit_row(session: Session, action: str, agency_id: int, before: dict, after: dict) -> None:
    session.execute(
        insert(_audit).values(
            at=clock.now(),
            username="system",
            action=action,
            entity="agency",
            entity_id=agency_id,
            agency_id=agency_id,
            before=before,
            after=after,
        )
    )


def _move_links(session: Session, link, key: str, dup: int, keep: int, extra: tuple[str, ...] = ()) -> int:  # noqa: ANN001
    """Re-point a link table's rows from ``dup`` to ``keep``; a row ``keep`` already has is dropped."""
    cols = [link.c[key], *(link.c[e] for e in extra)]
    have = {tuple(r) for r in session.execute(select(*cols).where(link.c.agency_id == keep))}
    moved = 0
    for row in session.execute(select(*cols).where(link.c.agency_id == dup)).all():
        where = [link.c.agency_id == dup, *(c == v for c, v in zip(cols, row, strict=True))]
        if tuple(row) in have:
            session.execute(delete(link).where(*where))
        else:
            session.execute(update(link).where(*where).values(agency_id=keep))
            moved += 1
    return moved


def _move_figures(session: Session, dup: int, keep: int) -> tuple[int, list[dict]]:
    """Figures of ``dup`` go to ``keep``; where both reported a KPI for one month the newer entry stays and the
    other is kept in the audit record (nothing is lost)."""
    f = _figure
    mine = {(r.indicator_id, r.month): r for r in session.execute(select(f).where(f.c.agency_id == keep)).all()}
    moved, dropped = 0, []
    for r in session.execute(select(f).where(f.c.agency_id == dup)).all():
        other = mine.get((r.indicator_id, r.month))
        if other is None:
            session.execute(update(f).where(f.c.id == r.id).values(agency_id=keep))
            moved += 1
            continue
        oldest = datetime.min
        older, newer = (r, other) if (r.recorded_at or oldest) <= (other.recorded_at or oldest) else (other, r)
        dropped.append(
            {
                "indicator_id": older.indicator_id,
                "month": older.month.isoformat() if older.month else None,
                "numerator": older.numerator,
                "denominator": older.denominator,
                "value": older.value,
            }
        )
        session.execute(delete(f).where(f.c.id == older.id))
        if newer.id == r.id:
            session.execute(update(f).where(f.c.id == r.id).values(agency_id=keep))
            moved += 1
    return moved, dropped


def fix_stored_agencies(session: Session) -> list[tuple[int, int]]:
    """Merge duplicate agencies of each province and make collective names groups; returns (kept, merged)
    pairs. Marks all data changed when anything moved, so no page keeps a count from before."""
    rows = session.execute(select(_agency.c.id, _agency.c.province_id, _agency.c.name, _agency.c.kind)).all()
    by_identity: dict[tuple[int, str], list] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r.id):
        by_identity[(r.province_id, spelling_key(r.name))].append(r)
    merged: list[tuple[int, int]] = []
    for same in by_identity.values():
        keep = same[0]
        for dup in same[1:]:
            moved = {
                "tasks": _move_links(session, _task_agency, "task_id", dup.id, keep.id, ("role",)),
                "kpi_leads": _move_links(session, _lead, "indicator_id", dup.id, keep.id),
            }
            moved["figures"], dropped = _move_figures(session, dup.id, keep.id)
            for link, name in ((_update, "task_updates"), (_user, "users"), (_alias, "spellings")):
                moved[name] = session.execute(
                    update(link).where(link.c.agency_id == dup.id).values(agency_id=keep.id)
                ).rowcount
            session.execute(update(_audit).where(_audit.c.agency_id == dup.id).values(agency_id=keep.id))
            session.execute(delete(_agency).where(_agency.c.id == dup.id))
            _audit_row(
                session,
                "agency.merge",
                keep.id,
                {"id": dup.id, "name": dup.name, "figures_replaced": dropped},
                {"id": keep.id, "name": keep.name, **moved},
            )
            merged.append((keep.id, dup.id))
    regrouped = 0
    for r in rows:
        if r.kind != GROUP and is_collective(r.name) and all(r.id != d for _, d in merged):
            session.execute(update(_agency).where(_agency.c.id == r.id).values(kind=GROUP))
            _audit_row(session, "agency.kind", r.id, {"kind": r.kind}, {"kind": GROUP})
            regrouped += 1
    if merged or regrouped:
        _mark_all_changed(session)
    return merged


def _mark_all_changed(session: Session) -> None:
    from dashboard.store.database import bump_data_version

    bump_data_version(session)
