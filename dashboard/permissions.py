"""Who may do what. Checked on the server for every change, whatever the browser sends.

- admin (secretariat): everything;
- leader and viewer: read only;
- agency: updates the tasks its agency leads, adds notes to tasks it coordinates (or leads through a
  collective group such as "Các sở, ban, ngành"), and reports its own agency's monthly figures;
- kiosk (a wall-screen token): reads the wall screen, nothing else.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .accounts import ADMIN, AGENCY, Actor
from .agencies import GROUP, group_scope
from .models import Agency, TaskAgency

LEAD = "lead"
MEMBER_OF_LEAD = "member_of_lead"
COORDINATING = "coordinating"


class PermissionDenied(Exception):
    """The actor may not do this; the message is shown to them."""


def groups_of(session: Session, agency_id: int) -> set[int]:
    """The collective groups an agency belongs to (by its kind, within its province)."""
    agency = session.get(Agency, agency_id)
    if agency is None:
        return set()
    groups = session.scalars(select(Agency).where(Agency.province_id == agency.province_id, Agency.kind == GROUP))
    return {g.id for g in groups if agency.kind in group_scope(g.name)}


def task_relation(session: Session, agency_id: int, task_id: int) -> str | None:
    """How an agency stands to a task: lead, member of a lead group, coordinating, or None."""
    links = session.execute(select(TaskAgency.agency_id, TaskAgency.role).where(TaskAgency.task_id == task_id)).all()
    return relation(
        agency_id,
        groups_of(session, agency_id),
        [aid for aid, role in links if role == "lead"],
        [aid for aid, role in links if role == "coordinating"],
    )


def relation(agency_id: int, groups: set[int], lead_ids: list[int], coordinating_ids: list[int]) -> str | None:
    """``task_relation`` from a task's lead and coordinating agencies and the groups ``agency_id`` belongs to
    (for a list of tasks already loaded: one question to the database instead of two per task)."""
    if agency_id in lead_ids:
        return LEAD
    if groups & set(lead_ids):
        return MEMBER_OF_LEAD
    if ({agency_id} | groups) & set(coordinating_ids):
        return COORDINATING
    return None


def can_change(actor: Actor) -> bool:
    """Whether the actor may change anything at all."""
    return not actor.is_kiosk and actor.role in (ADMIN, AGENCY)


def require_task_update(session: Session, actor: Actor, task_id: int) -> None:
    """Status, progress and completion of a task: its lead agency, or an admin."""
    if actor.is_kiosk or actor.role not in (ADMIN, AGENCY):
        raise PermissionDenied("Tài khoản này chỉ được xem, không được cập nhật.")
    if actor.role == ADMIN:
        return
    if actor.agency_id is None or task_relation(session, actor.agency_id, task_id) != LEAD:
        raise PermissionDenied("Chỉ cơ quan chủ trì được cập nhật trạng thái và tiến độ nhiệm vụ này.")


def require_task_note(session: Session, actor: Actor, task_id: int) -> None:
    """A note on a task: any agency taking part in it, or an admin."""
    if actor.is_kiosk or actor.role not in (ADMIN, AGENCY):
        raise PermissionDenied("Tài khoản này chỉ được xem, không được ghi chú.")
    if actor.role == ADMIN:
        return
    if actor.agency_id is None or task_relation(session, actor.agency_id, task_id) is None:
        raise PermissionDenied("Đơn vị của bạn không tham gia nhiệm vụ này.")


def require_figures(actor: Actor, agency_id: int) -> None:
    """Monthly KPI figures of an agency: that agency, or an admin."""
    if actor.is_kiosk or actor.role not in (ADMIN, AGENCY):
        raise PermissionDenied("Tài khoản này chỉ được xem, không được báo cáo số liệu.")
    if actor.role == AGENCY and actor.agency_id != agency_id:
        raise PermissionDenied("Bạn chỉ được báo cáo số liệu của đơn vị mình.")


def require_admin(actor: Actor) -> None:
    if actor.is_kiosk or actor.role != ADMIN:
        raise PermissionDenied("Chỉ quản trị viên được làm việc này.")
