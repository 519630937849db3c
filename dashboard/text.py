"""Text helpers shared by the importers and the search: markup stripping and accent folding."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_TAG = re.compile(r"</?\s*[a-zA-Z][^<>]*>")
_LATEX_CMDS = {
    r"\geq": "≥",
    r"\ge": "≥",
    r"\leq": "≤",
    r"\le": "≤",
    r"\%": "%",
    r"\times": "×",
}
_LATEX_CMD = re.compile(r"\\(geq|ge|leq|le|times|%)(?![a-zA-Z])")
_MD_EMPH = re.compile(r"(\*\*|__|\*|`)")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
_SPACES = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """Strip HTML tags and entities, Markdown emphasis/headings and LaTeX math from a cell or line.

    The result is plain text with single spaces, e.g. ``<b>I</b>`` -> ``I``, ``$\\geq 70$`` -> ``≥ 70``.
    """
    if not text:
        return ""
    s = _TAG.sub(" ", text)
    s = html.unescape(s)
    s = _LATEX_CMD.sub(lambda m: " " + _LATEX_CMDS["\\" + m.group(1)] + " ", s)
    s = s.replace("$", " ").replace("\\", " ")
    s = _MD_HEADING.sub("", s)
    s = _MD_EMPH.sub("", s)
    s = s.replace("\u00a0", " ").replace("\u200b", "")
    return unicodedata.normalize("NFC", _SPACES.sub(" ", s).strip())


class _Folding(dict):
    """Each character's folded form by code point, filled as characters are met: ``str.translate`` then folds
    a text at C speed (a province's 200 agency names are folded for every dropdown of every page)."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        folded = "d" if c in "đĐ" else unicodedata.normalize("NFD", c)[0].lower()
        self[code] = folded
        return folded


_FOLDING = _Folding()


def fold(text: str | None) -> str:
    """Lower-case and remove Vietnamese diacritics, keeping the length (one char in, one char out).

    Keeping the length lets a match in the folded text be mapped back to the original.
    """
    if not text:
        return ""
    return unicodedata.normalize("NFC", text).translate(_FOLDING)


def fold_key(text: str | None) -> str:
    """A lookup key: folded, punctuation-insensitive, single-spaced."""
    s = fold(clean(text))
    s = s.replace("&", " va ")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return s.strip()


# The five tone marks. Vietnamese puts a syllable's tone on one of its vowels, and two conventions disagree on
# which ("hoà"/"hòa", "uỷ"/"ủy"); the other marks (â, ă, ơ, ư, đ) belong to the letter and never move.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}


@lru_cache(maxsize=8192)
def tone_key(word: str) -> str:
    """A word's spelling with its tone mark lifted off to the end, lower-cased: equal for "hoà" and "hòa", for
    "uỷ" and "ủy", in NFC or NFD; different for "Thành" and "Thạnh" (a real difference of tone)."""
    tone = ""
    letters = []
    for c in unicodedata.normalize("NFD", word.lower()):
        if c in _TONES:
            tone = _TONES[c]
        else:
            letters.append(c)
    return unicodedata.normalize("NFC", "".join(letters)) + tone


def spelling_key(text: str | None) -> str:
    """The words of a text, each by its ``tone_key``: equal for two spellings of the same words, whatever the
    tone placement, Unicode form, case, punctuation and spacing."""
    return " ".join(tone_key(w) for w in re.findall(r"\w+", clean(text)))


def same_spelling(a: str | None, b: str | None) -> bool:
    """Whether two texts are the same words, whatever the tone placement, Unicode form, case and spacing."""
    return spelling_key(a) == spelling_key(b)


@lru_cache(maxsize=4096)  # pages name every chart's download after its KPI and plan: the same few hundred texts
def slug(text: str) -> str:
    """ASCII slug, e.g. ``Thái Nguyên`` -> ``thai-nguyen``."""
    return fold_key(text).replace(" ", "-")


def matches_search(haystack: str | None, query: str | None) -> bool:
    """Accent- and case-insensitive substring search: ``chuyen doi so`` finds ``chuyển đổi số``."""
    q = fold_key(query)
    if not q:
        return True
    return q in fold_key(haystack)
