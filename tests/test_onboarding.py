"""From a province's signed PDF to a live site in one sitting: import (previewed, then saved), the accounts of
its agencies with one-time passwords, one of them signing in and changing it, updating a task, and the wall
the secretariat approving its month and the wall showing it. A fresh store: no demo, one admin."""

from __future__ import annotations

import base64
import io
import json
from datetime import date
from pathlib import Path

from conftest import DT
from openpyxl import load_workbook
from plan_formats import as_pdf
from sqlalchemy import text
from webclient import call, find, login, post_form, response_text

from dashboard.accounts.users import SYSTEM, create_user
from dashboard.config import Config
from dashboard.store.database import make_engine, transaction, upgrade
from webapp import create_app

TODAY = date(2026, 11, 27)


def _find(tree: object, element_id: str) -> object:
    """The children of the component with ``element_id`` anywhere in a Dash answer."""
    return find(tree, element_id)["props"].get("children")


def test_from_the_signed_pdf_to_agencies_updating_and_the_wall(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tinh.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(engine) as s:
        create_user(s, SYSTEM, "admin", "admin-demo-2026", "admin")
    app = create_app(
        Config(database_url=url, secret_key="test", today=TODAY, auto_demo=False, login_rate_limit="1000 per minute")
    )
    admin = login(app, "admin")

    # 1. The PDF, previewed: what would be added, and nothing saved yet.
    body = "data:application/pdf;base64," + base64.b64encode(as_pdf(DT.read_text(encoding="utf-8"))).decode()
    resp = call(app, admin, "adm-import", {"adm-import.contents": body, "adm-import.filename": "qd-07-bcd.pdf"})
    answer = resp.get_json()["response"]
    shown = json.dumps(answer, ensure_ascii=False)
    assert "Nhiệm vụ: thêm 56, sửa 0, rút 0" in shown and "chưa lưu gì" in shown
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM task")).scalar() == 0
    pending = answer["adm-import-pending"]["data"]

    # 2. Saved.
    resp = call(app, admin, "adm-import-save", {"adm-import-save.n_clicks": 1, "adm-import-pending.data": pending})
    answer = resp.get_json()["response"]
    plan_id = answer["adm-import-plan"]["data"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM task WHERE plan_id = :p"), {"p": plan_id}).scalar() == 56
        expected = conn.execute(
            text(
                "SELECT COUNT(DISTINCT a.id) FROM agency a JOIN task_agency ta ON ta.agency_id = a.id "
                "JOIN task t ON t.id = ta.task_id WHERE t.plan_id = :p AND t.active AND a.kind <> 'group'"
            ),
            {"p": plan_id},
        ).scalar()

    # 3. The agencies' accounts, one step, one-time passwords on a sheet to hand out.
    resp = call(app, admin, "adm-accounts-create", {"adm-accounts-create.n_clicks": 1, "adm-import-plan.data": plan_id})
    sheet = resp.get_json()["response"]["adm-accounts-sheet"]["data"]
    rows = list(load_workbook(io.BytesIO(base64.b64decode(sheet["content"]))).active.iter_rows(values_only=True))
    accounts = [r for r in rows[1:] if r and r[1]]
    assert len(accounts) == expected > 5
    again = call(
        app, admin, "adm-accounts-create", {"adm-accounts-create.n_clicks": 2, "adm-import-plan.data": plan_id}
    )
    assert "đã có tài khoản" in response_text(again)  # a second click makes none twice
    kiosk = call(app, admin, "adm-plan-kiosk", {"adm-plan-kiosk.n_clicks": 1, "adm-import-plan.data": plan_id})
    link = _find(kiosk.get_json()["response"], "adm-plan-kiosk-link")
    assert link.startswith("/wall?token=")

    # 4. An agency signs in with its one-time password: nothing opens before it sets its own.
    with engine.connect() as conn:
        agency_name, username, task_id, version = next(
            (name, user, tid, ver)
            for name, user, password in accounts
            for tid, ver in conn.execute(
                text(
                    "SELECT t.id, t.version FROM task t JOIN task_agency ta ON ta.task_id = t.id "
                    "JOIN agency a ON a.id = ta.agency_id WHERE t.plan_id = :p AND ta.role = 'lead' AND a.name = :n "
                    "ORDER BY t.id"
                ),
                {"p": plan_id, "n": name},
            )
        )
    password = next(p for _, u, p in accounts if u == username)
    agency = app.server.test_client()
    assert post_form(agency, "/login", {"username": username, "password": password}).status_code == 302
    assert agency.get("/").headers["Location"].endswith("/doi-mat-khau")
    assert agency.post("/_dash-update-component", json={}).status_code == 403
    changed = post_form(
        agency,
        "/doi-mat-khau",
        {"old": password, "new": "mat-khau-rieng-2026", "again": "mat-khau-rieng-2026"},
        "/doi-mat-khau",
    )
    assert "password-ok" in changed.get_data(as_text=True)
    assert agency.get("/").status_code == 200

    # 5. It reports a task done; the wall shows one more task done.
    wall = app.server.test_client()
    assert wall.get(link).status_code == 302

    def done_on_the_wall() -> int:
        resp = call(app, wall, "wall-refresh", {"wall-refresh.n_intervals": 1, "wall-config.data": {"plan": plan_id}})
        return int(_find(resp.get_json()["response"], "wall-task-done"))

    before = done_on_the_wall()
    saved = call(
        app,
        agency,
        "mw-save-task",
        {
            "mw-save-task.n_clicks": 1,
            "mw-edit.data": {"task_id": task_id, "version": version, "mode": "update"},
            "mw-status.value": "done",
            "mw-progress.value": 100,
            "mw-completed.date": "2026-11-20",
            "mw-evidence.value": "",
            "mw-note.value": f"{agency_name}: đã hoàn thành",
        },
    )
    assert "Đã lưu" in response_text(saved)
    assert done_on_the_wall() == before  # it waits for the secretariat's approval

    # 6. The agency submits its month; the secretariat (the admin) approves it; now the wall counts it.
    with engine.connect() as conn:
        agency_id = conn.execute(
            text("SELECT agency_id FROM app_user WHERE username = :u"), {"u": username}
        ).scalar_one()
    context = {"agency_id": agency_id, "plan_id": plan_id, "lang": "vi"}
    sent = call(
        app, agency, "mw-submit", {"mw-submit.n_clicks": 1, "mw-month.value": "2026-11-01", "mw-context.data": context}
    )
    assert "Đã gửi báo cáo tháng 11/2026" in response_text(sent)
    with engine.connect() as conn:
        report_id = conn.execute(
            text("SELECT id FROM month_report WHERE agency_id = :a AND status = 'submitted'"), {"a": agency_id}
        ).scalar_one()
    approve = '{"index":["ALL"],"type":"appr-approve"}'
    approved = call(
        app,
        admin,
        approve,
        {
            f"{approve}.n_clicks": [(report_id, 1)],
            '{"index":["ALL"],"type":"appr-return"}.n_clicks': [(report_id, None)],
            '{"index":["ALL"],"type":"appr-reason"}.value': [(report_id, None)],
            '{"index":["ALL"],"type":"appr-reason"}.id': [(report_id, {"type": "appr-reason", "index": report_id})],
            "url.search": f"?plan={plan_id}",
        },
        trigger={"type": "appr-approve", "index": report_id},
    )
    assert "Đã duyệt báo cáo tháng 11/2026" in response_text(approved)
    assert done_on_the_wall() == before + 1
    engine.dispose()


def test_the_command_line_makes_the_agencies_accounts_once(tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    from dashboard.cli import main

    url = f"sqlite:///{tmp_path / 'tinh.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    document = tmp_path / "qd-07.docx"
    from plan_formats import as_docx

    document.write_bytes(as_docx(DT.read_text(encoding="utf-8")))
    assert main(["import-plan", str(document)]) == 0
    sheet = tmp_path / "tai-khoan.xlsx"
    assert main(["agency-accounts", "--plan", "dong-thap-2026-qd-bcd", "-o", str(sheet)]) == 0
    rows = list(load_workbook(sheet).active.iter_rows(values_only=True))[1:]
    engine = make_engine(url)
    with engine.connect() as conn:
        made = conn.execute(text("SELECT COUNT(*) FROM app_user WHERE must_change_password")).scalar()
    assert len(rows) == made > 5
    capsys.readouterr()
    assert main(["agency-accounts", "--plan", "dong-thap-2026-qd-bcd", "-o", str(tmp_path / "lan-hai.xlsx")]) == 0
    assert "already has an account" in capsys.readouterr().out and not (tmp_path / "lan-hai.xlsx").exists()
    engine.dispose()
