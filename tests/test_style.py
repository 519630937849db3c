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
