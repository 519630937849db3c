"""'Quản trị': users and kiosk tokens. Every change re-checks on the server that the caller is an admin."""

from __future__ import annotations

import base64
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.accounts import users as accounts
from dashboard.accounts.audit import history
from dashboard.accounts.permissions import require_admin
from dashboard.exports.tables import TEXT, headed, table_xlsx
from dashboard.importers import PlanImportError, import_file
from dashboard.importers.preview import preview_file
from dashboard.messages import Problem, t
from dashboard.reads.rows import kiosk_rows, plan_code, plan_info, user_rows
from dashboard.sources.refresh import recent_runs, run_source
from layouts import admin, mywork

from .context import actor, config_sources, engine, session, warm
from .mywork import PROBLEMS, alert, html_list, ok

READ_SECONDS = 15  # a document read on the page gives up in time for its worker (gunicorn: 30 s)


def clicked_index() -> int | None:
    """The index of the pattern-matching button that fired, or None when nothing was really clicked."""
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not (ctx.triggered and ctx.triggered[0]["value"]):
        return None
    return int(trigger["index"])


def register(app: Dash) -> None:
    register_refresh(app)
    register_import(app)

    @app.callback(
        Output("adm-users", "children"),
        Output("adm-kiosks", "children"),
        Output("adm-history", "children"),
        Output("adm-reset-user", "options"),
        Output("adm-runs", "children"),
        Input("adm-saved", "data"),
        State("adm-lang", "data"),
    )
    def fill(_saved, lang):  # noqa: ANN001, ANN202
        who = actor()
        require_admin(who)
        with session() as s:
            users = user_rows(s)
            tokens = kiosk_rows(s)
            entries = [e for e in history(s, limit=300) if e["entity"] in ("user", "kiosk")][:50]
            runs = recent_runs(s, 30)
        names = {("user", u["id"]): u["username"] for u in users} | {("kiosk", k["id"]): k["name"] for k in tokens}
        options = [{"label": u["username"], "value": u["id"]} for u in users]
        return (
            admin.users_table(users, who.user_id, lang),
            admin.kiosks_table(tokens, lang),
            mywork.history_table(entries, names, lang),
            options,
            admin.runs_table(runs, lang),
        )

    @app.callback(
        Output("adm-create-feedback", "children"),
        Output("adm-saved", "data", allow_duplicate=True),
        Input("adm-create", "n_clicks"),
        State("adm-username", "value"),
        State("adm-fullname", "value"),
        State("adm-role", "value"),
        State("adm-agency", "value"),
        State("adm-password", "value"),
        State("adm-lang", "data"),
        prevent_initial_call=True,
    )
    def create(_n, username, full_name, role, agency_id, password, lang):  # noqa: ANN001, ANN202
        try:
            who = actor()
            require_admin(who)
            with session(write=True) as s:
                user = accounts.create_user(
                    s, who, username or "", password or "", role or "", agency_id, full_name or ""
                )
                name = user.username
        except PROBLEMS as exc:
            return alert(exc, lang), no_update
        return ok(t("adm.created_user", lang, name=name)), time.time()

    @app.callback(
        Output("adm-user-feedback", "children"),
        Output("adm-saved", "data", allow_duplicate=True),
        Input({"type": "adm-toggle", "index": ALL}, "n_clicks"),
        State("adm-lang", "data"),
        prevent_initial_call=True,
    )
    def toggle(_clicks, lang):  # noqa: ANN001, ANN202
        user_id = clicked_index()
        if user_id is None:
            return no_update, no_update
        try:
            who = actor()
            require_admin(who)
            with session(write=True) as s:
                user = accounts.toggle_active(s, who, user_id)
                text = t("adm.unlocked_user" if user.active else "adm.locked_user", lang, name=user.username)
        except PROBLEMS as exc:
            return alert(exc, lang), no_update
        return ok(text), time.time()

    @app.callback(
        Output("adm-reset-feedback", "children"),
        Output("adm-saved", "data", allow_duplicate=True),
        Input("adm-reset", "n_clicks"),
        State("adm-reset-user", "value"),
        State("adm-reset-password", "value"),
        State("adm-lang", "data"),
        prevent_initial_call=True,
    )
    def reset(_n, user_id, password, lang):  # noqa: ANN001, ANN202
        try:
            who = actor()
            require_admin(who)
            if user_id is None:
                raise accounts.AccountError("acc.choose_user")
            with session(write=True) as s:
                user = accounts.reset_password(s, who, int(user_id), password or "")
                name = user.username
        except PROBLEMS as exc:
            return alert(exc, lang), no_update
        return ok(t("adm.reset_done", lang, name=name)), time.time()

    @app.callback(
        Output("adm-kiosk-feedback", "children"),
        Output("adm-saved", "data", allow_duplicate=True),
        Input("adm-kiosk-create", "n_clicks"),
        State("adm-kiosk-name", "value"),
        State("adm-lang", "data"),
        prevent_initial_call=True,
    )
    def create_kiosk(_n, name, lang):  # noqa: ANN001, ANN202
        try:
            who = actor()
            require_admin(who)
            with session(write=True) as s:
                token, plain = accounts.create_kiosk_token(s, who, name or "")
                label = token.name
        except PROBLEMS as exc:
            return alert(exc, lang), no_update
        link = f"/wall?token={plain}"
        return dbc.Alert(
            [t("adm.kiosk_made", lang, name=label), html.Code(link, id="adm-kiosk-link")], color="success"
        ), time.time()

    @app.callback(
        Output("adm-kiosk-feedback", "children", allow_duplicate=True),
        Output("adm-saved", "data", allow_duplicate=True),
        Input({"type": "adm-revoke", "index": ALL}, "n_clicks"),
        State("adm-lang", "data"),
        prevent_initial_call=True,
    )
    def revoke(_clicks, lang):  # noqa: ANN001, ANN202
        token_id = clicked_index()
        if token_id is None:
            return no_update, no_update
        try:
            who = actor()
            require_admin(who)
            with session(write=True) as s:
                token = accounts.revoke_kiosk_token(s, who, token_id)
                name = token.name
        except PROBLEMS as exc:
            return alert(exc, lang), no_update
        return ok(t("adm.kiosk_revoked", lang, name=name)), time.time()


