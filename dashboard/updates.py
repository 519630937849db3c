"""Changes agencies make: task updates and notes, monthly KPI figures.

Each function validates (messages in Vietnamese), checks permission, refuses a stale edit (version
numbers), writes the change and its audit record in the caller's transaction.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard import clock
from dashboard.accounts.audit import record
from dashboard.accounts.permissions import groups_of, require_figures, require_task_note, require_task_update
from dashboard.accounts.users import ADMIN, Actor
from dashboard.cycle.approval import check_open
from dashboard.cycle.locks import Rhythm
from dashboard.kpi.figure_origin import fed_by_sources
from dashboard.kpi.rules import is_percent
from dashboard.kpi.status import DONE, REPORTED
from dashboard.kpi.targets import parse_number
from dashboard.messages import Message, Problem, msg, t
from dashboard.sources.definitions import Source
from dashboard.store import latest as kept
from dashboard.store.database import bump_data_version
from dashboard.store.models import Indicator, IndicatorLead, Measurement, Task, TaskAgency, TaskUpdate

MAX_NOTE = 2000


class ValidationFailed(ValueError):
    """Input that breaks a rule; ``errors`` maps each field (or row) to a catalogue message."""

    def __init__(self, errors: dict[str, Message]) -> None:
        super().__init__("; ".join(map(str, errors.values())))
        self.errors = errors

    def texts(self, lang: str = "vi") -> dict[str, str]:
        """The messages of each field in ``lang``."""
        return {k: t(v, lang) for k, v in self.errors.items()}


class Conflict(Problem):
    """Someone saved a newer version first; ``current`` holds what is stored now."""

    def __init__(self, message: Message, current: dict) -> None:
        super().__init__(message)
        self.current = current


@dataclass
class TaskChange:
    """What the lead agency reports on a task for a month."""

    status: str
    progress: int | float | None
    month: date
    completed_on: date | None = None
    note: str = ""
    evidence_url: str = ""


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _check_month(month: date | None, today: date, errors: dict[str, Message], key: str = "month") -> None:
    if month is None:
        errors[key] = msg("upd.choose_month")
    elif _month_start(month) > _month_start(today):
        errors[key] = msg("upd.future_month", month=f"{month.month:02d}/{month.year}")


def check_evidence(url: str | None) -> Message | None:
    """An error message for an evidence link that is not http(s), else None."""
    url = (url or "").strip()
    if not url:
        return None
    low = url.lower()
    if not (low.startswith("http://") or low.startswith("https://")) or " " in url or len(url) > 500:
        return msg("upd.evidence")
    return None


def parse_amount(raw: object) -> float | None:
    """A number as typed in a form or a spreadsheet cell ("95,5", "1.234", " 12 "); None when blank.
    Raises ValueError for anything else ("abc", "12a", NaN, infinity)."""
    if raw is None or isinstance(raw, bool):
        if raw is None:
            return None
        raise ValueError(raw)
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        if not re.fullmatch(r"[-+]?\d+(?:[.,]\d+)*", text):
            raise ValueError(raw)
        sign = -1.0 if text.startswith("-") else 1.0
        value = sign * parse_number(text.lstrip("+-"))
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def validate_task_change(change: TaskChange, today: date) -> dict[str, Message]:
    """What is wrong with a task report, by field (empty when it may be saved)."""
    errors: dict[str, Message] = {}
    if change.status not in REPORTED:
        errors["status"] = msg("upd.status")
    try:
        progress = parse_amount(change.progress)
    except ValueError:
        progress = None
        errors["progress"] = msg("upd.progress_text", raw=change.progress)
    if progress is not None and not 0 <= progress <= 100:
        errors["progress"] = msg("upd.progress_range", value=f"{progress:g}")
    _check_month(change.month, today, errors)
    if change.completed_on is not None and change.completed_on > today:
        errors["completed_on"] = msg("upd.completed_future")
    if change.status != DONE and change.completed_on is not None:
        errors["completed_on"] = msg("upd.completed_not_done")
    if (message := check_evidence(change.evidence_url)) is not None:
        errors["evidence_url"] = message
    if len(change.note or "") > MAX_NOTE:
        errors["note"] = msg("upd.note_long", n=MAX_NOTE)
    return errors


def _latest_update(session: Session, task_id: int) -> TaskUpdate | None:
    return session.scalar(
        select(TaskUpdate)
        .where(TaskUpdate.task_id == task_id, TaskUpdate.kind != "note")
        .order_by(TaskUpdate.month.desc(), TaskUpdate.created_at.desc(), TaskUpdate.id.desc())
        .limit(1)
    )


def task_state(session: Session, task: Task) -> dict:
    """What is stored for a task now: its version and latest reported status."""
    latest = _latest_update(session, task.id)
    return {
        "version": task.version,
        "status": latest.status if latest else "not_started",
        "progress": latest.progress if latest else 0,
        "completed_on": latest.completed_on.isoformat() if latest and latest.completed_on else None,
        "note": latest.note if latest else None,
        "evidence_url": latest.evidence_url if latest else None,
        "updated_by": latest.created_by if latest else None,
    }


def _lock(session: Session, task_id: int, expected_version: int | None) -> Task:
    # FOR NO KEY UPDATE: saves of one task still queue, while a row that refers to the task (its kept latest
    # report) can be written by another transaction meanwhile
    task = session.get(Task, task_id, with_for_update={"key_share": True})
    if task is None or not task.active:
        raise ValidationFailed({"task": msg("upd.no_task")})
    if expected_version is None or int(expected_version) != task.version:
        state = task_state(session, task)
        who = state["updated_by"]
        raise Conflict(msg("upd.task_conflict_by", who=who) if who else msg("upd.task_conflict"), state)
    return task


def _reporting_agency(session: Session, actor: Actor, task: Task) -> int | None:
    """Whose month a task report belongs to: the reporting agency's, or for an admin the task's first lead."""
    if actor.agency_id is not None:
        return actor.agency_id
    return session.scalar(
        select(TaskAgency.agency_id)
        .where(TaskAgency.task_id == task.id, TaskAgency.role == "lead")
        .order_by(TaskAgency.position)
        .limit(1)
    )


def counts_at_once(actor: Actor) -> bool:
    """Whether what the actor saves counts without approval: the secretariat's admins approve their own."""
    return actor.role == ADMIN


