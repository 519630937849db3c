"""Shared fixtures: a fresh database on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import create_engine, func, make_url, select, text

from dashboard.demo import build_demo
from dashboard.store.database import make_engine, normalize_url, transaction, upgrade
from dashboard.store.models import Base

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "data" / "plans"
TN = PLANS / "thai-nguyen-kh-2026.txt"
DT = PLANS / "dong-thap-qd07-bcd-2026.txt"
LC = PLANS / "lao-cai-kh-bcd-2026.txt"
# Cao Bằng is not part of the demo; the shared seeds hold it, the tests keep a copy of their own.
CB = ROOT / "tests" / "fixtures" / "cao-bang-qd1139-2025.txt"

BACKENDS = ["sqlite", "postgresql"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: needs TEST_DATABASE_URL")
    _separate_parallel_workers()


def _separate_parallel_workers() -> None:
    """Under pytest-xdist each worker process gets its own Redis database (tests clear their cache) and its
    own range of ports for the browser tests' servers (Dash numbers them from 58050 in every process)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    n = int(worker[2:])
    from dash.testing.application_runners import BaseDashRunner

    BaseDashRunner._next_port = 58050 + 500 * n
    redis_url = os.environ.get("TEST_REDIS_URL")
    if redis_url:
        parts = urlsplit(redis_url)
        db = int(parts.path.strip("/") or 0) + n
        os.environ["TEST_REDIS_URL"] = urlunsplit(parts._replace(path=f"/{db}"))


def _pg_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return normalize_url(url) if url else None


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201 - a fixture
    """A URL to an empty database: a SQLite file, or a private schema in the test PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    base = _pg_url()
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


TODAY = date(2026, 11, 27)
_TEMPLATES: dict[str, str] = {}  # backend -> the demo built once per test process (a file, or a database name)


def _sqlite_template() -> Path:
    if "sqlite" not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="kpi-demo-core-"))
        atexit.register(shutil.rmtree, folder, True)
        eng = make_engine(f"sqlite:///{folder / 'demo.db'}")
        upgrade(eng)
        build_demo(eng, TODAY)
        eng.dispose()
        _TEMPLATES["sqlite"] = str(folder / "demo.db")
    return Path(_TEMPLATES["sqlite"])


def _pg_admin(base: str):  # noqa: ANN202
    return create_engine(base, isolation_level="AUTOCOMMIT")


def _pg_template(base: str) -> str:
    """A database holding the demo, built once per test process; tests get copies (``CREATE DATABASE ...
    TEMPLATE``), a file copy on the server instead of a rebuild."""
    if "postgresql" not in _TEMPLATES:
        name = f"kpi_demo_{uuid.uuid4().hex[:10]}"
        admin = _pg_admin(base)
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        eng = make_engine(make_url(base).set(database=name).render_as_string(hide_password=False))
        upgrade(eng)
        build_demo(eng, TODAY)
        eng.dispose()  # a template must have no open connection while it is copied
        _TEMPLATES["postgresql"] = name

        def drop() -> None:
            admin = _pg_admin(base)
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

        atexit.register(drop)
    return _TEMPLATES["postgresql"]


@pytest.fixture(params=BACKENDS)
def demo_db_url(request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201 - a fixture
    """A URL to a fresh copy of the demo (``build_demo`` as of 27/11/2026): a SQLite file, or a PostgreSQL
    database copied from a template; built once per test process, copied per test."""
    if request.param == "sqlite":
        shutil.copyfile(_sqlite_template(), tmp_path / "demo.db")
        yield f"sqlite:///{tmp_path / 'demo.db'}"
        return
    base = _pg_url()
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    template = _pg_template(base)
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def demo_engine(demo_db_url: str):  # noqa: ANN201 - a fixture
    """An engine on a fresh copy of the demo (see ``demo_db_url``)."""
    eng = make_engine(demo_db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def engine(db_url: str):  # noqa: ANN201 - a fixture
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


def snapshot(engine) -> dict[str, int]:  # noqa: ANN001
    """Row counts of every table: equal snapshots mean an operation changed nothing."""
    with transaction(engine) as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def content(engine) -> dict[str, list[tuple]]:  # noqa: ANN001
    """Every row of every table, in key order, with its exact values: equal contents mean nothing changed."""
    with engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(*t.columns).order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture
def seed_copy(tmp_path: Path):  # noqa: ANN201 - a fixture
    """Copy a plan file into tmp_path so a test may edit it."""

    def _copy(src: Path) -> Path:
        dst = tmp_path / src.name
        shutil.copy(src, dst)
        dst.chmod(0o644)
        return dst

    return _copy


def pytest_setup_options():  # noqa: ANN201
    """Chrome options for dash[testing]: Debian's Chromium, headless, as root, a realistic window."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--window-size=1280,1000",
        "--lang=vi-VN",
    ):
        options.add_argument(arg)
    return options
