"""The one clock of the site: Vietnam time (``Asia/Ho_Chi_Minh``, or the zone named by ``TZ``).

Every "now" and "today" of the core comes from here, never from the host's clock: the machines run in UTC,
seven hours behind the province. Stored times are naive wall-clock times in this zone.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
log = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("TZ=%r is not a time zone name; using %s", name, DEFAULT_ZONE)
        return ZoneInfo(DEFAULT_ZONE)


def zone_name() -> str:
    """The configured zone's name: ``TZ`` when it names a zone (``Asia/Ho_Chi_Minh``), else Vietnam."""
    raw = os.environ.get("TZ", "").strip().lstrip(":")
    return raw if raw and "/" in raw or raw in ("UTC", "GMT") else DEFAULT_ZONE


def zone() -> ZoneInfo:
    return _zone(zone_name())


def utcnow() -> datetime:
    """The real instant (a seam for tests that move the clock)."""
    return datetime.now(UTC)


def now() -> datetime:
    """Wall-clock time in the site's zone, naive (as stored in the database)."""
    return utcnow().astimezone(zone()).replace(tzinfo=None)


def today() -> date:
    """Today's date in the site's zone."""
    return now().date()


def local(at: datetime) -> datetime:
    """An aware time in the site's zone, naive; a naive time is taken as already local."""
    return at if at.tzinfo is None else at.astimezone(zone()).replace(tzinfo=None)
