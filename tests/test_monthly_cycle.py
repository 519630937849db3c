"""The monthly cycle in the store, on SQLite and PostgreSQL: an agency's figures wait for approval, the
secretariat approves or returns them, months lock (by approval and by date), an admin reopens with a reason,
every step is audited and tells the people concerned. Expected values come from plain SQL on the store."""

import json
from datetime import date

import pytest
from sqlalchemy import delete, func, select, text, update

from dashboard.accounts.permissions import PermissionDenied
from dashboard.accounts.users import SYSTEM, Actor, create_user
from dashboard.cycle import approval
from dashboard.cycle.approval import CycleError, MonthLocked
from dashboard.cycle.locks import Rhythm
from dashboard.store.database import transaction
from dashboard.store.models import Agency, Indicator, Measurement, MonthReport, Plan, Province, User
from dashboard.updates import FigureInput, TaskChange, save_figures, update_task

TODAY = date(2026, 11, 27)
NOV = date(2026, 11, 1)
OCT = date(2026, 10, 1)
RHYTHM = Rhythm(25, None, 10)  # November locks on 05/12; October locked on 04/11


@pytest.fixture
def world(demo_engine):  # noqa: ANN001, ANN201
    with transaction(demo_engine) as s:
        tn = s.scalar(select(Province.id).where(Province.name == "Thái Nguyên"))
        plan = s.scalar(select(Plan.id).where(Plan.province_id == tn))
        finance = s.scalar(select(Agency.id).where(Agency.province_id == tn, Agency.name == "Sở Tài chính"))
        science = s.scalar(select(Agency.id).where(Agency.province_id == tn, Agency.name == "Sở Khoa học và Công nghệ"))
        kpi = s.scalar(select(Indicator.id).where(Indicator.plan_id == plan, Indicator.code == "14"))
        # November starts open for this agency (the demo has run its month already): not submitted, its
        # figures those of October's approved reports
        s.execute(delete(MonthReport).where(MonthReport.agency_id == finance, MonthReport.month == NOV))
        s.execute(update(Measurement).where(Measurement.agency_id == finance).values(approved=True))
        reporter = create_user(s, SYSTEM, "sotc.thainguyen", "mat-khau-dai-du", "agency", finance)
        reporter.email = "sotc@thainguyen.gov.vn"
        ids = {"plan": plan, "finance": finance, "science": science, "kpi": kpi}
        actors = {
            "finance": Actor(reporter.id, reporter.username, "agency", finance),
            "science": Actor(
                s.scalar(select(User.id).where(User.username == "sokhcn.thainguyen")),
                "sokhcn.thainguyen",
                "agency",
                science,
            ),
            "admin": Actor(s.scalar(select(User.id).where(User.username == "admin")), "admin", "admin"),
            "leader": Actor(s.scalar(select(User.id).where(User.username == "lanhdao")), "lanhdao", "leader"),
        }
    return demo_engine, ids, actors


def _save(engine, ids, who, month=NOV, num=150, den=1000):  # noqa: ANN001, ANN202
    with transaction(engine, write=True) as s:
        return save_figures(s, who, ids["finance"], month, [FigureInput(ids["kpi"], num, den)], TODAY, rhythm=RHYTHM)


def _row(engine, ids, month=NOV):  # noqa: ANN001, ANN202
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT numerator, approved FROM measurement WHERE indicator_id = :k AND agency_id = :a AND month = :m"
            ),
            {"k": ids["kpi"], "a": ids["finance"], "m": month},
        ).one()


def _audit(engine) -> list[str]:  # noqa: ANN001
    with engine.connect() as conn:
        return list(
            conn.execute(text("SELECT action FROM audit_log WHERE entity = 'month_report' ORDER BY id")).scalars()
        )


def _notices(engine, username: str) -> list[tuple[str, dict]]:  # noqa: ANN001
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT n.kind, n.params FROM notification n JOIN app_user u ON u.id = n.user_id "
                "WHERE u.username = :u ORDER BY n.id"
            ),
            {"u": username},
        ).all()
    return [(k, p if isinstance(p, dict) else json.loads(p)) for k, p in rows]


