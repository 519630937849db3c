"""Checks that keep the codebase as agreed: ruff clean (lint and format), every setting documented."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT


def test_the_code_is_ruff_clean() -> None:
    for args in (["check", "."], ["format", "--check", "."]):
        out = subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)
        assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-1000:]


def test_every_setting_is_documented_in_the_readme() -> None:
    """Each environment variable the configuration reads has a row in the README's configuration table."""
    config = (ROOT / "dashboard" / "config.py").read_text(encoding="utf-8")
    clock = (ROOT / "dashboard" / "clock.py").read_text(encoding="utf-8")
    names = set(re.findall(r'(?:environ\.get|_int_env|_float_env)\(\s*"([A-Z][A-Z0-9_]+)"', config + clock))
    assert {"DATABASE_URL", "REPORT_DAY", "REPORT_HOUR", "TZ"} <= names
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = {m for m in re.findall(r"^\|\s*(.+?)\s*\|", readme, flags=re.M)}
    documented = {name for row in table for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}
    assert names - documented == set()


def _imports(folder: str) -> dict[str, set[str]]:
    """The top-level packages each module of ``folder`` imports (anywhere in the module, type-checking too)."""
    import ast

    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_the_layers_import_what_they_may() -> None:
    """The core never imports Dash; callbacks and layouts never run SQL (they call the core)."""
    ui = {"dash", "dash_bootstrap_components", "dash_ag_grid", "layouts", "callbacks", "webapp"}
    core = {path: names & ui for path, names in _imports("dashboard").items()}
    # The command line starts the web app, and the report jobs draw their PDFs and slides with the layouts' charts:
    # both import them inside the function that needs them, never at module level.
    allowed = {"dashboard/cli.py": {"layouts", "webapp"}, "dashboard/exports/report_jobs.py": {"layouts"}}
    assert {path: names for path, names in core.items() if names - allowed.get(path, set())} == {}
    for folder in ("callbacks", "layouts"):
        sql = {path: names & {"sqlalchemy"} for path, names in _imports(folder).items()}
        assert {path: names for path, names in sql.items() if names} == {}


def test_no_chart_offers_to_send_data_to_an_outside_service() -> None:
    from layouts.widgets import graph

    config = graph({"data": [], "layout": {}}, "g").config
    assert config["showSendToCloud"] is False and config["showEditInChartStudio"] is False
    assert config["showLink"] is False and not config["plotlyServerURL"]
    assert "sendDataToCloud" in config["modeBarButtonsToRemove"]
