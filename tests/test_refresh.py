"""Pulling KPI figures from real SQLite and PostgreSQL sources; broken sources; the scheduler; the cache."""

import os
import subprocess
import sys
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ROOT, TN, _pg_url
from sqlalchemy import create_engine, func, select, text

from dashboard import clock
from dashboard.importers import import_file
from dashboard.reads.page_cache import page_key
from dashboard.sources.definitions import Source, SourceConfigError, load_sources
from dashboard.sources.refresh import run_source, source_health
from dashboard.store.database import data_version, transaction
from dashboard.store.models import Indicator, JobClaim, Measurement, RefreshRun

PLAN = "thai-nguyen-2026-kh-ubnd"
RAW = [  # agency spelled as people write it, month, rating
    ("Sở Y tế", "2026-10", 5),
    ("Sở Y tế", "2026-10", 4),
    ("Sở Y tế", "2026-10", 2),
    ("Sở Y tế", "2026-10", 5),
    ("Sở KH&CN", "2026-10", 5),
    ("Sở KH&CN", "2026-10", 1),
    ("Sở Y tế", "2026-11", 5),
    ("Sở Y tế", "2026-11", 5),
    ("Sở Không Tồn Tại", "2026-10", 5),
]
QUERY = """
SELECT 'satisfaction' AS indicator, agency, month,
       SUM(CASE WHEN rating >= 4 THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator
FROM rating GROUP BY agency, month
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def source_url(request, tmp_path: Path):  # noqa: ANN001, ANN201
    """A source database holding raw ratings: a SQLite file, or a schema of the test PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'source.db'}"
        eng, cleanup = create_engine(url), None
    else:
        base = _pg_url()
        if not base:
            pytest.skip("TEST_DATABASE_URL is not set")
        schema = f"src_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
        eng = create_engine(url)
        cleanup = (admin, schema)
    with eng.begin() as conn:
        conn.execute(text("CREATE TABLE rating (agency VARCHAR(200), month VARCHAR(7), rating INTEGER)"))
        conn.execute(text("INSERT INTO rating VALUES (:a, :m, :r)"), [{"a": a, "m": m, "r": r} for a, m, r in RAW])
    eng.dispose()
    yield url
    if cleanup:
        admin, schema = cleanup
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def source(url: str, query: str = QUERY, timeout: float = 30, interval: float = 15) -> Source:
    return Source("mot-cua", "Một cửa điện tử", url, query, interval, timeout, PLAN)


def figures(engine) -> dict:  # noqa: ANN001
    with transaction(engine) as s:
        rows = s.execute(
            select(
                Measurement.agency_id,
                Measurement.month,
                Measurement.numerator,
                Measurement.denominator,
                Measurement.source,
            )
        ).all()
    return {(a, m.isoformat()): (n, d, src) for a, m, n, d, src in rows}


def test_refresh_computes_kpis_from_raw_records(engine, source_url: str) -> None:  # noqa: ANN001
    import_file(engine, TN)
    with transaction(engine) as s:
        before_version = data_version(s)
    result = run_source(engine, source(source_url))
    assert (result.status, result.rows_read, result.rows_changed, result.rows_skipped) == ("ok", 4, 3, 1), result.error
    assert "unknown agency 'Sở Không Tồn Tại'" in result.error
    with transaction(engine) as s:
        ind = s.scalar(select(Indicator).where(Indicator.national_code == "satisfaction"))
        got = {
            (m.agency.name if hasattr(m, "agency") else m.agency_id, m.month.isoformat()): (m.numerator, m.denominator)
            for m in s.scalars(select(Measurement).where(Measurement.indicator_id == ind.id))
        }
        from dashboard.store.models import Agency

        names = {a.id: a.name for a in s.scalars(select(Agency))}
        got = {(names[k[0]], k[1]): v for k, v in got.items()}
        assert got == {
            ("Sở Y tế", "2026-10-01"): (3, 4),
            ("Sở Khoa học và Công nghệ", "2026-10-01"): (1, 2),
            ("Sở Y tế", "2026-11-01"): (2, 2),
        }
        run = s.scalar(select(RefreshRun))
        assert run.status == "ok" and run.finished_at >= run.started_at and run.rows_read == 4
        assert data_version(s) > before_version
        assert result.plans == (ind.plan_id,)  # the plan whose figures changed, whose pages are rebuilt
        after_version = data_version(s)
    again = run_source(engine, source(source_url))
    assert again.rows_changed == 0  # nothing new: nothing rewritten
    assert again.plans == ()
    with transaction(engine) as s:
        assert data_version(s) == after_version  # and every page, cached or open, stays as it is