def update_task(
    session: Session,
    actor: Actor,
    task_id: int,
    expected_version: int | None,
    change: TaskChange,
    today: date,
    rhythm: Rhythm | None = None,
) -> TaskUpdate:
    """Record the lead agency's report on a task (a new update row); audit it; bump the version. It counts on
    the pages once the month is approved; a locked month is refused."""
    require_task_update(session, actor, task_id)
    errors = validate_task_change(change, today)
    if errors:
        raise ValidationFailed(errors)
    task = _lock(session, task_id, expected_version)
    agency = _reporting_agency(session, actor, task)
    if agency is not None:
        check_open(session, task.plan_id, agency, change.month, rhythm or Rhythm(), today)
    before = task_state(session, task)
    progress = 100 if change.status == DONE else int(round(parse_amount(change.progress) or 0))
    completed = change.completed_on or (today if change.status == DONE else None)
    upd = TaskUpdate(
        task_id=task.id,
        agency_id=actor.agency_id,
        kind="update",
        status=change.status,
        progress=progress,
        note=(change.note or "").strip() or None,
        evidence_url=(change.evidence_url or "").strip() or None,
        month=_month_start(change.month),
        completed_on=completed,
        created_at=clock.now(),
        created_by=actor.username,
        approved=counts_at_once(actor),
    )
    session.add(upd)
    task.version += 1
    session.flush()
    after = task_state(session, task)
    record(session, actor, "task.update", "task", task.id, before, after, agency_id=actor.agency_id)
    _keep_task(session, task, upd)
    bump_data_version(session, [task.plan_id])
    return upd


def _keep_task(session: Session, task: Task, upd: TaskUpdate) -> None:
    """The task's kept latest report and note, and its agency's receipt for the month (``store.latest``)."""
    kept.keep_tasks(session, [task.id])
    kept.keep_receipts(session, task.plan_id, [upd.agency_id], [upd.month])


