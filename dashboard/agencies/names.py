"""Agency names as the plans write them: titles, abbreviations, lists and collective assignees.

``split_agencies`` turns a cell such as "Giám đốc Sở KH&CN; Các sở, ban, ngành, địa phương" into
canonical-looking names, and ``AgencyDirectory`` links every spelling to one agency of a province.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from dashboard.text import clean, fold, fold_key, tone_key

DEPARTMENT = "department"
POLICE = "police"
OFFICE = "office"
COMMUNE = "commune"
GROUP = "group"
OTHER = "other"
KINDS = (DEPARTMENT, POLICE, OFFICE, COMMUNE, GROUP, OTHER)

# Collective assignees and the agencies they stand for (group scope).
GROUP_DEPARTMENTS = "Các sở, ban, ngành"
GROUP_COMMUNES = "UBND cấp xã"
GROUP_STEERING = "Ủy viên Ban Chỉ đạo"
GROUP_RELATED = "Các cơ quan, đơn vị liên quan"
GROUP_SCOPES = {
    GROUP_DEPARTMENTS: (DEPARTMENT, OFFICE, POLICE),
    GROUP_COMMUNES: (COMMUNE,),
    GROUP_STEERING: (DEPARTMENT, OFFICE, POLICE),
    GROUP_RELATED: (),
}

# Other collective assignees: a name that stands for many bodies, none of which signs in as that name.
# Owners of information systems are the departments, offices and police; the others (enterprises, banks,
# schools, party bodies, "investors") lie outside the directory: a group with no members.
_COLLECTIVE = re.compile(
    r"^(?:cac|nhung|toan bo|tat ca)\b|\bdon vi chu quan\b|\bco lien quan$|\bcac cap\b|\btruc thuoc\b|^chu dau tu\b"
)
_COLLECTIVE_SCOPES: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"\bdon vi chu quan\b"), (DEPARTMENT, OFFICE, POLICE)),
]


def is_collective(name: str) -> bool:
    """Whether a name stands for a group of bodies ("Các doanh nghiệp viễn thông", "Đơn vị chủ quản các hệ
    thống thông tin", "Đảng ủy trực thuộc Tỉnh ủy") rather than one agency."""
    return name in GROUP_SCOPES or bool(_COLLECTIVE.search(fold_key(name)))


def group_scope(name: str) -> tuple[str, ...]:
    """The kinds of agency a collective group stands for (empty: bodies outside the directory)."""
    if name in GROUP_SCOPES:
        return GROUP_SCOPES[name]
    key = fold_key(name)
    return next((kinds for pattern, kinds in _COLLECTIVE_SCOPES if pattern.search(key)), ())


# The departments every province has since 1 July 2025, plus the usual extra ones and the police.
STANDARD_AGENCIES: list[tuple[str, str, tuple[str, ...]]] = [
    ("Sở Nội vụ", DEPARTMENT, ()),
    ("Sở Tư pháp", DEPARTMENT, ()),
    ("Sở Tài chính", DEPARTMENT, ()),
    ("Sở Công Thương", DEPARTMENT, ("Sở CT",)),
    ("Sở Nông nghiệp và Môi trường", DEPARTMENT, ("Sở NN&MT", "Sở NNMT")),
    ("Sở Xây dựng", DEPARTMENT, ()),
    ("Sở Khoa học và Công nghệ", DEPARTMENT, ("Sở KH&CN", "Sở KHCN", "Sở KH-CN")),
    ("Sở Văn hóa, Thể thao và Du lịch", DEPARTMENT, ("Sở VHTTDL", "Sở VH,TT&DL", "Sở VHTT&DL")),
    ("Sở Giáo dục và Đào tạo", DEPARTMENT, ("Sở GD&ĐT", "Sở GDĐT")),
    ("Sở Y tế", DEPARTMENT, ()),
    ("Thanh tra tỉnh", DEPARTMENT, ()),
    ("Văn phòng UBND tỉnh", OFFICE, ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh")),
    ("Công an tỉnh", POLICE, ("CA tỉnh",)),
]

# Titles written in front of an agency: "Giám đốc Sở ...", "Chánh Văn phòng ...".
_TITLE = re.compile(
    r"(?:^|(?<=[,;/:]))\s*(?:phó giám đốc|giám đốc|thủ trưởng|chủ tịch|hiệu trưởng|bí thư|"
    r"chánh(?=\s+(?:văn phòng|thanh tra)))\s+",
    re.IGNORECASE,
)

# Patterns on folded text; each maps to the groups it names.
_SEP = r"[\s,]+"
_DEPTS = r"(?:cac |toan the cac )?(?:so|co quan)" + _SEP + r"(?:ban" + _SEP + r")?(?:nganh|ban nganh)"
_LOCAL = r"(?:cac )?(?:dia phuong|ubnd cac xa(?:, phuong)?|ubnd cap xa|ubnd xa, phuong|xa, phuong)"
_GROUP_PATTERNS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(_DEPTS + r"(?: tinh| thuoc tinh)?" + _SEP + r"(?:va )?" + _LOCAL), (GROUP_DEPARTMENTS, GROUP_COMMUNES)),
    (re.compile(_DEPTS + r"(?: tinh| thuoc tinh| (?:co )?lien quan)*"), (GROUP_DEPARTMENTS,)),
    (re.compile(r"(?:ubnd|uy ban nhan dan) (?:cap xa|cac xa(?:, phuong)?|xa, phuong)"), (GROUP_COMMUNES,)),
    (re.compile(r"(?<![a-z])(?:cac )?dia phuong(?: (?:co )?lien quan)?"), (GROUP_COMMUNES,)),
    (re.compile(r"(?:cac )?(?:uy vien|thanh vien) ban chi dao"), (GROUP_STEERING,)),
    (
        re.compile(r"(?:cac )?(?:co quan|don vi)(?:, (?:don vi|co quan))?(?: (?:co )?lien quan| khac)"),
        (GROUP_RELATED,),
    ),
]

