"""Every role against every callback that changes data, with crafted requests: the server decides.

The browser is not trusted: each request below is what a user could forge by hand (another agency's
task or figures, a read-only account calling a save callback, a wall-screen token posting a change).
"""

import itertools
from datetime import date, datetime

import pytest
from sqlalchemy import delete, func, select
from webclient import call, demo_app, kiosk, login

from dashboard.accounts.users import SYSTEM, create_kiosk_token, create_user
from dashboard.store.database import transaction
from dashboard.store.models import (
    Agency,
    AuditLog,
    Directive,
    Indicator,
    KioskToken,
    Measurement,
    MonthReport,
    Province,
    RefreshRun,
    Task,
    TaskUpdate,
    User,
)

ROLES = ["admin", "leader", "agency_lead", "agency_other", "viewer", "kiosk", "anonymous"]
USERNAMES = {
    "admin": "admin",
    "leader": "lanhdao",
    "agency_lead": "sokhcn.thainguyen",
    "agency_other": "congan.laocai",
    "viewer": "xem",
}
# Which roles each change is for; every other role must leave the database exactly as it was.
ALLOWED = {
    "task_update": {"admin", "agency_lead"},
    "task_note": {"admin", "agency_lead"},
    "figures_form": {"admin", "agency_lead"},
    "figures_upload": {"admin", "agency_lead"},
    "user_create": {"admin"},
    "user_toggle": {"admin"},
    "user_reset": {"admin"},
    "kiosk_create": {"admin"},
    "kiosk_revoke": {"admin"},
    "refresh_now": {"admin"},
    "plan_import": {"admin"},
    # the monthly cycle: agency_lead's agency is the standing agency (Sở KH&CN), the secretariat with the admins
    "month_submit": {"admin", "agency_lead"},
    "month_approve": {"admin", "agency_lead"},
    "month_return": {"admin", "agency_lead"},
    "month_reopen": {"admin"},
    "direct": {"admin", "leader"},
    "answer": {"agency_lead"},
}
counter = itertools.count()


@pytest.fixture(scope="module")
def world(tmp_path_factory):  # noqa: ANN001, ANN201
    app = demo_app(tmp_path_factory.mktemp("authz"))
    engine = app.server.extensions["kpi"]["engine"]
    clients = {role: login(app, name) for role, name in USERNAMES.items()}
    clients["kiosk"] = kiosk(app)
    clients["anonymous"] = app.server.test_client()
    with transaction(engine) as s:
        tn = s.scalar(select(Province.id).where(Province.name == "Thái Nguyên"))
        ids = {
            "lead_task": s.scalar(select(Task.id).where(Task.key == "thai-nguyen-2026-kh-ubnd:PLII.IV.4")),
            "coord_task": s.scalar(select(Task.id).where(Task.key == "thai-nguyen-2026-kh-ubnd:PLII.I.1")),
            "agency": s.scalar(
                select(Agency.id).where(Agency.province_id == tn, Agency.name == "Sở Khoa học và Công nghệ")
            ),
            "plan": s.scalar(select(Task.plan_id).where(Task.key == "thai-nguyen-2026-kh-ubnd:PLII.IV.4")),
            "kpi": s.scalar(
                select(Indicator.id).where(Indicator.code == "3", Indicator.plan.has(code="thai-nguyen-2026-kh-ubnd"))
            ),
            "finance": s.scalar(select(Agency.id).where(Agency.province_id == tn, Agency.name == "Sở Tài chính")),
        }
        ids["target_user"] = create_user(s, SYSTEM, "muc.tieu", "mat-khau-ban-dau", "viewer").id
    return app, engine, clients, ids


