"""Who may do what. Checked on the server for every change, whatever the browser sends.

- admin (secretariat): everything;
- leader and viewer: read only;
- agency: updates the tasks its agency leads, adds notes to tasks it coordinates (or leads through a
  collective group such as "Các sở, ban, ngành"), reports its own agency's monthly figures, submits its month
  and answers the directives addressed to it;
- the secretariat (admins, and the users of the province's standing agency, Sở Khoa học và Công nghệ): approves
  or returns the other agencies' monthly reports; only admins reopen a locked month;
- leader: reads, and writes directives ("ý kiến chỉ đạo") to the agencies of the provinces they read;
- kiosk (a wall-screen token): reads the wall screen, nothing else.

Reading: admins read every province; an agency user its agency's province; a leader or viewer the province
of their account, or every province when none is set (national leaders); a wall-screen token the walls of
its province (or of every province), and no other callback.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.accounts.users import ADMIN, AGENCY, LEADER, Actor
from dashboard.agencies.directory import standing_agency
from dashboard.agencies.names import GROUP, group_scope
from dashboard.messages import Problem
from dashboard.store.models import Agency, KioskToken, Plan, Province, Task, TaskAgency, User

LEAD = "lead"
MEMBER_OF_LEAD = "member_of_lead"
COORDINATING = "coordinating"


class PermissionDenied(Problem):
    """The actor may not do this; the message (a catalogue key) is shown to them in their language."""


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
        raise PermissionDenied("perm.view_only_update")
    if actor.role == ADMIN:
        return
    if actor.agency_id is None or task_relation(session, actor.agency_id, task_id) != LEAD:
        raise PermissionDenied("perm.lead_only")


def require_task_note(session: Session, actor: Actor, task_id: int) -> None:
    """A note on a task: any agency taking part in it, or an admin."""
    if actor.is_kiosk or actor.role not in (ADMIN, AGENCY):
        raise PermissionDenied("perm.view_only_note")
    if actor.role == ADMIN:
        return
    if actor.agency_id is None or task_relation(session, actor.agency_id, task_id) is None:
        raise PermissionDenied("perm.not_in_task")


def require_figures(actor: Actor, agency_id: int) -> None:
    """Monthly KPI figures of an agency: that agency, or an admin."""
    if actor.is_kiosk or actor.role not in (ADMIN, AGENCY):
        raise PermissionDenied("perm.view_only_figures")
    if actor.role == AGENCY and actor.agency_id != agency_id:
        raise PermissionDenied("perm.own_figures")


def is_secretariat(session: Session, actor: Actor, plan_id: int) -> bool:
    """Whether the actor checks and approves the monthly reports of this plan's agencies."""
    if actor.is_kiosk:
        return False
    if actor.role == ADMIN:
        return True
    plan = session.get(Plan, plan_id)
    return (
        actor.role == AGENCY
        and plan is not None
        and actor.agency_id is not None
        and actor.agency_id == standing_agency(session, plan.province_id)
    )


def approves_somewhere(session: Session, actor: Actor) -> bool:
    """Whether the actor is of the secretariat of any plan (the approvals link in the navigation bar; each plan's
    page still asks ``is_secretariat``)."""
    if actor.is_kiosk or actor.role not in (ADMIN, AGENCY):
        return False
    if actor.role == ADMIN:
        return True
    agency = session.get(Agency, actor.agency_id) if actor.agency_id is not None else None
    return agency is not None and standing_agency(session, agency.province_id) == agency.id


def require_submit(actor: Actor, agency_id: int) -> None:
    """Submitting an agency's month: that agency, or an admin on its behalf."""
    if actor.is_kiosk or actor.role not in (ADMIN, AGENCY):
        raise PermissionDenied("perm.view_only_submit")
    if actor.role == AGENCY and actor.agency_id != agency_id:
        raise PermissionDenied("perm.own_figures")


def require_approve(session: Session, actor: Actor, plan_id: int, agency_id: int) -> None:
    """Approving or returning a month: the secretariat, never for its own agency (admins excepted)."""
    if not is_secretariat(session, actor, plan_id):
        raise PermissionDenied("perm.secretariat_only")
    if actor.role != ADMIN and actor.agency_id == agency_id:
        raise PermissionDenied("perm.not_own_approval")


def require_reopen(actor: Actor) -> None:
    """Reopening a locked month: admins only."""
    if actor.is_kiosk or actor.role != ADMIN:
        raise PermissionDenied("perm.reopen_admin")


