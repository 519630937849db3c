"""The filters every page shares, and their form in the URL query (so a link reproduces the view)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import parse_qs, urlencode

from dashboard.kpi.deadlines import RECURRING
from dashboard.kpi.status import STATUSES
from dashboard.records import TaskRow
from dashboard.text import fold_key

LANGS = ("vi", "en")
GROUP_BY = ("agency", "section")


_ID = re.compile(r"[0-9]{1,9}")  # ASCII digits only ("²".isdigit() is true), and an id a database column holds


def _ints(values: list[str]) -> tuple[int, ...]:
    out = []
    for v in values:
        for part in v.split(","):
            part = part.strip()
            if _ID.fullmatch(part):
                out.append(int(part))
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the view to. Unknown or malformed URL values are ignored, never an error."""

    plan: int | None = None
    agencies: tuple[int, ...] = ()
    section: str | None = None
    statuses: tuple[str, ...] = ()
    quarter: int | None = None
    q: str = ""
    lang: str = "vi"
    group_by: str = "agency"
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def from_query(cls, search: str | None) -> Filters:
        params = parse_qs((search or "").lstrip("?"), keep_blank_values=False)

        def one(key: str) -> str | None:
            vals = params.get(key)
            return vals[-1].strip() if vals and vals[-1].strip() else None

        plan = _ints(params.get("plan", []))
        quarter = _ints(params.get("quarter", []))
        statuses = tuple(s for s in (one("status") or "").split(",") if s in STATUSES)
        lang = one("lang")
        group_by = one("group")
        known = {"plan", "agency", "section", "status", "quarter", "q", "lang", "group"}
        return cls(
            plan=plan[0] if plan else None,
            agencies=_ints(params.get("agency", [])),
            section=one("section"),
            statuses=statuses,
            quarter=quarter[0] if quarter and 1 <= quarter[0] <= 4 else None,
            q=(one("q") or "")[:200],
            lang=lang if lang in LANGS else "vi",
            group_by=group_by if group_by in GROUP_BY else "agency",
            extra={k: v[-1] for k, v in params.items() if k not in known and v},
        )

    def to_query(self) -> str:
        """The query string, without defaults; "" when nothing is set."""
        pairs: list[tuple[str, str]] = []
        if self.plan is not None:
            pairs.append(("plan", str(self.plan)))
        if self.agencies:
            pairs.append(("agency", ",".join(map(str, self.agencies))))
        if self.section:
            pairs.append(("section", self.section))
        if self.statuses:
            pairs.append(("status", ",".join(self.statuses)))
        if self.quarter:
            pairs.append(("quarter", str(self.quarter)))
        if self.q:
            pairs.append(("q", self.q))
        if self.lang != "vi":
            pairs.append(("lang", self.lang))
        if self.group_by != "agency":
            pairs.append(("group", self.group_by))
        pairs += sorted(self.extra.items())
        return "?" + urlencode(pairs) if pairs else ""

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)


def in_quarter(task: TaskRow, quarter: int, year: int) -> bool:
    """A dated task falls in a quarter when it is due in it or its window overlaps it; recurring ones always."""
    if task.deadline_kind == RECURRING:
        return True
    if not task.due_date:
        return False
    first = date(year, 3 * (quarter - 1) + 1, 1)
    last = date(year, 3 * quarter, 31 if quarter in (1, 4) else 30)
    due = task.due_date
    start = task.start_date or due
    return start <= last and due >= first


def task_matches(task: TaskRow, f: Filters, year: int, groups_of: dict[int, set[int]] | None = None) -> bool:
    """Whether a task row passes the filters. An agency matches the tasks of the groups it belongs to."""
    if f.agencies:
        wanted = set(f.agencies)
        for aid in f.agencies:
            wanted |= (groups_of or {}).get(aid, set())
        if not wanted & set(task.lead_ids + task.coordinating_ids):
            return False
    if f.section and (task.section or "") != f.section:
        return False
    if f.statuses and task.status not in f.statuses:
        return False
    if f.quarter and not in_quarter(task, f.quarter, year):
        return False
    if f.q:
        haystack = " ".join(
            [task.code, task.name, task.output or "", task.deadline_text or ""]
            + list(task.lead_agencies)
            + list(task.coordinating_agencies)
        )
        if fold_key(f.q) not in fold_key(haystack):
            return False
    return True