def fingerprint(engine) -> tuple:  # noqa: ANN001
    with transaction(engine) as s:
        return (
            tuple(s.execute(select(Task.id, Task.version).order_by(Task.id)).all()),
            s.scalar(select(func.count()).select_from(TaskUpdate)),
            tuple(
                s.execute(
                    select(Measurement.id, Measurement.numerator, Measurement.denominator, Measurement.value).order_by(
                        Measurement.id
                    )
                ).all()
            ),
            tuple(s.execute(select(User.username, User.active, User.password_hash).order_by(User.id)).all()),
            tuple(s.execute(select(KioskToken.id, KioskToken.revoked_at).order_by(KioskToken.id)).all()),
            s.scalar(select(func.count()).select_from(AuditLog)),
            s.scalar(select(func.count()).select_from(RefreshRun)),
            tuple(s.execute(select(Task.id, Task.name).order_by(Task.id)).all()),
            tuple(s.execute(select(MonthReport.id, MonthReport.status, MonthReport.version).order_by(MonthReport.id))),
            tuple(s.execute(select(Directive.id, Directive.answer).order_by(Directive.id)).all()),
        )


NOV, OCT = date(2026, 11, 1), date(2026, 10, 1)


def prepare(change: str, engine, ids) -> None:  # noqa: ANN001
    """The state each monthly-cycle request starts from, whatever the requests before it did."""
    with transaction(engine) as s:
        if change == "month_submit":
            s.execute(delete(MonthReport).where(MonthReport.agency_id == ids["agency"], MonthReport.month == NOV))
        if change in ("month_approve", "month_return"):
            report = s.scalar(
                select(MonthReport).where(MonthReport.agency_id == ids["finance"], MonthReport.month == NOV)
            )
            if report is None:
                report = MonthReport(plan_id=ids["plan"], agency_id=ids["finance"], month=NOV, version=1)
                s.add(report)
            report.status = "submitted"
            s.flush()
            ids["report"] = report.id
        if change == "month_reopen":
            s.execute(delete(MonthReport).where(MonthReport.agency_id == ids["finance"], MonthReport.month == OCT))
        if change == "answer":
            row = Directive(
                plan_id=ids["plan"],
                agency_id=ids["agency"],
                subject="agency",
                text="Báo cáo tiến độ trước ngày 30/11",
                created_at=datetime(2026, 11, 20, 9),
                created_by="lanhdao",
            )
            s.add(row)
            s.flush()
            ids["directive"] = row.id


