"""The scheduler: pulls every SQL source on its own interval and marks the data fresh every few minutes.

Run it in one process of its own (``python -m dashboard scheduler``, the Procfile's ``worker:``), or
in-process with ``serve``. Each job tick is claimed in the database first (a row keyed by job and tick),
so however many scheduler processes run, each job runs once per tick.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError

from dashboard import clock
from dashboard.cycle.mail import send_pending
from dashboard.cycle.reminders import briefing_notices, raise_reminders
from dashboard.exports.briefings import briefing_day, write_monthly_briefings
from dashboard.reads import summaries
from dashboard.sources.definitions import Source
from dashboard.sources.refresh import run_source
from dashboard.store.database import bump_data_version, get_meta, set_meta, transaction
from dashboard.store.models import JobClaim

log = logging.getLogger(__name__)
RECOMPUTE_SECONDS = 300
RETRY_BASE_SECONDS = 30
MAIL_SECONDS = 60


def claim(engine: Engine, job: str, tick: int, holder: str) -> bool:
    """True for the one process that claims this job's tick first."""
    try:
        with transaction(engine, write=True) as s:
            s.add(JobClaim(job=job, tick=tick, claimed_at=clock.now(), holder=holder))
        return True
    except IntegrityError:
        return False


def tick_of(interval_seconds: float, at: float | None = None) -> int:
    """The tick a moment belongs to; jobs fire on multiples of their interval, so all processes agree."""
    return round((time.time() if at is None else at) / interval_seconds)


def aligned_start(interval_seconds: float) -> datetime:
    """The next wall-clock multiple of the interval, so every process fires at the same instants."""
    now = time.time()
    return datetime.fromtimestamp((int(now // interval_seconds) + 1) * interval_seconds)


class KpiScheduler:
    """APScheduler wired to the sources, with tick claims and retry back-off."""

    def __init__(self, engine: Engine, sources: list[Source], on_refresh=None, briefings=None, cycle=None) -> None:  # noqa: ANN001
        self.engine = engine
        # The settings (``Config``) of the monthly cycle's reminders and mail; None: no reminders.
        self.cycle = cycle
        self.sources = sources
        # (folder, today function, settings): the monthly briefing, and the national view's plan summaries
        self.briefings = briefings
        # Called with the ids of the plans whose data changed (None: any plan may have): the web app prepares
        # their pages' data there, so the first viewer after a refresh or a new day does not wait for it.
        self.on_refresh = on_refresh
        self.holder = f"{socket.gethostname()}:{os.getpid()}"
        self.failures: dict[str, int] = {}
        self.scheduler = BackgroundScheduler(job_defaults={"coalesce": True, "max_instances": 1}, timezone=clock.zone())

    def start(self) -> None:
        for src in self.sources:
            self.scheduler.add_job(
                self.refresh_job,
                "interval",
                seconds=src.interval_seconds,
                id=src.job_id,
                args=[src],
                start_date=aligned_start(src.interval_seconds),
                replace_existing=True,
            )
        self.scheduler.add_job(
            self.recompute_job,
            "interval",
            seconds=RECOMPUTE_SECONDS,
            id="recompute",
            start_date=aligned_start(RECOMPUTE_SECONDS),
            replace_existing=True,
        )
        if self.on_refresh is not None:  # at start: the pages' data is ready before anyone asks
            self.scheduler.add_job(self.on_refresh, "date", args=[None], id="prepare", replace_existing=True)
        if self.briefings is not None:
            day = briefing_day(self.briefings[2])
            self.scheduler.add_job(
                self.briefing_job, "cron", day=day, hour=6, minute=0, id="briefing", replace_existing=True
            )
        if self.cycle is not None:
            self.scheduler.add_job(self.reminder_job, "cron", hour=7, minute=0, id="reminders", replace_existing=True)
            if self.cycle.smtp_url:
                self.scheduler.add_job(
                    self.mail_job,
                    "interval",
                    seconds=MAIL_SECONDS,
                    id="mail",
                    start_date=aligned_start(MAIL_SECONDS),
                    replace_existing=True,
                )
        self.scheduler.start()

    def reminder_job(self) -> None:
        """The day's reminders (D-5, D-1, D+1, the Monday digest) as notices, then their mail."""
        today = self.cycle.as_of()
        if not claim(self.engine, "reminders", today.toordinal(), self.holder):
            return
        added = raise_reminders(self.engine, today, self.cycle.rhythm(), self.cycle.due_soon_days)
        log.info("reminders of %s: %d notices", today, added)
        if self.cycle.smtp_url:
            self.mail_job()

    def mail_job(self) -> None:
        """Mail the notices not mailed yet (each once, whatever the number of processes)."""
        try:
            send_pending(self.engine, self.cycle.smtp_url, self.cycle.mail_from, self.cycle.link)
        except (OSError, ValueError) as exc:  # the mail server is down or misnamed: the notices wait in the bell
            log.warning("notices could not be mailed: %s", exc)

    def briefing_job(self) -> None:
        """The monthly briefing, once per month whatever the number of scheduler processes."""
        folder, today_fn, settings = self.briefings
        today = today_fn()
        if not claim(self.engine, "briefing", today.year * 100 + today.month, self.holder):
            return
        for path in write_monthly_briefings(self.engine, folder, today, settings):
            log.info("briefing written: %s", path)
        briefing_notices(self.engine, today)

    def shutdown(self) -> None:
        self.scheduler.shutdown(wait=False)

    def refresh_job(self, source: Source, retry_tick: int | None = None) -> None:
        job = source.job_id if retry_tick is None else f"retry:{source.name}"
        tick = tick_of(source.interval_seconds) if retry_tick is None else retry_tick
        if not claim(self.engine, job, tick, self.holder):
            return
        result = run_source(self.engine, source)
        if result.status == "ok":
            self.failures.pop(source.name, None)
            if self.on_refresh and result.plans:
                self.on_refresh(list(result.plans))
            return
        # Keep the last good data; try again sooner than the next tick, backing off on repeated failures.
        n = self.failures[source.name] = self.failures.get(source.name, 0) + 1
        delay = min(source.interval_seconds / 2, RETRY_BASE_SECONDS * 2 ** (n - 1))
        when = clock.now() + timedelta(seconds=delay)
        log.warning("source %s failed (%s); retry in %.0f s", source.name, result.error, delay)
        if delay >= 1 and self.scheduler.running:
            self.scheduler.add_job(
                self.refresh_job,
                "date",
                run_date=when,
                # Named after the failed tick and the attempt, the same in every scheduler process: however
                # many run, each retry is claimed once, like a tick.
                args=[source, (tick if retry_tick is None else tick // 100) * 100 + min(n, 99)],
                id=f"retry:{source.name}",
                replace_existing=True,
            )

    def recompute_job(self) -> None:
        """Statuses change with the date alone: on a new day mark every plan's data fresh so open pages
        recompute; keep the national summaries current; tidy old claims."""
        if not claim(self.engine, "recompute", tick_of(RECOMPUTE_SECONDS), self.holder):
            return
        today = (self.briefings[1] if self.briefings is not None else clock.today)()
        with transaction(self.engine) as s:
            if get_meta(s, "recomputed_for") != today.isoformat():
                bump_data_version(s)
                set_meta(s, "recomputed_for", today.isoformat())
            s.execute(delete(JobClaim).where(JobClaim.claimed_at < clock.now() - timedelta(days=2)))
        if self.briefings is not None:
            _, today_fn, settings = self.briefings
            summaries.refresh(self.engine, today_fn(), settings)
        if self.on_refresh:
            self.on_refresh(None)
