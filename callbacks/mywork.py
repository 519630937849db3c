"""'Việc của tôi': reads and changes go through the core, which checks who may do what."""

from __future__ import annotations

import base64
import time
from datetime import date

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.accounts.audit import history
from dashboard.accounts.permissions import (
    PermissionDenied,
    groups_of,
    require_figures,
    require_read_agency,
    require_read_plan,
    require_read_task,
)
from dashboard.accounts.permissions import relation as task_relation_of
from dashboard.accounts.users import AccountError
from dashboard.exports.figures_template import build_template, read_upload
from dashboard.kpi.figure_origin import fed_by_sources
from dashboard.kpi.status import DONE
from dashboard.messages import Message, Problem, msg, t
from dashboard.reads.page_data import agency_task_rows
from dashboard.reads.rows import history_names, indicator_codes, month_figures, task_plan_id
from dashboard.text import slug
from dashboard.updates import (
    Conflict,
    FigureInput,
    TaskChange,
    ValidationFailed,
    add_task_note,
    parse_amount,
    reported_indicators,
    save_figures,
    task_state,
    update_task,
)
from layouts import mywork

from .context import actor, config, config_sources, session, warm

# Problem: every refusal with a catalogue message (a locked month, a conflict, a permission...)
PROBLEMS = (Problem, PermissionDenied, ValidationFailed, Conflict, AccountError, PermissionError)


def alert(exc: Exception, lang: str = "vi") -> dbc.Alert:
    """A problem, told plainly in the page's language; a conflict also shows what is stored now."""
    if isinstance(exc, ValidationFailed):
        return dbc.Alert([html_list(exc.texts(lang).values())], color="danger", className="feedback-error")
    if isinstance(exc, Conflict):
        shown = mywork.describe({k: v for k, v in exc.current.items() if v not in (None, "")}, lang)
        return dbc.Alert(
            [exc.text(lang), html.Div([html.B(t("now_stored", lang)), shown])],
            color="warning",
            className="feedback-conflict",
        )
    text = exc.text(lang) if isinstance(exc, Problem) else t("not_allowed", lang)
    return dbc.Alert(text, color="danger", className="feedback-denied")


def html_list(items) -> html.Ul:  # noqa: ANN001
    return html.Ul([html.Li(i) for i in items], className="mb-0")


def ok(text: str) -> dbc.Alert:  # text already in the page's language
    return dbc.Alert(text, color="success", className="feedback-ok")