def request_for(change: str, app, engine, client, ids):  # noqa: ANN001, ANN201
    n = next(counter)
    with transaction(engine) as s:
        versions = {tid: s.get(Task, tid).version for tid in (ids["lead_task"], ids["coord_task"])}
        figure = s.scalar(  # the version the figures form would carry for November, as the browser holds it
            select(Measurement.version).where(
                Measurement.indicator_id == ids["kpi"],
                Measurement.agency_id == ids["agency"],
                Measurement.month == date(2026, 11, 1),
            )
        )
    if change in ("task_update", "task_note"):
        task = ids["lead_task"] if change == "task_update" else ids["coord_task"]
        mode = "update" if change == "task_update" else "note"
        return call(
            app,
            client,
            "mw-save-task",
            {
                "mw-save-task.n_clicks": 1,
                "mw-edit.data": {"task_id": task, "version": versions[task], "mode": mode},
                "mw-status.value": "in_progress",
                "mw-progress.value": 40 + n % 50,
                "mw-completed.date": None,
                "mw-evidence.value": "https://example.gov.vn/minh-chung",
                "mw-note.value": f"Ghi chú {n}",
            },
        )
    if change == "figures_form":
        return call(
            app,
            client,
            "mw-save-figures",
            {
                "mw-save-figures.n_clicks": 1,
                '{"index":["ALL"],"type":"fig-num"}.value': [(ids["kpi"], 500 + n)],
                '{"index":["ALL"],"type":"fig-den"}.value': [(ids["kpi"], 1000)],
                '{"index":["ALL"],"type":"fig-val"}.value': [(ids["kpi"], None)],
                '{"index":["ALL"],"type":"fig-num"}.id': [(ids["kpi"], {"type": "fig-num", "index": ids["kpi"]})],
                "mw-month.value": "2026-11-01",
                "mw-context.data": {"agency_id": ids["agency"], "plan_id": ids["plan"]},
                "mw-fig-versions.data": {str(ids["kpi"]): figure} if figure else {},
            },
        )
    if change == "figures_upload":
        return call(
            app,
            client,
            "mw-upload-save",
            {
                "mw-upload-save.n_clicks": 1,
                "mw-upload-data.data": {
                    "agency_id": ids["agency"],
                    "month": "2026-11-01",  # October is locked by now (10 days after its report day)
                    "rows": [
                        {
                            "indicator_id": ids["kpi"],
                            "numerator": 700 + n,
                            "denominator": 1000,
                            "value": None,
                            "row": "Dòng 2",
                        }
                    ],
                },
            },
        )
    if change == "user_create":
        return call(
            app,
            client,
            "adm-create",
            {
                "adm-create.n_clicks": 1,
                "adm-username.value": f"moi{n}",
                "adm-fullname.value": "Người mới",
                "adm-role.value": "viewer",
                "adm-agency.value": None,
                "adm-password.value": "mat-khau-dai-du",
            },
        )
    if change == "user_toggle":
        trigger = {"index": ids["target_user"], "type": "adm-toggle"}
        return call(
            app,
            client,
            '{"index":["ALL"],"type":"adm-toggle"}',
            {'{"index":["ALL"],"type":"adm-toggle"}.n_clicks': [(ids["target_user"], 1)]},
            trigger=trigger,
        )
    if change == "user_reset":
        return call(
            app,
            client,
            "adm-reset",
            {
                "adm-reset.n_clicks": 1,
                "adm-reset-user.value": ids["target_user"],
                "adm-reset-password.value": f"mat-khau-moi-{n}",
            },
        )
    if change == "kiosk_create":
        return call(
            app, client, "adm-kiosk-create", {"adm-kiosk-create.n_clicks": 1, "adm-kiosk-name.value": f"Màn hình {n}"}
        )
    if change == "kiosk_revoke":
        with transaction(engine) as s:
            token, _ = create_kiosk_token(s, SYSTEM, f"Để thu hồi {n}")
            token_id = token.id
        trigger = {"index": token_id, "type": "adm-revoke"}
        return call(
            app,
            client,
            '{"index":["ALL"],"type":"adm-revoke"}',
            {'{"index":["ALL"],"type":"adm-revoke"}.n_clicks': [(token_id, 1)]},
            trigger=trigger,
        )
    if change == "plan_import":
        import base64

        plan = (
            f"Hà Giang, ngày 5 tháng 2 năm 2026\n\n## KẾ HOẠCH\n\nChuyển đổi số năm 2026 số {n}\n\n"
            "TT\tTên nhiệm vụ\tChủ trì\tThời hạn\n1\tViệc một\tSở Y tế\tQuý II/2026\n"
        )
        body = "data:text/plain;base64," + base64.b64encode(plan.encode()).decode()
        preview = call(
            app,
            client,
            "adm-import",
            {
                "adm-import.contents": body,
                "adm-import.filename": f"hg-{n}.txt",
                "adm-import-province.value": None,
                "adm-import-year.value": None,
            },
        )
        # What the page sends on "Lưu": the file it previewed (any caller may send it; the server decides).
        pending = {"contents": body, "filename": f"hg-{n}.txt", "province": None, "year": None}
        save = call(app, client, "adm-import-save", {"adm-import-save.n_clicks": 1, "adm-import-pending.data": pending})
        return save if preview.status_code == 200 else preview
    if change == "month_submit":
        context = {"agency_id": ids["agency"], "plan_id": ids["plan"], "lang": "vi"}
        return call(
            app,
            client,
            "mw-submit",
            {"mw-submit.n_clicks": 1, "mw-month.value": "2026-11-01", "mw-context.data": context},
        )
    if change in ("month_approve", "month_return"):
        r = ids["report"]
        button = "appr-approve" if change == "month_approve" else "appr-return"
        return call(
            app,
            client,
            '{"index":["ALL"],"type":"appr-approve"}',
            {
                '{"index":["ALL"],"type":"appr-approve"}.n_clicks': [(r, 1 if button == "appr-approve" else None)],
                '{"index":["ALL"],"type":"appr-return"}.n_clicks': [(r, 1 if button == "appr-return" else None)],
                '{"index":["ALL"],"type":"appr-reason"}.value': [(r, f"Thiếu minh chứng {n}")],
                '{"index":["ALL"],"type":"appr-reason"}.id': [(r, {"type": "appr-reason", "index": r})],
                "url.search": f"?plan={ids['plan']}",
            },
            trigger={"type": button, "index": r},
        )
    if change == "month_reopen":
        return call(
            app,
            client,
            "appr-reopen",
            {
                "appr-reopen.n_clicks": 1,
                "appr-agency.value": ids["finance"],
                "appr-month.value": "2026-10-01",
                "appr-reopen-reason.value": f"Bổ sung số liệu {n}",
                "url.search": f"?plan={ids['plan']}",
            },
        )
    if change == "direct":
        return call(
            app,
            client,
            "dir-send",
            {
                "dir-send.n_clicks": 1,
                "dir-subject.value": "agency",
                "dir-text.value": f"Đẩy nhanh tiến độ {n}",
                "dir-due.date": "2026-12-10",
                "agency-ctx.data": {"plan_id": ids["plan"], "agency_id": ids["finance"]},
                "url.search": f"?plan={ids['plan']}",
            },
        )
    if change == "answer":
        d = ids["directive"]
        return call(
            app,
            client,
            '{"index":["ALL"],"type":"dir-answer"}',
            {
                '{"index":["ALL"],"type":"dir-answer"}.n_clicks': [(d, 1)],
                '{"index":["ALL"],"type":"dir-answer-text"}.value': [(d, f"Đã triển khai {n}")],
                '{"index":["ALL"],"type":"dir-answer-text"}.id': [(d, {"type": "dir-answer-text", "index": d})],
                "mw-context.data": {"agency_id": ids["agency"], "plan_id": ids["plan"], "lang": "vi"},
            },
            trigger={"type": "dir-answer", "index": d},
        )
    if change == "refresh_now":
        return call(app, client, "adm-refresh-all", {"adm-refresh-all.n_clicks": 1})
    raise AssertionError(change)