@pytest.mark.parametrize(
    ("url", "query", "timeout", "message"),
    [
        ("sqlite:////no/such/folder/x.db", QUERY, 30, "unable to open database file"),
        ("postgresql://nobody@127.0.0.1:1/none", QUERY, 3, "connection"),
        (None, "SELECT * FROM khong_co_bang", 30, "khong_co_bang"),
        (None, "SLOW", 1, "did not answer within 1 s"),
    ],
)
def test_broken_source_keeps_the_last_good_data(engine, source_url: str, url, query, timeout, message) -> None:  # noqa: ANN001
    import_file(engine, TN)
    assert run_source(engine, source(source_url)).status == "ok"
    good = figures(engine)
    if query == "SLOW":
        query = (
            "SELECT pg_sleep(5), 1, 2, 3, 4"
            if source_url.startswith("postgresql")
            else "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) "
            "SELECT count(*), 1, 2, 3, 4 FROM c"
        )
    broken = source(url or source_url, query, timeout)
    result = run_source(engine, broken)
    assert result.status == "error" and message in result.error.lower() + result.error
    assert figures(engine) == good
    with transaction(engine) as s:
        last = s.scalar(select(RefreshRun).order_by(RefreshRun.id.desc()).limit(1))
        assert last.status == "error" and last.error
        fresh = source_health(s, [broken], clock.now())[0]
        later = source_health(s, [broken], clock.now() + timedelta(minutes=31))[0]
    assert not fresh["stale"]  # the good run is recent
    assert later["stale"] and later["age_hours"] > 0.5 and later["last_status"] == "error"


def test_sources_file(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nname = "hr"\nurl = "${HR_URL}"\nquery = "SELECT 1"\ninterval_minutes = 30\n', encoding="utf-8"
    )
    (src,) = load_sources(path)
    with pytest.raises(SourceConfigError, match="environment variable HR_URL is not set"):
        src.url()
    (src,) = load_sources(path, {"HR_URL": "sqlite:///x.db"})
    assert src.url() == "sqlite:///x.db" and src.interval_seconds == 1800
    path.write_text('[[source]]\nname = "hr"\nquery = "SELECT 1"\n', encoding="utf-8")
    with pytest.raises(SourceConfigError, match="source #1: missing 'url'"):
        load_sources(path)
    path.write_text("[[source]\n", encoding="utf-8")
    with pytest.raises(SourceConfigError, match="not valid TOML"):
        load_sources(path)
    assert load_sources(tmp_path / "absent.toml") == []


