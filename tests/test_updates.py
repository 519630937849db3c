"""Agency changes in the core: permissions, validation in Vietnamese, stale edits, audit (SQLite and PostgreSQL)."""

from datetime import date

import pytest
from conftest import snapshot
from sqlalchemy import func, select

import dashboard.updates as updates
from dashboard.accounts.audit import history
from dashboard.accounts.permissions import PermissionDenied
from dashboard.accounts.users import Actor
from dashboard.reads.rows import task_rows
from dashboard.store.database import transaction
from dashboard.store.models import Agency, AuditLog, Indicator, Measurement, Province, Task, TaskUpdate, User
from dashboard.updates import Conflict, FigureInput, TaskChange, ValidationFailed

TODAY = date(2026, 11, 27)
NOV = date(2026, 11, 1)


@pytest.fixture
def engine(demo_engine):  # noqa: ANN001, ANN201
    """Every test here starts from the demo (a copy; see conftest)."""
    return demo_engine


@pytest.fixture
def demo(engine):  # noqa: ANN001, ANN201
    with transaction(engine) as s:

        def actor(username: str) -> Actor:
            return Actor.of(s.scalar(select(User).where(User.username == username)))

        def task(plan_code: str, code: str) -> Task:
            return s.scalar(select(Task).where(Task.key == f"{plan_code}:{code}"))

        ids = {
            "skhcn": actor("sokhcn.thainguyen"),
            "police_lc": actor("congan.laocai"),
            "admin": actor("admin"),
            "leader": actor("lanhdao"),
            "viewer": actor("xem"),
            "kiosk": Actor(None, "kiosk:1", "viewer", kiosk_id=1),
            "tn_lead_task": task("thai-nguyen-2026-kh-ubnd", "PLII.IV.4").id,  # Sở KH&CN leads
            "tn_coord_task": task("thai-nguyen-2026-kh-ubnd", "PLII.I.1").id,  # Sở KH&CN coordinates
            "tn_group_task": task("thai-nguyen-2026-kh-ubnd", "PLIII.1").id,  # led by "Các sở, ban, ngành"
            "tn_finance_task": task("thai-nguyen-2026-kh-ubnd", "PLII.V.7").id,  # Sở Tài chính only
        }
        tn = s.scalar(select(Province.id).where(Province.name == "Thái Nguyên"))
        ids["skhcn_agency"] = s.scalar(
            select(Agency.id).where(Agency.province_id == tn, Agency.name == "Sở Khoa học và Công nghệ")
        )
        ids["finance_agency"] = s.scalar(
            select(Agency.id).where(Agency.province_id == tn, Agency.name == "Sở Tài chính")
        )
        ids["kpi_5g"] = s.scalar(
            select(Indicator.id).where(Indicator.code == "3", Indicator.plan.has(code="thai-nguyen-2026-kh-ubnd"))
        )
        ids["kpi_skills"] = s.scalar(
            select(Indicator.id).where(Indicator.code == "10", Indicator.plan.has(code="thai-nguyen-2026-kh-ubnd"))
        )
        ids["kpi_centre"] = s.scalar(
            select(Indicator.id).where(Indicator.code == "16", Indicator.plan.has(code="thai-nguyen-2026-kh-ubnd"))
        )
    return ids


def version(engine, task_id: int) -> int:  # noqa: ANN001
    with transaction(engine) as s:
        return s.get(Task, task_id).version


def change(**kw) -> TaskChange:  # noqa: ANN003
    base = {
        "status": "in_progress",
        "progress": 60,
        "month": NOV,
        "note": "Đang hoàn thiện dự thảo",
        "evidence_url": "https://vanban.thainguyen.gov.vn/123",
    }
    return TaskChange(**{**base, **kw})


def test_lead_agency_updates_its_task_with_audit(engine, demo) -> None:  # noqa: ANN001
    v = version(engine, demo["tn_lead_task"])
    with transaction(engine) as s:
        updates.update_task(
            s, demo["skhcn"], demo["tn_lead_task"], v, change(status="done", completed_on=date(2026, 11, 20)), TODAY
        )
    with transaction(engine) as s:
        # the pages count it once the secretariat approves the month; the agency's own list shows it waiting
        shared = next(r for r in task_rows(s, TODAY) if r.id == demo["tn_lead_task"])
        assert (shared.status, shared.pending) == ("overdue", False)
        row = next(r for r in task_rows(s, TODAY, pending=True) if r.id == demo["tn_lead_task"])
        assert (row.status, row.progress, row.completed_on, row.pending) == ("done_late", 100, date(2026, 11, 20), True)
        assert row.evidence_url == "https://vanban.thainguyen.gov.vn/123"
        entries = history(s, "task", demo["tn_lead_task"])
        assert entries[0]["username"] == "sokhcn.thainguyen" and entries[0]["action"] == "task.update"
        assert entries[0]["after"]["status"] == "done" and entries[0]["before"]["version"] == v
    assert version(engine, demo["tn_lead_task"]) == v + 1