def add_task_note(
    session: Session, actor: Actor, task_id: int, expected_version: int | None, note: str, today: date
) -> TaskUpdate:
    """A note from an agency taking part in a task; it never changes the status."""
    require_task_note(session, actor, task_id)
    note = (note or "").strip()
    if not note:
        raise ValidationFailed({"note": msg("upd.note_empty")})
    if len(note) > MAX_NOTE:
        raise ValidationFailed({"note": msg("upd.note_long", n=MAX_NOTE)})
    task = _lock(session, task_id, expected_version)
    latest = _latest_update(session, task.id)
    upd = TaskUpdate(
        task_id=task.id,
        agency_id=actor.agency_id,
        kind="note",
        status=latest.status if latest else "not_started",
        progress=latest.progress if latest else 0,
        note=note,
        month=_month_start(today),
        created_at=clock.now(),
        created_by=actor.username,
    )
    session.add(upd)
    task.version += 1
    session.flush()
    record(
        session,
        actor,
        "task.note",
        "task",
        task.id,
        None,
        {"note": note, "version": task.version},
        agency_id=actor.agency_id,
    )
    _keep_task(session, task, upd)
    bump_data_version(session, [task.plan_id])
    return upd


# --- monthly KPI figures --------------------------------------------------------------------------


@dataclass
class FigureInput:
    """One KPI's figure for the month as typed or uploaded; ``row`` locates it for messages."""

    indicator_id: int
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    # The stored figure's version the form was built from: 0 when there was none then (a figure someone created
    # meanwhile is a conflict), None when unknown (an upload, which its preview showed) and overwrites.
    version: int | None = None
    row: str = ""


@dataclass
class FiguresResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_ids: list[int] = field(default_factory=list)
    plan_ids: set[int] = field(default_factory=set)  # plans whose data changed (their pages are rebuilt)


def reported_indicators(session: Session, agency_id: int, plan_id: int | None = None) -> list[Indicator]:
    """KPIs an agency reports: those it leads directly or through a collective group."""
    ids = {agency_id} | groups_of(session, agency_id)
    led = select(IndicatorLead.indicator_id).where(IndicatorLead.agency_id.in_(ids))
    stmt = select(Indicator).where(Indicator.id.in_(led)).order_by(Indicator.plan_id, Indicator.position)
    if plan_id is not None:
        stmt = stmt.where(Indicator.plan_id == plan_id)
    return list(session.scalars(stmt))


MAX_FIGURE = 1e12  # no count or amount a province reports comes near; larger is a typing slip or an attack


def _figure_problem(ind: Indicator, f: FigureInput) -> Message | None:
    if any(v is not None and not math.isfinite(v) for v in (f.numerator, f.denominator, f.value)):
        return msg("fig.not_finite")
    if any(v is not None and abs(v) > MAX_FIGURE for v in (f.numerator, f.denominator, f.value)):
        return msg("fig.too_large", max=f"{MAX_FIGURE:,.0f}".replace(",", "."))
    if ind.is_ratio:
        if f.numerator is None and f.denominator is None:
            return msg("fig.need_both")
        if f.numerator is None:
            return msg("fig.lacks", what=msg("field.numerator"))
        if f.denominator is None:
            return msg("fig.lacks", what=msg("field.denominator"))
        for what, v in (("numerator", f.numerator), ("denominator", f.denominator)):
            if v < 0:
                return msg("fig.negative", what=msg(f"field.{what}"), value=f"{v:g}")
            if v != int(v):
                return msg("fig.whole", what=msg(f"field.{what}"), value=f"{v:g}")
        if f.denominator == 0:
            return msg("fig.zero_denominator")
        if f.numerator > f.denominator:
            return msg("fig.over", numerator=f"{f.numerator:g}", denominator=f"{f.denominator:g}")
        return None
    if f.value is None:
        return msg("fig.need_value")
    if f.value < 0:
        return msg("fig.negative", what=msg("field.value"), value=f"{f.value:g}")
    if is_percent(ind.unit) and f.value > 100:
        return msg("fig.percent", value=f"{f.value:g}")
    return None


def validate_figure(ind: Indicator, f: FigureInput) -> Message | None:
    """What is wrong with one figure, naming its KPI ("Chỉ tiêu 7: thiếu mẫu số."), else None."""
    problem = _figure_problem(ind, f)
    return msg("fig.in_kpi", code=ind.code, problem=problem) if problem else None


def source_fed_message(ind: Indicator, source: str) -> Message:
    return msg("fig.source_fed", code=ind.code, source=source)