def test_two_schedulers_run_each_job_once_per_tick(db_url: str, engine, tmp_path: Path) -> None:  # noqa: ANN001
    import_file(engine, TN)
    src_url = f"sqlite:///{tmp_path / 'source.db'}"
    eng = create_engine(src_url)
    with eng.begin() as conn:
        conn.execute(text("CREATE TABLE rating (agency VARCHAR(200), month VARCHAR(7), rating INTEGER)"))
        conn.execute(text("INSERT INTO rating VALUES ('Sở Y tế', '2026-10', 5)"))
    eng.dispose()
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "mot-cua"\nurl = "{src_url}"\nplan = "{PLAN}"\ninterval_minutes = 0.05\n'
        f'query = """{QUERY}"""\n',
        encoding="utf-8",
    )
    env = {**os.environ, "DATABASE_URL": db_url, "SOURCES_FILE": str(sources)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "dashboard", "scheduler", "--run-for", "10"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    with transaction(engine) as s:
        runs = s.scalars(select(RefreshRun).where(RefreshRun.source == "mot-cua")).all()
        claims = s.scalars(select(JobClaim).where(JobClaim.job == "refresh:mot-cua")).all()
    assert len(claims) >= 2  # several ticks in ten seconds
    assert len(runs) == len(claims)  # one run per tick, whichever process claimed it
    assert all(r.status == "ok" for r in runs)
    starts = sorted(r.started_at for r in runs)
    assert all((b - a).total_seconds() > 1.5 for a, b in zip(starts, starts[1:], strict=False))


@pytest.mark.parametrize("backend", ["simple", "redis"])
def test_a_refresh_invalidates_cached_pages(tmp_path: Path, backend: str) -> None:
    from webclient import call, demo_app, login

    redis_url = os.environ.get("TEST_REDIS_URL")
    if backend == "redis" and not redis_url:
        pytest.skip("TEST_REDIS_URL is not set")
    app = demo_app(tmp_path, redis_url=redis_url if backend == "redis" else None)
    if backend == "redis":
        app.server.extensions["kpi"]["cache"].clear()
    engine = app.server.extensions["kpi"]["engine"]
    cache = app.server.extensions["kpi"]["cache"]
    client = login(app, "lanhdao")
    first = call(app, client, "url", {"url.pathname": "/", "url.search": "?plan=1"})
    with transaction(engine) as s:
        version = data_version(s)
    key = page_key(version, date(2026, 11, 27), "/", "?plan=1", ":all")  # lanhdao reads every province
    assert cache.get(key) is not None  # the page is cached under the data version
    src_url = app.server.extensions["kpi"]["config"].demo_sources()
    eng = create_engine(src_url)
    with eng.begin() as conn:  # every citizen is now satisfied
        conn.execute(text("UPDATE application SET rating = 5 WHERE rating IS NOT NULL"))
    eng.dispose()
    mot_cua = next(s for s in app.server.extensions["kpi"]["sources"] if s.name == "mot-cua-dvc")
    assert run_source(engine, mot_cua).rows_changed > 0
    with transaction(engine) as s:
        assert data_version(s) > version
    second = call(app, client, "url", {"url.pathname": "/", "url.search": "?plan=1"})
    assert first.get_data() != second.get_data()
    assert "100 %" in second.get_data(as_text=True).replace("\\u00a0", " ")
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(RefreshRun)) >= 3


def test_a_failing_source_is_retried_with_back_off(engine) -> None:  # noqa: ANN001
    from dashboard.sources.scheduler import RETRY_BASE_SECONDS, KpiScheduler

    import_file(engine, TN)
    broken = Source("hong", "Nguồn hỏng", "sqlite:////no/such/folder/x.db", QUERY, 60, 5, PLAN)
    sched = KpiScheduler(engine, [])
    sched.scheduler.start(paused=True)
    try:
        sched.refresh_job(broken)
        first = sched.scheduler.get_job("retry:hong").next_run_time
        sched.refresh_job(broken, retry_tick=1)
        second = sched.scheduler.get_job("retry:hong").next_run_time
    finally:
        sched.shutdown()
    now = datetime.now(first.tzinfo)
    assert RETRY_BASE_SECONDS - 5 < (first - now).total_seconds() <= RETRY_BASE_SECONDS + 1
    assert 2 * RETRY_BASE_SECONDS - 5 < (second - now).total_seconds() <= 2 * RETRY_BASE_SECONDS + 1
    with transaction(engine) as s:
        assert [r.status for r in s.scalars(select(RefreshRun))] == ["error", "error"]


def test_a_production_database_gets_no_demo_sources(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import dashboard.config as config_module
    from dashboard.config import Config

    monkeypatch.setattr(config_module, "INSTANCE", tmp_path)  # no instance/sources.toml here
    assert Config(database_url="postgresql://db/kpi").sources() == []
    assert [s.name for s in Config(database_url=f"sqlite:///{tmp_path / 'x.db'}").sources()] == [
        "mot-cua-dvc",
        "nhan-su",
    ]
    (tmp_path / "sources.toml").write_text(
        '[[source]]\nname = "rieng"\nurl = "sqlite:///x.db"\nquery = "SELECT 1"\n', encoding="utf-8"
    )
    assert [s.name for s in Config(database_url="postgresql://db/kpi").sources()] == ["rieng"]