# A list item starts with one of these; anything else continues the previous name
# ("Sở Văn hóa, Thể thao và Du lịch" is one agency, not two).
_HEAD_WORDS = (
    "so ",
    "cong an",
    "van phong",
    "ubnd",
    "uy ban",
    "ban ",
    "trung tam",
    "bao ",
    "bhxh",
    "bao hiem",
    "tinh doan",
    "doan ",
    "truong ",
    "hiep hoi",
    "don vi",
    "co quan",
    "bo ",
    "doanh nghiep",
    "chu dau tu",
    "vien ",
    "dai hoc",
    "hoi ",
    "ngan hang",
    "cac ",
    "toa an",
    "thanh tra",
    "kho bac",
    "cuc ",
    "chi cuc",
    "cong ty",
    "tong cong ty",
    "tap doan",
    "buu dien",
    "mat tran",
    "lien doan",
    "hoi dong",
    "tinh uy",
    "dang uy",
    "xa ",
    "phuong ",
    "ubmttq",
    "nha ",
    "to ",
    "ca ",
    "vp ",
)

_ABBREVIATIONS = [
    (re.compile(r"\bkh va cn\b|\bkhcn\b|\bkh cn\b"), "khoa hoc va cong nghe"),
    (re.compile(r"\bgd va dt\b|\bgddt\b"), "giao duc va dao tao"),
    (re.compile(r"\bnn va mt\b|\bnnmt\b"), "nong nghiep va moi truong"),
    (re.compile(r"\bvh tt va dl\b|\bvhtt va dl\b|\bvhttdl\b"), "van hoa the thao va du lich"),
    (re.compile(r"\btt va tt\b"), "thong tin va truyen thong"),
    (re.compile(r"\bubnd\b"), "uy ban nhan dan"),
    (re.compile(r"\bhdnd\b"), "hoi dong nhan dan"),
    (re.compile(r"\bbhxh\b"), "bao hiem xa hoi"),
    (re.compile(r"^vp\b"), "van phong"),
    (re.compile(r"^ca\b"), "cong an"),
]


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = ";"
    return "".join(chars)


def _split_top_level(text: str, seps: str) -> list[str]:
    """Split on separator characters outside parentheses."""
    parts, depth, current = [], 0, []
    for c in text:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth = max(0, depth - 1)
        if c in seps and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
    parts.append("".join(current))
    return parts


