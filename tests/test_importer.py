"""Importing into the store: counts, re-import in place, one transaction, bad input (SQLite and PostgreSQL)."""

from datetime import date
from pathlib import Path

import pytest
from conftest import CB, DT, LC, TN, snapshot
from sqlalchemy import func, select

from dashboard.importers import PlanImportError, import_file
from dashboard.store.database import transaction
from dashboard.store.models import Agency, AgencyAlias, Indicator, Plan, Task, TaskAgency, TaskUpdate


def count(engine, model, *where: object) -> int:  # noqa: ANN001
    with transaction(engine) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_counts_in_the_store(engine) -> None:  # noqa: ANN001
    reports = {p.name: import_file(engine, p) for p in (TN, DT, LC)}
    assert count(engine, Plan) == 3
    with transaction(engine) as s:
        plans = {p.code: p.id for p in s.scalars(select(Plan))}
    tn, dt, lc = plans["thai-nguyen-2026-kh-ubnd"], plans["dong-thap-2026-qd-bcd"], plans["lao-cai-2026-kh-bcd"]
    assert count(engine, Indicator, Indicator.plan_id == tn) == 17
    assert count(engine, Task, Task.plan_id == tn) == 10
    assert count(engine, Task, Task.plan_id == dt) == 56
    assert count(engine, Task, Task.plan_id == dt, Task.deadline_kind == "recurring") == 16
    assert count(engine, Indicator, Indicator.plan_id == lc) == 13
    assert count(engine, Task, Task.plan_id == lc) == 123  # 100 annex rows + 36 paragraphs, 13 repeating a row
    assert reports[TN.name].counts["tasks_created"] == 10
    assert reports[DT.name].deadline_kinds == {"date": 34, "recurring": 16, "conditional": 6}


def test_agency_spellings_link_to_one_record(engine) -> None:  # noqa: ANN001
    import_file(engine, DT)
    with transaction(engine) as s:
        province_id = s.scalar(select(Plan.province_id))
        kh = s.scalars(
            select(Agency).where(Agency.province_id == province_id, Agency.name == "Sở Khoa học và Công nghệ")
        )
        assert len(kh.all()) == 1
        # "Giám đốc Sở Khoa học và Công nghệ" and "Sở KH&CN" are the same agency
        keys = set(s.scalars(select(AgencyAlias.key).join(Agency).where(Agency.name == "Sở Khoa học và Công nghệ")))
        assert "so khoa hoc va cong nghe" in keys
        task21 = s.scalar(select(Task).where(Task.code == "A.II.21"))
        coord = [ta.agency.name for ta in task21.agencies if ta.role == "coordinating"]
        assert coord == ["Sở Khoa học và Công nghệ", "Sở Tài chính"]
        task36 = s.scalar(select(Task).where(Task.code == "A.IV.36"))
        assert [ta.agency.name for ta in task36.agencies if ta.role == "lead"] == [
            "Công an tỉnh",
            "Sở Khoa học và Công nghệ",
        ]
        groups = set(s.scalars(select(Agency.name).where(Agency.kind == "group")))
        assert {"Các sở, ban, ngành", "UBND cấp xã", "Ủy viên Ban Chỉ đạo"} <= groups


def test_reimport_updates_in_place(engine) -> None:  # noqa: ANN001
    import_file(engine, LC)
    with transaction(engine) as s:
        before = {t.key: t.id for t in s.scalars(select(Task))}
    report = import_file(engine, LC)
    assert report.counts["tasks_created"] == 0 and report.counts["tasks_updated"] == 123
    assert count(engine, Task) == 123
    assert count(engine, Indicator) == 13
    assert count(engine, Plan) == 3 - 2  # one plan
    with transaction(engine) as s:
        after = {t.key: t.id for t in s.scalars(select(Task))}
    assert before == after  # same stable keys, same rows
    assert "lao-cai-2026-kh-bcd:PLII.I.1" in after


def test_reimport_of_an_edited_document_keeps_task_history(engine, seed_copy) -> None:  # noqa: ANN001
    path = seed_copy(TN)
    import_file(engine, path)
    with transaction(engine) as s:
        task = s.scalar(select(Task).where(Task.code == "PLII.IV.5"))
        s.add(TaskUpdate(task_id=task.id, status="in_progress", progress=30, month=task.due_date.replace(day=1)))
    text = path.read_text(encoding="utf-8")
    text = text.replace("Quý I/2026\tThông báo số 43/TB-VPCP ngày 26/01/2026", "Quý II/2026\tThông báo số 43", 1)
    edited_name = "Khẩn trương đăng ký, xây dựng lộ trình"
    assert edited_name in text
    path.write_text(text, encoding="utf-8")
    import_file(engine, path)
    with transaction(engine) as s:
        task = s.scalar(select(Task).where(Task.code == "PLII.IV.5"))
        assert task.deadline_text == "Quý II/2026" and task.due_date.isoformat() == "2026-06-30"
        assert len(task.updates) == 1
    assert count(engine, Task) == 10


