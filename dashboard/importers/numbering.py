"""How plans number their sections and items, in every common style: "I", "I.", "I -", "Phần I", "A", "A.",
"1", "1.", "1.1", "1.1.", "a)", "a.", "-", "+". One reading for tables and prose alike."""

from __future__ import annotations

import re
from dataclasses import dataclass

SECTION = "section"  # a Roman numeral or a capital letter: a group of items
ITEM = "item"  # 1, 1., 1.2, 1.2.: an item (its parts are the path)
SUB = "sub"  # a), a.: a lettered item under the item above
BULLET = "bullet"  # -, +, •: an unnumbered item under the item above

_PREFIX = re.compile(r"^(?:phần|phan|mục|muc|chương|chuong)\s+", re.IGNORECASE)
_ROMAN = re.compile(r"[IVXL]+")
_LETTER = re.compile(r"[A-Z]")
_DIGITS = re.compile(r"\d+(?:\.\d+)*")
_SUB = re.compile(r"[a-zđ]")


@dataclass(frozen=True)
class Number:
    kind: str
    label: str  # "I", "A", "1.2", "a"; "" for a bullet

    @property
    def is_letter_section(self) -> bool:
        """A capital letter above the Roman sections ("A. Nhiệm vụ chung"); I, V, X and L read as Roman."""
        return self.kind == SECTION and bool(_LETTER.fullmatch(self.label)) and self.label not in "IVXL"


def read_number(text: str) -> Number | None:
    """The numbering of a table's number cell or a prose line's head; None when it is not one."""
    raw = text.strip()
    if raw in ("-", "+", "•", "–", "*"):
        return Number(BULLET, "")
    core = _PREFIX.sub("", raw).strip()
    core = re.sub(r"\s*[.):\-–]+$", "", core).strip()  # "I.", "I -", "a)", "1.1." -> the numeral itself
    if not core:
        return None
    if _ROMAN.fullmatch(core) or _LETTER.fullmatch(core):
        return Number(SECTION, core)
    if _DIGITS.fullmatch(core):
        return Number(ITEM, core)
    if _SUB.fullmatch(core) and raw != core:  # "a)" or "a.", never a bare word-like "a"
        return Number(SUB, core)
    return None


def unique_codes(codes: list[str]) -> tuple[list[str], list[tuple[int, str, str]]]:
    """Codes made unique within a plan: a repeated code gets "-2", "-3"... Returns the codes and, for each one
    changed, (position, old, new), so the import report can say which rows shared a number."""
    taken = set(codes)
    used: set[str] = set()
    out: list[str] = []
    changed: list[tuple[int, str, str]] = []
    for i, code in enumerate(codes):
        new, n = code, 2
        while new in used or (new != code and new in taken):  # a suffix never takes another row's own code
            new, n = f"{code}-{n}", n + 1
        used.add(new)
        out.append(new)
        if new != code:
            changed.append((i, code, new))
    return out, changed