def test_a_month_from_typing_to_reopening(world) -> None:  # noqa: ANN001
    engine, ids, who = world
    _save(engine, ids, who["finance"])
    assert tuple(_row(engine, ids)) == (150, False)  # typed: waits for approval

    with transaction(engine, write=True) as s:
        report = approval.submit(s, who["finance"], ids["plan"], ids["finance"], NOV, RHYTHM, TODAY)
        report_id = report.id
        months = s.scalar(
            text("SELECT COUNT(*) FROM month_report WHERE plan_id = :p AND status = 'submitted'"), {"p": ids["plan"]}
        )
        assert approval.pending_summary(s, ids["plan"])["months"] == months
    # the standing agency (and every admin) is told
    assert ("submitted", {"agency": "Sở Tài chính", "month": "11/2026"}) in _notices(engine, "sokhcn.thainguyen")

    with transaction(engine, write=True) as s, pytest.raises(PermissionDenied):
        approval.approve(s, who["finance"], report_id)  # nobody approves their own month
    with transaction(engine, write=True) as s:
        approval.approve(s, who["science"], report_id)
    assert tuple(_row(engine, ids)) == (150, True)
    assert ("approved", {"month": "11/2026", "reason": "", "by": "sokhcn.thainguyen"}) in _notices(
        engine, "sotc.thainguyen"
    )

    with pytest.raises(MonthLocked) as refused:  # approval locks the month
        _save(engine, ids, who["finance"], num=160)
    assert "11/2026" in str(refused.value) and "quản trị viên" in str(refused.value)
    assert tuple(_row(engine, ids)) == (150, True)

    with transaction(engine, write=True) as s, pytest.raises(PermissionDenied):
        approval.reopen(s, who["science"], ids["plan"], ids["finance"], NOV, "Sửa số", RHYTHM, TODAY)
    with transaction(engine, write=True) as s, pytest.raises(CycleError):
        approval.reopen(s, who["admin"], ids["plan"], ids["finance"], NOV, "  ", RHYTHM, TODAY)
    with transaction(engine, write=True) as s:
        approval.reopen(s, who["admin"], ids["plan"], ids["finance"], NOV, "Sai mẫu số", RHYTHM, TODAY)
    _save(engine, ids, who["finance"], num=170)
    assert tuple(_row(engine, ids)) == (170, False)  # changed again: waits again

    assert _audit(engine) == ["month.submit", "month.approve", "month.reopen"]  # the demo's own steps are not audited
    with engine.connect() as conn:
        after = conn.execute(text("SELECT after FROM audit_log WHERE action = 'month.reopen'")).scalar_one()
    assert (json.loads(after) if isinstance(after, str) else after)["reason"] == "Sai mẫu số"


def test_a_returned_month_opens_for_correction_with_its_reason(world) -> None:  # noqa: ANN001
    engine, ids, who = world
    _save(engine, ids, who["finance"])
    with transaction(engine, write=True) as s:
        report_id = approval.submit(s, who["finance"], ids["plan"], ids["finance"], NOV, RHYTHM, TODAY).id
    with transaction(engine, write=True) as s, pytest.raises(CycleError):
        approval.return_report(s, who["science"], report_id, "")  # a return needs its reason
    with transaction(engine, write=True) as s:
        approval.return_report(s, who["science"], report_id, "Thiếu minh chứng")
    assert ("returned", {"month": "11/2026", "reason": "Thiếu minh chứng", "by": "sokhcn.thainguyen"}) in _notices(
        engine, "sotc.thainguyen"
    )
    with transaction(engine) as s:
        view = approval.month_view(s, ids["plan"], ids["finance"], NOV, RHYTHM, TODAY)
    assert (view.status, view.locked, view.reason) == ("returned", False, "Thiếu minh chứng")
    # after the lock date too, a returned month stays open until it is approved
    later = date(2026, 12, 20)
    with transaction(engine, write=True) as s:
        save_figures(s, who["finance"], ids["finance"], NOV, [FigureInput(ids["kpi"], 155, 1000)], later, rhythm=RHYTHM)
        approval.submit(s, who["finance"], ids["plan"], ids["finance"], NOV, RHYTHM, later)
    assert tuple(_row(engine, ids)) == (155, False)


def test_months_lock_by_date_and_say_who_can_reopen(world) -> None:  # noqa: ANN001
    engine, ids, who = world
    before = tuple(_row(engine, ids, OCT))
    with pytest.raises(MonthLocked) as refused:
        _save(engine, ids, who["finance"], month=OCT, num=999)
    assert "10/2026" in str(refused.value)
    admin_name = "Văn phòng thường trực BCĐ (demo)"
    assert admin_name in str(refused.value)
    assert tuple(_row(engine, ids, OCT)) == before
    with transaction(engine, write=True) as s:  # an admin's own typing waits for no one, but not a lock either
        with pytest.raises(MonthLocked):
            save_figures(s, who["admin"], ids["finance"], OCT, [FigureInput(ids["kpi"], 1, 2)], TODAY, rhythm=RHYTHM)
    with transaction(engine, write=True) as s:
        approval.reopen(s, who["admin"], ids["plan"], ids["finance"], OCT, "Bổ sung số liệu", RHYTHM, TODAY)
    _save(engine, ids, who["finance"], month=OCT, num=321)
    assert tuple(_row(engine, ids, OCT)) == (321, False)