def _tidy(piece: str) -> str:
    piece = piece.strip(" .,;:-–")
    piece = re.sub(r"^(?:và|các|với)\s+(?=[A-ZĐÀ-Ỹa-zđ])", "", piece) if fold(piece).startswith("va ") else piece
    piece = re.sub(r"\s+(?:và|với)$", "", piece, flags=re.IGNORECASE)
    return piece.strip(" .,;:-–")


def _collective_groups(s: str, f: str) -> tuple[list[tuple[int, str]], list[tuple[int, int]], list[tuple[int, str]]]:
    """The collective groups named in ``s`` (``f``: its folded form): (position, group) pairs, the spans they
    cover, and the departments a group enumerates after a colon."""
    found: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    enumerations: list[tuple[int, str]] = []
    for pattern, groups in _GROUP_PATTERNS:
        for m in pattern.finditer(_mask(f, spans)):
            after = f[m.end() :].lstrip()
            if after.startswith(":") and groups == (GROUP_DEPARTMENTS,):
                # "Các sở, ngành: Tư pháp, Công an, ..." names the departments one by one.
                rest_start = f.index(":", m.end()) + 1
                for item in _split_top_level(s[rest_start:], ",;"):
                    item = _tidy(item)
                    if item:
                        head = fold(item).startswith(_HEAD_WORDS)
                        enumerations.append((rest_start, item if head else "Sở " + item))
                spans.append((m.start(), len(s)))
                found.append((m.start(), ""))
                continue
            spans.append((m.start(), m.end()))
            for g in groups:
                found.append((m.start(), g))
    return found, spans, enumerations


def _named_pieces(masked: str) -> list[tuple[int, str]]:
    """The single agencies of a cell whose groups are masked out, with their positions."""
    position = 0
    pieces: list[tuple[int, str]] = []
    for chunk in _split_top_level(masked, ";/"):
        start = position
        position += len(chunk) + 1
        merged: list[str] = []
        for item in _split_top_level(chunk, ","):
            item_f = fold(item.strip())
            if merged and not item_f.startswith(_HEAD_WORDS):
                merged[-1] = merged[-1] + "," + item
            else:
                merged.append(item)
        for item in merged:
            for sub in re.split(r"\s+và\s+(?=các\s|những\s)", item, flags=re.IGNORECASE):
                sub = _tidy(sub)
                if sub and not re.fullmatch(r"[;\s.,…]*", sub) and fold(sub) not in ("cac", "va", "..."):
                    pieces.append((start, sub))
    # "Văn phòng Tỉnh ủy/UBND Tỉnh" is two offices.
    fixed: list[tuple[int, str]] = []
    for i, (pos, name) in enumerate(pieces):
        if i and fold(name).startswith(("ubnd", "uy ban")) and fold(fixed[-1][1]).startswith("van phong"):
            name = "Văn phòng " + name
        fixed.append((pos, name))
    return fixed


def split_agencies(text: str | None) -> list[str]:
    """Split an assignee cell into agency names (titles stripped, collective groups named canonically).

    Order is kept; duplicates are dropped.
    """
    s = clean(text)
    if not s:
        return []
    s = _TITLE.sub(lambda m: "" if m.start() == 0 else " ", s).strip()
    found, spans, enumerations = _collective_groups(s, fold(s))
    ordered = sorted(found + _named_pieces(_mask(s, spans)) + enumerations, key=lambda x: x[0])
    out: list[str] = []
    for _, name in ordered:
        if name and name not in out:
            out.append(name)
    return out


def guess_kind(name: str) -> str:
    """Kind of an agency not in the directory, from its name."""
    f = fold(name)
    if is_collective(name):
        return GROUP
    if f.startswith("so "):
        return DEPARTMENT
    if f.startswith("cong an"):
        return POLICE
    if f.startswith(
        (
            "ubnd xa",
            "ubnd phuong",
            "uy ban nhan dan xa",
            "uy ban nhan dan phuong",
            "xa ",
            "phuong ",
            "ubnd dac khu",
            "dac khu ",
        )
    ):
        return COMMUNE
    if f.startswith("van phong"):
        return OFFICE
    return OTHER


