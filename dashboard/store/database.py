"""Database access: engines, sessions, schema migrations and the one-transaction rule."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import psycopg
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import (
    BindParameter,
    Engine,
    Executable,
    Integer,
    Row,
    String,
    bindparam,
    cast,
    create_engine,
    event,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from dashboard import clock
from dashboard.store.models import Meta

MIGRATIONS = Path(__file__).with_name("migrations")
# What a lost or refused database connection raises (not a bug in a query): pages fall back to cached data.
DB_UNAVAILABLE = (OperationalError, InterfaceError)


def id_list(ids: Iterable[int]) -> BindParameter:
    """Ids for ``column.in_(...)`` written into the SQL as numbers: a province's 150 task ids as bound
    parameters cost the driver more to parse than the query costs PostgreSQL. Only for integers."""
    return bindparam(None, [int(i) for i in ids], expanding=True, literal_execute=True)


def read_rows(session: Session, stmt: Executable) -> Sequence[Row]:
    """The rows of a plain column query, executed as Core in the session's transaction: none of the ORM's
    per-row work, a quarter of the time on the thousands of rows a province's pages read."""
    session.flush()  # what the session holds unsaved is part of what is read, as with ``session.execute``
    return session.connection().execute(stmt).all()


def normalize_url(url: str) -> str:
    """Accept the usual ``postgres://`` spellings and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, timeout_s: float | None = None) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and foreign keys enforced.

    PostgreSQL statements are cancelled by the server after ``timeout_s`` (default ``DB_TIMEOUT_S``; 0: never,
    for the bulk builds of the benchmarks), and the client itself stops waiting a little later: a server that
    hangs (a relay that stops forwarding, a frozen host) never answers a cancel either."""
    timeout = DB_TIMEOUT_S if timeout_s is None else timeout_s
    url = normalize_url(url)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # A database that stops answering must fail a request in seconds, not hang the worker: connecting gives up
    # after 5 s and a statement after ``timeout`` s, inside a gunicorn worker's 30 s; the page then falls back
    # to its last good copy.
    connect_args: dict = {}
    if url.startswith("postgresql"):
        connect_args["connect_timeout"] = 5
        if "options=" not in url:  # options in the URL (a search_path) are the caller's: left as they are
            connect_args["options"] = f"-c statement_timeout={int(timeout * 1000)}"
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    if engine.dialect.name == "postgresql" and timeout:
        patience = AnswerPatience(timeout + ANSWER_GRACE_S)

        @event.listens_for(engine, "do_connect")
        def _answering(_dialect, _record, cargs, cparams) -> AnsweringConnection:  # noqa: ANN001
            probe = patience.suspect()
            if probe:
                if not patience.probe_now():
                    raise psycopg.OperationalError("the database is not answering (tried again every few seconds)")
                cparams = {**cparams, "connect_timeout": max(2, int(SUSPECT_TIMEOUT_S))}  # libpq: whole seconds, ≥ 2
            started = time.monotonic()
            try:
                conn = AnsweringConnection.connect(*cargs, **cparams)
            except psycopg.OperationalError:
                # A refusal comes at once and costs nothing to retry; a silence cost the whole connect timeout.
                if time.monotonic() - started >= 1:
                    patience.ran_out()
                raise
            conn.patience, conn.probe = patience, probe
            return conn

    # gunicorn --preload forks workers after the app is built: a child must not reuse the parent's sockets.
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn) -> None:  # noqa: ANN001
            # A unit that saves what it checked takes the write lock first (see ``transaction``); the others keep
            # the driver's way, which locks nothing until the first change, so readers never hold writers up.
            if conn.get_execution_options().get("sqlite_write"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # configparser treats "%" as interpolation: URL-encoded passwords and options need it doubled.
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (creates it on an empty database)."""
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def is_empty(engine: Engine) -> bool:
    """True when the database has no schema yet."""
    return not inspect(engine).has_table("alembic_version")


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


SQLITE_BUSY_MS = 15_000  # how long a SQLite change waits for the one before it
DB_TIMEOUT_S = 20.0  # a PostgreSQL statement that runs longer is cancelled (the page falls back)
ANSWER_GRACE_S = 3.0  # past the statement timeout, the server had its chance to answer with a cancel
SUSPECT_TIMEOUT_S = 5.0  # how long a probe of a suspected database waits (a fresh connection on a loaded host)
SUSPECT_FOR_S = 30.0  # ... and for how long after that failure
PROBE_EVERY_S = 2.0  # while suspected, one request in this interval tries the database; the others fail at once


class AnswerPatience:
    """How long one engine waits for the database's answer, and whether it tries at all.

    After a wait that ran out, the database is suspected of hanging (a circuit breaker): for ``SUSPECT_FOR_S``
    the requests fail at once, so pages fall back to their cached copies without holding a worker, except one
    probe every ``PROBE_EVERY_S`` that really connects, with ``SUSPECT_TIMEOUT_S`` to get an answer. The first
    answer ends the suspicion."""

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self._suspect_until = 0.0
        self._next_probe = 0.0
        self._lock = threading.Lock()

    def suspect(self) -> bool:
        return time.monotonic() < self._suspect_until

    def probe_now(self) -> bool:
        """Whether this attempt may reach the database: always, unless suspected and another probed lately."""
        if not self.suspect():
            return True
        with self._lock:
            now = time.monotonic()
            if now < self._next_probe:
                return False
            self._next_probe = now + PROBE_EVERY_S
            return True

    def limit(self) -> float:
        return min(self.limit_s, SUSPECT_TIMEOUT_S) if self.suspect() else self.limit_s

    def ran_out(self) -> None:
        """The database did not answer (a wait ran out, or connecting did): suspect it, next probe later."""
        now = time.monotonic()
        self._suspect_until = now + SUSPECT_FOR_S
        self._next_probe = now + PROBE_EVERY_S

    def answered(self) -> None:
        self._suspect_until = 0.0


class AnsweringConnection(psycopg.Connection):
    """A psycopg connection that stops waiting for the server after its engine's patience: libpq would wait
    forever on a socket the peer keeps open without answering. The connection is closed on the spot (it is
    mid-protocol), so SQLAlchemy discards it from the pool and the error reaches the page as an outage."""

    patience: AnswerPatience | None = None
    probe = False  # opened as the probe of a suspected database: it may wait (briefly) where others may not

    def wait(self, gen, interval: float = 0.1, timeout: float | None = None):  # noqa: ANN001, ANN201
        patience = self.patience
        if patience is None or timeout is not None:
            return super().wait(gen, interval=interval, timeout=timeout)
        if not (self.probe or patience.probe_now()):
            self.close()
            raise psycopg.OperationalError("the database is not answering (tried again every few seconds)")
        limit = patience.limit()
        try:
            answer = super().wait(gen, interval=interval, timeout=limit)
        except psycopg.errors._WaitTimeout as exc:  # the only signal psycopg gives for a wait that ran out
            patience.ran_out()
            self.close()
            raise psycopg.OperationalError(f"the database did not answer within {limit:g} s") from exc
        patience.answered()
        self.probe = False
        return answer


@contextmanager
def transaction(engine: Engine, write: bool = False) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back entirely on any error.

    ``write``: the unit changes data after reading it (a save checked against a version). SQLite has no row
    locks, so such a unit takes the write lock when it begins (``BEGIN IMMEDIATE``): a second save of the same
    task waits for the first, then reads what the first wrote and is refused as a conflict, where two
    deferred transactions would both pass the version check (or fail with "database is locked")."""
    if write and engine.dialect.name == "sqlite":
        engine = engine.execution_options(sqlite_write=True)
    session = sessions(engine)()
    try:
        with session.begin():
            yield session
    finally:
        session.close()


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key)
    if row:
        row.value = value
    else:
        session.add(Meta(key=key, value=value))


