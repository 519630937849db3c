"""Shared fixtures: a fresh database on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import create_engine, func, select, text

from dashboard.models import Base
from dashboard.store import make_engine, normalize_url, transaction, upgrade

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
