"""The web application factory: ``create_app(config)`` builds the Dash app on top of the core.

gunicorn runs ``webapp:create_server()``; ``python -m dashboard serve`` runs ``create_app`` directly.
Bootstrap and every other asset are served from ``assets/``: the site works without the internet.
"""

from __future__ import annotations

import gc
import hashlib
from pathlib import Path

import plotly.io as pio
from dash import Dash
from flask import Flask, jsonify, request
from flask_caching import Cache
from flask_compress import Compress
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

import callbacks
from callbacks.context import warm
from dashboard.accounts.auth import init_auth
from dashboard.accounts.permissions import PermissionDenied
from dashboard.config import Config
from dashboard.demo import prepare_store
from dashboard.exports.report_jobs import Runner
from dashboard.messages import t
from dashboard.reads.page_data import Settings
from dashboard.reads.plan_cache import key_prefix
from dashboard.sources.scheduler import KpiScheduler
from dashboard.store.database import make_engine
from layouts.shell import root

HERE = Path(__file__).resolve().parent


def code_version() -> str:
    """A fingerprint of the web code, the same in every worker; a wall screen reloads when it changes."""
    digest = hashlib.sha256()
    for folder in ("layouts", "callbacks", "assets"):
        for path in sorted((HERE / folder).glob("*")):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def create_app(config: Config | None = None) -> Dash:
    """Build the dashboard on a store that is ready (see ``dashboard.demo.prepare_store``): building the app reads
    and writes no data, so tests and workers build it on a copy of a prepared store."""
    config = config or Config.from_env()
    engine = make_engine(config.database_url, config.db_timeout_s)
    sources = config.sources()
    app = Dash(
        __name__,
        title=t("app_title"),
        suppress_callback_exceptions=True,
        update_title=None,
        assets_folder=str(HERE / "assets"),
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    server: Flask = app.server
    if config.trust_proxy:
        # Login rate limits count per client address: behind a proxy that address is in X-Forwarded-For.
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=1, x_proto=1, x_host=1)
    # A request body beyond this is refused (413) before anything reads it: the largest upload, a 20 MB plan,
    # arrives base64-encoded inside a Dash request.
    server.config.update(SECRET_KEY=config.secret_key, MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES)
    cache = Cache(server, config=cache_config(config.redis_url, config.database_url))
    _compress(server)
    server.extensions["kpi"] = {
        "engine": engine,
        "config": config,
        "cache": cache,
        "sources": sources,
        "reports": Runner(engine, Settings.from_config(config)),
    }
    init_auth(server, engine, secure_cookies=config.secure_cookies, ratelimit_storage=config.redis_url)
    version = code_version()

    @server.get("/healthz")
    def healthz():  # noqa: ANN202
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            db = True
        except Exception:  # noqa: BLE001 - any failure means "database down" to a health check
            db = False
        return jsonify(status="ok" if db else "degraded", database=db, version=version), 200 if db else 503

    @server.errorhandler(PermissionDenied)
    def forbidden(exc):  # noqa: ANN001, ANN202
        """A read or change this person may not make: 403 with the reason, for Dash and pages alike."""
        if request.path.startswith("/_"):
            return jsonify(error=str(exc)), 403
        return str(exc), 403, {"Content-Type": "text/plain; charset=utf-8"}

    @server.errorhandler(SQLAlchemyError)
    def database_down(_exc):  # noqa: ANN001, ANN202
        """Whatever a request needed from the database: a short answer, never a traceback page."""
        if request.path.startswith("/_"):
            return jsonify(error="database unavailable"), 503
        return DB_DOWN_PAGE, 503, {"Content-Type": "text/html; charset=utf-8", "Retry-After": "15"}

    app.layout = lambda: root(config.poll_seconds)
    callbacks.register(app)
    _security_headers(server, app.csp_hashes())
    if config.run_scheduler:
        settings = Settings.from_config(config)

        def prepare(plan_ids: list[int] | None) -> None:
            with server.app_context():
                warm(plan_ids)

        scheduler = KpiScheduler(
            engine,
            sources,
            on_refresh=prepare,
            briefings=(config.briefings_path(), config.as_of, settings),
            cycle=config,
        )
        scheduler.start()
        server.extensions["kpi"]["scheduler"] = scheduler
    # Everything built so far (Dash, Plotly, the app) lives as long as the process: moved out of the garbage
    # collector's sight, full collections during a request stop scanning it (p95 latency, not p50).
    gc.freeze()
    # A page build makes a hundred thousand short-lived objects that reference counting frees (rows, figures,
    # component dicts; hardly any cycles): at Python's default thresholds the cycle collector ran some 50 times
    # per build of a large province and took 20 ms of it. Collected every 50,000 allocations instead.
    gc.set_threshold(*GC_THRESHOLDS)
    return app


# Dash writes every answer with Plotly's JSON writer: its orjson engine walks the answer's components in Python,
# and writes a page's content, encoded once when it was built (``callbacks.context.encoded``), as is. The
# standard library's writer cannot carry encoded JSON: it would encode half a megabyte again on every view.
pio.json.config.default_engine = "orjson"


GC_THRESHOLDS = (50_000, 20, 20)  # the cycle collector's: see ``create_app``

MAX_REQUEST_BYTES = 32 * 1024 * 1024
# What is worth compressing: pages, Dash's JSON answers (a province's overview: 318 KB, 15 KB gzipped), its
# scripts and styles, and the text downloads; PDFs, images and .xlsx files are compressed already.
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/csv",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
]


def _compress(server: Flask) -> None:
    """gzip or brotli, as the browser asks (a phone on a slow link gets a tenth of the bytes)."""
    server.config.update(
        COMPRESS_MIMETYPES=COMPRESSED_TYPES,
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_LEVEL=6,
        COMPRESS_BR_LEVEL=4,  # brotli's fast levels: a dash answer is compressed on every request
        COMPRESS_MIN_SIZE=1024,
    )
    Compress(server)


# Before any page is known there is no language to choose: the notice speaks both.
DB_DOWN_PAGE = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="15"><title>{t("down.title")}</title></head>
<body style="font-family: sans-serif; margin: 3rem"><h1>{t("down.title")}</h1><p>{t("down.body")}</p>
<h2 lang="en">{t("down.title", "en")}</h2><p lang="en">{t("down.body", "en")}</p></body></html>"""


def content_security_policy(script_hashes: list[str]) -> str:
    """Only this site's own scripts (and Dash's one inline starter, by its hash), no plug-ins, no framing by
    another site; charts download as data/blob URLs; Dash components set inline styles."""
    rules = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'self'",
    }
    return "; ".join(f"{k} {v}" for k, v in rules.items())


def _security_headers(server: Flask, script_hashes: list[str]) -> None:
    policy = content_security_policy(script_hashes)

    @server.after_request
    def headers(response):  # noqa: ANN001, ANN202
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response


def cache_config(redis_url: str | None, database_url: str) -> dict:
    """Redis when REDIS_URL is set (shared by all workers), else a cache in this process."""
    if redis_url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": redis_url,
            "CACHE_DEFAULT_TIMEOUT": 3600,
            "CACHE_KEY_PREFIX": key_prefix(database_url),
        }
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 3600, "CACHE_THRESHOLD": 2000}


def create_server() -> Flask:
    """The Flask server for gunicorn: the store is prepared first (migrated; the demo on a first embedded run)."""
    config = Config.from_env()
    prepare_store(config)
    return create_app(config).server
