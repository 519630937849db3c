"""The filter bar shared by the pages; its values come from the URL and go back into it."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc

from dashboard.kpi.status import STATUSES
from dashboard.messages import label, quarter_label, t
from dashboard.reads.filters import Filters

from .widgets import dropdown

KIND_ORDER = {"department": 0, "office": 1, "police": 2, "other": 3, "commune": 4, "group": 5}


def filter_bar(f: Filters, plans: list[dict], agencies: list[dict], sections: list[str], pathname: str) -> dbc.Card:
    lang = f.lang
    plan_opts = [
        {"label": f"{p['province']} · {p['year']} · {p['doc_number'] or p['code']}", "value": p["id"]} for p in plans
    ]
    agency_opts = [
        {"label": a["name"], "value": a["id"]}
        for a in sorted(agencies, key=lambda a: (KIND_ORDER.get(a["kind"], 9), a["name"]))
    ]
    section_opts = [{"label": s, "value": s} for s in sections]
    status_opts = [{"label": label("status", s, lang), "value": s} for s in STATUSES]
    quarter_opts = [{"label": quarter_label(q, lang), "value": q} for q in range(1, 5)]

    def field(label: str, control, width: dict) -> dbc.Col:  # noqa: ANN001
        return dbc.Col([dbc.Label(label, className="small mb-0"), control], **width)

    return dbc.Card(
        dbc.CardBody(
            dbc.Row(
                [
                    field(
                        t("plan", lang),
                        dropdown(
                            "f-plan",
                            plan_opts,
                            lang,
                            value=f.plan or (plans[0]["id"] if plans else None),
                            clearable=False,
                        ),
                        {"xs": 12, "md": 6, "xl": 3},
                    ),
                    field(
                        t("agencies", lang),
                        dropdown(
                            "f-agency",
                            agency_opts,
                            lang,
                            value=list(f.agencies),
                            multi=True,
                            placeholder=t("all", lang),
                        ),
                        {"xs": 12, "md": 6, "xl": 2},
                    ),
                    field(
                        t("section", lang),
                        dropdown("f-section", section_opts, lang, value=f.section, placeholder=t("all", lang)),
                        {"xs": 12, "md": 6, "xl": 2},
                    ),
                    field(
                        t("status", lang),
                        dropdown(
                            "f-status",
                            status_opts,
                            lang,
                            value=list(f.statuses),
                            multi=True,
                            placeholder=t("all", lang),
                        ),
                        {"xs": 12, "md": 6, "xl": 2},
                    ),
                    field(
                        t("quarter", lang),
                        dropdown("f-quarter", quarter_opts, lang, value=f.quarter, placeholder=t("all", lang)),
                        {"xs": 6, "md": 3, "xl": 1},
                    ),
                    field(
                        t("search", lang),
                        dcc.Input(
                            id="f-q",
                            type="search",
                            value=f.q,
                            debounce=True,
                            placeholder=t("search_ph", lang),
                            className="form-control",
                        ),
                        {"xs": 6, "md": 6, "xl": 2},
                    ),
                    dbc.Col(
                        dcc.Link(
                            t("clear_filters", lang),
                            href=pathname + Filters(plan=f.plan, lang=lang).to_query(),
                            id="f-clear",
                            className="small",
                        ),
                        xs=12,
                        className="text-end",
                    ),
                ],
                className="g-2",
            )
        ),
        className="mb-3 filter-bar",
    )
