"""Page latency at province and national scale: the Dash callbacks against their plain-SQL floor.

Runs the real app in this process (one worker) on a store built by ``benchmarks.national`` and times the
callbacks the browser calls, through Flask's test client (no network):

- province views (one plan of the national store): overview, agency, timeline, red flags, wall screen;
- the national view (every province).

Each view is timed three ways:

- "cold": the data version moves before every call and nobody prepared the plan's data, so the page loads
  it itself. Since every change now prepares it (``dashboard.reads.plan_cache.warm``), a viewer meets this only if
  that preparation failed, or in the seconds after a start before the scheduler has prepared every plan;
- "changed": the plan's version moves and the change prepared the plan's data, as a save, an import, a source
  refresh and the daily recompute all do: the first view of a page after any change;
- "cached": the same URL again: the page cache answers.

The floor is plain SQL fetching everything the view shows, its numbers and the names and targets beside them
(``FLOORS``; every province page shows the red-flag count, so each includes what the flags are made of); each
"x" column is that mode's p50 over the floor's p50. The narrower floor of earlier runs, the numbers alone
(``NUMBERS_FLOORS``), is printed beside with the cold path's ratio to it.
Peak memory is this process's maximum resident set (one gunicorn worker serving these pages).

    .venv/bin/python -m benchmarks.pages --database-url postgresql://postgres@127.0.0.1:5432/bench_national
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy import select, text

from dashboard.config import Config
from dashboard.store.database import bump_data_version, transaction
from dashboard.store.models import Agency, Plan, TaskAgency

TODAY = date(2026, 11, 27)

# The floor of a view: plain SQL fetching everything it shows, nothing computed. Every province page shows the
# plan's red flags (their count in the navigation bar), so every floor includes what the flags are made of: each
# task with its name, deadline, agencies and latest status, the KPIs with their targets and the latest two figures
# of each KPI and agency, the monthly report receipts and the leaders' directives; and what frames every page:
# the plan chooser (every plan and its province) and the province's agencies (the names in every row and list).
# A plan's figures and reports are asked for by the literal ids of its KPIs and tasks (``= ANY(ARRAY(...))``), as
# the pages do: joined on the plan, PostgreSQL may scan all 34 provinces' figures.
_TASKS = """
    SELECT t.id, t.code, t.section, t.name, t.output, t.deadline_kind, t.deadline_text, t.start_date, t.due_date,
           u.status, u.progress, u.month, u.completed_on, u.evidence_url
    FROM task t LEFT JOIN task_update u ON u.id = (
        SELECT v.id FROM task_update v
        WHERE v.task_id = t.id AND v.month <= :today AND v.kind <> 'note' AND v.approved
        ORDER BY v.task_id DESC, v.month DESC, v.created_at DESC, v.id DESC LIMIT 1)
    WHERE t.plan_id = :plan AND t.active"""
_TASK_AGENCIES = """
    SELECT ta.task_id, ta.agency_id, ta.role FROM task_agency ta JOIN task t ON t.id = ta.task_id
    WHERE t.plan_id = :plan"""
_KPIS = """
    SELECT i.id, i.code, i.national_code, i.name, i.unit, i.target_op, i.target_value, i.subtargets, i.is_ratio,
           i.aggregation, i.baseline_value, i.milestones, l.agency_id
    FROM indicator i LEFT JOIN indicator_lead l ON l.indicator_id = i.id WHERE i.plan_id = :plan"""
_RECEIPTS = """
    SELECT m.agency_id, m.month, MIN(m.recorded_at) FROM measurement m
    WHERE m.indicator_id = ANY(ARRAY(SELECT id FROM indicator WHERE plan_id = :plan)) GROUP BY m.agency_id, m.month
    UNION ALL
    SELECT u.agency_id, u.month, MIN(u.created_at) FROM task_update u
    WHERE u.task_id = ANY(ARRAY(SELECT id FROM task WHERE plan_id = :plan)) AND u.agency_id IS NOT NULL
    GROUP BY u.agency_id, u.month"""
_FIGURES = """
    SELECT * FROM (
        SELECT m.indicator_id, m.agency_id, m.month, m.numerator, m.denominator, m.value,
               ROW_NUMBER() OVER (PARTITION BY m.indicator_id, m.agency_id ORDER BY m.month DESC) AS r
        FROM measurement m
        WHERE m.indicator_id = ANY(ARRAY(SELECT id FROM indicator WHERE plan_id = :plan))
          AND m.month <= :today AND m.approved) x
    WHERE r <= 2"""
_DIRECTIVES = """
    SELECT d.id, d.agency_id, d.subject, d.subject_id, d.text, d.due_date, d.answer FROM directive d
    WHERE d.plan_id = :plan"""
_FRAME = [
    "SELECT p.id, p.code, pr.name, p.year, p.doc_number, p.title FROM plan p JOIN province pr ON pr.id = p.province_id",
    "SELECT a.id, a.name, a.kind FROM agency a JOIN plan p ON p.province_id = a.province_id WHERE p.id = :plan",
]
_FLAGS = [_TASKS, _TASK_AGENCIES, _KPIS, _RECEIPTS, _FIGURES, _DIRECTIVES, *_FRAME]
FLOORS: dict[str, list[str]] = {
    "overview": [
        *_FLAGS,  # gauges and per-agency bullets: the latest figures; the KPI table: the same
        # what waits for approval: months submitted, figures and task reports not yet approved
        "SELECT COUNT(*) FROM month_report WHERE plan_id = :plan AND status = 'submitted'",
        """SELECT COUNT(*) FROM measurement m
           WHERE m.indicator_id = ANY(ARRAY(SELECT id FROM indicator WHERE plan_id = :plan)) AND NOT m.approved""",
        """SELECT COUNT(*) FROM task_update u
           WHERE u.task_id = ANY(ARRAY(SELECT id FROM task WHERE plan_id = :plan)) AND NOT u.approved""",
    ],
    "agency": [
        *_FLAGS,
        # the agency's whole year of figures (its trend charts)
        """SELECT m.indicator_id, m.month, m.numerator, m.denominator, m.value FROM measurement m
           WHERE m.indicator_id = ANY(ARRAY(SELECT id FROM indicator WHERE plan_id = :plan))
             AND m.agency_id = :agency AND m.month <= :today""",
    ],
    "timeline": _FLAGS,  # every task with its dates and status; the report grid: the receipts
    "flags": _FLAGS,
    "wall": _FLAGS,  # headline gauges, quarter bars, overdue list, flag counts
    # what the national page reads: the 34 stored summaries and the data versions they are checked against
    "national": [
        "SELECT plan_id, data_version, as_of, computed_at, payload FROM plan_summary",
        "SELECT key, value FROM app_meta WHERE key = 'data_epoch' OR key LIKE 'plan_version:%'",
    ],
}

# The narrower floor of the runs before 03/12/2026, printed beside for comparison: the numbers alone (each task's
# latest status, who leads it, the receipts, the latest figures), without the names, targets, directives and plan
# list the view shows beside them.
_NUMBERS = [
    _TASKS.replace(
        "t.id, t.code, t.section, t.name, t.output, t.deadline_kind, t.deadline_text, t.start_date, t.due_date,\n"
        "           u.status, u.progress, u.month, u.completed_on, u.evidence_url",
        "t.id, t.code, t.deadline_kind, t.start_date, t.due_date, u.status, u.progress, u.month",
    ),
    _TASK_AGENCIES,
    _RECEIPTS,
    _FIGURES,
]
NUMBERS_FLOORS: dict[str, list[str]] = {
    name: [*_NUMBERS, *FLOORS["agency"][len(_FLAGS) :]] if name == "agency" else _NUMBERS
    for name in FLOORS
    if name != "national"
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def timed(fn: Callable[[], object], runs: int, before: Callable[[], None] | None = None) -> list[float]:
    out = []
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def callback(app, client, first_input: str, values: dict) -> Callable[[], None]:  # noqa: ANN001
    """A function that POSTs one Dash callback like the browser and checks it answered."""
    sys.path.insert(0, "tests")
    from webclient import call

    def run() -> None:
        resp = call(app, client, first_input, values)
        if resp.status_code not in (200, 204):
            raise RuntimeError(f"{first_input} {values}: HTTP {resp.status_code} {resp.data[:200]!r}")
        run.size = len(resp.data)  # type: ignore[attr-defined]
        run.gzipped = len(gzip.compress(resp.data, 6))  # type: ignore[attr-defined] - flask-compress's level

    return run


def measure(views: dict, modes: dict, runs: int) -> dict[str, dict[str, list[float]]]:
    """Milliseconds per view and mode; the views interleaved (each in turn, not one view's calls in a block),
    ``modes`` mapping a mode to what happens before each call (None: nothing)."""
    samples: dict[str, dict[str, list[float]]] = {name: {m: [] for m in ("cold", "saved", "warm")} for name in views}
    for mode, before in modes.items():
        for _ in range(runs):
            for name, fn in views.items():
                if before is not None:
                    before()
                t0 = time.perf_counter()
                fn()
                samples[name][mode].append((time.perf_counter() - t0) * 1000)
    return samples


def measure_floors(engine, names: list[str], params: dict, runs: int, which: dict | None = None) -> dict:  # noqa: ANN001
    which = FLOORS if which is None else which
    floors: dict[str, list[float]] = {name: [] for name in names if name in which}
    with engine.connect() as conn:
        for _ in range(runs):
            for name in floors:
                t0 = time.perf_counter()
                for q in which[name]:
                    conn.execute(text(q), params).all()
                floors[name].append((time.perf_counter() - t0) * 1000)
    return floors


def _other_worker(redis_url: str | None, database_url: str):  # noqa: ANN202
    """A second client of the shared cache, as another worker holds: None without Redis."""
    if not redis_url:
        return None
    import redis
    from cachelib import RedisCache

    from dashboard.reads.plan_cache import key_prefix

    return RedisCache(host=redis.from_url(redis_url), key_prefix=key_prefix(database_url), default_timeout=3600)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=30, help="calls per view and mode (default 30)")
    parser.add_argument("--plan", type=int, help="plan id for the province views (default: the largest)")
    parser.add_argument("--redis-url", help="use Redis as the page cache, as several workers would")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)

    from dashboard.demo import prepare_store
    from webapp import create_app

    config = Config(
        database_url=args.database_url,
        secret_key="bench",
        today=TODAY,
        auto_demo=False,
        redis_url=args.redis_url,
        login_rate_limit="1000 per minute",
    )
    prepare_store(config)
    app = create_app(config)
    engine = app.server.extensions["kpi"]["engine"]
    with transaction(engine) as s:
        plans = list(s.execute(select(Plan.id, Plan.code)))
        plan = (
            args.plan
            or max(
                plans,
                key=lambda p: s.scalar(
                    text("SELECT COUNT(*) FROM agency a JOIN plan p ON p.province_id = a.province_id WHERE p.id = :p"),
                    {"p": p[0]},
                ),
            )[0]
        )
        province, size = s.execute(
            text(
                "SELECT pr.name, (SELECT COUNT(*) FROM agency a WHERE a.province_id = pr.id) "
                "FROM plan p JOIN province pr ON pr.id = p.province_id WHERE p.id = :p"
            ),
            {"p": plan},
        ).one()
        agency = s.execute(
            select(TaskAgency.agency_id, Agency.name)
            .join(Agency)
            .join(Plan, Plan.province_id == Agency.province_id)
            .where(Plan.id == plan, TaskAgency.role == "lead", Agency.kind != "group")
            .group_by(TaskAgency.agency_id, Agency.name)
            .order_by(text("COUNT(*) DESC"))
            .limit(1)
        ).first()
        counts = {
            name: s.scalar(text(f"SELECT COUNT(*) FROM {name}"))
            for name in ("plan", "agency", "task", "indicator", "measurement", "task_update")
        }
    client = app.server.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    login = {"username": "lanhdao", "password": "lanhdao-demo-2026", "csrf_token": token.group(1) if token else ""}
    resp = client.post("/login", data=login)
    if resp.status_code != 302:
        print("cannot sign in as lanhdao (build the store with benchmarks.national)", file=sys.stderr)
        return 1

    def page(path: str, search: str) -> Callable[[], None]:
        return callback(app, client, "url", {"url.pathname": path, "url.search": search, "data-version.data": 0})

    views = {
        "overview": page("/", f"?plan={plan}"),
        "agency": page("/don-vi", f"?plan={plan}&agency={agency[0]}"),
        "timeline": page("/tien-do", f"?plan={plan}"),
        "flags": page("/canh-bao", f"?plan={plan}"),
        "wall": callback(
            app, client, "wall-refresh", {"wall-refresh.n_intervals": 1, "wall-config.data": {"plan": plan}}
        ),
        "national": page("/toan-quoc", ""),
    }

    def bump() -> None:
        with transaction(engine) as s:
            bump_data_version(s)

    # "Changed" is timed in this worker, but the rebuild is done by another one (the worker that saved, or
    # the scheduler): with Redis, a second client with its own process-local state; without Redis a change in
    # another worker leaves this one cold, so the mode is not measured.
    other = _other_worker(args.redis_url, args.database_url)
    rebuilds: list[float] = []

    def saved() -> None:
        """What any change leaves behind: the plan's data version moved, and the change (in another worker,
        not timed here; its own time is kept apart) prepared the plan's data."""
        from dashboard.reads import plan_cache
        from dashboard.reads.page_data import Settings

        with transaction(engine) as s:
            bump_data_version(s, [plan])
        t0 = time.perf_counter()
        plan_cache.warm(other, engine, TODAY, Settings.from_config(config), [plan])
        rebuilds.append((time.perf_counter() - t0) * 1000)

    params = {"plan": plan, "agency": agency[0], "today": TODAY, "month": TODAY.replace(day=1)}
    print(f"store: {json.dumps(counts)}")
    print(f"province views: {province} (plan {plan}, {size} agencies), agency '{agency[1]}'")
    for fn in views.values():
        fn()  # first call: imports, connections, the national summaries
    modes: dict[str, Callable[[], None] | None] = {"cold": bump, "saved": saved if other else None, "warm": None}
    samples = measure(views, {m: b for m, b in modes.items() if m != "saved" or other is not None}, args.runs)
    floors = measure_floors(engine, list(views), params, args.runs)
    numbers = measure_floors(engine, list(views), params, args.runs, NUMBERS_FLOORS)
    print(
        f"{'view':10} {'cold p50':>9} {'p95':>6} {'changed p50':>12} {'p95':>6} {'cached p50':>11} {'p95':>6} "
        f"{'floor p50':>10} {'cold x':>7} {'changed x':>10} {'cached x':>9} {'KB':>6} {'gzip KB':>8} "
        f"{'numbers floor':>14} {'cold x':>7}"
    )
    results = {}
    nan = float("nan")
    for name, fn in views.items():
        got = samples[name]
        row = {"floor_p50": statistics.median(floors[name])}
        for mode in ("cold", "saved", "warm"):
            values = got[mode]
            row[f"{mode}_p50"] = statistics.median(values) if values else nan
            row[f"{mode}_p95"] = percentile(values, 95) if values else nan
            row[f"{mode}_x"] = row[f"{mode}_p50"] / row["floor_p50"] if row["floor_p50"] else nan
        row["numbers_floor_p50"] = statistics.median(numbers[name]) if name in numbers else nan
        row["cold_x_numbers"] = row["cold_p50"] / row["numbers_floor_p50"] if name in numbers else nan
        row["kb"] = getattr(fn, "size", 0) / 1024  # the answer as sent without, and with, compression
        row["gzip_kb"] = getattr(fn, "gzipped", 0) / 1024
        results[name] = row
        print(
            f"{name:10} {row['cold_p50']:9.1f} {row['cold_p95']:6.0f} {row['saved_p50']:12.1f} "
            f"{row['saved_p95']:6.0f} {row['warm_p50']:11.1f} {row['warm_p95']:6.0f} {row['floor_p50']:10.2f} "
            f"{row['cold_x']:7.1f} {row['saved_x']:10.1f} {row['warm_x']:9.1f} {row['kb']:6.0f} {row['gzip_kb']:8.1f} "
            f"{row['numbers_floor_p50']:14.2f} {row['cold_x_numbers']:7.1f}"
        )
    if rebuilds:
        print(
            f"the change's own rebuild of {province}'s data (in the other worker): p50 "
            f"{statistics.median(rebuilds):.0f} ms, p95 {percentile(rebuilds, 95):.0f} ms"
        )
    else:
        print("changed: not measured without --redis-url (a change in another worker leaves this one cold)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"milliseconds; {args.runs} calls per cell; peak memory of this worker: {peak:.0f} MB")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            figures = {"counts": counts, "plan": plan, "province": province, "views": results, "peak_mb": peak}
            json.dump({**figures, "rebuild_ms": rebuilds}, out, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