@pytest.mark.parametrize("who", ["police_lc", "leader", "viewer", "kiosk"])
def test_others_cannot_update_a_task(engine, demo, who: str) -> None:  # noqa: ANN001
    before = snapshot(engine)
    with pytest.raises(PermissionDenied), transaction(engine) as s:
        updates.update_task(s, demo[who], demo["tn_lead_task"], version(engine, demo["tn_lead_task"]), change(), TODAY)
    assert snapshot(engine) == before


def test_coordinating_agency_may_note_but_not_change_status(engine, demo) -> None:  # noqa: ANN001
    task = demo["tn_coord_task"]
    with pytest.raises(PermissionDenied, match="Chỉ cơ quan chủ trì"), transaction(engine) as s:
        updates.update_task(s, demo["skhcn"], task, version(engine, task), change(status="done"), TODAY)
    with transaction(engine) as s:
        status_before = next(r for r in task_rows(s, TODAY) if r.id == task).status
        updates.add_task_note(s, demo["skhcn"], task, version(engine, task), "Sở KH&CN đã góp ý dự thảo", TODAY)
    with transaction(engine) as s:
        row = next(r for r in task_rows(s, TODAY) if r.id == task)
        assert row.status == status_before
        assert row.last_note == "Sở KH&CN đã góp ý dự thảo"
    # a member of a lead group ("Các sở, ban, ngành") notes too; an outsider does not
    with transaction(engine) as s:
        updates.add_task_note(
            s, demo["skhcn"], demo["tn_group_task"], version(engine, demo["tn_group_task"]), "Đã triển khai", TODAY
        )
    with pytest.raises(PermissionDenied), transaction(engine) as s:
        updates.add_task_note(
            s, demo["skhcn"], demo["tn_finance_task"], version(engine, demo["tn_finance_task"]), "x", TODAY
        )


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"progress": 101}, "progress", "Tiến độ phải từ 0 đến 100 (%); đã nhập 101."),
        ({"progress": -1}, "progress", "Tiến độ phải từ 0 đến 100 (%); đã nhập -1."),
        ({"progress": "nhiều"}, "progress", "Tiến độ “nhiều” không phải là số"),
        ({"month": date(2026, 12, 1)}, "month", "Không được báo cáo cho tháng chưa đến (12/2026)."),
        ({"evidence_url": "ftp://x/y"}, "evidence_url", "http:// hoặc https://"),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url", "http:// hoặc https://"),
        ({"status": "done", "completed_on": date(2026, 12, 2)}, "completed_on", "không được sau ngày hôm nay"),
        ({"status": "overdue"}, "status", "Trạng thái không hợp lệ"),
    ],
)
def test_validation_messages(engine, demo, kw: dict, field: str, message: str) -> None:  # noqa: ANN001
    before = snapshot(engine)
    with pytest.raises(ValidationFailed) as err, transaction(engine) as s:
        updates.update_task(
            s, demo["skhcn"], demo["tn_lead_task"], version(engine, demo["tn_lead_task"]), change(**kw), TODAY
        )
    assert message in str(err.value.errors[field])
    assert snapshot(engine) == before


def test_second_editor_is_refused_with_current_values(engine, demo) -> None:  # noqa: ANN001
    task = demo["tn_lead_task"]
    v = version(engine, task)  # both editors opened the form at version v
    with transaction(engine) as s:
        updates.update_task(s, demo["skhcn"], task, v, change(progress=70, note="Người thứ nhất"), TODAY)
    before = snapshot(engine)
    with pytest.raises(Conflict) as err, transaction(engine) as s:
        updates.update_task(s, demo["admin"], task, v, change(progress=10, note="Người thứ hai"), TODAY)
    assert err.value.current["progress"] == 70 and err.value.current["note"] == "Người thứ nhất"
    assert err.value.current["version"] == v + 1
    assert "vừa được cập nhật bởi sokhcn.thainguyen" in str(err.value)
    assert snapshot(engine) == before


def test_change_and_audit_share_one_transaction(engine, demo, monkeypatch) -> None:  # noqa: ANN001
    before = snapshot(engine)

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("audit store full")

    monkeypatch.setattr(updates, "record", broken)
    with pytest.raises(RuntimeError), transaction(engine) as s:
        updates.update_task(
            s, demo["skhcn"], demo["tn_lead_task"], version(engine, demo["tn_lead_task"]), change(), TODAY
        )
    assert snapshot(engine) == before


