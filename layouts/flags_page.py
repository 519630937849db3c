"""The red-flags page ("Cảnh báo"): every flag, most severe first."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import html

from dashboard.kpi import red_flags as rf
from dashboard.kpi.red_flags import Flag
from dashboard.messages import label, t
from dashboard.reads.filters import Filters

from .theme import FLAG_COLOR, FLAG_ICON
from .widgets import (
    export_buttons,
    flag_list,
    plan_header,
    reports_link,
)


def flags_page(plan: dict, today: date, flags: list[Flag], counts: dict[str, int], f: Filters) -> html.Div:
    lang = f.lang
    tiles = dbc.Row(
        [
            dbc.Col(
                html.Div(
                    [
                        html.Div(str(counts.get(kind, 0)), className="flag-count", id=f"flag-count-{kind}"),
                        html.Div(f"{FLAG_ICON[kind]} {label('flag', kind, lang)}", className="small"),
                    ],
                    className="flag-tile",
                    style={"borderColor": FLAG_COLOR[kind]},
                ),
                xs=4,
                md=True,
            )
            for kind in rf.KINDS
        ],
        className="g-2 mb-3",
    )
    exports = html.Div(
        [
            export_buttons("flags", t("export_flags", lang)),
            reports_link(f),
        ],
        className="order-last order-md-0",  # on a phone the flags come first, the exports after them
    )
    return html.Div(
        [
            plan_header(plan, today, lang),
            html.H2(f"{t('flags_title', lang)} ({len(flags)})", className="h5", id="flags-heading"),
            tiles,
            exports,
            flag_list(flags, lang),
        ],
        className="d-flex flex-column",
    )
