"""In-app notices (the bell): who is told what, once per person and event.

A notice's ``key`` names its event (the D-5 reminder of an agency's October report, a directive, an approval);
(user, key) is unique, so a reminder that several scheduler processes raise, or a job that runs twice, reaches
each person once. Mail follows from the same rows (``dashboard.cycle.mail``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from dashboard import clock
from dashboard.accounts.users import ADMIN, AGENCY, LEADER
from dashboard.agencies.directory import standing_agency
from dashboard.messages import t
from dashboard.store.models import Notification, Plan, User

KINDS = (
    "remind_before",  # D-5, D-1: the month's report is not sent yet
    "report_missing",  # D+1: it did not come
    "digest",  # weekly: overdue and soon-due tasks of a lead agency
    "briefing",  # the monthly briefing is ready (leaders)
    "submitted",  # an agency sent its month (the secretariat)
    "approved",
    "returned",
    "reopened",
    "directive",  # a leader's directive (the agency)
    "answered",  # the agency answered (the leader who wrote it)
)


def notify(
    session: Session, user_ids: Iterable[int], key: str, kind: str, params: dict, link: str, now: datetime | None = None
) -> int:
    """Add the notice for each person who does not have it yet; how many were added."""
    ids = sorted(set(user_ids))
    if not ids:
        return 0
    rows = [
        {"user_id": u, "key": key, "kind": kind, "params": params, "link": link, "created_at": now or clock.now()}
        for u in ids
    ]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(Notification)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
        .returning(Notification.id)
    )
    return len(session.execute(stmt).all())


def agency_users(session: Session, agency_id: int) -> list[int]:
    return list(
        session.scalars(select(User.id).where(User.agency_id == agency_id, User.role == AGENCY, User.active.is_(True)))
    )


def secretariat_users(session: Session, plan_id: int) -> list[int]:
    """Admins, and the users of the plan's standing agency."""
    plan = session.get(Plan, plan_id)
    standing = standing_agency(session, plan.province_id) if plan is not None else None
    cond = User.role == ADMIN
    if standing is not None:
        cond = or_(cond, (User.role == AGENCY) & (User.agency_id == standing))
    return list(session.scalars(select(User.id).where(cond, User.active.is_(True))))


def leaders_of(session: Session, province_id: int) -> list[int]:
    """Leaders who read the province (its own, and national ones)."""
    return list(
        session.scalars(
            select(User.id).where(
                User.role == LEADER,
                User.active.is_(True),
                or_(User.province_id == province_id, User.province_id.is_(None)),
            )
        )
    )


def unread_count(session: Session, user_id: int | None) -> int:
    if user_id is None:
        return 0
    return session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


def notices_for(session: Session, user_id: int, lang: str = "vi", limit: int = 50) -> list[dict]:
    """A person's newest notices with their text in ``lang``."""
    rows = session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return [
        {
            "id": n.id,
            "text": text_of(n.kind, n.params, lang),
            "link": n.link,
            "at": n.created_at,
            "read": n.read_at is not None,
        }
        for n in rows
    ]


def text_of(kind: str, params: dict, lang: str = "vi") -> str:
    return t(f"notice.{kind}", lang, **params)


def mark_read(session: Session, user_id: int, ids: Iterable[int] | None = None) -> int:
    """Mark a person's notices read (``ids``: only those; the ids are filtered by owner, never trusted)."""
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(list(ids) or [-1]))
    return session.execute(stmt.values(read_at=clock.now())).rowcount or 0
