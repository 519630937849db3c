"""The monthly cycle's wiring: an agency's month and its directives ("Việc của tôi"), a leader's directive form
(agency page), the secretariat's approvals page and each person's notices. Every id the browser sends is a
request: the permission layer looks the records up and decides."""

from __future__ import annotations

import re
import time
from datetime import date

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, no_update

from dashboard.accounts.permissions import (
    PermissionDenied,
    is_secretariat,
    readable_plan,
    require_direct,
    require_read_agency,
    require_read_plan,
)
from dashboard.cycle import approval, directives, notices
from dashboard.cycle.locks import APPROVED, lock_moment
from dashboard.messages import Problem, t
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import directive_subjects
from dashboard.store.models import Agency, User
from layouts import cycle

from .context import actor, config, session, warm

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _lang(context: dict | None) -> str:
    return (context or {}).get("lang", "vi")


def _month(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value).replace(day=1) if value else None
    except ValueError:
        return None


def _own(s, who, context: dict | None) -> tuple[int, int]:  # noqa: ANN001
    """The (plan, agency) of an agency's page, checked: the agency is readable as one's own, the plan too."""
    try:
        agency_id, plan_id = int(context["agency_id"]), int(context["plan_id"])
    except (KeyError, TypeError, ValueError):
        raise PermissionDenied("not_allowed") from None
    require_read_agency(s, who, agency_id)
    require_read_plan(s, who, plan_id)
    return plan_id, agency_id


def _state_of(values: list | None, ids: list | None, index: object) -> object:
    """The value of the pattern-matched field whose index is ``index`` (the row whose button was clicked)."""
    return next((v for v, i in zip(values or [], ids or [], strict=False) if i.get("index") == index), None)


def _due(raw: str | None) -> date | None:
    """The date picker's date; a crafted one that does not read is refused by name."""
    if not raw:
        return None
    try:
        return date.fromisoformat(str(raw)[:10])
    except ValueError:
        raise directives.DirectiveError("dir.due_bad") from None


def _problem(exc: Exception, lang: str) -> dbc.Alert:
    text = exc.text(lang) if isinstance(exc, Problem) else t("not_allowed", lang)
    return dbc.Alert(text, color="danger", className="feedback-denied")


def _ok(text: str) -> dbc.Alert:
    return dbc.Alert(text, color="success", className="feedback-ok")


def register(app: Dash) -> None:
    register_month(app)
    register_directives(app)
    register_approvals(app)
    register_notices(app)


def register_month(app: Dash) -> None:
    @app.callback(
        Output("mw-cycle", "children"),
        Input("mw-month", "value"),
        Input("mw-saved", "data"),
        Input("mw-context", "data"),
    )
    def fill_month(month_value, _saved, context):  # noqa: ANN001, ANN202
        lang = _lang(context)
        month = _month(month_value)
        if month is None:
            return None
        cfg = config()
        try:
            with session() as s:
                plan_id, agency_id = _own(s, actor(), context)
                view = approval.month_view(s, plan_id, agency_id, month, cfg.rhythm(), cfg.as_of())
        except (Problem, PermissionError) as exc:
            return _problem(exc, lang)
        open_until = None if view.locked or view.status == APPROVED else lock_moment(month, cfg.rhythm()).date()
        return cycle.month_panel(view, open_until, lang)

    @app.callback(
        Output("mw-cycle-feedback", "children"),
        Output("mw-saved", "data", allow_duplicate=True),
        Input("mw-submit", "n_clicks"),
        State("mw-month", "value"),
        State("mw-context", "data"),
        prevent_initial_call=True,
        running=[(Output("mw-submit", "disabled"), True, False)],
    )
    def submit(n, month_value, context):  # noqa: ANN001, ANN202
        lang = _lang(context)
        month = _month(month_value)
        if not n or month is None:
            return no_update, no_update
        cfg = config()
        try:
            who = actor()
            with session(write=True) as s:
                plan_id, agency_id = _own(s, who, context)
                approval.submit(s, who, plan_id, agency_id, month, cfg.rhythm(), cfg.as_of())
        except (Problem, PermissionError) as exc:
            return _problem(exc, lang), no_update
        warm([plan_id])
        return _ok(t("cycle.submitted_ok", lang, month=approval.month_label(month))), time.time()


