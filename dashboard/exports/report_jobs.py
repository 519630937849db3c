"""Briefings made in the background and kept for download (the "Báo cáo" page).

A click starts a job (``start``) and returns at once; a thread of the web process makes the file (``run``),
writing its progress to the store, so any worker can show it and the file can be fetched later, from any
page, even after the person moved on. A second click (in any worker) finds the job under way instead of
starting another: ``ReportJob.active_key`` is unique while a job is queued or running.

Three kinds:

- ``briefing``: the PDF briefing of the plan under the page's filters;
- ``pack``: a ZIP with the province summary (for the leaders) and one PDF per agency holding only its KPIs,
  tasks and flags (for each agency's head);
- ``slides``: the PowerPoint deck (one slide per headline KPI, the red flags, the quarter timeline and the
  agency ranking).

The files themselves are drawn by ``layouts.briefing`` and ``layouts.slides`` (the dashboard's own charts),
imported only when a job runs.
"""

from __future__ import annotations

import io
import logging
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard import clock
from dashboard.accounts.permissions import PermissionDenied, can_read_plan, require_read_plan
from dashboard.accounts.users import ADMIN, Actor
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import Settings, briefing_data, pack_data, slides_data
from dashboard.store.database import get_meta, transaction
from dashboard.store.models import Plan, ReportJob, User
from dashboard.text import slug

log = logging.getLogger(__name__)
Progress = Callable[..., None]

