"""Directives ("ý kiến chỉ đạo"): a leader's instruction to an agency on the agency, one of its tasks or one of
its KPIs, with an optional answer-by date; the agency's answer. An unanswered directive past its date is a red
flag (``dashboard.kpi.red_flags.directive_flags``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import clock
from dashboard.accounts.audit import record
from dashboard.accounts.permissions import require_answer, require_direct, task_relation
from dashboard.accounts.users import Actor
from dashboard.cycle import notices
from dashboard.messages import Problem
from dashboard.store.database import bump_data_version
from dashboard.store.models import Agency, Directive, Indicator, Plan, Task, User

SUBJECTS = ("agency", "task", "kpi")
MAX_TEXT = 2000


class DirectiveError(Problem):
    """A directive or answer that cannot be saved; the message says why."""


@dataclass(frozen=True)
class DirectiveRow:
    id: int
    plan_id: int
    agency_id: int
    agency: str
    subject: str
    subject_id: int | None
    subject_label: str  # "Nhiệm vụ 3.2 · ...", "Chỉ tiêu 7 · ...", or "" for the agency itself
    text: str
    due_date: date | None
    created_at: datetime
    created_by: str | None
    answer: str | None
    answered_at: datetime | None
    answered_by: str | None

    def overdue(self, today: date) -> bool:
        """Unanswered and past its answer-by date."""
        return self.answer is None and self.due_date is not None and self.due_date < today


def _text(raw: str | None) -> str:
    text = (raw or "").strip()
    if not text:
        raise DirectiveError("dir.text_empty")
    if len(text) > MAX_TEXT:
        raise DirectiveError("upd.note_long", n=MAX_TEXT)
    return text


def create(
    session: Session,
    actor: Actor,
    plan_id: int,
    agency_id: int,
    subject: str,
    subject_id: int | None,
    text: str | None,
    due: date | None,
    today: date,
) -> Directive:
    """Write a directive to an agency of the plan's province; it is told at once."""
    require_direct(session, actor, plan_id)
    plan = session.get(Plan, plan_id)
    agency = session.get(Agency, agency_id)
    if plan is None or agency is None or agency.province_id != plan.province_id or subject not in SUBJECTS:
        raise DirectiveError("dir.no_subject")
    if subject == "agency":
        subject_id = None
    elif subject == "task":
        task = session.get(Task, subject_id) if subject_id is not None else None
        if task is None or task.plan_id != plan_id or task_relation(session, agency_id, task.id) is None:
            raise DirectiveError("dir.no_subject")
    else:
        ind = session.get(Indicator, subject_id) if subject_id is not None else None
        if ind is None or ind.plan_id != plan_id:
            raise DirectiveError("dir.no_subject")
    body = _text(text)
    if due is not None and due < today:
        raise DirectiveError("dir.due_past")
    row = Directive(
        plan_id=plan_id,
        agency_id=agency_id,
        subject=subject,
        subject_id=subject_id,
        text=body,
        due_date=due,
        created_at=clock.now(),
        created_by=actor.username,
    )
    session.add(row)
    session.flush()
    after = {"subject": subject, "subject_id": subject_id, "text": body, "due_date": due}
    record(session, actor, "directive.create", "directive", row.id, None, after, agency_id=agency_id)
    notices.notify(
        session,
        notices.agency_users(session, agency_id),
        f"directive:{row.id}",
        "directive",
        {"by": actor.username, "text": body[:200]},
        f"/viec-cua-toi?plan={plan_id}",
    )
    bump_data_version(session, [plan_id])
    return row


def answer(session: Session, actor: Actor, directive_id: int, text: str | None) -> Directive:
    """The addressed agency's answer; the leader who wrote the directive is told."""
    row = session.get(Directive, directive_id, with_for_update=True)
    if row is None:
        raise DirectiveError("dir.no_subject")
    require_answer(actor, row.agency_id)
    if row.answer is not None:
        raise DirectiveError("dir.already")
    body = _text(text)
    row.answer, row.answered_at, row.answered_by = body, clock.now(), actor.username
    record(session, actor, "directive.answer", "directive", row.id, None, {"answer": body}, agency_id=row.agency_id)
    author = session.scalar(select(User.id).where(User.username == row.created_by)) if row.created_by else None
    agency = session.get(Agency, row.agency_id)
    notices.notify(
        session,
        [author] if author is not None else [],
        f"answered:{row.id}",
        "answered",
        {"agency": agency.name if agency else "", "text": body[:200]},
        f"/don-vi?plan={row.plan_id}&agency={row.agency_id}",
    )
    bump_data_version(session, [row.plan_id])
    return row


def directives(session: Session, plan_id: int, agency_id: int | None = None) -> list[DirectiveRow]:
    """The plan's directives (one agency's, when given), newest first, with what each is about."""
    stmt = (
        select(Directive, Agency.name)
        .join(Agency, Agency.id == Directive.agency_id)
        .where(Directive.plan_id == plan_id)
        .order_by(Directive.created_at.desc(), Directive.id.desc())
    )
    if agency_id is not None:
        stmt = stmt.where(Directive.agency_id == agency_id)
    rows = session.execute(stmt).all()
    task_ids = [d.subject_id for d, _ in rows if d.subject == "task" and d.subject_id]
    kpi_ids = [d.subject_id for d, _ in rows if d.subject == "kpi" and d.subject_id]
    labels: dict[tuple[str, int], str] = {}
    subjects = [("task", Task, task_ids), ("kpi", Indicator, kpi_ids)]
    for kind, model, ids in subjects:
        if not ids:  # every page's red flags ask: no query for what no directive is about
            continue
        for sid, code, name in session.execute(select(model.id, model.code, model.name).where(model.id.in_(ids))):
            labels[(kind, sid)] = f"{code} · {name[:80]}"
    return [
        DirectiveRow(
            d.id,
            d.plan_id,
            d.agency_id,
            name,
            d.subject,
            d.subject_id,
            labels.get((d.subject, d.subject_id or 0), ""),
            d.text,
            d.due_date,
            d.created_at,
            d.created_by,
            d.answer,
            d.answered_at,
            d.answered_by,
        )
        for d, name in rows
    ]
