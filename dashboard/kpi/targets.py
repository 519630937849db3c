"""KPI targets as written in the plans: "≥35", "$\\geq 70$", "Phấn đấu ≥ 09", "100", "01"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.text import clean, fold

OPS = (">=", ">", "<=", "<", "=")
_SYMBOLS = {"≥": ">=", "≤": "<=", ">=": ">=", "<=": "<=", "=>": ">=", "=<": "<=", ">": ">", "<": "<", "=": "="}
# Words that stand for a comparison; "phân đầu"/"phần đầu" are frequent typos of "phấn đấu" (strive for).
_WORD_OPS = [
    (re.compile(r"\b(toi thieu|it nhat|khong duoi|tu)\b"), ">="),
    (re.compile(r"\b(tren|hon)\b"), ">"),
    (re.compile(r"\b(toi da|khong qua|khong vuot qua)\b"), "<="),
    (re.compile(r"\b(duoi)\b"), "<"),
]
_FILLER = re.compile(r"\b(phan dau|dat|muc|khoang|chi tieu|ket qua)\b")
_NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)")
_OP = re.compile(r"(≥|≤|>=|<=|=>|=<|>|<|=)")


@dataclass(frozen=True)
class Target:
    """A comparison and a number; ``op`` is one of OPS. A bare number means "reach at least"."""

    op: str
    value: float

    def as_text(self) -> str:
        sym = {">=": "≥", "<=": "≤"}.get(self.op, self.op)
        v = int(self.value) if self.value == int(self.value) else self.value
        return f"{sym} {v}"


def parse_number(text: str) -> float:
    """Vietnamese or English number: "95,5" -> 95.5, "1.234" -> 1234, "09" -> 9."""
    s = text.strip()
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif "," in s:
        head, _, tail = s.rpartition(",")
        s = s.replace(",", "") if len(tail) == 3 and head.isdigit() and len(head) <= 3 else s.replace(",", ".")
    elif s.count(".") == 1 and len(s.split(".")[1]) == 3 and len(s.split(".")[0]) <= 3:
        s = s.replace(".", "")  # thousands separator: 1.234
    elif s.count(".") > 1:
        s = s.replace(".", "")
    return float(s)


def parse_target(text: str | None) -> Target | None:
    """Parse a target cell; None when it holds no number."""
    s = clean(text)
    if not s:
        return None
    num = _NUMBER.search(s)
    if not num:
        return None
    before = s[: num.start()]
    op = None
    sym = _OP.search(before)
    if sym:
        op = _SYMBOLS[sym.group(1)]
    else:
        f = fold(before)
        for pattern, word_op in _WORD_OPS:
            if pattern.search(f):
                op = word_op
                break
    try:
        value = parse_number(num.group(1))
    except ValueError:
        return None
    return Target(op or ">=", value)


def meets(value: float | None, target: Target | None) -> bool | None:
    """Whether a value satisfies a target; None when either is missing."""
    if value is None or target is None:
        return None
    return {
        ">=": value >= target.value,
        ">": value > target.value,
        "<=": value <= target.value,
        "<": value < target.value,
        "=": value >= target.value,
    }[target.op]
