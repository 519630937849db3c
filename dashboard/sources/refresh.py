"""Pulling KPI figures from SQL sources into the store: one transaction per source, every run recorded.

A source that fails or times out changes nothing: its last good figures stay, the run is recorded with
its error, and pages say how old that source's data is.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, create_engine, event, insert, make_url, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from dashboard import clock
from dashboard.accounts.audit import record
from dashboard.accounts.users import SYSTEM
from dashboard.agencies.directory import StoredDirectory
from dashboard.kpi.figure_origin import SUBMITTED
from dashboard.sources.definitions import Source, SourceConfigError
from dashboard.store import latest as kept
from dashboard.store.database import bump_data_version, normalize_url, transaction
from dashboard.store.models import Agency, FigureChange, Indicator, Measurement, Plan, Province, RefreshRun
from dashboard.updates import MAX_FIGURE

MAX_PROBLEMS = 5
BATCH = 10_000  # rows per bulk INSERT / UPDATE call


class SourceTimeout(Exception):
    pass


@dataclass
class RunResult:
    source: str
    status: str
    rows_read: int = 0
    rows_changed: int = 0
    rows_skipped: int = 0
    error: str | None = None
    plans: tuple[int, ...] = ()  # plans whose figures changed


def read_source(source: Source) -> list[tuple]:
    """Run the source's query and return its rows; raises SourceTimeout past ``timeout_seconds``."""
    url = make_url(normalize_url(source.url()))
    timeout = source.timeout_seconds
    connect_args: dict = {}
    if url.get_backend_name() == "postgresql":
        # Keep options the URL already carries (a search_path, say) beside the statement timeout.
        options = f"{url.query.get('options', '')} -c statement_timeout={int(timeout * 1000)}".strip()
        url = url.difference_update_query(["options"])
        connect_args = {"connect_timeout": max(1, int(timeout)), "options": options}
    elif url.get_backend_name() == "sqlite":
        connect_args = {"timeout": timeout}
    engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
    deadline = time.monotonic() + timeout
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _limit(dbapi_conn, _record):  # noqa: ANN001, ANN202
            # SQLite has no statement timeout: abort the query from its progress handler.
            dbapi_conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)

    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(source.query))]
    except SQLAlchemyError as exc:
        message = str(exc.orig if getattr(exc, "orig", None) is not None else exc).lower()
        if (
            time.monotonic() > deadline
            or "interrupted" in message
            or "statement timeout" in message
            or "canceling statement" in message
        ):
            raise SourceTimeout(f"source '{source.name}' did not answer within {timeout:g} s") from None
        raise
    finally:
        engine.dispose()


