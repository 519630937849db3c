"""Backup and restore: every table of the store in one portable, compressed file.

The file is gzip-compressed JSON lines: a header (format, schema revision, row counts), then for each
table a line naming its columns and one line per row. Values keep their exact types (dates, times,
floats, JSON), so a backup taken from SQLite restores into PostgreSQL and back, row for row.
A restore runs in one transaction: a damaged file or a failing row leaves the database as it was.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Date, DateTime, Engine, Integer, LargeBinary, Table, delete, func, insert, inspect, select, text

from dashboard import clock
from dashboard.store.database import alembic_config, is_empty, upgrade
from dashboard.store.models import Base

FORMAT = "kpi-dashboard-backup"
FORMAT_VERSION = 1
BATCH = 5_000


class BackupError(Exception):
    """A backup file that cannot be restored, or a target that must not be overwritten; says why."""


@dataclass
class BackupSummary:
    path: Path
    revision: str
    tables: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)  # parents before children


def _encode(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):  # a kept briefing file
        return base64.b64encode(value).decode("ascii")
    return value


def _decoder(table: Table, columns: list[str]):  # noqa: ANN202
    kinds = []
    for name in columns:
        col = table.columns[name]
        if isinstance(col.type, DateTime):
            kinds.append(datetime.fromisoformat)
        elif isinstance(col.type, Date):
            kinds.append(date.fromisoformat)
        elif isinstance(col.type, LargeBinary):
            kinds.append(base64.b64decode)
        else:
            kinds.append(None)

    def decode(row: list) -> dict:
        return {
            name: (conv(v) if conv is not None and v is not None else v)
            for name, conv, v in zip(columns, kinds, row, strict=True)
        }

    return decode


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.scalar(text("SELECT version_num FROM alembic_version"))


def write_backup(engine: Engine, path: Path) -> BackupSummary:
    """Write every table to ``path`` from one consistent read transaction."""
    revision = current_revision(engine)
    if revision is None:
        raise BackupError("the database has no schema yet: nothing to back up")
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    counts: dict[str, int] = {}
    tmp = path.with_name(path.name + ".part")
    with engine.connect().execution_options(**options) as conn, conn.begin():
        for table in _tables():
            counts[table.name] = conn.scalar(select(func.count()).select_from(table))
        header = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "revision": revision,
            "dialect": engine.dialect.name,
            "created_at": clock.now().isoformat(timespec="seconds"),
            "tables": counts,
        }
        with gzip.open(tmp, "wt", encoding="utf-8") as out:
            out.write(json.dumps(header, ensure_ascii=False) + "\n")
            for table in _tables():
                columns = [c.name for c in table.columns]
                out.write(json.dumps({"table": table.name, "columns": columns}) + "\n")
                order = list(table.primary_key.columns)
                result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
                    select(*table.columns).order_by(*order)
                )
                for row in result:
                    out.write(json.dumps([_encode(v) for v in row], ensure_ascii=False) + "\n")
    tmp.replace(path)  # a backup interrupted half-way never takes the name of a good one
    return BackupSummary(path, revision, counts)


def _lines(path: Path) -> Iterator[tuple[int, object]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as src:
            for n, line in enumerate(src, start=1):
                try:
                    yield n, json.loads(line)
                except json.JSONDecodeError as exc:
                    raise BackupError(f"{path.name}: line {n} is not valid JSON ({exc.msg})") from None
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise BackupError(f"{path.name}: not a readable backup file ({exc})") from None


def read_header(path: Path) -> dict:
    """The backup's header; raises BackupError when the file is not a backup of this site."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    for _, header in _lines(path):
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise BackupError(f"{path.name}: not a backup written by 'python -m dashboard backup'")
        if header.get("version") != FORMAT_VERSION:
            raise BackupError(f"{path.name}: backup format {header.get('version')} is not supported")
        return header
    raise BackupError(f"{path.name}: the file is empty")


def _has_rows(engine: Engine) -> bool:
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        return any(conn.scalar(select(func.count()).select_from(t)) for t in _tables() if t.name in names)


def _known_revisions(engine: Engine) -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config(engine)).walk_revisions()}


def restore_backup(engine: Engine, path: Path, *, force: bool = False) -> BackupSummary:
    """Replace the database's content with the backup's, in one transaction.

    A database that holds data is only overwritten with ``force``. A backup from an older schema is
    restored at its own revision and then migrated to the newest one.
    """
    header = read_header(path)
    revision = header.get("revision")
    _check_restorable(engine, path, revision, force)
    here = current_revision(engine)
    expected: dict[str, int] = header.get("tables") or {}
    _upgrade_to(engine, here if here == revision else revision)
    with engine.begin() as conn:
        for table in reversed(_tables()):
            conn.execute(delete(table))
        seen = _insert_rows(conn, path)
        short = {k: (v, seen.get(k, 0)) for k, v in expected.items() if seen.get(k, 0) != v}
        if short:
            detail = ", ".join(f"{k}: {got} of {want} rows" for k, (want, got) in short.items())
            raise BackupError(f"{path.name}: the file is incomplete ({detail}); nothing was restored")
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn)
    upgrade(engine)
    return BackupSummary(path, revision, seen)


def _check_restorable(engine: Engine, path: Path, revision: str | None, force: bool) -> None:
    if revision not in _known_revisions(engine):
        raise BackupError(f"{path.name}: schema revision {revision!r} is unknown to this version of the site")
    if not is_empty(engine) and _has_rows(engine) and not force:
        raise BackupError("the database already holds data: use --force to replace it with the backup")
    here = current_revision(engine)
    if here is not None and here != revision and _has_rows(engine):
        raise BackupError(
            f"{path.name}: the backup has schema {revision}, the database {here}: "
            "restore into an empty database (it is then migrated to the newest schema)"
        )


def _insert_rows(conn, path: Path) -> dict[str, int]:  # noqa: ANN001
    """Every row of the backup inserted in batches; the number of rows read per table."""
    tables = {t.name: t for t in _tables()}
    seen: dict[str, int] = {}
    table: Table | None = None
    decode = None
    batch: list[dict] = []

    def flush() -> None:
        if batch:
            conn.execute(insert(table), batch)
            batch.clear()

    for n, item in _lines(path):
        if n == 1:
            continue
        if isinstance(item, dict):
            flush()
            name = item.get("table")
            if name not in tables:
                raise BackupError(f"{path.name}: line {n}: unknown table {name!r}")
            table = tables[name]
            columns = item.get("columns") or []
            unknown = [c for c in columns if c not in table.columns]
            if unknown:
                raise BackupError(f"{path.name}: line {n}: table {name} has no column(s) {', '.join(unknown)}")
            decode = _decoder(table, columns)
            seen[name] = 0
            continue
        if table is None or not isinstance(item, list):
            raise BackupError(f"{path.name}: line {n}: a row outside any table")
        try:
            batch.append(decode(item))
        except (ValueError, TypeError) as exc:
            raise BackupError(f"{path.name}: line {n} (table {table.name}): {exc}") from None
        seen[table.name] += 1
        if len(batch) >= BATCH:
            flush()
    flush()
    return seen


def _upgrade_to(engine: Engine, revision: str) -> None:
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _reset_sequences(conn) -> None:  # noqa: ANN001
    """Serial ids continue after the restored rows, so the next insert does not collide."""
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name})
        if seq:
            top = conn.scalar(select(func.max(pk[0])))
            conn.execute(text("SELECT setval(:s, :v, :called)"), {"s": seq, "v": top or 1, "called": top is not None})
