"""What a plan importer produces before anything touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dashboard.messages import Message, Problem, msg, t


class PlanImportError(Problem):
    """Input that cannot be imported; the message (a catalogue key) names the file and the line, sheet or
    column: in English by default (the command line's, and the import report's), in the page's language on the
    admin page (``text(lang)``)."""

    default_lang = "en"


@dataclass
class Finding:
    """A warning of the import report, located in the source; ``str()`` in English (the command line's),
    ``text(lang)`` for a page."""

    line: int | None
    message: Message

    def text(self, lang: str = "vi") -> str:
        said = t(self.message, lang)
        return t("imp.w.at_line", lang, line=self.line, text=said) if self.line else said

    def __str__(self) -> str:
        return self.text("en")


@dataclass
class ParsedIndicator:
    code: str
    name: str
    unit: str = ""
    target_text: str = ""
    leads: list[str] = field(default_factory=list)
    subtargets: list[dict] = field(default_factory=list)
    note: str = ""
    is_ratio: bool | None = None
    aggregation: str | None = None  # "ratio", "sum" or "province" when the document says; else guessed on import
    line: int | None = None
    baseline: float | None = None  # where the in-year path starts (``kpi.trajectory``), when the plan says
    baseline_date: date | None = None
    milestones: list | None = None  # values due at the end of quarters I-III (None where not given)


@dataclass
class ParsedTask:
    code: str
    name: str
    section: str = ""
    number: str = ""
    leads: list[str] = field(default_factory=list)
    coordinating: list[str] = field(default_factory=list)
    output: str = ""
    deadline_text: str = ""
    basis: str = ""
    line: int | None = None
    origin: str = "table"  # or "prose": a task paragraph ("a) ...", "- Cơ quan chủ trì: ...")


@dataclass
class ParsedPlan:
    source_file: str
    province: str | None = None
    year: int | None = None
    doc_number: str | None = None
    doc_type: str | None = None
    title: str | None = None
    issuer: str | None = None
    issue_date: date | None = None
    indicators: list[ParsedIndicator] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def warn(self, line: int | None, key: str, **params: object) -> None:
        """Add a warning: a catalogue key and its values."""
        self.findings.append(Finding(line, msg(key, **params)))
