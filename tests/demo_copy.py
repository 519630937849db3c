"""The demo store, built once per test process and copied for every test that needs one: building it takes
seconds, copying a SQLite file milliseconds, and each test still gets a store of its own to change."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from datetime import date
from pathlib import Path

from dashboard.config import Config
from dashboard.demo import prepare_store

TODAY = date(2026, 11, 27)
_BUILT: dict[tuple[date, float], Path] = {}
_LOCK = threading.Lock()


def _template(today: date, source_scale: float) -> Path:
    with _LOCK:
        folder = _BUILT.get((today, source_scale))
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix="kpi-demo-"))
            atexit.register(shutil.rmtree, folder, True)
            url = f"sqlite:///{folder / 'app.db'}"
            prepare_store(Config(database_url=url, secret_key="test", today=today, demo_source_scale=source_scale))
            _BUILT[(today, source_scale)] = folder
        return folder


def demo_url(folder: Path, name: str = "app.db", *, today: date = TODAY, source_scale: float = 0.05) -> str:
    """A SQLite URL to a fresh copy of the demo in ``folder`` (its source records beside it, where the
    configuration looks for them)."""
    template = _template(today, source_scale)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template / "app.db", folder / name)
    shutil.copyfile(template / "demo_sources.db", folder / "demo_sources.db")
    return f"sqlite:///{folder / name}"
