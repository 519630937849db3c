"""The site's pages, declared once: path, page, who may open it, how its build is cached, its navigation link.

The router picks the page and checks access from here, the navigation bar draws its links from here and the
sign-in guard asks here which path a wall-screen token may open."""

from __future__ import annotations

from dataclasses import dataclass

# Who may open a page (the permission layer decides the plan and province within it):
PLAN = "plan"  # anyone signed in, on a plan they may read
NATIONAL = "national"  # admins and national leaders (``permissions.can_see_national``)
ADMIN = "admin"  # the secretariat's admins
WALL = "wall"  # anyone signed in, and the wall screen's kiosk token (which may open nothing else)

# How a built page is cached (``dashboard.reads.page_cache``):
SHARED = "shared"  # the same for every reader of the same provinces
PER_AGENCY = "agency"  # ... and of the same role and agency (its lists load by callback)


@dataclass(frozen=True)
class Route:
    path: str
    page: str  # the page's name: the router's builder, the CSS id prefix
    access: str = PLAN
    cache: str | None = SHARED  # None: built on every visit (forms, the wall's own loop)
    nav: str | None = None  # the navigation label's message key; None: no link in the bar
    nav_id: str = ""
    roles: frozenset[str] | None = None  # the roles the link is shown to; None: everyone signed in
    params: tuple[str, ...] = ()  # URL parameters beyond the filters that change the page (part of its cache key)


# In the order of the navigation bar.
ROUTES: tuple[Route, ...] = (
    Route(
        "/viec-cua-toi",
        "mywork",
        cache=PER_AGENCY,
        nav="nav_mywork",
        nav_id="nav-mywork",
        roles=frozenset({"agency", "admin"}),
    ),
    Route("/", "overview", nav="nav_overview", nav_id="nav-", params=("sort",)),
    Route("/don-vi", "agency", nav="nav_agency", nav_id="nav-don-vi"),
    Route("/tien-do", "timeline", nav="nav_timeline", nav_id="nav-tien-do"),
    Route("/canh-bao", "flags", nav="nav_flags", nav_id="nav-canh-bao"),
    # per person (their own jobs) and changing by the second while a job runs: never cached
    Route("/bao-cao", "reports", cache=None, nav="nav_reports", nav_id="nav-bao-cao"),
    # the secretariat's approvals and each person's notices change with every click: never cached
    Route(
        "/duyet",
        "approvals",
        cache=None,
        nav="nav_approvals",
        nav_id="nav-duyet",
        roles=frozenset({"admin", "agency"}),
    ),
    Route("/thong-bao", "notices", cache=None),
    Route(
        "/toan-quoc",
        "national",
        access=NATIONAL,
        nav="nav_national",
        nav_id="nav-national",
        roles=frozenset({"admin", "leader", "viewer"}),
    ),
    Route("/wall", "wall", access=WALL, cache=None, nav="nav_wall", nav_id="nav-wall"),
    Route(
        "/quan-tri", "admin", access=ADMIN, cache=None, nav="nav_admin", nav_id="nav-admin", roles=frozenset({"admin"})
    ),
)
_BY_PATH = {r.path: r for r in ROUTES}


def find(path: str | None) -> Route | None:
    """The page at ``path`` (a trailing slash is the same page), or None: not found."""
    path = path or "/"
    return _BY_PATH.get(path.rstrip("/") or "/")


def kiosk_may_open(path: str) -> bool:
    """A wall-screen token opens the wall and nothing else."""
    route = find(path)
    return route is not None and route.access == WALL


def nav_routes(role: str | None) -> list[Route]:
    """The links of the navigation bar for someone of ``role``, in order."""
    return [r for r in ROUTES if r.nav and (r.roles is None or role in r.roles)]
