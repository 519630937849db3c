"""The frame around every page: navigation bar (with the red-flag count), demo badge, filters, content."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import routes
from dashboard.messages import t
from dashboard.reads.filters import Filters

from .formatting import vn_date


def root(poll_seconds: float = 60) -> html.Div:
    """The app layout: the URL, the poll for new data, and a container the router fills."""
    return html.Div(
        [
            dcc.Location(id="url", refresh="callback-nav"),
            dcc.Interval(id="poll", interval=int(poll_seconds * 1000)),  # open pages look for new data
            dcc.Store(id="data-version"),
            dcc.Download(id="download"),
            html.Div(id="root"),
        ]
    )


def demo_badge(meta: dict[str, str], lang: str) -> dbc.Badge | None:
    if meta.get("dataset") != "demo":
        return None
    return dbc.Badge(
        f"{t('demo', lang)} · {vn_date(meta.get('demo_as_of'))}",
        color="warning",
        text_color="dark",
        className="ms-2",
        id="demo-label",
    )


def navbar(
    pathname: str, f: Filters, flag_count: int, meta: dict[str, str], today_text: str, user: dict | None = None
) -> dbc.Navbar:
    lang = f.lang
    role = (user or {}).get("role")
    shown = [r for r in routes.nav_routes(role) if r.page != "approvals" or (user or {}).get("approver")]
    links = [_nav_link(route, pathname, f, flag_count) for route in shown]
    if user:  # the bell: unread notices
        unread = int(user.get("unread") or 0)
        # an SVG, not an emoji: a wall or office PC without an emoji font would show an empty box
        icon = html.Img(src="/assets/bell.svg", alt=t("notice.title", lang), height=18, className="align-text-bottom")
        badge = dbc.Badge(str(unread), color="warning", pill=True, className="ms-1", id="nav-unread")
        links.append(
            dbc.NavItem(
                dbc.NavLink(
                    html.Span([icon, badge] if unread else icon, title=t("notice.unread", lang, n=unread)),
                    href="/thong-bao" + Filters(plan=f.plan, lang=lang).to_query(),
                    active=pathname == "/thong-bao",
                    id="nav-bell",
                )
            )
        )
    other = "en" if lang == "vi" else "vi"
    links.append(
        dbc.NavItem(
            dbc.NavLink(t("lang_switch", lang), href=pathname + f.with_(lang=other).to_query(), id="lang-switch")
        )
    )
    if user:
        links.append(
            dbc.DropdownMenu(
                [
                    dbc.DropdownMenuItem(user.get("name") or user.get("username"), header=True),
                    dbc.DropdownMenuItem(user.get("agency") or t(f"role_{role}", lang), header=True),
                    dbc.DropdownMenuItem(t("change_password", lang), href="/doi-mat-khau", external_link=True),
                    # Signing out is a POST with the session's token: a link on another site cannot do it.
                    html.Form(
                        [
                            dbc.Input(type="hidden", name="csrf_token", value=user.get("csrf", "")),
                            html.Button(t("logout", lang), type="submit", className="dropdown-item", id="logout-link"),
                        ],
                        method="POST",
                        action="/logout",
                        className="m-0",
                    ),
                ],
                label=user.get("username"),
                nav=True,
                in_navbar=True,
                align_end=True,
                id="user-menu",
            )
        )
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(t("app_title", lang), href="/" + Filters(plan=f.plan, lang=lang).to_query()),
                demo_badge(meta, lang),
                html.Span(today_text, className="text-white-50 small ms-2 d-none d-xxl-inline", id="as-of"),
                # On a phone the menu folds away; the red-flag count stays in sight beside its toggle.
                html.A(
                    dbc.Badge(f"⚠ {flag_count}", color="danger", pill=True),
                    href="/canh-bao" + f.to_query(),
                    className="d-lg-none ms-auto me-2 text-decoration-none",
                    id="nav-flag-count-small",
                    title=t("nav_flags", lang),
                ),
                dbc.NavbarToggler(id="nav-toggle"),
                dbc.Collapse(dbc.Nav(links, navbar=True, className="ms-auto"), id="nav-collapse", navbar=True),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        expand="lg",
        className="mb-3",
    )


def _nav_link(route: routes.Route, pathname: str, f: Filters, flag_count: int) -> dbc.NavItem:
    """One link of the bar; it keeps the filters, except where the target page has none of its own."""
    label: list = [t(route.nav, f.lang)]
    if route.page == "flags":
        label.append(dbc.Badge(str(flag_count), color="danger", pill=True, className="ms-1", id="nav-flag-count"))
    if route.page == "wall":  # the wall is a page of its own (no navigation bar): a full load
        href = route.path + Filters(plan=f.plan, lang=f.lang).to_query()
        return dbc.NavItem(dbc.NavLink(label, href=href, external_link=True, id=route.nav_id))
    query = Filters(lang=f.lang).to_query() if route.access == routes.NATIONAL else f.to_query()
    return dbc.NavItem(dbc.NavLink(label, href=route.path + query, active=pathname == route.path, id=route.nav_id))


def page(nav: dbc.Navbar, filter_bar, content, lang: str = "vi") -> html.Div:  # noqa: ANN001
    """The navigation bar, the filters and the page. On a phone the filters fold behind one button, so the
    red flags and gauges come first; from a tablet up they are always shown (assets/style.css)."""
    filters = None
    if filter_bar is not None:
        filters = html.Div(
            [
                dbc.Button(
                    t("filters", lang),
                    id="filter-toggle",
                    color="secondary",
                    outline=True,
                    size="sm",
                    className="d-md-none mb-2",
                ),
                dbc.Collapse(filter_bar, id="filter-collapse", is_open=False, className="filter-collapse"),
            ]
        )
    return html.Div([nav, dbc.Container([filters, html.Div(content, id="page-content")], fluid=True)])