def meta_dict(session: Session) -> dict[str, str]:
    return {m.key: m.value for m in session.scalars(select(Meta))}


def data_version(session: Session) -> int:
    """A number that grows with every change of the data the pages show (cache keys carry it)."""
    try:
        # A column read, not the identity map: ``_increment`` changes the row behind the ORM's back.
        return int(session.scalar(select(Meta.value).where(Meta.key == "data_version")) or 0)
    except ValueError:
        return 0


def _increment(session: Session, key: str) -> int:
    """Add one to a numeric meta value in the database itself (``UPDATE … RETURNING``): two concurrent changes
    move it by two, where reading, adding in Python and writing back could move it by one. The row is locked
    until the caller's transaction ends, so versions also commit in order."""
    table = Meta.__table__
    stmt = (
        update(table)
        .where(table.c.key == key)
        .values(value=cast(cast(table.c.value, Integer) + 1, String))
        .returning(table.c.value)
    )
    value = session.execute(stmt).scalar()
    if value is None:  # the first change ever: create the row (or find it created by a concurrent first change)
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert
        session.execute(upsert(table).values(key=key, value="0").on_conflict_do_nothing(index_elements=["key"]))
        value = session.execute(stmt).scalar()
    return int(value)


def bump_data_version(session: Session, plan_ids: Iterable[int] | None = None) -> int:
    """Mark the data as changed: cached pages built from older data are no longer used.

    With ``plan_ids`` only those plans' pages are out of date (a task saved in one province leaves the
    other 33 provinces' cached pages and wall screens alone); without, every plan's are."""
    version = _increment(session, "data_version")
    set_meta(session, "data_changed_at", clock.now().isoformat(timespec="seconds"))
    if plan_ids is None:
        set_meta(session, "data_epoch", str(version))
    else:
        for plan_id in sorted(set(plan_ids)):
            set_meta(session, f"plan_version:{plan_id}", str(version))
    return version


def plan_version(session: Session, plan_id: int | None) -> int:
    """The data version at which a plan's data last changed (for ``None``: at which anything changed)."""
    if plan_id is None:
        return data_version(session)
    values = session.scalars(select(Meta.value).where(Meta.key.in_(("data_epoch", f"plan_version:{plan_id}"))))
    return max((int(v) for v in values if v.isdigit()), default=0)