def _month(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def register(app: Dash) -> None:
    register_tasks(app)
    register_figures(app)
    register_upload(app)
    register_history(app)


def register_tasks(app: Dash) -> None:
    """The agency's task list and the task editor."""

    @app.callback(Output("mw-tasks", "children"), Input("mw-saved", "data"), Input("mw-context", "data"))
    def fill_tasks(_saved, context):  # noqa: ANN001, ANN202
        who = actor()
        today = config().as_of()
        agency_id, plan_id = context["agency_id"], context["plan_id"]
        with session() as s:
            require_read_agency(s, who, agency_id)
            require_read_plan(s, who, plan_id)
            mine = agency_task_rows(s, plan_id, agency_id, today)
            groups = groups_of(s, agency_id)
        relation = {
            r.id: task_relation_of(agency_id, groups, r.lead_ids, r.coordinating_ids)
            for r in mine["lead"] + mine["coordinating"]
        }
        read_only = who.role not in ("admin", "agency") or (who.role == "agency" and who.agency_id != agency_id)
        lead = [r for r in mine["lead"] if relation.get(r.id) == "lead"]
        others = [r for r in mine["lead"] + mine["coordinating"] if relation.get(r.id) != "lead"]
        return mywork.tasks_table(lead, others, relation, read_only, _lang(context))

    @app.callback(
        Output("mw-modal", "is_open"),
        Output("mw-modal-title", "children"),
        Output("mw-modal-task", "children"),
        Output("mw-edit", "data"),
        Output("mw-status", "value"),
        Output("mw-progress", "value"),
        Output("mw-completed", "date"),
        Output("mw-evidence", "value"),
        Output("mw-note", "value"),
        Output("mw-status", "disabled"),
        Output("mw-progress", "disabled"),
        Output("mw-completed", "disabled"),
        Output("mw-evidence", "disabled"),
        Output("mw-task-feedback", "children"),
        Output("mw-progress", "invalid", allow_duplicate=True),
        Output("mw-evidence", "invalid", allow_duplicate=True),
        Input({"type": "mw-edit", "index": ALL}, "n_clicks"),
        Input({"type": "mw-note", "index": ALL}, "n_clicks"),
        Input("mw-cancel", "n_clicks"),
        State("mw-context", "data"),
        prevent_initial_call=True,
    )
    def open_modal(_edits, _notes, _cancel, context):  # noqa: ANN001, ANN202
        trigger = ctx.triggered_id
        if trigger == "mw-cancel" or not isinstance(trigger, dict) or not (ctx.triggered and ctx.triggered[0]["value"]):
            return (False,) + (no_update,) * 15
        mode = "update" if trigger["type"] == "mw-edit" else "note"
        with session() as s:
            task = require_read_task(s, actor(), trigger["index"])
            if task is None:
                return (False,) + (no_update,) * 15
            state = task_state(s, task)
            name = f"{task.code} · {task.name}"
        note_only = mode == "note"
        title = t("mw.note_title" if note_only else "mw.update_title", _lang(context))
        return (
            True,
            title,
            name,
            {"task_id": trigger["index"], "version": state["version"], "mode": mode},
            state["status"],
            state["progress"],
            state["completed_on"],
            state["evidence_url"] or "",
            "",
            note_only,
            note_only,
            note_only,
            note_only,
            None,
            False,
            False,
        )

    @app.callback(
        Output("mw-task-feedback", "children", allow_duplicate=True),
        Output("mw-saved", "data", allow_duplicate=True),
        Output("mw-modal", "is_open", allow_duplicate=True),
        Output("mw-edit", "data", allow_duplicate=True),
        Output("mw-progress", "invalid"),
        Output("mw-progress-error", "children"),
        Output("mw-evidence", "invalid"),
        Output("mw-evidence-error", "children"),
        Input("mw-save-task", "n_clicks"),
        State("mw-edit", "data"),
        State("mw-status", "value"),
        State("mw-progress", "value"),
        State("mw-completed", "date"),
        State("mw-evidence", "value"),
        State("mw-note", "value"),
        State("mw-context", "data"),
        prevent_initial_call=True,
    )
    def save_task(_n, edit, status, progress, completed, evidence, note, context):  # noqa: ANN001, ANN202
        lang = _lang(context)
        feedback, saved, is_open, edit_out = _save_task(edit, status, progress, completed, evidence, note, lang)
        fields = feedback.texts(lang) if isinstance(feedback, ValidationFailed) else {}
        shown = alert(feedback, lang) if isinstance(feedback, Exception) else feedback
        return (
            shown,
            saved,
            is_open,
            edit_out,
            "progress" in fields,
            fields.get("progress"),
            "evidence_url" in fields,
            fields.get("evidence_url"),
        )

    def _save_task(edit, status, progress, completed, evidence, note, lang):  # noqa: ANN001, ANN202
        """(feedback or the problem, saved stamp, modal open, edit state) of one save of the task form."""
        edit = edit or {}
        today = config().as_of()
        try:
            who = actor()
            task_id = int(edit.get("task_id"))
            with session(write=True) as s:
                if edit.get("mode") == "note":
                    add_task_note(s, who, task_id, edit.get("version"), note or "", today)
                else:
                    # The completion date belongs to a "done" report only; switching away from done drops it.
                    change = TaskChange(
                        status=status,
                        progress=progress,
                        month=today,
                        completed_on=_day(completed) if completed and status == DONE else None,
                        note=note or "",
                        evidence_url=evidence or "",
                    )
                    update_task(s, who, task_id, edit.get("version"), change, today, config().rhythm())
                plan_id = task_plan_id(s, task_id)
        except Conflict as exc:
            return exc, no_update, True, {**edit, "version": exc.current.get("version")}
        except (*PROBLEMS, TypeError, ValueError) as exc:
            if isinstance(exc, (TypeError, ValueError)) and not isinstance(exc, ValidationFailed):
                exc = ValidationFailed({"form": msg("bad_request")})
            return exc, no_update, True, no_update
        warm([plan_id])
        return ok(t("saved", lang)), time.time(), False, {}


def register_figures(app: Dash) -> None:
    """The monthly figures form and its Excel template."""

    @app.callback(
        Output("mw-figures", "children"),
        Output("mw-fig-versions", "data"),
        Input("mw-month", "value"),
        Input("mw-saved", "data"),
        State("mw-context", "data"),
    )
    def fill_figures(month_value, _saved, context):  # noqa: ANN001, ANN202
        who = actor()
        month = _month(month_value)
        agency_id, plan_id = context["agency_id"], context["plan_id"]
        with session() as s:
            require_read_agency(s, who, agency_id)
            inds = reported_indicators(s, agency_id, plan_id)
            stored = month_figures(s, agency_id, month, [i.id for i in inds]) if month else {}
            existing = {
                k: {
                    "numerator": m.numerator,
                    "denominator": m.denominator,
                    "value": m.value,
                    "version": m.version,
                    "approved": m.approved,
                }
                for k, m in stored.items()
            }
            rows = [{"id": i.id, "code": i.code, "name": i.name, "unit": i.unit, "is_ratio": i.is_ratio} for i in inds]
            fed = fed_by_sources(s, [i.id for i in inds], config_sources())
        read_only = who.role not in ("admin", "agency") or (who.role == "agency" and who.agency_id != agency_id)
        form = mywork.figures_form(rows, existing, read_only, fed, _lang(context))
        return form, {str(k): v["version"] for k, v in existing.items()}

    @app.callback(
        Output("mw-figures-feedback", "children"),
        Output("mw-saved", "data", allow_duplicate=True),
        Output({"type": "fig-err", "index": ALL}, "children"),
        Input("mw-save-figures", "n_clicks"),
        State({"type": "fig-num", "index": ALL}, "value"),
        State({"type": "fig-den", "index": ALL}, "value"),
        State({"type": "fig-val", "index": ALL}, "value"),
        State({"type": "fig-num", "index": ALL}, "id"),
        State("mw-month", "value"),
        State("mw-context", "data"),
        State("mw-fig-versions", "data"),
        prevent_initial_call=True,
    )
    def save_form(_n, nums, dens, vals, ids, month_value, context, versions):  # noqa: ANN001, ANN202
        today = config().as_of()
        lang = _lang(context)
        rows = [f"indicator-{i['index']}" for i in ids or []]
        try:
            who = actor()
            with session(write=True) as s:
                codes = indicator_codes(s, [int(i["index"]) for i in ids or []])
                # a KPI a SQL source feeds is shown read-only with the source's figure: not the agency's to save
                fed = fed_by_sources(s, list(codes))
                figures, errors = [], {}
                for i, n, d, v in zip(ids or [], nums or [], dens or [], vals or [], strict=False):
                    ind_id = int(i["index"])
                    if ind_id in fed:
                        continue
                    parsed = _amounts(codes.get(ind_id, ind_id), n, d, v)
                    if isinstance(parsed, Message):
                        errors[f"indicator-{ind_id}"] = parsed
                        continue
                    version = (versions or {}).get(str(ind_id), 0)  # 0: there was no figure when it opened
                    figures.append(FigureInput(ind_id, *parsed, version, row=f"indicator-{ind_id}"))
                if errors:
                    raise ValidationFailed(errors)
                agency_id = int(context["agency_id"])
                month = _month(month_value)
                result = save_figures(
                    s, who, agency_id, month, figures, today, "form", config_sources(), config().rhythm()
                )
        except (*PROBLEMS, TypeError, ValueError, KeyError) as exc:
            if not isinstance(exc, PROBLEMS):
                exc = ValidationFailed({"form": msg("bad_request")})
            in_rows = exc.texts(lang) if isinstance(exc, ValidationFailed) else {}
            return alert(exc, lang), no_update, [in_rows.get(r) for r in rows]
        if result.changed_ids:
            warm([int(context["plan_id"])])
        counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        done = ok(t("mw.saved_figures", lang, **counts))
        return done, time.time(), [None] * len(rows)

    @app.callback(
        Output("mw-template", "data"),
        Input("mw-template-btn", "n_clicks"),
        State("mw-month", "value"),
        State("mw-context", "data"),
        prevent_initial_call=True,
    )
    def template(_n, month_value, context):  # noqa: ANN001, ANN202
        who = actor()
        month = _month(month_value) or config().as_of().replace(day=1)
        agency_id, plan_id = context["agency_id"], context["plan_id"]
        with session() as s:
            agency = require_read_agency(s, who, agency_id)
            inds = reported_indicators(s, agency_id, plan_id)
            existing = month_figures(s, agency_id, month)
            fed = fed_by_sources(s, [i.id for i in inds], config_sources())
            data = build_template(inds, agency_id, agency.name if agency else "", month, existing, fed, _lang(context))
            name = f"so-lieu-{slug(agency.name if agency else 'don-vi')}-{month.month:02d}-{month.year}.xlsx"
        return dcc.send_bytes(data, name)


def register_upload(app: Dash) -> None:
    """A filled template: checked and shown first, saved on confirmation."""

    @app.callback(
        Output("mw-preview", "children"),
        Output("mw-upload-data", "data"),
        Output("mw-upload-save", "disabled"),
        Input("mw-upload", "contents"),
        State("mw-upload", "filename"),
        State("mw-month", "value"),
        State("mw-context", "data"),
        prevent_initial_call=True,
    )
    def preview_upload(contents, filename, month_value, context):  # noqa: ANN001, ANN202
        try:  # only who may report this agency's figures reads a file at all (never a wall screen)
            require_figures(actor(), int((context or {}).get("agency_id")))
        except (PermissionDenied, PermissionError, TypeError, ValueError) as exc:
            denied = exc if isinstance(exc, PermissionDenied) else PermissionDenied("not_allowed")
            return alert(denied, _lang(context)), None, True
        month = _month(month_value)
        try:
            data = base64.b64decode((contents or "").split(",", 1)[-1], validate=False)
        except (ValueError, TypeError):
            data = b""
        agency_id, plan_id = context["agency_id"], context["plan_id"]
        with session() as s:
            inds = reported_indicators(s, agency_id, plan_id)
            fed = fed_by_sources(s, [i.id for i in inds], config_sources())
            upload = read_upload(data, filename or t("mw.file", _lang(context)), inds, agency_id, month, fed)
            by_code = {i.code: i for i in inds}
            figures = upload.figures(by_code) if upload.ok else []
        stored = (
            {
                "agency_id": agency_id,
                "month": month_value,
                "rows": [
                    {
                        "indicator_id": f.indicator_id,
                        "numerator": f.numerator,
                        "denominator": f.denominator,
                        "value": f.value,
                        "row": f.row,
                    }
                    for f in figures
                ],
            }
            if upload.ok
            else None
        )
        return mywork.preview(upload, _lang(context)), stored, not upload.ok

    @app.callback(
        Output("mw-upload-feedback", "children"),
        Output("mw-saved", "data", allow_duplicate=True),
        Output("mw-upload-save", "disabled", allow_duplicate=True),
        Input("mw-upload-save", "n_clicks"),
        State("mw-upload-data", "data"),
        State("mw-context", "data"),
        prevent_initial_call=True,
    )
    def save_upload(_n, stored, context):  # noqa: ANN001, ANN202
        today = config().as_of()
        lang = _lang(context)
        try:
            who = actor()
            if not stored:
                raise ValidationFailed({"file": msg("mw.no_file")})
            figures = [
                FigureInput(
                    int(r["indicator_id"]),
                    _float(r.get("numerator")),
                    _float(r.get("denominator")),
                    _float(r.get("value")),
                    row=str(r.get("row", "")),
                )
                for r in stored["rows"]
            ]
            with session(write=True) as s:
                month = _month(stored["month"])
                agency_id = int(stored["agency_id"])
                result = save_figures(
                    s, who, agency_id, month, figures, today, "excel", config_sources(), config().rhythm()
                )
        except (*PROBLEMS, TypeError, ValueError, KeyError) as exc:
            if not isinstance(exc, PROBLEMS):
                exc = ValidationFailed({"file": msg("bad_request")})
            return alert(exc, lang), no_update, no_update
        warm(result.plan_ids)
        counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        return (
            ok(t("mw.saved_upload", lang, **counts)),
            time.time(),
            True,
        )


def register_history(app: Dash) -> None:
    @app.callback(Output("mw-history", "children"), Input("mw-saved", "data"), State("mw-context", "data"))
    def fill_history(_saved, context):  # noqa: ANN001, ANN202
        who = actor()
        agency_id = context["agency_id"]
        with session() as s:
            require_read_agency(s, who, agency_id)
            entries = history(s, agency_id=agency_id, limit=100)
            names = history_names(s, entries)
        return mywork.history_table(entries, names, _lang(context))


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


def _amounts(code: object, num: object, den: object, value: object) -> tuple | Message:
    """The three figures of a form row as numbers, or what is wrong, naming the KPI and the field."""
    out = []
    for field, raw in (("numerator", num), ("denominator", den), ("value", value)):
        try:
            out.append(parse_amount(raw))
        except ValueError:
            return msg("mw.not_number", code=code, field=msg(f"field.{field}"), raw=raw)
    return tuple(out)


def _lang(context: dict | None) -> str:
    """The page's language, which the page frame keeps beside its agency and plan."""
    return "en" if (context or {}).get("lang") == "en" else "vi"


def _float(value: object) -> float | None:
    if value in (None, ""):
        return None
    return float(value)  # raises ValueError for text, which the callers report as bad input