def test_task_reports_wait_for_approval_and_respect_the_lock(world) -> None:  # noqa: ANN001
    engine, ids, who = world
    with engine.connect() as conn:
        task_id = conn.execute(
            text(
                "SELECT t.id FROM task t JOIN task_agency ta ON ta.task_id = t.id "
                "WHERE t.plan_id = :p AND ta.agency_id = :a AND ta.role = 'lead' AND t.active ORDER BY t.id LIMIT 1"
            ),
            {"p": ids["plan"], "a": ids["science"]},
        ).scalar_one()
        version = conn.execute(text("SELECT version FROM task WHERE id = :t"), {"t": task_id}).scalar_one()
    change = TaskChange("in_progress", 60, NOV, note="Đang triển khai")
    with transaction(engine, write=True) as s:
        update_task(s, who["science"], task_id, version, change, TODAY, RHYTHM)
    with engine.connect() as conn:
        approved = conn.execute(
            text("SELECT approved FROM task_update WHERE task_id = :t ORDER BY id DESC LIMIT 1"), {"t": task_id}
        ).scalar_one()
    assert not approved
    with transaction(engine, write=True) as s:
        report = approval.submit(s, who["science"], ids["plan"], ids["science"], NOV, RHYTHM, TODAY)
        # the standing agency's own month goes to an admin
        with pytest.raises(PermissionDenied):
            approval.approve(s, who["science"], report.id)
    with transaction(engine, write=True) as s:
        approval.approve(s, who["admin"], report.id)
    with engine.connect() as conn:
        waiting = conn.execute(
            text("SELECT count(*) FROM task_update WHERE task_id = :t AND NOT approved"), {"t": task_id}
        ).scalar_one()
    assert waiting == 0
    with transaction(engine, write=True) as s, pytest.raises(MonthLocked):
        update_task(s, who["science"], task_id, version + 1, TaskChange("done", 100, NOV), TODAY, RHYTHM)


def test_only_the_secretariat_approves_and_nothing_is_submitted_empty(world) -> None:  # noqa: ANN001
    engine, ids, who = world
    with transaction(engine, write=True) as s:
        quiet = Agency(
            province_id=s.get(Plan, ids["plan"]).province_id, name="Ban thử nghiệm", kind="department", code="x"
        )
        s.add(quiet)
        s.flush()
        quiet_actor = Actor(None, "thu.nghiem", "agency", quiet.id)
        with pytest.raises(CycleError, match="Chưa có số liệu"):
            approval.submit(s, quiet_actor, ids["plan"], quiet.id, NOV, RHYTHM, TODAY)
    _save(engine, ids, who["finance"])
    with transaction(engine, write=True) as s:
        report_id = approval.submit(s, who["finance"], ids["plan"], ids["finance"], NOV, RHYTHM, TODAY).id
    for role in ("leader",):
        with transaction(engine, write=True) as s, pytest.raises(PermissionDenied):
            approval.approve(s, who[role], report_id)
    with transaction(engine, write=True) as s, pytest.raises(PermissionDenied):
        approval.submit(s, who["finance"], ids["plan"], ids["science"], NOV, RHYTHM, TODAY)  # not its agency
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(User).where(User.username == "sotc.thainguyen")) == 1
        mine = [w for w in approval.waiting(s, ids["plan"]) if w["agency_id"] == ids["finance"]]
        assert [w["figures"] for w in mine] == [1]


def test_two_approvals_or_two_submissions_at_once_do_it_once(world) -> None:  # noqa: ANN001
    import threading

    engine, ids, who = world
    _save(engine, ids, who["finance"])
    results: list[str] = []

    def attempt(step) -> None:  # noqa: ANN001
        try:
            with transaction(engine, write=True) as s:
                step(s)
            results.append("ok")
        except CycleError:
            results.append("refused")

    def submit(s) -> None:  # noqa: ANN001
        approval.submit(s, who["finance"], ids["plan"], ids["finance"], NOV, RHYTHM, TODAY)

    threads = [threading.Thread(target=attempt, args=(submit,)) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["ok", "refused"]
    with engine.connect() as conn:
        report_id = conn.execute(
            text("SELECT id FROM month_report WHERE agency_id = :a AND month = :m"), {"a": ids["finance"], "m": NOV}
        ).scalar_one()
    results.clear()
    threads = [
        threading.Thread(target=attempt, args=(lambda s, w=w: approval.approve(s, who[w], report_id),))
        for w in ("science", "admin")
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["ok", "refused"]
    assert _audit(engine) == ["month.submit", "month.approve"]


def test_a_month_is_reopened_only_for_an_agency_of_the_plans_province(world) -> None:  # noqa: ANN001
    engine, ids, who = world
    with engine.connect() as conn:
        elsewhere = conn.execute(
            text("SELECT a.id FROM agency a JOIN province p ON p.id = a.province_id WHERE p.name = 'Lào Cai' LIMIT 1")
        ).scalar_one()
    with transaction(engine, write=True) as s, pytest.raises(CycleError):
        approval.reopen(s, who["admin"], ids["plan"], elsewhere, OCT, "Bổ sung", RHYTHM, TODAY)
    assert _audit(engine) == []