def _month(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    text_value = str(value or "").strip()
    try:
        if len(text_value) == 7:
            return date.fromisoformat(text_value + "-01")
        return date.fromisoformat(text_value[:10]).replace(day=1)
    except ValueError:
        return None


@dataclass
class Applied:
    """What ``apply_rows`` did: counts, the first problems, the plans whose figures changed, and each change
    as (indicator, agency, month, measurement id or None when new, before or None, after)."""

    changed: int
    skipped: int
    problems: list[str]
    plans: set[int]
    changes: list[tuple[int, int, date, int | None, dict | None, dict]]


def _figure(values: tuple | list, source: str) -> dict:
    num, den, value = values[:3]
    return {"numerator": num, "denominator": den, "value": value, "source": source}


class _Lookups:
    """Plans, KPIs and agencies in memory, for resolving millions of source rows: each agency spelling is looked
    up once per province, each distinct month value read once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.plans = {
            code: (plan_id, province_id)
            for code, plan_id, province_id in session.execute(select(Plan.code, Plan.id, Plan.province_id))
        }
        # A row names a plan KPI by its own code, or by its national code: then it feeds every KPI of the plan
        # that carries that code (Lào Cai's KPIs 5 and 6 both measure full online services), each with its rows.
        self.indicators: dict[tuple[int, str], list[tuple[int, bool]]] = {}
        by_national: dict[tuple[int, str], list[tuple[int, bool]]] = {}
        self.plan_of: dict[int, int] = {}  # indicator -> plan
        for ind_id, plan_id, code, national_code, ratio in session.execute(
            select(
                Indicator.id, Indicator.plan_id, Indicator.code, Indicator.national_code, Indicator.is_ratio
            ).order_by(Indicator.id)
        ):
            self.indicators.setdefault((plan_id, code), [(ind_id, bool(ratio))])
            self.plan_of[ind_id] = plan_id
            if national_code:
                by_national.setdefault((plan_id, national_code), []).append((ind_id, bool(ratio)))
        for key, targets in by_national.items():
            self.indicators.setdefault(key, targets)
        self.codes = {
            (province_id, code): agency_id
            for agency_id, province_id, code in session.execute(
                select(Agency.id, Agency.province_id, Agency.code).order_by(Agency.id)
            )
        }
        self._directories: dict[int, StoredDirectory] = {}
        self._agencies: dict[tuple[int, str], int | None] = {}
        self._months: dict[tuple[type, object], date | None] = {}

    def agency(self, province_id: int, raw: object) -> int | None:
        spelling = (province_id, str(raw))
        if spelling not in self._agencies:
            if province_id not in self._directories:
                province = self.session.get(Province, province_id)
                self._directories[province_id] = StoredDirectory(self.session, province)
            directory = self._directories[province_id]
            name = directory.names.lookup(spelling[1])
            found = directory.by_name[name].id if name in directory.by_name else None
            self._agencies[spelling] = found or self.codes.get((province_id, spelling[1].strip()))
        return self._agencies[spelling]

    def month(self, raw: object) -> date | None:
        when = (type(raw), raw)
        try:
            return self._months[when]
        except KeyError:
            month = self._months[when] = _month(raw)
            return month
        except TypeError:  # an unhashable value
            return _month(raw)


Resolved = tuple[tuple[int, int, date], tuple[float | None, float | None, float | None]]


def _resolve(row: tuple, source: Source, look: _Lookups) -> list[Resolved] | str:
    """One source row as (indicator, agency, month) keys and their figures, or why it is skipped."""
    if len(row) < 5:
        return "fewer than 5 columns (indicator, agency, month, numerator, denominator)"
    plan_code = (row[5] if len(row) > 5 and row[5] else None) or source.plan
    plan = look.plans.get(str(plan_code)) if plan_code else None
    if plan is None:
        return f"unknown plan '{plan_code}'"
    plan_id, province_id = plan
    targets = look.indicators.get((plan_id, str(row[0]).strip()))
    if targets is None:
        return f"plan {plan_code} has no KPI '{row[0]}'"
    agency_id = look.agency(province_id, row[1])
    if agency_id is None:
        return f"unknown agency '{row[1]}'"
    month = look.month(row[2])
    if month is None:
        return f"unreadable month '{row[2]}'"
    try:
        num = float(row[3]) if row[3] is not None else None
        den = float(row[4]) if row[4] is not None else None
    except (TypeError, ValueError):
        return "numerator and denominator must be numbers"
    if any(v is not None and (not math.isfinite(v) or abs(v) > MAX_FIGURE) for v in (num, den)):
        return f"numerator and denominator must be finite numbers of at most {MAX_FIGURE:g}"
    out: list[Resolved] = []
    for ind_id, ratio in targets:
        if ratio and (num is None or not den or not 0 <= num <= den):
            return f"numerator {row[3]} must lie within 0..denominator {row[4]}"
        out.append(((ind_id, agency_id, month), (num, den, None) if ratio else (None, None, num)))
    return out


def _stored(session: Session, ids: set[int]) -> dict[tuple[int, int, date], list]:
    """What is stored for these KPIs, in one query as plain tuples: key -> [id, numerator, denominator, value,
    source, version]."""
    stored: dict[tuple[int, int, date], list] = {}
    if not ids:
        return stored
    for m_id, ind_id, agency_id, month, num, den, value, src, version in session.execute(
        select(
            Measurement.id,
            Measurement.indicator_id,
            Measurement.agency_id,
            Measurement.month,
            Measurement.numerator,
            Measurement.denominator,
            Measurement.value,
            Measurement.source,
            Measurement.version,
        ).where(Measurement.indicator_id.in_(ids))
    ):
        stored[(ind_id, agency_id, month)] = [m_id, num, den, value, src, version]
    return stored


def _write(session: Session, dirty: dict[tuple[int, int, date], list], by: str, now: datetime) -> None:
    """The changed figures in bulk: one executemany INSERT, one executemany UPDATE by primary key."""

    def fields(m: list) -> dict:
        return {
            "numerator": m[1],
            "denominator": m[2],
            "value": m[3],
            "source": m[4],
            "recorded_at": now,
            "recorded_by": by,
            "version": m[5],
        }

    inserts = [
        {"indicator_id": key[0], "agency_id": key[1], "month": key[2], **fields(m)}
        for key, m in dirty.items()
        if m[0] is None
    ]
    updates = [{"id": m[0], **fields(m)} for m in dirty.values() if m[0] is not None]
    for i in range(0, len(inserts), BATCH):
        session.execute(insert(Measurement), inserts[i : i + BATCH])
    for i in range(0, len(updates), BATCH):
        session.execute(update(Measurement), updates[i : i + BATCH])


def apply_rows(session: Session, source: Source, rows: list[tuple], now: datetime) -> Applied:
    """Upsert the rows as measurements; returns what changed (``Applied``).

    Built for sources of millions of records: plans, KPIs and agency spellings are resolved from in-memory maps
    (``_Lookups``), the stored figures are read in one query as plain tuples, and the changes are written in
    bulk. A changed figure gets its version bumped and the source's name, ``now`` and ``refresh:<source>`` as
    who and when.
    """
    look = _Lookups(session)
    skipped = 0
    problems: list[str] = []
    resolved: list[Resolved] = []
    for n, row in enumerate(rows, start=1):
        got = _resolve(row, source, look)
        if isinstance(got, str):
            skipped += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(f"row {n}: {got}")
        else:
            resolved += got
    stored = _stored(session, {key[0] for key, _ in resolved})
    dirty: dict[tuple[int, int, date], list] = {}
    before: dict[tuple[int, int, date], dict | None] = {}
    resubmitted: set[tuple[int, int, date]] = set()
    changed = 0
    for key, values in resolved:
        m = stored.get(key)
        if m is None:
            m = stored[key] = [None, *values, source.name, 1]
            before.setdefault(key, None)
        elif m[4] == source.name and (m[1], m[2], m[3]) == values:
            continue
        else:
            before.setdefault(key, _figure(m[1:4], m[4]))
            if m[4] in SUBMITTED:  # an agency's submission replaced: its month's receipt may change
                resubmitted.add((look.plan_of[key[0]], key[1], key[2]))
            m[1:4] = values
            m[5] = (m[5] or 1) + 1
        m[4] = source.name
        dirty[key] = m
        changed += 1
    _write(session, dirty, f"refresh:{source.name}", now)
    kept.keep_figures(session, {key[0] for key in dirty})
    for plan_id, agency_id, month in sorted(resubmitted):
        kept.keep_receipts(session, plan_id, [agency_id], [month])
    changes = [(*key, m[0], before.get(key), _figure(m[1:4], m[4])) for key, m in dirty.items()]
    return Applied(changed, skipped, problems, {look.plan_of[key[0]] for key in dirty}, changes)


def record_changes(session: Session, run_id: int, source: Source, applied: Applied) -> None:
    """The run's audit trail: one audit record per run that changed figures, and each changed figure's
    before and after (``FigureChange``), so an overwritten typed figure can be seen and restored."""
    if not applied.changes:
        return
    for i in range(0, len(applied.changes), BATCH):
        session.execute(
            insert(FigureChange),
            [
                {
                    "run_id": run_id,
                    "indicator_id": ind,
                    "agency_id": agency,
                    "month": month,
                    "measurement_id": m_id,
                    "before": before,
                    "after": after,
                }
                for ind, agency, month, m_id, before, after in applied.changes[i : i + BATCH]
            ],
        )
    typed = sum(1 for c in applied.changes if c[4] is not None and c[4]["source"] in SUBMITTED)
    record(
        session,
        SYSTEM,
        "refresh.figures",
        "refresh_run",
        run_id,
        None,
        {
            "source": source.name,
            "created": sum(1 for c in applied.changes if c[4] is None),
            "changed": sum(1 for c in applied.changes if c[4] is not None),
            "replaced_submitted": typed,
            "plans": sorted(applied.plans),
        },
    )


def run_source(engine: Engine, source: Source, trigger: str = "schedule") -> RunResult:
    """Pull one source: read it, then upsert and record the run in one transaction; on failure change nothing."""
    started = clock.now()
    with transaction(engine, write=True) as s:
        run = RefreshRun(source=source.name, started_at=started, status="running", trigger=trigger)
        s.add(run)
        s.flush()
        run_id = run.id
    try:
        rows = read_source(source)
        with transaction(engine, write=True) as s:
            applied = apply_rows(s, source, rows, clock.now())
            if applied.plans:  # only pages built from figures that changed go out of date
                bump_data_version(s, applied.plans)
            record_changes(s, run_id, source, applied)
            run = s.get(RefreshRun, run_id)
            run.finished_at, run.status = clock.now(), "ok"
            run.rows_read, run.rows_changed, run.rows_skipped = len(rows), applied.changed, applied.skipped
            run.error = "; ".join(applied.problems) if applied.problems else None
        return RunResult(
            source.name, "ok", len(rows), applied.changed, applied.skipped, run.error, tuple(sorted(applied.plans))
        )
    except (SQLAlchemyError, SourceTimeout, SourceConfigError, OSError) as exc:
        message = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:500]
        with transaction(engine, write=True) as s:
            run = s.get(RefreshRun, run_id)
            run.finished_at, run.status, run.error = clock.now(), "error", message
        return RunResult(source.name, "error", error=message)


def source_health(session: Session, sources: list[Source], now: datetime) -> list[dict]:
    """Per source: the last good run, the last run, and whether its data is older than its interval allows."""
    out = []
    for src in sources:
        last_ok = session.scalar(
            select(RefreshRun.finished_at)
            .where(RefreshRun.source == src.name, RefreshRun.status == "ok")
            .order_by(RefreshRun.finished_at.desc())
            .limit(1)
        )
        last = session.scalar(
            select(RefreshRun)
            .where(RefreshRun.source == src.name)
            .order_by(RefreshRun.started_at.desc(), RefreshRun.id.desc())
            .limit(1)
        )
        age = (now - last_ok).total_seconds() if last_ok else None
        # Two intervals of grace: one late run is normal, two mean the source is not being read.
        stale = age is None or age > 2 * src.interval_seconds
        out.append(
            {
                "name": src.name,
                "title": src.title,
                "last_ok": last_ok,
                "age_hours": age / 3600 if age is not None else None,
                "stale": stale,
                "last_status": last.status if last else None,
                "last_error": last.error if last else None,
                "interval_minutes": src.interval_minutes,
            }
        )
    return out


@dataclass
class Freshness:
    """How old the data on the pages is: ``data_at`` is when the oldest source last succeeded (without
    sources: when the data last changed); ``stale`` holds the health rows of sources that are behind."""

    data_at: datetime | None
    stale: list[dict]

    @property
    def is_stale(self) -> bool:
        return bool(self.stale)


def freshness(session: Session, sources: list[Source], now: datetime) -> Freshness:
    """The age of the data itself, never the time a page or a screen fetched it."""
    health = source_health(session, sources, now)
    if health:
        times = [h["last_ok"] for h in health]
        data_at = None if any(t is None for t in times) else min(times)
    else:
        from dashboard.store.database import get_meta

        raw = get_meta(session, "data_changed_at")
        data_at = datetime.fromisoformat(raw) if raw else None
    return Freshness(data_at, [h for h in health if h["stale"]])


def recent_runs(session: Session, limit: int = 50) -> list[dict]:
    runs = session.scalars(select(RefreshRun).order_by(RefreshRun.started_at.desc(), RefreshRun.id.desc()).limit(limit))
    return [
        {
            "source": r.source,
            "started_at": r.started_at,
            "finished_at": r.finished_at,
            "status": r.status,
            "rows_read": r.rows_read,
            "rows_changed": r.rows_changed,
            "rows_skipped": r.rows_skipped,
            "error": r.error,
            "trigger": r.trigger,
            "seconds": (r.finished_at - r.started_at).total_seconds() if r.finished_at else None,
        }
        for r in runs
    ]