BRIEFING, PACK, SLIDES = "briefing", "pack", "slides"
KINDS = (BRIEFING, PACK, SLIDES)
SUFFIX = {BRIEFING: "pdf", PACK: "zip", SLIDES: "pptx"}
MIME = {
    "pdf": "application/pdf",
    "zip": "application/zip",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
NAMES = {BRIEFING: "bao cao tinh hinh", PACK: "bo bao cao theo don vi", SLIDES: "trinh chieu"}
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# A job whose worker stopped (restart, crash) stops being "under way" after this long without news.
STALE_AFTER = timedelta(minutes=10)
KEEP = 50  # jobs listed on the page per person (and the schedule's)


@dataclass(frozen=True)
class JobView:
    """A job as the "Báo cáo" page lists it."""

    id: int
    kind: str
    plan: str
    status: str
    progress: int
    step: str | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    file_name: str | None
    size: int | None
    scheduled: bool
    by: str | None

    @property
    def under_way(self) -> bool:
        return self.status in (QUEUED, RUNNING)


def start(engine: Engine, who: Actor, plan_id: int | None, kind: str, f: Filters, today: date) -> tuple[int, bool]:
    """Queue a job for this person, or find the one of theirs already under way for the same file: its id,
    and whether it is new (only a new one is handed to a runner)."""
    if kind not in KINDS or who.is_kiosk or who.user_id is None:
        raise PermissionDenied("not_allowed")
    query = f.with_(plan=plan_id).to_query()
    key = f"{who.user_id}|{plan_id}|{kind}|{f.lang}|{query}"[:1200]
    with transaction(engine) as s:
        require_read_plan(s, who, plan_id)
        _expire_stale(s)
    now = clock.now()
    try:
        with transaction(engine) as s:
            job = ReportJob(
                kind=kind,
                plan_id=plan_id,
                query=query[:1000],
                lang=f.lang,
                requested_by=who.user_id,
                status=QUEUED,
                progress=0,
                active_key=key,
                created_at=now,
                heartbeat_at=now,
                as_of=today,
            )
            s.add(job)
            s.flush()
            return job.id, True
    except IntegrityError:
        with transaction(engine) as s:
            existing = s.scalar(select(ReportJob.id).where(ReportJob.active_key == key))
        if existing is None:  # it ended between the two questions: a new one may start
            return start(engine, who, plan_id, kind, f, today)
        return existing, False


def _expire_stale(s: Session) -> None:
    """Jobs whose worker went away: failed, and no longer blocking a new one."""
    s.execute(
        update(ReportJob)
        .where(ReportJob.active_key.is_not(None), ReportJob.heartbeat_at < clock.now() - STALE_AFTER)
        .values(status=FAILED, error="report.interrupted", active_key=None, finished_at=clock.now())
    )


def run(engine: Engine, job_id: int, settings: Settings) -> None:
    """Make the file of a queued job and keep it; a failure is recorded on the job, never raised."""
    with transaction(engine) as s:
        job = s.get(ReportJob, job_id)
        if job is None or job.status != QUEUED:
            return
        job.status, job.heartbeat_at = RUNNING, clock.now()
        kind, plan_id, query, lang, as_of = job.kind, job.plan_id, job.query, job.lang, job.as_of
        demo = get_meta(s, "dataset") == "demo"

    def progress(done: int, total: int, step: str | None = None) -> None:
        with transaction(engine) as s:
            s.execute(
                update(ReportJob)
                .where(ReportJob.id == job_id)
                .values(progress=min(99, int(100 * done / max(1, total))), step=step, heartbeat_at=clock.now())
            )

    f = Filters.from_query(query).with_(plan=plan_id, lang=lang)
    try:
        data, name = BUILDERS[kind](engine, f, as_of, settings, demo, progress)
    except Exception:
        log.exception("report job %s (%s, plan %s) failed", job_id, kind, plan_id)
        with transaction(engine) as s:
            s.execute(
                update(ReportJob)
                .where(ReportJob.id == job_id)
                .values(status=FAILED, error="report.failed", active_key=None, finished_at=clock.now())
            )
        return
    with transaction(engine) as s:
        s.execute(
            update(ReportJob)
            .where(ReportJob.id == job_id)
            .values(
                status=DONE,
                progress=100,
                step=None,
                content=data,
                size=len(data),
                file_name=name,
                active_key=None,
                finished_at=clock.now(),
                heartbeat_at=clock.now(),
            )
        )


def file_name(kind: str, plan: dict, today: date) -> str:
    return slug(f"{NAMES[kind]} {plan['code']} {today:%d-%m-%Y}") + "." + SUFFIX[kind]


def briefing_pdf(data: dict, demo: bool, lang: str, agency: str | None = None) -> bytes:
    """The PDF of a briefing's data (``page_data.briefing_data``, or a part of ``pack_data``)."""
    from layouts.briefing import build_pdf  # the charts live with the web layouts; imported only here

    return build_pdf(**data, demo=demo, lang=lang, agency=agency)


def slide_deck(data: dict, demo: bool, lang: str, progress: Progress | None = None) -> bytes:
    """The PowerPoint deck of ``page_data.slides_data``."""
    from layouts.slides import build_pptx

    return build_pptx(**data, lang=lang, demo=demo, progress=progress)


def _briefing(engine: Engine, f: Filters, today: date, settings: Settings, demo: bool, progress: Progress):  # noqa: ANN202
    with transaction(engine) as s:
        data = briefing_data(s, f, today, settings)
    if data is None:
        raise LookupError("no plan")
    progress(1, 3)
    return briefing_pdf(data, demo, f.lang), file_name(BRIEFING, data["plan"], today)


def _pack(engine: Engine, f: Filters, today: date, settings: Settings, demo: bool, progress: Progress):  # noqa: ANN202
    with transaction(engine) as s:
        data = pack_data(s, f.with_(agencies=()), today, settings)
    if data is None:
        raise LookupError("no plan")
    summary, agencies = data
    total = len(agencies) + 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr("00-" + file_name(BRIEFING, summary["plan"], today), briefing_pdf(summary, demo, f.lang))
        progress(1, total, summary["plan"]["province"])
        used: set[str] = set()
        for n, page in enumerate(agencies, start=2):
            page.pop("agency_id")
            agency = page.pop("agency")
            name = slug(agency) or "don-vi"
            while name in used:  # two agencies whose names differ only in accents
                name += "-2"
            used.add(name)
            pack.writestr(f"{name}.pdf", briefing_pdf(page, demo, f.lang, agency))
            progress(n, total, agency)
    return out.getvalue(), file_name(PACK, summary["plan"], today)


def _slides(engine: Engine, f: Filters, today: date, settings: Settings, demo: bool, progress: Progress):  # noqa: ANN202
    with transaction(engine) as s:
        data = slides_data(s, f, today, settings)
    if data is None:
        raise LookupError("no plan")
    return slide_deck(data, demo, f.lang, progress), file_name(SLIDES, data["plan"], today)


BUILDERS = {BRIEFING: _briefing, PACK: _pack, SLIDES: _slides}


def jobs_for(s: Session, who: Actor, plan_id: int | None) -> list[JobView]:
    """The jobs this person sees on the "Báo cáo" page for a plan: their own and the monthly schedule's."""
    if who.is_kiosk or who.user_id is None or not can_read_plan(s, who, plan_id):
        return []
    # a job whose worker went away shows as interrupted; the store is mended by the next ``start``, not by
    # every poll of every open page
    lost_before = clock.now() - STALE_AFTER
    rows = s.execute(
        select(ReportJob, Plan.code, User.username)
        .join(Plan, Plan.id == ReportJob.plan_id)
        .outerjoin(User, User.id == ReportJob.requested_by)
        .where(ReportJob.plan_id == plan_id)
        .where((ReportJob.requested_by == who.user_id) | ReportJob.scheduled)
        .order_by(ReportJob.created_at.desc(), ReportJob.id.desc())
        .limit(KEEP)
    ).all()
    views = []
    for j, code, username in rows:
        lost = j.active_key is not None and j.heartbeat_at < lost_before
        views.append(
            JobView(
                j.id,
                j.kind,
                code,
                FAILED if lost else j.status,
                j.progress,
                j.step,
                "report.interrupted" if lost else j.error,
                j.created_at,
                j.finished_at,
                j.file_name,
                j.size,
                j.scheduled,
                username,
            )
        )
    return views


def job_file(s: Session, who: Actor, job_id: int) -> tuple[bytes, str, str]:
    """The kept file of a job (content, name, MIME type), for the person who asked for it (or anyone who
    may read the plan, for the schedule's); anything else is refused as if it did not exist."""
    job = s.get(ReportJob, job_id)
    if job is None or job.status != DONE or job.content is None or who.is_kiosk:
        raise PermissionDenied("perm.report")
    mine = job.requested_by is not None and job.requested_by == who.user_id
    if not (mine or job.scheduled or who.role == ADMIN) or not can_read_plan(s, who, job.plan_id):
        raise PermissionDenied("perm.report")
    return job.content, job.file_name or f"report-{job.id}", MIME[job.file_name.rsplit(".", 1)[-1]]


def keep_scheduled(s: Session, plan_id: int, today: date, data: bytes, name: str) -> None:
    """A monthly briefing made by the schedule, kept for the "Báo cáo" page of every reader of the plan."""
    now = clock.now()
    s.add(
        ReportJob(
            kind=BRIEFING,
            plan_id=plan_id,
            query=Filters(plan=plan_id).to_query(),
            lang="vi",
            scheduled=True,
            status=DONE,
            progress=100,
            created_at=now,
            heartbeat_at=now,
            finished_at=now,
            as_of=today,
            file_name=name,
            size=len(data),
            content=data,
        )
    )


class Runner:
    """The web process's job thread: one file at a time (each is CPU work that shares the process with the
    pages), in order; a job that cannot start is marked failed by ``run`` itself."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-job")
        self._lock = threading.Lock()
        self._pending = 0

    def submit(self, job_id: int) -> None:
        with self._lock:
            self._pending += 1
            self._pool.submit(self._run, job_id)

    def _run(self, job_id: int) -> None:
        try:
            run(self.engine, job_id, self.settings)
        finally:
            with self._lock:
                self._pending -= 1
                idle = self._pending == 0
            if idle:
                from layouts.briefing import stop_renderer

                stop_renderer()
