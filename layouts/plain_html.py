"""Components written directly as the data Dash sends to the browser, for lists of hundreds of rows.

Constructing an ``html.Div`` validates and copies its props, and Dash then turns it back into exactly this
data; the red-flag page of a province built and unbuilt some 900 components that way on every view. Only for
long, repeated rows whose props are plain text, numbers, class names and styles: the browser renders them
exactly as the component classes would.
"""

from __future__ import annotations

HTML = "dash_html_components"
BOOTSTRAP = "dash_bootstrap_components"
CORE = "dash_core_components"


def element(kind: str, children: object = None, namespace: str = HTML, **props: object) -> dict:
    """One component of ``namespace`` (``Div``, ``Span``, ``Td``... or a bootstrap ``ListGroupItem``)."""
    if children is not None:
        props["children"] = children
    return {"type": kind, "namespace": namespace, "props": props}


def link(children: object, href: str) -> dict:
    """A ``dcc.Link``: moves within the app without reloading the page."""
    return element("Link", children, namespace=CORE, href=href)
