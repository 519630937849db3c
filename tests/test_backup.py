"""`python -m dashboard backup` and `restore`: an exact round trip on SQLite and PostgreSQL, and refusals."""

from __future__ import annotations

import gzip
import os
import uuid
from datetime import date
from pathlib import Path

import pytest
from conftest import BACKENDS, content, snapshot
from sqlalchemy import Engine, create_engine, select, text

from dashboard.cli import main
from dashboard.store.backup import BackupError, restore_backup, write_backup
from dashboard.store.database import make_engine, normalize_url, transaction
from dashboard.store.models import Task, TaskUpdate, User

AS_OF = date(2026, 11, 27)


@pytest.fixture
def other_url(request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201 - a fixture
    """A second empty database of the kind the test asks for (indirect parameter)."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'other.db'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    base = normalize_url(base)
    schema = f"r_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def demo_engine(demo_engine):  # noqa: ANN001, ANN201 - a fixture
    """The demo (a copy; see conftest), with values that test the encoding."""
    engine = demo_engine
    with transaction(engine) as s:  # values that test the encoding: accents, markup, a JSON column, None
        task = s.scalar(select(Task).order_by(Task.id).limit(1))
        task.name = 'Việc <script>alert("x")</script> & “ngoặc” 😀'
        task.output = None
    return engine


@pytest.mark.parametrize("other_url", BACKENDS, indirect=True)
def test_round_trip_is_exact_across_backends(demo_engine: Engine, other_url: str, tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl.gz"
    summary = write_backup(demo_engine, path)
    before = content(demo_engine)
    assert summary.tables == {k: len(v) for k, v in before.items()}
    assert before["task_update"] and before["measurement"] and before["app_user"]

    target = make_engine(other_url)
    restore_backup(target, path)
    assert content(target) == before
    # Serial ids go on after the restored rows.
    with transaction(target) as s:
        s.add(User(username="new-after-restore", full_name="", password_hash="x", role="viewer"))
        s.flush()
        assert s.scalar(select(User.id).where(User.username == "new-after-restore")) > max(
            r[0] for r in before["app_user"]
        )
    target.dispose()


def test_restore_over_changed_data_needs_force_and_brings_it_back(demo_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl.gz"
    write_backup(demo_engine, path)
    before = content(demo_engine)
    with transaction(demo_engine) as s:
        s.execute(TaskUpdate.__table__.delete())
        s.add(User(username="later", full_name="", password_hash="x", role="viewer"))
    changed = content(demo_engine)
    with pytest.raises(BackupError, match="already holds data"):
        restore_backup(demo_engine, path)
    assert content(demo_engine) == changed
    restore_backup(demo_engine, path, force=True)
    assert content(demo_engine) == before


def _rewrite(src: Path, dst: Path, edit) -> None:  # noqa: ANN001
    with gzip.open(src, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    with gzip.open(dst, "wt", encoding="utf-8") as f:
        f.writelines(edit(lines))


def test_damaged_backups_are_refused_and_change_nothing(demo_engine: Engine, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl.gz"
    write_backup(demo_engine, good)
    raw = good.read_bytes()
    bad: dict[str, Path] = {}
    for name, data in {
        "truncated-gzip": raw[: len(raw) // 2],
        "not-gzip": b"PK\x03\x04 this is a zip, not a backup",
        "empty": b"",
        "plain-text": "xin chào".encode(),
    }.items():
        bad[name] = tmp_path / f"{name}.gz"
        bad[name].write_bytes(data)
    bad["rows-missing"] = tmp_path / "short.gz"
    _rewrite(good, bad["rows-missing"], lambda lines: lines[:-3])
    bad["bad-date"] = tmp_path / "date.gz"
    _rewrite(good, bad["bad-date"], lambda lines: [ln.replace('"2026-', '"2026-13-', 1) for ln in lines])
    bad["bad-json"] = tmp_path / "json.gz"
    _rewrite(good, bad["bad-json"], lambda lines: lines[:5] + ["{not json\n"] + lines[5:])
    bad["other-file"] = tmp_path / "other.gz"
    _rewrite(good, bad["other-file"], lambda lines: ['{"format": "something-else"}\n'] + lines[1:])
    bad["missing"] = tmp_path / "does-not-exist.gz"

    with transaction(demo_engine) as s:
        s.execute(TaskUpdate.__table__.delete())  # so that a wrong restore would show
    before = content(demo_engine)
    for name, path in bad.items():
        with pytest.raises(BackupError) as err:
            restore_backup(demo_engine, path, force=True)
        assert path.name in str(err.value), name
        assert content(demo_engine) == before, name


def test_cli_backup_then_restore_into_a_new_database(
    demo_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    engine = make_engine(demo_db_url)
    before = content(engine)
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    out = tmp_path / "nightly.jsonl.gz"
    assert main(["backup", "-o", str(out)]) == 0
    assert "backup written" in capsys.readouterr().out

    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("DATABASE_URL", fresh)
    assert main(["restore", str(out)]) == 0
    assert content(make_engine(fresh)) == before
    assert main(["restore", str(out)]) == 1  # now it holds data
    err = capsys.readouterr().err
    assert "--force" in err and "unchanged" in err
    assert main(["restore", str(out), "--force"]) == 0
    assert snapshot(make_engine(fresh)) == {k: len(v) for k, v in before.items()}
    engine.dispose()
