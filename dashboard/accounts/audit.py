"""The audit trail: every change is recorded with who, when, what, from what and to what.

``record`` adds the row to the caller's session, so it commits or rolls back with the change itself.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dashboard import clock
from dashboard.store.models import AuditLog

if TYPE_CHECKING:
    from dashboard.accounts.users import Actor


def _plain(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict | None,
    after: dict | None,
    agency_id: int | None = None,
) -> AuditLog:
    row = AuditLog(
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        entity=entity,
        entity_id=entity_id,
        agency_id=agency_id,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        at=clock.now(),
    )
    session.add(row)
    return row


def history(
    session: Session,
    entity: str | None = None,
    entity_id: int | None = None,
    agency_id: int | None = None,
    limit: int = 200,
) -> list[dict]:
    """Audit entries, newest first, for one record or for everything an agency touched."""
    stmt = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)
    if entity is not None:
        stmt = stmt.where(AuditLog.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditLog.entity_id == entity_id)
    if agency_id is not None:
        stmt = stmt.where(or_(AuditLog.agency_id == agency_id))
    return [
        {
            "at": a.at,
            "username": a.username,
            "action": a.action,
            "entity": a.entity,
            "entity_id": a.entity_id,
            "before": a.before or {},
            "after": a.after or {},
        }
        for a in session.scalars(stmt)
    ]
