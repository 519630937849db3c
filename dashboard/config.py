"""Settings from environment variables, with defaults that make ``git clone`` + ``serve`` work."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dashboard import clock
from dashboard.cycle.locks import Rhythm

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"
DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE / 'dashboard.db'}"


def _today_from_env() -> date | None:
    raw = os.environ.get("DASHBOARD_TODAY", "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise SystemExit(f"DASHBOARD_TODAY must be a date as YYYY-MM-DD, got '{raw}'") from None


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one kept in instance/ so sessions survive restarts."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = INSTANCE / "secret_key"
    try:
        if path.exists():
            return path.read_text().strip()
        INSTANCE.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        path.write_text(key)
        path.chmod(0o600)
        return key
    except OSError:
        return secrets.token_hex(32)


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a number, got '{raw}'") from None


def _int_env(name: str, default: int) -> int:
    return int(_float_env(name, default))


def _db_timeout() -> float:
    seconds = _float_env("DB_TIMEOUT", 20.0)
    # The client gives the server 3 s more to answer; all of it must fit inside gunicorn's 30 s worker timeout.
    if not 1 <= seconds <= 25:
        raise SystemExit(f"DB_TIMEOUT must be from 1 to 25 seconds (inside a web worker's 30 s), got {seconds:g}")
    return seconds


def _report_day() -> int:
    day = _int_env("REPORT_DAY", 25)
    if not 1 <= day <= 28:
        raise SystemExit(f"REPORT_DAY must be a day from 1 to 28 (every month has it), got {day}")
    return day


def _report_hour() -> float | None:
    """``REPORT_HOUR``: "16" or "16:30" (reports due before that time); unset means by the end of the day."""
    raw = os.environ.get("REPORT_HOUR", "").strip()
    if not raw:
        return None
    try:
        hours, _, minutes = raw.partition(":")
        value = int(hours) + (int(minutes) / 60 if minutes else 0)
    except ValueError:
        raise SystemExit(f"REPORT_HOUR must be an hour such as 16 or 16:30, got '{raw}'") from None
    if not 0 < value <= 24:
        raise SystemExit(f"REPORT_HOUR must lie between 0 and 24, got '{raw}'")
    return value


def _lock_days() -> int:
    days = _int_env("LOCK_AFTER_DAYS", 10)
    if not 0 <= days <= 365:
        raise SystemExit(f"LOCK_AFTER_DAYS must be from 0 to 365 days, got {days}")
    return days


def _share(name: str, default: float) -> float:
    value = _float_env(name, default)
    if not 0 <= value <= 100:
        raise SystemExit(f"{name} must be a percentage from 0 to 100, got {value:g}")
    return value


@dataclass
class Config:
    """Everything the app reads from its environment; see the README for each variable."""

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    today: date | None = None  # the "as of" date for statuses; None means the real today
    auto_demo: bool = True  # fill an empty embedded database with the demo on first run
    host: str = "127.0.0.1"
    port: int = 8050
    due_soon_days: int = 14  # red flag for tasks due within this many days
    kpi_margin: float = 5.0  # amber when a KPI is within this many points of its target
    report_day: int = 25  # monthly reports are due by this day of the month
    report_hour: float | None = None  # ... before this hour of that day (Thái Nguyên: 16); None: by its end
    wall_rotate_seconds: float = 20.0
    wall_refresh_minutes: float = 5.0
    sources_file: str | None = None  # TOML file of SQL sources; None: instance/sources.toml, else the demo's
    demo_sources_url: str | None = None  # where the demo's raw source records live
    demo_source_scale: float = 1.0  # size of the demo's raw records (1.0: about 200,000 applications)
    run_scheduler: bool = False  # pull sources in this process (serve); production uses a worker process
    poll_seconds: float = 60.0  # how often open pages look for new data
    briefing_dir: str | None = None  # where monthly briefings go (default instance/briefings)
    secure_cookies: bool = False  # set when the site is served over HTTPS
    trust_proxy: bool = False  # behind a reverse proxy: take the client address and scheme from X-Forwarded-*
    redis_url: str | None = None  # shared store for rate limits (and caches) across workers
    login_rate_limit: str | None = None  # flask-limiter limits per client address for POST /login; None: the default
    db_timeout_s: float = 20.0  # a database statement or answer that takes longer fails (the page falls back)
    lock_days: int = 10  # a month locks this many days after its report day (approval locks it at once)
    trajectory_at_risk: float = 5.0  # % of a KPI's path: further behind is "at risk" ...
    trajectory_off_track: float = 15.0  # ... and further behind than this "off track"
    smtp_url: str | None = None  # smtp://user:password@host:port (smtps:// for TLS, ?starttls=1); None: no mail
    mail_from: str = "bcd-kpi@localhost"  # the sender of notices
    site_url: str = ""  # the site's address as people open it, for the links in mails

    @classmethod
    def from_env(cls) -> Config:
        return cls(
            database_url=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
            secret_key=_secret_key(),
            today=_today_from_env(),
            auto_demo=os.environ.get("DASHBOARD_AUTO_DEMO", "1") not in ("0", "false", "no"),
            host=os.environ.get("HOST", "127.0.0.1"),
            port=int(os.environ.get("PORT", "8050")),
            due_soon_days=_int_env("DUE_SOON_DAYS", 14),
            kpi_margin=_float_env("KPI_MARGIN", 5.0),
            report_day=_report_day(),
            report_hour=_report_hour(),
            wall_rotate_seconds=_float_env("WALL_ROTATE_SECONDS", 20.0),
            wall_refresh_minutes=_float_env("WALL_REFRESH_MINUTES", 5.0),
            sources_file=os.environ.get("SOURCES_FILE") or None,
            demo_sources_url=os.environ.get("DEMO_SOURCES_URL") or None,
            demo_source_scale=_float_env("DEMO_SOURCE_SCALE", 1.0),
            poll_seconds=_float_env("POLL_SECONDS", 60.0),
            briefing_dir=os.environ.get("BRIEFING_DIR") or None,
            secure_cookies=os.environ.get("HTTPS", "").lower() in ("1", "true", "yes", "on"),
            trust_proxy=os.environ.get("TRUST_PROXY", "").lower() in ("1", "true", "yes", "on"),
            redis_url=os.environ.get("REDIS_URL") or None,
            login_rate_limit=os.environ.get("LOGIN_RATE_LIMIT", "").strip() or None,
            db_timeout_s=_db_timeout(),
            lock_days=_lock_days(),
            trajectory_at_risk=_share("TRAJECTORY_AT_RISK", 5.0),
            trajectory_off_track=_share("TRAJECTORY_OFF_TRACK", 15.0),
            smtp_url=os.environ.get("SMTP_URL", "").strip() or None,
            mail_from=os.environ.get("MAIL_FROM", "").strip() or "bcd-kpi@localhost",
            site_url=os.environ.get("SITE_URL", "").strip().rstrip("/"),
        )

    def rhythm(self) -> Rhythm:
        """The monthly calendar: report day and hour, and when months lock."""
        return Rhythm(self.report_day, self.report_hour, self.lock_days)

    def link(self, path: str) -> str:
        """A full address of a page of the site, for mails."""
        base = self.site_url or f"http://{self.host}:{self.port}"
        return base + path

    def sources_path(self) -> Path:
        if self.sources_file:
            return Path(self.sources_file)
        own = INSTANCE / "sources.toml"
        if own.exists():
            return own
        # The demo's sources belong to the embedded demo store; a production database gets none by default.
        return ROOT / "data" / "sources.demo.toml" if self.database_url.startswith("sqlite") else own

    def demo_sources(self) -> str:
        """The demo source database: beside a SQLite store, else under instance/."""
        if self.demo_sources_url:
            return self.demo_sources_url
        if self.database_url.startswith("sqlite:///") and ":memory:" not in self.database_url:
            return f"sqlite:///{Path(self.database_url.removeprefix('sqlite:///')).with_name('demo_sources.db')}"
        return f"sqlite:///{INSTANCE / 'demo_sources.db'}"

    def sources(self) -> list:
        """The configured SQL sources (see dashboard.sources.definitions)."""
        from dashboard.sources.definitions import load_sources

        return load_sources(self.sources_path(), {"DEMO_SOURCES_URL": self.demo_sources()})

    def briefings_path(self) -> Path:
        return Path(self.briefing_dir) if self.briefing_dir else INSTANCE / "briefings"

    def as_of(self) -> date:
        """The date statuses are computed for: ``DASHBOARD_TODAY``, else today in Vietnam time."""
        return self.today or clock.today()