def register_directives(app: Dash) -> None:
    @app.callback(
        Output("mw-directives", "children"),
        Input("mw-saved", "data"),
        Input("mw-context", "data"),
    )
    def fill_mine(_saved, context):  # noqa: ANN001, ANN202
        lang = _lang(context)
        try:
            who = actor()
            with session() as s:
                plan_id, agency_id = _own(s, who, context)
                rows = directives.directives(s, plan_id, agency_id)
        except (Problem, PermissionError) as exc:
            return _problem(exc, lang)
        mine = who.role == "agency" and who.agency_id == agency_id
        return cycle.directive_list(rows, config().as_of(), lang, answerable=mine)

    @app.callback(
        Output("mw-dir-feedback", "children"),
        Output("mw-saved", "data", allow_duplicate=True),
        Input({"type": "dir-answer", "index": ALL}, "n_clicks"),
        State({"type": "dir-answer-text", "index": ALL}, "value"),
        State({"type": "dir-answer-text", "index": ALL}, "id"),
        State("mw-context", "data"),
        prevent_initial_call=True,
    )
    def answer(clicks, texts, ids, context):  # noqa: ANN001, ANN202
        lang = _lang(context)
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks or []):
            return no_update, no_update
        wanted = trigger.get("index")
        text = _state_of(texts, ids, wanted)
        try:
            who = actor()
            with session(write=True) as s:
                row = directives.answer(s, who, int(wanted), text)
                plan_id = row.plan_id
        except (Problem, PermissionError, TypeError, ValueError) as exc:
            return _problem(exc, lang), no_update
        warm([plan_id])
        return _ok(t("dir.answered_ok", lang)), time.time()

    @app.callback(
        Output("dir-form-slot", "children"),
        Input("agency-ctx", "data"),
        State("url", "search"),
    )
    def form(context, search):  # noqa: ANN001, ANN202
        lang = Filters.from_query(search).lang
        who = actor()
        try:
            with session() as s:
                plan_id, agency_id = int(context["plan_id"]), int(context["agency_id"])
                require_direct(s, who, plan_id)
                require_read_agency(s, who, agency_id)
                subjects = _subjects(s, plan_id, agency_id, lang)
        except (Problem, PermissionError, KeyError, TypeError, ValueError):
            return None  # not a leader: no form
        return cycle.directive_form(subjects, lang)

    @app.callback(
        Output("dir-feedback", "children"),
        Input("dir-send", "n_clicks"),
        State("dir-subject", "value"),
        State("dir-text", "value"),
        State("dir-due", "date"),
        State("agency-ctx", "data"),
        State("url", "search"),
        prevent_initial_call=True,
        running=[(Output("dir-send", "disabled"), True, False)],
    )
    def send(n, subject, text, due, context, search):  # noqa: ANN001, ANN202
        lang = Filters.from_query(search).lang
        if not n:
            return no_update
        try:
            kind, _, ref = str(subject or "agency").partition(":")
            who = actor()
            with session(write=True) as s:
                plan_id, agency_id = int(context["plan_id"]), int(context["agency_id"])
                directives.create(
                    s,
                    who,
                    plan_id,
                    agency_id,
                    kind,
                    int(ref) if ref else None,
                    text,
                    _due(due),
                    config().as_of(),
                )
                name = s.get(Agency, agency_id).name
        except (Problem, PermissionError, KeyError, TypeError, ValueError) as exc:
            return _problem(exc, lang)
        warm([plan_id])
        return _ok(t("dir.sent_ok", lang, agency=name))


def _subjects(s, plan_id: int, agency_id: int, lang: str) -> list[dict]:  # noqa: ANN001
    """What a directive to the agency may be about: the agency, its tasks, the KPIs it leads."""
    out = [{"label": t("dir.subject.agency", lang), "value": "agency"}]
    for kind, ref, code, name in directive_subjects(s, plan_id, agency_id, config().as_of()):
        out.append({"label": f"{t(kind, lang)} {code} · {name[:70]}", "value": f"{kind}:{ref}"})
    return out