def register_refresh(app: Dash) -> None:
    @app.callback(
        Output("adm-refresh-feedback", "children"),
        Output("adm-saved", "data", allow_duplicate=True),
        Input("adm-refresh-all", "n_clicks"),
        State("adm-lang", "data"),
        prevent_initial_call=True,
    )
    def refresh_now(_n, lang):  # noqa: ANN001, ANN202
        try:
            who = actor()
            require_admin(who)
        except PROBLEMS as exc:
            return alert(exc, lang), no_update
        results = [run_source(engine(), src, trigger=f"manual:{who.username}") for src in config_sources()]
        if not results:
            return dbc.Alert(t("adm.no_sources", lang), color="secondary"), no_update
        warm({plan for r in results for plan in r.plans})
        lines = [
            t(
                "adm.run_line",
                lang,
                source=r.source,
                result="✔" if r.status == "ok" else "✖ " + (r.error or ""),
                n=r.rows_changed,
            )
            for r in results
        ]
        failed = any(r.status != "ok" for r in results)
        return dbc.Alert(html_list(lines), color="warning" if failed else "success"), time.time()


def register_import(app: Dash) -> None:
    """A plan document: previewed first (nothing saved), then saved or cancelled; then the accounts of its
    agencies and a wall token, so a province goes from its signed document to a live site in one sitting."""

    @app.callback(
        Output("adm-import-feedback", "children"),
        Output("adm-import-pending", "data"),
        Output("adm-import-actions", "hidden"),
        Output("adm-after-import", "hidden"),
        Input("adm-import", "contents"),
        State("adm-import", "filename"),
        State("adm-import-province", "value"),
        State("adm-import-year", "value"),
        State("adm-lang", "data"),
        prevent_initial_call=True,
    )
    def preview_import(contents, filename, province, year, lang):  # noqa: ANN001, ANN202
        try:
            require_admin(actor())
        except PROBLEMS as exc:
            return alert(exc, lang), None, True, True
        pending = {"contents": contents, "filename": filename, "province": province, "year": year}
        try:
            with _uploaded(contents, filename, year) as (path, year_value):
                preview = preview_file(
                    engine(), path, province=(province or "").strip() or None, year=year_value, time_limit=READ_SECONDS
                )
        except PlanImportError as exc:
            return _refused(exc, lang), None, True, True
        return admin.import_preview(preview, lang), pending, False, True

    @app.callback(
        Output("adm-import-feedback", "children", allow_duplicate=True),
        Output("adm-saved", "data", allow_duplicate=True),
        Output("adm-import-pending", "data", allow_duplicate=True),
        Output("adm-import-actions", "hidden", allow_duplicate=True),
        Output("adm-after-import", "hidden", allow_duplicate=True),
        Output("adm-import-plan", "data"),
        Input("adm-import-save", "n_clicks"),
        State("adm-import-pending", "data"),
        State("adm-lang", "data"),
        prevent_initial_call=True,
    )
    def save_import(_n, pending, lang):  # noqa: ANN001, ANN202
        try:
            who = actor()
            require_admin(who)
        except PROBLEMS as exc:
            return alert(exc, lang), no_update, no_update, no_update, no_update, no_update
        if not pending:
            return no_update, no_update, no_update, True, no_update, no_update
        province = (pending.get("province") or "").strip() or None
        try:  # the same file, read and checked again: what the browser holds is a request, not a fact
            with _uploaded(pending.get("contents"), pending.get("filename"), pending.get("year")) as (path, year):
                report = import_file(engine(), path, province=province, year=year, actor=who, time_limit=READ_SECONDS)
        except PlanImportError as exc:
            return _refused(exc, lang), no_update, None, True, True, None
        if report.plan_id is not None:
            warm([report.plan_id])
        saved = admin.import_saved(report, lang)
        return saved, time.time(), None, True, False, report.plan_id

    @app.callback(
        Output("adm-import-feedback", "children", allow_duplicate=True),
        Output("adm-import-pending", "data", allow_duplicate=True),
        Output("adm-import-actions", "hidden", allow_duplicate=True),
        Input("adm-import-cancel", "n_clicks"),
        State("adm-lang", "data"),
        prevent_initial_call=True,
    )
    def cancel_import(_n, lang):  # noqa: ANN001, ANN202
        cancelled = dbc.Alert(t("adm.import_cancelled", lang), color="secondary", id="adm-import-cancelled")
        return cancelled, None, True

    @app.callback(
        Output("adm-accounts-feedback", "children"),
        Output("adm-accounts-sheet", "data"),
        Output("adm-saved", "data", allow_duplicate=True),
        Input("adm-accounts-create", "n_clicks"),
        State("adm-import-plan", "data"),
        State("adm-lang", "data"),
        prevent_initial_call=True,
    )
    def create_accounts(_n, plan_id, lang):  # noqa: ANN001, ANN202
        try:
            who = actor()
            require_admin(who)
            with session(write=True) as s:
                made = accounts.create_agency_accounts(s, who, int(plan_id))
                code = plan_code(s, int(plan_id))
        except (*PROBLEMS, TypeError, ValueError) as exc:
            return alert(_no_plan(exc), lang), None, no_update
        sheet = None
        if made:
            columns = headed(lang, ("agencies", TEXT), ("col.username", TEXT), ("col.one_time_password", TEXT))
            data = table_xlsx(t("sheet.accounts", lang), columns, [[a.agency, a.username, a.password] for a in made])
            sheet = dcc.send_bytes(data, f"tai-khoan-{code}.xlsx")
        return admin.accounts_made(made, code, lang), sheet, time.time()

    @app.callback(
        Output("adm-accounts-feedback", "children", allow_duplicate=True),
        Output("adm-saved", "data", allow_duplicate=True),
        Input("adm-plan-kiosk", "n_clicks"),
        State("adm-import-plan", "data"),
        State("adm-lang", "data"),
        prevent_initial_call=True,
    )
    def plan_kiosk(_n, plan_id, lang):  # noqa: ANN001, ANN202
        try:
            who = actor()
            require_admin(who)
            with session(write=True) as s:
                plan = plan_info(s, int(plan_id))
                _token, plain = accounts.create_kiosk_token(
                    s, who, t("adm.plan_screen", "vi", province=plan["province"]), province_id=plan["province_id"]
                )
        except (*PROBLEMS, TypeError, ValueError, KeyError) as exc:
            return alert(_no_plan(exc), lang), no_update
        link = f"/wall?token={plain}&plan={plan['id']}"
        return dbc.Alert(
            [t("adm.plan_kiosk_link", lang), html.Code(link, id="adm-plan-kiosk-link")],
            color="success",
        ), time.time()


@contextmanager
def _uploaded(contents: str | None, filename: str | None, year: object):  # noqa: ANN202
    """The uploaded file in a temporary folder, and the year typed (None when blank)."""
    name = Path(filename or "ke-hoach.txt").name
    try:
        data = base64.b64decode((contents or "").split(",", 1)[-1])
        year_value = int(year) if year not in (None, "") else None
    except (ValueError, TypeError):
        raise PlanImportError("adm.bad_upload", name=name) from None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        yield path, year_value


def _no_plan(exc: Exception) -> Exception:
    """A problem to show: the core's own message, or "no plan" for a missing or malformed plan id."""
    return exc if isinstance(exc, PROBLEMS) else accounts.AccountError("acc.choose_plan")


def _refused(exc: Exception, lang: str) -> dbc.Alert:
    problem = exc.text(lang) if isinstance(exc, Problem) else str(exc)
    return dbc.Alert(t("adm.refused", lang, problem=problem), color="danger", id="adm-import-error")
