"""Access to the app's engine and settings from inside a callback (no module-level globals)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

import orjson
from flask import current_app
from plotly.utils import PlotlyJSONEncoder

from dashboard.accounts.auth import current_actor
from dashboard.accounts.users import Actor
from dashboard.config import Config
from dashboard.reads import plan_cache
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import PlanContext, Settings
from dashboard.reads.rows import plan_or_first
from dashboard.store.database import Engine, Session, transaction


def engine() -> Engine:
    return current_app.extensions["kpi"]["engine"]


def config() -> Config:
    return current_app.extensions["kpi"]["config"]


def cache():  # noqa: ANN201
    """The page cache (flask-caching: Redis when REDIS_URL is set)."""
    return current_app.extensions["kpi"]["cache"]


def _encodable(value: object) -> object:
    """What orjson cannot encode itself: components and figures as their JSON form, anything else as Plotly's
    encoder writes it."""
    to_json = getattr(value, "to_plotly_json", None)
    if to_json is not None:
        return to_json()
    return json.loads(json.dumps(value, cls=PlotlyJSONEncoder))


def encoded(component) -> bytes | None:  # noqa: ANN001
    """A component tree as JSON, encoded once: what a cache stores, and what an answer carries as is
    (``embedded``). A province's overview is half a megabyte of JSON: encoded with orjson, components as they
    are met, it is never decoded and encoded again, on a build nor on a cache hit."""
    if component is None:
        return None
    return orjson.dumps(component, default=_encodable, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


def embedded(json_bytes: bytes | None):  # noqa: ANN201
    """JSON from ``encoded`` as a child of a component tree: Dash's answer (Plotly's orjson writer) writes it
    verbatim, escaped like the rest of the answer."""
    return orjson.Fragment(json_bytes) if json_bytes is not None else None


def config_sources() -> list:
    return current_app.extensions["kpi"].get("sources", [])


def settings() -> Settings:
    cfg = config()
    return Settings.from_config(cfg)


@contextmanager
def session(write: bool = False) -> Iterator[Session]:
    """A unit of work on the store; ``write`` for one that saves what it checked (see ``store.transaction``)."""
    with transaction(engine(), write=write) as s:
        yield s


def actor() -> Actor:
    """Who is calling; the request guard has already refused anonymous callers."""
    who = current_actor()
    if who is None:  # defence in depth: never act for nobody
        raise PermissionError("not signed in")
    return who


def plan_context(s: Session, f: Filters, today: date) -> PlanContext | None:
    """The loaded data of the plan the filters name (else the first plan), shared by every page and wall
    screen of that plan until its data version moves (``dashboard.reads.plan_cache``)."""
    plan_id = plan_or_first(s, f.plan)
    if plan_id is None:
        return None
    return plan_cache.plan_context(cache(), s, plan_id, today, settings())


def warm(plan_ids: Iterable[int] | None = None) -> list[int]:
    """After data changed: build the changed plans' shared data now (``None``: every plan that lacks it)."""
    return plan_cache.warm(cache(), engine(), config().as_of(), settings(), plan_ids)