def require_direct(session: Session, actor: Actor, plan_id: int) -> None:
    """A directive: a leader (or an admin) who reads the plan."""
    if actor.is_kiosk or actor.role not in (ADMIN, LEADER):
        raise PermissionDenied("perm.leader_only")
    require_read_plan(session, actor, plan_id)


def require_answer(actor: Actor, agency_id: int) -> None:
    """Answering a directive: the agency it is addressed to."""
    if actor.is_kiosk or actor.role != AGENCY or actor.agency_id != agency_id:
        raise PermissionDenied("perm.answer_own")


def require_admin(actor: Actor) -> None:
    if actor.is_kiosk or actor.role != ADMIN:
        raise PermissionDenied("perm.admin_only")


# --- reading ----------------------------------------------------------------------------------------
# Every page, callback, download, briefing and history read asks here, with what it reads looked up on the
# server: an id the browser sends is a request, the province it belongs to decides.

# What a wall-screen token's browser may ask Dash for: the wall, the page frame that shows it, the poll.
KIOSK_OUTPUTS = ("..wall-", "wall-", "root.", "data-version.")


def readable_provinces(session: Session, actor: Actor) -> set[int] | None:
    """The provinces whose plans the actor may read; None: every province (admins, national leaders)."""
    if actor.is_kiosk:
        token = session.get(KioskToken, actor.kiosk_id)
        return {token.province_id} if token is not None and token.province_id else None if token else set()
    if actor.role == ADMIN:
        return None
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None or not user.active:
        return set()
    if user.role == AGENCY:
        agency = session.get(Agency, user.agency_id) if user.agency_id else None
        return {agency.province_id} if agency is not None else set()
    return {user.province_id} if user.province_id else None


def can_read_plan(session: Session, actor: Actor, plan_id: int | None) -> bool:
    plan = session.get(Plan, plan_id) if plan_id is not None else None
    if plan is None:
        return False
    scope = readable_provinces(session, actor)
    return scope is None or plan.province_id in scope


def readable_plan(session: Session, actor: Actor, requested: int | None) -> int | None:
    """The plan to show: the one asked for when the actor may read it, else their first plan (newest year
    first), else None (nothing to read)."""
    if requested is not None and can_read_plan(session, actor, requested):
        return requested
    scope = readable_provinces(session, actor)
    stmt = select(Plan.id).join(Province).order_by(Plan.year.desc(), Province.name, Plan.id)
    if scope is not None:
        stmt = stmt.where(Plan.province_id.in_(scope or [-1]))
    return session.scalars(stmt.limit(1)).first()


def require_read_plan(session: Session, actor: Actor, plan_id: int | None) -> None:
    if not can_read_plan(session, actor, plan_id):
        raise PermissionDenied("perm.plan")


def require_read_agency(session: Session, actor: Actor, agency_id: int | None) -> Agency:
    """An agency's own pages ("Việc của tôi", its history, its figures template): that agency itself, an admin,
    or a leader or viewer of its province; never a wall screen."""
    agency = session.get(Agency, agency_id) if agency_id is not None else None
    if actor.is_kiosk or agency is None:
        raise PermissionDenied("not_allowed")
    if actor.role == AGENCY:
        if actor.agency_id != agency.id:
            raise PermissionDenied("perm.own_agency")
        return agency
    scope = readable_provinces(session, actor)
    if scope is not None and agency.province_id not in scope:
        raise PermissionDenied("perm.other_province")
    return agency


def require_read_task(session: Session, actor: Actor, task_id: int | None) -> Task:
    """A task's details (its notes, evidence links, who updated it): readers of its plan; among agencies, only
    those taking part in it."""
    task = session.get(Task, task_id) if task_id is not None else None
    if task is None or actor.is_kiosk:
        raise PermissionDenied("not_allowed")
    require_read_plan(session, actor, task.plan_id)
    if actor.role == AGENCY and (actor.agency_id is None or task_relation(session, actor.agency_id, task.id) is None):
        raise PermissionDenied("perm.not_in_task")
    return task


def can_see_national(session: Session, actor: Actor) -> bool:
    """The national view: admins and leaders of no one province."""
    if actor.is_kiosk or actor.role not in (ADMIN, LEADER):
        return False
    return readable_provinces(session, actor) is None


def kiosk_may_call(output: str) -> bool:
    """Whether a wall screen's browser may call the Dash callback writing ``output``."""
    return output.startswith(KIOSK_OUTPUTS)