def save_figures(
    session: Session,
    actor: Actor,
    agency_id: int,
    month: date,
    figures: list[FigureInput],
    today: date,
    source: str = "form",
    sources: Iterable[Source] = (),
    rhythm: Rhythm | None = None,
) -> FiguresResult:
    """Upsert an agency's figures for a month: all rows valid, or nothing is written. A KPI that a SQL source
    feeds takes no typed figure (``sources`` names them in the message). The figures count on the pages once
    the month is approved; a locked month is refused."""
    require_figures(actor, agency_id)
    errors: dict[str, Message] = {}
    _check_month(month, today, errors)
    allowed = {i.id: i for i in reported_indicators(session, agency_id)}
    filled = [f for f in figures if any(v is not None for v in (f.numerator, f.denominator, f.value))]
    if not filled and not errors:
        errors["figures"] = msg("fig.none")
    fed = fed_by_sources(session, [f.indicator_id for f in filled if f.indicator_id in allowed], sources)
    for f in filled:
        key = f.row or f"indicator-{f.indicator_id}"
        ind = allowed.get(f.indicator_id)
        if ind is None:
            errors[key] = msg("fig.not_yours")
            continue
        if ind.id in fed:
            errors[key] = source_fed_message(ind, fed[ind.id])
            continue
        if (message := validate_figure(ind, f)) is not None:
            errors[key] = message
    if errors:
        raise ValidationFailed(errors)
    month = _month_start(month)
    for plan_id in sorted({allowed[f.indicator_id].plan_id for f in filled}):
        check_open(session, plan_id, agency_id, month, rhythm or Rhythm(), today)
    approved = counts_at_once(actor)
    result = FiguresResult()
    for f in filled:
        m = session.scalar(
            select(Measurement)
            .where(
                Measurement.indicator_id == f.indicator_id,
                Measurement.agency_id == agency_id,
                Measurement.month == month,
            )
            .with_for_update()
        )
        ind = allowed[f.indicator_id]
        new = {"numerator": f.numerator, "denominator": f.denominator} if ind.is_ratio else {"value": f.value}
        if m is None:
            m = Measurement(
                indicator_id=f.indicator_id,
                agency_id=agency_id,
                month=month,
                source=source,
                recorded_at=clock.now(),
                recorded_by=actor.username,
                version=1,
                approved=approved,
                **new,
            )
            code = ind.code  # read now: a failed flush expires every object of the session
            session.add(m)
            try:
                session.flush()  # two people creating the same figure at once: the second is a conflict
            except IntegrityError:
                raise Conflict(
                    msg("fig.conflict_new", code=code, month=f"{month.month:02d}/{month.year}"), {}
                ) from None
            result.created += 1
            record(
                session,
                actor,
                "figure.create",
                "measurement",
                m.id,
                None,
                {**new, "indicator": ind.code, "month": month},
                agency_id=agency_id,
            )
            result.changed_ids.append(m.id)
            continue
        if f.version is not None and f.version != m.version:
            current = {
                "numerator": m.numerator,
                "denominator": m.denominator,
                "value": m.value,
                "version": m.version,
                "recorded_by": m.recorded_by,
            }
            month_text = f"{month.month:02d}/{month.year}"
            raise Conflict(msg("fig.conflict", code=ind.code, month=month_text, who=m.recorded_by), current)
        before = {"numerator": m.numerator, "denominator": m.denominator} if ind.is_ratio else {"value": m.value}
        if before == new:
            result.unchanged += 1
            continue
        for k, v in new.items():
            setattr(m, k, v)
        m.source, m.recorded_at, m.recorded_by = source, clock.now(), actor.username
        m.approved = approved
        m.version += 1
        result.updated += 1
        result.changed_ids.append(m.id)
        record(
            session,
            actor,
            "figure.update",
            "measurement",
            m.id,
            {**before, "month": month},
            {**new, "indicator": ind.code, "month": month},
            agency_id=agency_id,
        )
    if result.changed_ids:
        result.plan_ids = {allowed[f.indicator_id].plan_id for f in filled}
        kept.keep_figures(session, [f.indicator_id for f in filled], [agency_id])
        for plan_id in result.plan_ids:
            kept.keep_receipts(session, plan_id, [agency_id], [month])
        bump_data_version(session, result.plan_ids)
    return result
