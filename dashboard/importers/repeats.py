"""A task that a plan writes twice, once in its prose part and once in an annex table, is one task.

Lào Cai's KH-BCĐ 2026 lists its Đề án 06 tasks in section III ("- Cơ quan chủ trì: ...") and again in
Phụ lục II, sometimes reworded ("Chỉ đạo các cơ quan ..." / "Hướng dẫn, đôn đốc các cơ quan ..."), sometimes
with another deadline. Imported twice, one twin can be "done" while the other is months overdue.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from dashboard.agencies.names import AgencyDirectory
from dashboard.importers.document import ParsedPlan, ParsedTask
from dashboard.kpi.deadlines import parse_deadline
from dashboard.text import fold_key

SAME = 0.95  # names this alike are one task whoever leads it
ALIKE = 0.75  # names this alike are one task when a lead agency is shared too


def _words(name: str) -> str:
    key = fold_key(name)
    return re.sub(r"\bubnd\b", "uy ban nhan dan", key)


def _leads(task: ParsedTask, directory: AgencyDirectory) -> set[str]:
    return {directory.resolve(raw)[0] for raw in task.leads}


def link_repeated_tasks(plan: ParsedPlan, year: int | None = None) -> list[tuple[ParsedTask, ParsedTask]]:
    """Fold each prose task that repeats an annex table row into that row (one task, the table's code) and
    report the pair, and their deadlines when they disagree. Returns the (kept, dropped) pairs."""
    table = [t for t in plan.tasks if t.origin == "table"]
    prose = [t for t in plan.tasks if t.origin == "prose"]
    if not table or not prose:
        return []
    directory = AgencyDirectory.standard(plan.province or "")
    candidates = []
    for p in prose:
        for t in table:
            ratio = SequenceMatcher(None, _words(p.name), _words(t.name)).ratio()
            if ratio >= SAME or (ratio >= ALIKE and _leads(p, directory) & _leads(t, directory)):
                candidates.append((ratio, p, t))
    pairs: list[tuple[ParsedTask, ParsedTask]] = []
    used: set[int] = set()
    for _ratio, p, t in sorted(candidates, key=lambda c: -c[0]):
        if id(p) in used or id(t) in used:
            continue
        used |= {id(p), id(t)}
        pairs.append((t, p))
    for kept, dropped in pairs:
        _merge(kept, dropped)
        plan.warn(dropped.line, "imp.w.repeat", code=dropped.code, kept=kept.code, at=kept.line)
        mine, theirs = (
            parse_deadline(kept.deadline_text, year or plan.year),
            parse_deadline(dropped.deadline_text, year or plan.year),
        )
        if (mine.kind, mine.due) != (theirs.kind, theirs.due):
            plan.warn(
                dropped.line,
                "imp.w.repeat_deadline",
                code=kept.code,
                annex=kept.deadline_text,
                section=dropped.code,
                said=dropped.deadline_text,
            )
    dropped_ids = {id(d) for _, d in pairs}
    plan.tasks = [t for t in plan.tasks if id(t) not in dropped_ids]
    return pairs


def _merge(kept: ParsedTask, dropped: ParsedTask) -> None:
    """What the prose adds to the table row: coordinating agencies, an output, and where it is repeated."""
    kept.coordinating += [a for a in dropped.coordinating if a not in kept.coordinating]
    kept.leads += [a for a in dropped.leads if a not in kept.leads] if not kept.leads else []
    if not kept.output.strip():
        kept.output = dropped.output
    also = f"Nhắc lại tại mục {dropped.code} (thời hạn: {dropped.deadline_text or 'không ghi'})"
    kept.basis = f"{kept.basis}; {also}" if kept.basis.strip() else also