@pytest.mark.parametrize("change", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(world, change: str, role: str) -> None:  # noqa: ANN001
    app, engine, clients, ids = world
    prepare(change, engine, ids)
    before = fingerprint(engine)
    if change == "kiosk_revoke":
        # the token to revoke is created inside request_for: compare revocations, not the whole table
        resp = request_for(change, app, engine, clients[role], ids)
        after = fingerprint(engine)
        revoked = sum(1 for _, at in after[4] if at is not None) - sum(1 for _, at in before[4] if at is not None)
        assert (revoked == 1) == (role in ALLOWED[change]), (role, change)
        assert resp.status_code == (401 if role == "anonymous" else 403 if role == "kiosk" else 200)
        return
    resp = request_for(change, app, engine, clients[role], ids)
    after = fingerprint(engine)
    if role == "anonymous":
        assert resp.status_code == 401
    elif role == "kiosk":
        assert resp.status_code == 403, resp.data[:300]  # a wall screen calls nothing but the wall
    else:
        assert resp.status_code == 200, resp.data[:300]
    if role in ALLOWED[change]:
        assert after != before, f"{role} should be able to {change}"
        assert after[5] > before[5] or after[6] > before[6], "every change is recorded (audit log or refresh run)"
    else:
        assert after == before, f"{role} must not be able to {change}"
