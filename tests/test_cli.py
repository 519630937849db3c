"""The command line, run as a user runs it: ``python -m dashboard ...`` in a subprocess."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import DT, LC, ROOT, TN
from demo_copy import demo_url

TASK_FIELDS = {
    "plan",
    "section",
    "code",
    "name",
    "lead_agencies",
    "coordinating_agencies",
    "output",
    "deadline_text",
    "deadline_kind",
    "start_date",
    "due_date",
    "status",
}
INDICATOR_FIELDS = {"plan", "code", "name", "unit", "target_op", "target_value", "subtargets", "lead_agencies"}


def run(db_url: str, *args: str, today: str = "2026-11-27", **extra_env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": db_url, "DASHBOARD_TODAY": today, **extra_env}
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("command", ["init-db", "import-plan", "demo", "serve", "export"])
def test_every_command_has_help(command: str, tmp_path: Path) -> None:
    out = run(f"sqlite:///{tmp_path / 'x.db'}", command, "--help")
    assert out.returncode == 0
    assert "usage:" in out.stdout


def test_import_and_export_json(db_url: str) -> None:
    out = run(db_url, "import-plan", str(TN), str(DT), str(LC))
    assert out.returncode == 0, out.stderr
    assert "tasks: 123 (123 new" in out.stdout
    out = run(db_url, "export", "tasks", "--format", "json", "--plan", "lao-cai-2026-kh-bcd")
    assert out.returncode == 0, out.stderr
    tasks = json.loads(out.stdout)
    assert len(tasks) == 123
    assert all(TASK_FIELDS <= set(t) for t in tasks)
    t = next(t for t in tasks if t["code"] == "PLII.VII.1")
    assert t["deadline_kind"] == "date"
    assert (t["start_date"], t["due_date"]) == ("2026-07-01", "2026-12-31")
    assert t["lead_agencies"] == ["Sở Khoa học và Công nghệ"]
    assert t["coordinating_agencies"] == ["Các sở, ban, ngành", "UBND cấp xã"]
    assert t["status"] == "not_started"  # due 31/12/2026, no update yet on 27/11/2026
    w = next(t for t in tasks if t["code"] == "III.2.b")
    assert (w["deadline_kind"], w["due_date"], w["status"]) == ("conditional", None, "waiting")
    out = run(db_url, "export", "indicators", "--format", "json")
    indicators = json.loads(out.stdout)
    assert len(indicators) == 30
    assert all(INDICATOR_FIELDS <= set(i) for i in indicators)
    k6 = next(i for i in indicators if i["plan"] == "thai-nguyen-2026-kh-ubnd" and i["code"] == "6")
    assert k6["subtargets"] == [
        {"label": "Cấp tỉnh", "op": ">=", "value": 70.0},
        {"label": "Cấp xã", "op": ">=", "value": 70.0},
    ]
    assert (k6["target_op"], k6["target_value"]) == (">=", 70.0)
    k1 = next(i for i in indicators if i["plan"] == "lao-cai-2026-kh-bcd" and i["code"] == "1")
    assert (k1["target_op"], k1["target_value"], k1["unit"]) == (">=", 70.0, "%")


def test_import_error_exits_non_zero_and_names_the_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    prose = tmp_path / "chi-van-ban.txt"
    prose.write_text("KẾ HOẠCH\n\nMột văn bản chỉ có lời văn, không có bảng và không có biện pháp đánh số.\n")
    out = run(url, "import-plan", str(prose))
    assert out.returncode == 1
    assert "chi-van-ban.txt: no KPI or task table found" in out.stderr
    assert "Traceback" not in out.stderr
    out = run(url, "import-plan", str(tmp_path / "missing.txt"))
    assert out.returncode == 1 and "no such file" in out.stderr


def test_export_to_files(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    run(url, "import-plan", str(TN))
    for fmt in ("csv", "xlsx", "json"):
        target = tmp_path / f"tasks.{fmt}"
        out = run(url, "export", "tasks", "--format", fmt, "--plan", "1", "--output", str(target))
        assert out.returncode == 0, out.stderr
        assert target.stat().st_size > 1000
    out = run(url, "export", "tasks", "--plan", "nope")
    assert out.returncode == 1 and "no plan 'nope'" in out.stderr


def test_demo_command(tmp_path: Path) -> None:
    # rebuilding the demo over the demo (the session's, copied) is fine; over imported data it needs --force
    url = demo_url(tmp_path, "demo.db")
    out = run(url, "demo")
    assert out.returncode == 0, out.stderr
    assert "demo data as of 27/11/2026" in out.stdout
    other = f"sqlite:///{tmp_path / 'real.db'}"
    run(other, "import-plan", str(TN))
    out = run(other, "demo")
    assert out.returncode == 1 and "--force" in out.stderr
    assert run(other, "demo", "--force").returncode == 0


def test_create_user_and_kiosk_token(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    run(url, "import-plan", str(LC))
    env = {**os.environ, "DATABASE_URL": url}

    def create(*args: str, password: str = "mat-khau-du-dai") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "dashboard", "create-user", *args, "--password-stdin"],
            cwd=ROOT,
            env=env,
            input=password + "\n",
            capture_output=True,
            text=True,
            timeout=60,
        )

    ok = create("giamdoc.soyte", "--role", "agency", "--province", "Lào Cai", "--agency", "Sở Y tế")
    assert ok.returncode == 0 and "created user giamdoc.soyte (agency)" in ok.stdout
    dup = create("giamdoc.soyte", "--role", "viewer")
    assert dup.returncode == 1 and "đã có" in dup.stderr
    short = create("ngan", "--role", "viewer", password="123")
    assert short.returncode == 1 and "ít nhất 8 ký tự" in short.stderr
    nowhere = create("x.y", "--role", "agency", "--province", "Lào Cai", "--agency", "Sở Không Có")
    assert nowhere.returncode == 1 and "no agency" in nowhere.stderr
    token = run(url, "kiosk-token", "TV phòng họp")
    assert token.returncode == 0 and "/wall?token=" in token.stdout


def test_briefing_and_tracking_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    run(url, "import-plan", str(TN))
    out = run(url, "briefing", "--plan", "thai-nguyen-2026-kh-ubnd", "-o", str(tmp_path / "b.pdf"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    out = run(url, "export", "tracking", "--format", "json")
    rows = json.loads(out.stdout)
    assert len(rows) == 10 and {"key", "status", "progress", "last_note"} <= set(rows[0])
    assert run(url, "export", "tracking", "--format", "xlsx").returncode == 1


def test_command_line_changes_prepare_the_web_workers_plan_data_in_redis(tmp_path: Path) -> None:
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("TEST_REDIS_URL is not set")
    from dashboard.reads import plan_cache
    from dashboard.reads.page_data import Settings
    from dashboard.store.database import make_engine, transaction

    db = f"sqlite:///{tmp_path / 'x.db'}"
    cache = plan_cache.shared_cache(redis_url, db)
    cache.set("page:stale", "a page built before the restore")
    try:
        assert run(db, "import-plan", str(TN), REDIS_URL=redis_url).returncode == 0
        engine = make_engine(db)
        with transaction(engine) as s:
            assert plan_cache.is_ready(cache, s, 1, date(2026, 11, 27), Settings())  # imported, then prepared
        backup = tmp_path / "b.jsonl.gz"
        assert run(db, "backup", "--output", str(backup)).returncode == 0
        out = run(db, "restore", str(backup), "--force", REDIS_URL=redis_url)
        assert out.returncode == 0, out.stderr
        assert cache.get("page:stale") is None  # nothing cached before a restore is served after it
        with transaction(engine) as s:
            assert plan_cache.is_ready(cache, s, 1, date(2026, 11, 27), Settings())
    finally:
        cache.clear()