def test_import_is_one_transaction(engine, monkeypatch) -> None:  # noqa: ANN001
    import_file(engine, TN)
    before = snapshot(engine)
    import dashboard.importers.loader as loader

    real = loader.parse_deadline
    calls = {"n": 0}

    def failing(text, year):  # noqa: ANN001, ANN202
        calls["n"] += 1
        if calls["n"] == 30:  # well into the Lào Cai tasks
            raise RuntimeError("disk full")
        return real(text, year)

    monkeypatch.setattr(loader, "parse_deadline", failing)
    with pytest.raises(RuntimeError):
        import_file(engine, LC)
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt: the file is empty"),
        ("blank.txt", b"\n\n   \n", "blank.txt: the file is empty"),
        ("binary.txt", b"\x00\x01\x02PDF\x00" * 50, "binary.txt: this is a binary file"),
        ("plan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "plan.pdf: not a readable PDF"),
        (
            "legacy.txt",
            b"K\xea\xec ho\xf2a\xf2ch\nS\xf5 Khoa h\xf4c\tQu\xfd II",
            "legacy.txt, line 1: the file is not UTF-8",
        ),
        ("prose.txt", "Chỉ có văn bản, không có bảng.\n".encode(), "prose.txt: no KPI or task table found"),
        (
            "tasks.csv",
            "Mã,Tên nhiệm vụ,Cơ quan chủ trì\n1,Việc,Sở Y tế\n".encode(),
            "missing required column(s) — for tasks: 'Thời hạn'",
        ),
        ("bad.xlsx", b"PK\x03\x04 not really a zip", "bad.xlsx: not a readable .xlsx workbook"),
        ("empty.csv", b"", "empty.csv: the file is empty"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(engine, tmp_path: Path, name, content, message) -> None:  # noqa: ANN001
    import_file(engine, TN)
    before = snapshot(engine)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PlanImportError) as err:
        import_file(engine, path)
    assert message in str(err.value)
    assert snapshot(engine) == before


def test_cao_bang_prose_measures_import_as_tasks_flagged_06_ro(engine) -> None:  # noqa: ANN001
    from dashboard.kpi.red_flags import UNCLEAR, task_flags
    from dashboard.reads.rows import task_rows

    # What the document says: the bullets under "III. NHIỆM VỤ, GIẢI PHÁP" (up to "IV."), grouped by "N." lines.
    lines = CB.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("III. NHIỆM VỤ"))
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith("IV."))
    part = [line for line in lines[start:end] if line.strip()]
    bullets = [line[2:].strip() for line in part if line.startswith(("- ", "+ "))]
    groups = [line for line in part if line[:2] in {f"{n}." for n in range(1, 10)}]
    assert (len(bullets), len(groups)) == (89, 7)

    report = import_file(engine, CB)
    assert report.counts["tasks"] == 89
    assert any("none names a lead agency" in str(f) for f in report.findings)
    with transaction(engine) as s:
        rows = task_rows(s, date(2026, 11, 27), report.plan_id)
        assert [r.name for r in sorted(rows, key=lambda r: r.id)] == bullets
        assert {r.section for r in rows} == {g.replace("**", "").strip() for g in groups}
        flags = task_flags(rows, date(2026, 11, 27))
    unclear = [f for f in flags if f.kind == UNCLEAR]
    assert len(unclear) == 89  # no lead, no deadline: each fails "06 rõ"


def test_a_document_with_neither_tables_nor_measures_is_refused(engine, tmp_path) -> None:  # noqa: ANN001
    prose = tmp_path / "chi-van-ban.txt"
    prose.write_text("KẾ HOẠCH\n\nI. MỤC ĐÍCH\n\nMột đoạn văn, không có bảng, không có biện pháp.\n")
    with pytest.raises(PlanImportError, match="chi-van-ban.txt: no KPI or task table found"):
        import_file(engine, prose)
    assert count(engine, Plan) == 0


def test_missing_year_and_province_are_asked_for(engine, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "nodate.txt"
    path.write_text("TT\tTên nhiệm vụ\tChủ trì\tThời hạn\n1\tViệc một\tSở Y tế\tQuý II\n", encoding="utf-8")
    with pytest.raises(PlanImportError, match="cannot tell the province; pass --province"):
        import_file(engine, path)
    with pytest.raises(PlanImportError, match="cannot tell the plan year; pass --year"):
        import_file(engine, path, province="Hà Giang")
    report = import_file(engine, path, province="Hà Giang", year=2027)
    assert report.year == 2027
    with transaction(engine) as s:
        assert s.scalar(select(Task.due_date)).isoformat() == "2027-06-30"


def test_unknown_deadline_is_a_warning_not_a_guess(engine, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "p.txt"
    path.write_text(
        "Hà Giang, ngày 5 tháng 2 năm 2026\n\n"
        "TT\tTên nhiệm vụ\tChủ trì\tThời hạn\n1\tViệc một\tSở Y tế\tSớm nhất có thể\n2\tViệc hai\t\tQuý V\n",
        encoding="utf-8",
    )
    report = import_file(engine, path)
    texts = [str(f) for f in report.findings]
    assert any("line 4: task 1: cannot read deadline 'Sớm nhất có thể'" in t for t in texts)
    assert any("line 5: task 2 has no lead agency" in t for t in texts)
    with transaction(engine) as s:
        kinds = dict(s.execute(select(Task.code, Task.deadline_kind)).all())
        assert kinds == {"1": "unknown", "2": "unknown"}
        assert s.scalar(select(func.count()).select_from(TaskAgency)) == 1
