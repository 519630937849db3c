"""Command line: ``python -m dashboard COMMAND`` (also installed as ``kpi-dashboard``)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, or_, select
from sqlalchemy.exc import SQLAlchemyError

from dashboard.config import Config
from dashboard.exports import tables as exporter
from dashboard.importers import PlanImportError, import_file
from dashboard.importers.preview import preview_file
from dashboard.reads.rows import indicator_rows, plan_rows, task_rows
from dashboard.store.database import make_engine, transaction, upgrade
from dashboard.store.models import Plan


class CliError(Exception):
    """A command-line request that cannot be carried out (told in English, like the rest of the CLI)."""


def _engine(config: Config):  # noqa: ANN202
    return make_engine(config.database_url, config.db_timeout_s)


def cmd_init_db(args: argparse.Namespace, config: Config) -> int:
    engine = _engine(config)
    upgrade(engine)
    print(f"database ready: {engine.url.render_as_string(hide_password=True)}")
    return 0


def _prepare(config: Config, engine: Engine, plan_ids: list[int] | None, clear: bool = False) -> None:
    """After a change from the command line: rebuild the changed plans' data in the web workers' Redis cache
    (``None``: every plan), so that nobody's first page view waits for it. ``clear``: the database was
    replaced, so nothing cached before may be served again. Without REDIS_URL each web process keeps its own
    cache, which its data versions keep honest."""
    if not config.redis_url:
        return
    from dashboard.reads import plan_cache

    cache = plan_cache.shared_cache(config.redis_url, config.database_url)
    if clear:
        cache.clear()
    plan_cache.warm(cache, engine, config.as_of(), _settings(config), plan_ids)


def cmd_import_plan(args: argparse.Namespace, config: Config) -> int:
    engine = _engine(config)
    upgrade(engine)
    status = 0
    imported = []
    for path in args.paths:
        try:
            if args.dry_run:
                print(preview_file(engine, Path(path), province=args.province, year=args.year).summary())
                continue
            report = import_file(engine, Path(path), province=args.province, year=args.year)
        except PlanImportError as exc:
            print(f"error: {exc.text('en')}", file=sys.stderr)
            print("nothing was imported from this file; the database is unchanged", file=sys.stderr)
            status = 1
            continue
        print(report.summary())
        imported += [report.plan_id] if report.plan_id is not None else []
    _prepare(config, engine, imported)
    return status


def cmd_demo(args: argparse.Namespace, config: Config) -> int:
    from dashboard.demo import DemoRefused, build_demo, demo_options

    engine = _engine(config)
    started = time.perf_counter()
    try:
        summary = build_demo(engine, config.as_of(), force=args.force, **demo_options(config))
    except DemoRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for report in summary.reports:
        print(report.summary().splitlines()[0])
    print(
        f"demo data as of {summary.as_of:%d/%m/%Y}: {summary.agencies} extra agencies, "
        f"{summary.measurements} monthly KPI figures, {summary.task_updates} task updates "
        f"({time.perf_counter() - started:.1f} s)"
    )
    _prepare(config, engine, None, clear=True)  # a rebuilt database: its data versions may repeat cached ones
    return 0


def cmd_create_user(args: argparse.Namespace, config: Config) -> int:
    import getpass

    from sqlalchemy import select as sql_select

    from dashboard.accounts.users import SYSTEM, AccountError, create_user
    from dashboard.store.models import Agency, Province

    engine = _engine(config)
    upgrade(engine)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mật khẩu: ")
        if password != getpass.getpass("Nhập lại: "):
            print("error: the two passwords differ", file=sys.stderr)
            return 1
    try:
        with transaction(engine) as session:
            agency_id = None
            if args.role == "agency":
                if not args.agency or not args.province:
                    raise CliError("an agency user needs --agency NAME and --province NAME")
                agency_id = session.scalar(
                    sql_select(Agency.id)
                    .join(Province)
                    .where(Province.name == args.province, Agency.name == args.agency)
                )
                if agency_id is None:
                    raise CliError(f"no agency '{args.agency}' in province '{args.province}'")
            province_id = None
            if args.role in ("leader", "viewer") and args.province:
                province_id = session.scalar(sql_select(Province.id).where(Province.name == args.province))
                if province_id is None:
                    raise CliError(f"no province '{args.province}'")
            user = create_user(
                session, SYSTEM, args.username, password, args.role, agency_id, args.name or "", province_id
            )
            print(f"created user {user.username} ({user.role})")
    except (AccountError, CliError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_kiosk_token(args: argparse.Namespace, config: Config) -> int:
    from dashboard.accounts.users import SYSTEM, AccountError, create_kiosk_token

    engine = _engine(config)
    upgrade(engine)
    try:
        with transaction(engine) as session:
            province_id = None
            if args.province:
                from sqlalchemy import select as sql_select

                from dashboard.store.models import Province

                province_id = session.scalar(sql_select(Province.id).where(Province.name == args.province))
                if province_id is None:
                    raise CliError(f"no province '{args.province}'")
            token, plain = create_kiosk_token(session, SYSTEM, args.name, province_id)
            print(f"wall screen '{token.name}': open /wall?token={plain} once on the TV (shown only now)")
    except (AccountError, CliError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_agency_accounts(args: argparse.Namespace, config: Config) -> int:
    """An account for every agency of a plan that has none, one-time passwords written to a sheet."""
    from dashboard.accounts.users import SYSTEM, AccountError, create_agency_accounts
    from dashboard.exports.tables import TEXT, table_xlsx

    engine = _engine(config)
    upgrade(engine)
    try:
        with transaction(engine, write=True) as session:
            plan = _find_plan(session, args.plan)
            if plan is None:
                raise CliError(f"no plan '{args.plan}'")
            made = create_agency_accounts(session, SYSTEM, plan.id)
            if made:
                columns = [("Đơn vị", TEXT), ("Tên đăng nhập", TEXT), ("Mật khẩu dùng một lần", TEXT)]
                sheet = table_xlsx("Tài khoản", columns, [[a.agency, a.username, a.password] for a in made])
                Path(args.output).write_bytes(sheet)  # inside the transaction: no sheet, no accounts
    except (AccountError, CliError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if made:
        print(f"{len(made)} accounts created; their one-time passwords are in {args.output} (shown nowhere else)")
    else:
        print("every agency of the plan already has an account")
    return 0


def cmd_scheduler(args: argparse.Namespace, config: Config) -> int:
    import signal

    from dashboard.sources.scheduler import KpiScheduler

    engine = _engine(config)
    upgrade(engine)
    sources = config.sources()
    on_refresh = None
    if config.redis_url:  # the web workers read plan data from Redis: prepare it there as data changes

        def on_refresh(plan_ids: list[int] | None) -> None:
            _prepare(config, engine, plan_ids)

    scheduler = KpiScheduler(
        engine,
        sources,
        on_refresh=on_refresh,
        briefings=(config.briefings_path(), config.as_of, _settings(config)),
        cycle=config,
    )
    scheduler.start()
    print(f"scheduler {scheduler.holder}: {len(sources)} sources from {config.sources_path()}", flush=True)
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    started = time.monotonic()
    try:
        while not stop["now"] and (args.run_for is None or time.monotonic() - started < args.run_for):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    scheduler.shutdown()
    return 0


def _settings(config: Config):  # noqa: ANN202
    from dashboard.reads.page_data import Settings

    return Settings.from_config(config)


def cmd_briefing(args: argparse.Namespace, config: Config) -> int:
    from dashboard.reads.filters import Filters
    from dashboard.reads.page_data import briefing_data
    from dashboard.store.database import get_meta

    engine = _engine(config)
    upgrade(engine)
    if args.monthly:
        from dashboard.exports.briefings import write_monthly_briefings

        for path in write_monthly_briefings(engine, config.briefings_path(), config.as_of(), _settings(config)):
            print(f"wrote {path}")
        return 0
    from layouts.briefing import build_pdf  # the charts live with the web layouts

    with transaction(engine) as session:
        plan = _find_plan(session, args.plan) if args.plan else None
        if args.plan and plan is None:
            print(f"error: no plan '{args.plan}'", file=sys.stderr)
            return 1
        data = briefing_data(
            session,
            Filters(plan=plan.id if plan else None),
            config.as_of(),
            _settings(config),
            per_agency=args.per_agency,
        )
        if data is None:
            print("error: no plan imported yet", file=sys.stderr)
            return 1
        pdf = build_pdf(**data, demo=get_meta(session, "dataset") == "demo")
    return _write(pdf, 1, "briefing", args.output)


def cmd_refresh(args: argparse.Namespace, config: Config) -> int:
    from dashboard.sources.refresh import run_source

    engine = _engine(config)
    upgrade(engine)
    sources = [s for s in config.sources() if not args.source or s.name in args.source]
    if not sources:
        print(f"error: no such source; sources are read from {config.sources_path()}", file=sys.stderr)
        return 1
    status = 0
    changed: set[int] = set()
    for src in sources:
        r = run_source(engine, src, trigger="manual")
        print(
            f"{src.name}: {r.status}, {r.rows_read} rows read, {r.rows_changed} changed, {r.rows_skipped} skipped"
            + (f" ({r.error})" if r.error else "")
        )
        status |= r.status != "ok"
        changed |= set(r.plans)
    if changed:
        _prepare(config, engine, sorted(changed))
    return status


def cmd_backup(args: argparse.Namespace, config: Config) -> int:
    from dashboard.store.backup import BackupError, write_backup

    path = Path(args.output or f"kpi-backup-{time.strftime('%Y%m%d-%H%M%S')}.jsonl.gz")
    try:
        summary = write_backup(_engine(config), path)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"backup written: {path} ({summary.rows} rows in {len(summary.tables)} tables, schema {summary.revision})")
    return 0


def cmd_restore(args: argparse.Namespace, config: Config) -> int:
    from dashboard.store.backup import BackupError, restore_backup

    try:
        summary = restore_backup(_engine(config), Path(args.path), force=args.force)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("the database is unchanged", file=sys.stderr)
        return 1
    print(f"restored {summary.rows} rows in {len(summary.tables)} tables from {args.path}")
    _prepare(config, _engine(config), None, clear=True)  # the restored data versions may repeat cached ones
    return 0


def cmd_serve(args: argparse.Namespace, config: Config) -> int:
    # The web layer is imported here only: the core never depends on Dash.
    from dashboard.demo import prepare_store
    from webapp import create_app

    config.run_scheduler = True  # the embedded default pulls its sources itself
    if prepare_store(config):
        print("first run: the demo is ready")
    app = create_app(config)
    print(f"serving on http://{args.host}:{args.port}/  (Ctrl+C to stop)")
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


def _find_plan(session, ref: str) -> Plan | None:  # noqa: ANN001
    cond = Plan.code == ref
    if ref.isdigit():
        cond = or_(cond, Plan.id == int(ref))
    return session.scalar(select(Plan).where(cond))


def cmd_export(args: argparse.Namespace, config: Config) -> int:
    engine = _engine(config)
    upgrade(engine)
    with transaction(engine) as session:
        plan_id = None
        plan_info = None
        if args.plan:
            plan = _find_plan(session, args.plan)
            if plan is None:
                known = ", ".join(f"{p['id']} ({p['code']})" for p in plan_rows(session)) or "none"
                print(f"error: no plan '{args.plan}'; known plans: {known}", file=sys.stderr)
                return 1
            plan_id = plan.id
            plan_info = next(p for p in plan_rows(session) if p["id"] == plan.id)
        if args.what in ("tasks", "tracking"):
            rows = task_rows(session, config.as_of(), plan_id)
        else:
            rows = indicator_rows(session, plan_id)
    if args.what == "tracking":
        if args.format == "xlsx":
            print("error: the tracking export is CSV or JSON", file=sys.stderr)
            return 1
        data = (
            json.dumps(exporter.tracking_rows(rows), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
            if args.format == "json"
            else exporter.tracking_csv(rows)
        )
        return _write(data, len(rows), "tasks", args.output)
    if args.format == "json":
        data = exporter.to_json(rows, args.what).encode("utf-8") + b"\n"
    elif args.format == "csv":
        data = exporter.to_csv(rows, args.what)
    else:
        data = exporter.to_xlsx(rows, args.what, plan_info)
    return _write(data, len(rows), args.what, args.output)


def _write(data: bytes, count: int, what: str, output: str | None) -> int:
    if output:
        Path(output).write_bytes(data)
        print(f"wrote {count} {what} to {output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="KPI and task monitoring for provincial science, technology, innovation and "
        "digital-transformation plans (Resolution 57, Project 06). Settings come from environment "
        "variables (DATABASE_URL, SECRET_KEY, DASHBOARD_TODAY, ...): see the README.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init-db", help="create or migrate the database schema (Alembic upgrade head)")
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser(
        "import-plan",
        help="import plan documents (.txt) or the .xlsx/.csv template",
        description="Import plan files, each in one transaction. Re-importing a document updates its plan in place.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="plan file(s): .docx, .pdf, .txt, .xlsx or .csv")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="show what would be added, changed (field by field) and withdrawn; save nothing",
    )
    p.add_argument("--province", help="province name, when the document does not say it")
    p.add_argument("--year", type=int, help="plan year, when the document does not say it")
    p.set_defaults(func=cmd_import_plan)

    p = sub.add_parser(
        "demo",
        help="build the demo database from the plans in data/",
        description="Fill the database with the demo: three real plans plus generated "
        "monthly figures and task updates up to DASHBOARD_TODAY (default: today).",
    )
    p.add_argument("--force", action="store_true", help="replace imported (non-demo) data too")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "create-user",
        help="create a user account",
        description="Create a user. The password is asked for (or read from standard input with "
        "--password-stdin); at least 8 characters.",
    )
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=("admin", "leader", "agency", "viewer"))
    p.add_argument("--agency", help="agency name, for --role agency (e.g. 'Sở Y tế')")
    p.add_argument(
        "--province",
        help="province of the agency (e.g. 'Lào Cai'); for a leader or viewer, the one province they read "
        "(without it: every province)",
    )
    p.add_argument("--name", help="full name shown in the interface")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.set_defaults(func=cmd_create_user)

    p = sub.add_parser("agency-accounts", help="an account for every agency of a plan, one-time passwords to a sheet")
    p.add_argument("--plan", required=True, help="plan id or code")
    p.add_argument("-o", "--output", default="tai-khoan-don-vi.xlsx", help="the sheet to hand out (.xlsx)")
    p.set_defaults(func=cmd_agency_accounts)

    p = sub.add_parser("kiosk-token", help="create a read-only token for a wall screen")
    p.add_argument("name", help="which screen, e.g. 'Phòng điều hành UBND tỉnh'")
    p.add_argument("--province", help="the province whose walls it shows (without it: every province)")
    p.set_defaults(func=cmd_kiosk_token)

    p = sub.add_parser(
        "scheduler",
        help="pull the SQL sources on their schedules (one process for the site)",
        description="Run the scheduler: every source on its own interval, a recompute every "
        "5 minutes. Several scheduler processes may run: each job runs once per tick.",
    )
    p.add_argument("--run-for", type=float, help="stop after this many seconds (tests)")
    p.set_defaults(func=cmd_scheduler)

    p = sub.add_parser(
        "briefing",
        help="the meeting briefing as PDF",
        description="Write 'Báo cáo tình hình thực hiện ...' as an A4 PDF (charts, KPI table, red "
        "flags by agency, quarter timeline). --monthly writes every plan's briefing to BRIEFING_DIR.",
    )
    p.add_argument("--plan", help="plan id or code (default: the first plan)")
    p.add_argument("--per-agency", action="store_true", help="add a page per agency")
    p.add_argument("--monthly", action="store_true", help="every plan, with agency pages, into BRIEFING_DIR")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_briefing)

    p = sub.add_parser("refresh", help="pull SQL sources now")
    p.add_argument("source", nargs="*", help="source names (default: all)")
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser(
        "backup",
        help="write every table to one compressed file",
        description="Back up the whole database (users, plans, figures, history) to a gzip JSON-lines file "
        "that 'restore' reads back exactly, on SQLite or PostgreSQL.",
    )
    p.add_argument("--output", "-o", help="file to write (default: kpi-backup-YYYYMMDD-HHMMSS.jsonl.gz)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="replace the database's content with a backup",
        description="Restore a file written by 'backup', in one transaction: a damaged file changes nothing.",
    )
    p.add_argument("path", help="the backup file")
    p.add_argument("--force", action="store_true", help="replace a database that already holds data")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("serve", help="run the web dashboard (development server)")
    p.add_argument("--host", default=None, help="address to listen on (default: HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default: PORT or 8050)")
    p.add_argument("--debug", action="store_true", help="Dash debug mode with hot reload")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "export",
        help="export tasks or KPIs as JSON, CSV or Excel",
        description="Export tasks or indicators. JSON uses the public field names; CSV and "
        "xlsx use the import template's Vietnamese headers, so they can be re-imported.",
    )
    p.add_argument(
        "what",
        choices=("tasks", "indicators", "tracking"),
        help="tracking: one row per task (stable key, status, progress, last note) for the national "
        "resolution-tracking system",
    )
    p.add_argument("--format", choices=exporter.FORMATS, default="json")
    p.add_argument("--plan", help="plan id or code (default: every plan)")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    config = Config.from_env()
    if args.command == "serve":
        args.host = args.host or config.host
        args.port = args.port or config.port
    try:
        return args.func(args, config)
    except SQLAlchemyError as exc:
        print(f"error: database problem: {exc.__class__.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
