"""SQL sources of KPI figures: a SQLAlchemy URL and a query, read from a TOML file.

Each query returns rows of (indicator, agency, month, numerator, denominator[, plan]):
- indicator: the plan's KPI code ("7") or its national code ("online_services");
- agency: an agency's name (any known spelling) or code in the plan's province;
- month: a date, or text "YYYY-MM" / "YYYY-MM-DD";
- plan: the plan's code, when the query covers several plans (else the source's ``plan``).

URLs name environment variables (``${DVC_DATABASE_URL}``): secrets never live in the repository.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


# What a figure's ``source`` says when an agency submitted it (form, Excel upload, the demo's simulated
# submissions): a SQL source may not take one of these names, or its figures would pass for reports.
RESERVED_NAMES = ("form", "excel", "upload", "demo")


class SourceConfigError(ValueError):
    """The sources file is wrong; the message names the file and the source or field."""


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    url_template: str
    query: str
    interval_minutes: float = 60.0
    timeout_seconds: float = 60.0
    plan: str | None = None
    defaults: tuple[tuple[str, str], ...] = ()  # values for variables the environment does not set

    def url(self) -> str:
        """The URL with ``${VAR}`` replaced from the environment; a missing variable is an error."""

        def sub(m: re.Match[str]) -> str:
            value = os.environ.get(m.group(1), dict(self.defaults).get(m.group(1)))
            if value is None:
                raise SourceConfigError(f"source '{self.name}': environment variable {m.group(1)} is not set")
            return value

        return ENV_REF.sub(sub, self.url_template)

    @property
    def interval_seconds(self) -> float:
        return self.interval_minutes * 60

    @property
    def job_id(self) -> str:
        return f"refresh:{self.name}"


def load_sources(path: Path | str | None, defaults: dict[str, str] | None = None) -> list[Source]:
    """Sources from a TOML file (``[[source]]`` tables); no file means no sources."""
    if path is None:
        return []
    path = Path(path)
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceConfigError(f"{path}: not valid TOML ({exc})") from None
    out: list[Source] = []
    for i, item in enumerate(data.get("source", []), start=1):
        where = f"{path}, source #{i}"
        for key in ("name", "url", "query"):
            if not str(item.get(key, "")).strip():
                raise SourceConfigError(f"{where}: missing '{key}'")
        name = str(item["name"]).strip()
        if not re.fullmatch(r"[a-z0-9_-]{1,60}", name):
            raise SourceConfigError(f"{where}: name '{name}' must be lowercase letters, digits, - or _")
        if name in RESERVED_NAMES:
            raise SourceConfigError(f"{where}: name '{name}' is kept for figures agencies submit; choose another")
        if any(s.name == name for s in out):
            raise SourceConfigError(f"{where}: name '{name}' is used twice")
        try:
            interval = float(item.get("interval_minutes", 60))
            timeout = float(item.get("timeout_seconds", 60))
        except (TypeError, ValueError):
            raise SourceConfigError(f"{where}: interval_minutes and timeout_seconds must be numbers") from None
        if interval <= 0 or timeout <= 0:
            raise SourceConfigError(f"{where}: interval_minutes and timeout_seconds must be positive")
        out.append(
            Source(
                name,
                str(item.get("title", name)),
                str(item["url"]).strip(),
                str(item["query"]),
                interval,
                timeout,
                item.get("plan"),
                tuple(sorted((defaults or {}).items())),
            )
        )
    return out