def test_agency_reports_its_figures(engine, demo) -> None:  # noqa: ANN001
    figs = [FigureInput(demo["kpi_5g"], 930, 1000), FigureInput(demo["kpi_centre"], value=1)]
    with transaction(engine) as s:
        result = updates.save_figures(s, demo["skhcn"], demo["skhcn_agency"], NOV, figs, TODAY)
    assert result.created + result.updated == 2
    with transaction(engine) as s:
        m = s.scalar(
            select(Measurement).where(
                Measurement.indicator_id == demo["kpi_5g"],
                Measurement.agency_id == demo["skhcn_agency"],
                Measurement.month == NOV,
            )
        )
        assert (m.numerator, m.denominator, m.recorded_by, m.source) == (930, 1000, "sokhcn.thainguyen", "form")
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "measurement")) == 2


@pytest.mark.parametrize(
    ("fig", "message"),
    [
        (dict(numerator=1100, denominator=1000), "tử số (1100) lớn hơn mẫu số (1000)."),
        (dict(numerator=-1, denominator=1000), "tử số không được âm (đã nhập -1)."),
        (dict(numerator=5, denominator=0), "mẫu số phải lớn hơn 0."),
        (dict(numerator=5, denominator=None), "thiếu mẫu số."),
        (dict(numerator=5.5, denominator=10), "số nguyên"),
    ],
)
def test_figure_validation(engine, demo, fig: dict, message: str) -> None:  # noqa: ANN001
    before = snapshot(engine)
    with pytest.raises(ValidationFailed) as err, transaction(engine) as s:
        updates.save_figures(
            s,
            demo["skhcn"],
            demo["skhcn_agency"],
            NOV,
            [FigureInput(demo["kpi_5g"], **fig), FigureInput(demo["kpi_centre"], value=1)],
            TODAY,
        )
    assert any(message in str(m) for m in err.value.errors.values())
    assert snapshot(engine) == before  # the valid row was not written either


def test_figures_rules(engine, demo) -> None:  # noqa: ANN001
    with pytest.raises(ValidationFailed, match="tháng chưa đến"), transaction(engine) as s:
        updates.save_figures(
            s, demo["skhcn"], demo["skhcn_agency"], date(2027, 1, 1), [FigureInput(demo["kpi_5g"], 1, 2)], TODAY
        )
    with pytest.raises(ValidationFailed, match="không do đơn vị của bạn báo cáo"), transaction(engine) as s:
        updates.save_figures(
            s, demo["skhcn"], demo["skhcn_agency"], NOV, [FigureInput(demo["kpi_skills"] + 10_000, 1, 2)], TODAY
        )
    with pytest.raises(PermissionDenied, match="của đơn vị mình"), transaction(engine) as s:
        updates.save_figures(
            s, demo["police_lc"], demo["skhcn_agency"], NOV, [FigureInput(demo["kpi_5g"], 1, 2)], TODAY
        )
    for who in ("leader", "viewer", "kiosk"):
        with pytest.raises(PermissionDenied), transaction(engine) as s:
            updates.save_figures(s, demo[who], demo["skhcn_agency"], NOV, [FigureInput(demo["kpi_5g"], 1, 2)], TODAY)


def test_figure_conflict(engine, demo) -> None:  # noqa: ANN001
    with transaction(engine) as s:
        updates.save_figures(s, demo["skhcn"], demo["skhcn_agency"], NOV, [FigureInput(demo["kpi_5g"], 5, 10)], TODAY)
    with transaction(engine) as s:
        m = s.scalar(
            select(Measurement).where(
                Measurement.indicator_id == demo["kpi_5g"],
                Measurement.agency_id == demo["skhcn_agency"],
                Measurement.month == NOV,
            )
        )
        stale = m.version
    with transaction(engine) as s:
        updates.save_figures(
            s, demo["admin"], demo["skhcn_agency"], NOV, [FigureInput(demo["kpi_5g"], 6, 10, version=stale)], TODAY
        )
    with pytest.raises(Conflict) as err, transaction(engine) as s:
        updates.save_figures(
            s, demo["skhcn"], demo["skhcn_agency"], NOV, [FigureInput(demo["kpi_5g"], 7, 10, version=stale)], TODAY
        )
    assert err.value.current["numerator"] == 6 and err.value.current["recorded_by"] == "admin"


def test_group_members_report_group_led_kpis(engine, demo) -> None:  # noqa: ANN001
    with transaction(engine) as s:
        codes = {i.code for i in updates.reported_indicators(s, demo["finance_agency"])}
        # Sở Tài chính leads KPIs 1 and 14 itself and reports the KPIs of "Các sở, ban, ngành" (e.g. 7, 13, 10)
        assert {"1", "14", "7", "10", "13"} <= codes
        assert "3" not in codes  # 5G is Sở KH&CN's alone
        count = s.scalar(select(func.count()).select_from(TaskUpdate))
    assert count > 0