def _toned_words(text: str) -> dict[str, set[str]]:
    """The words of ``text`` that carry diacritics, by their folded form, each as its ``tone_key`` (so the old
    and the new tone placement, "uỷ" and "ủy", are one word)."""
    out: dict[str, set[str]] = {}
    for word in re.findall(r"\w+", clean(text).lower()):
        folded = fold(word)
        if folded != word:
            out.setdefault(folded, set()).add(tone_key(word))
    return out


def tones_agree(spelling: str, name: str) -> bool:
    """False when ``spelling`` writes a word of ``name`` with other diacritics ("Đức Thạnh" is not "Đức
    Thành"); a word written without any ("Duc Thanh", "Khoa hoc"), with the tone on another vowel of the
    syllable ("Tỉnh uỷ", "Tỉnh ủy") or abbreviated still agrees."""
    theirs = _toned_words(name)
    return all(f not in theirs or words & theirs[f] for f, words in _toned_words(spelling).items())


@dataclass
class AgencyDirectory:
    """Every known spelling of the agencies of one province, keyed accent- and case-insensitively.

    Two communes may differ only by a tone mark ("xã Đức Thành", "xã Đức Thạnh"): a key can stand for
    several agencies, and a spelling that carries diacritics goes to the one whose diacritics it agrees with."""

    province: str
    by_key: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    spellings: dict[str, set[str]] = field(default_factory=dict)  # canonical name -> the spellings it came with

    def key(self, name: str) -> str:
        """Lookup key: folded, abbreviations expanded, the trailing "tỉnh <province>" dropped."""
        k = fold_key(name)
        for pattern, repl in _ABBREVIATIONS:
            k = pattern.sub(repl, k)
        prov = fold_key(self.province)
        k = re.sub(rf"\s+tinh(\s+{re.escape(prov)})?$", "", k) if prov else re.sub(r"\s+tinh$", "", k)
        return re.sub(r"\s+", " ", k).strip()

    def add(self, name: str, kind: str, aliases: Iterable[str] = ()) -> None:
        """Register an agency under its canonical name and aliases (first registration wins)."""
        self.kinds.setdefault(name, kind)
        for spelling in (name, *aliases):
            self.alias(self.key(spelling), name, spelling)

    def alias(self, key: str, name: str, spelling: str | None = None, first: bool = False) -> None:
        """Let ``key`` (a folded spelling) stand for the agency ``name`` too; ``first``: before any other agency
        it stands for (an alias someone stored wins over the built-in spellings)."""
        names = self.by_key.setdefault(key, [])
        if first and name in names:
            names.remove(name)
        if first:
            names.insert(0, name)
        elif name not in names:
            names.append(name)
        self.spellings.setdefault(name, {name}).add(spelling or name)

    def lookup(self, name: str) -> str | None:
        """Canonical name for a spelling, or None when unknown."""
        k = self.key(name)
        hits = self.by_key.get(k)
        if not hits and k.startswith("so "):
            hits = self.by_key.get(k[3:])  # "Sở Công an" style slips
        for hit in hits or ():
            if any(tones_agree(name, known) for known in self.spellings.get(hit, {hit})):
                return hit
        return None

    def resolve(self, raw: str) -> tuple[str, str, bool]:
        """(canonical name, kind, known) for one name produced by ``split_agencies``."""
        hit = self.lookup(raw)
        if hit:
            return hit, self.kinds[hit], True
        name = raw[0].upper() + raw[1:] if raw else raw
        return name, guess_kind(name), False

    @classmethod
    def standard(cls, province: str) -> AgencyDirectory:
        """A directory holding the standard departments, the police and the collective groups."""
        d = cls(province)
        for name, kind, aliases in STANDARD_AGENCIES:
            d.add(name, kind, aliases)
        for group in GROUP_SCOPES:
            d.add(group, GROUP)
        d.add("Văn phòng Tỉnh ủy", OFFICE)
        d.add("UBND tỉnh", OTHER, ("Ủy ban nhân dân tỉnh",))
        return d