def register_approvals(app: Dash) -> None:
    @app.callback(
        Output("appr-list", "children"),
        Output("appr-log", "children"),
        Input("appr-done", "data"),
        State("url", "search"),
    )
    def fill(_done, search):  # noqa: ANN001, ANN202
        f = Filters.from_query(search)
        who = actor()
        try:
            with session() as s:
                plan = readable_plan(s, who, f.plan)
                if plan is None or not is_secretariat(s, who, plan):
                    raise PermissionDenied("perm.secretariat_only")
                rows = approval.waiting(s, plan)
                log = approval.month_log(s, plan)
        except (Problem, PermissionError) as exc:
            return _problem(exc, f.lang), None
        return cycle.waiting_table(rows, f.lang), cycle.month_log(log, f.lang)

    @app.callback(
        Output("appr-feedback", "children"),
        Output("appr-done", "data"),
        Input({"type": "appr-approve", "index": ALL}, "n_clicks"),
        Input({"type": "appr-return", "index": ALL}, "n_clicks"),
        State({"type": "appr-reason", "index": ALL}, "value"),
        State({"type": "appr-reason", "index": ALL}, "id"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def decide(approvals, returns, reasons, ids, search):  # noqa: ANN001, ANN202
        lang = Filters.from_query(search).lang
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not (any(approvals or []) or any(returns or [])):
            return no_update, no_update
        report_id = trigger.get("index")
        reason = _state_of(reasons, ids, report_id)
        try:
            who = actor()
            with session(write=True) as s:
                if trigger.get("type") == "appr-approve":
                    report = approval.approve(s, who, int(report_id))
                    key = "approvals.approved_ok"
                else:
                    report = approval.return_report(s, who, int(report_id), reason)
                    key = "approvals.returned_ok"
                plan_id, month = report.plan_id, report.month
                name = s.get(Agency, report.agency_id).name
        except (Problem, PermissionError, TypeError, ValueError) as exc:
            return _problem(exc, lang), time.time()
        warm([plan_id])
        return _ok(t(key, lang, agency=name, month=approval.month_label(month))), time.time()

    @app.callback(
        Output("appr-feedback", "children", allow_duplicate=True),
        Output("appr-done", "data", allow_duplicate=True),
        Input("appr-reopen", "n_clicks"),
        State("appr-agency", "value"),
        State("appr-month", "value"),
        State("appr-reopen-reason", "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def reopen(n, agency_id, month_value, reason, search):  # noqa: ANN001, ANN202
        f = Filters.from_query(search)
        month = _month(month_value)
        if not n:
            return no_update, no_update
        cfg = config()
        try:
            who = actor()
            with session(write=True) as s:
                plan = readable_plan(s, who, f.plan)
                agency = s.get(Agency, int(agency_id)) if agency_id is not None else None
                if plan is None or agency is None or month is None:
                    raise approval.CycleError("approvals.choose_agency")
                require_read_agency(s, who, agency.id)
                approval.reopen(s, who, plan, agency.id, month, reason, cfg.rhythm(), cfg.as_of())
                name = agency.name
        except (Problem, PermissionError, TypeError, ValueError) as exc:
            return _problem(exc, f.lang), no_update
        warm([plan])
        return _ok(t("approvals.reopened_ok", f.lang, agency=name, month=approval.month_label(month))), time.time()


def register_notices(app: Dash) -> None:
    @app.callback(
        Output("ntc-list", "children"),
        Input("ntc-read-all", "n_clicks"),
        State("url", "search"),
    )
    def fill(n, search):  # noqa: ANN001, ANN202
        lang = Filters.from_query(search).lang
        who = actor()
        if who.user_id is None:
            return None
        with session(write=bool(n)) as s:
            if n:
                notices.mark_read(s, who.user_id)
            rows = notices.notices_for(s, who.user_id, lang)
        return cycle.notice_list(rows, lang)

    @app.callback(
        Output("ntc-feedback", "children"),
        Input("ntc-mail-save", "n_clicks"),
        State("ntc-email", "value"),
        State("ntc-opt-out", "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def save_mail(n, email, opt_out, search):  # noqa: ANN001, ANN202
        lang = Filters.from_query(search).lang
        email = (email or "").strip()
        if email and (len(email) > 200 or not EMAIL.fullmatch(email)):
            return dbc.Alert(t("notice.bad_email", lang, email=email[:80]), color="danger")
        who = actor()
        with session(write=True) as s:
            user = s.get(User, who.user_id) if who.user_id is not None else None
            if user is None:
                return _problem(PermissionDenied("not_allowed"), lang)
            user.email, user.email_opt_out = email or None, bool(opt_out)
        return _ok(t("notice.mail_saved", lang))
