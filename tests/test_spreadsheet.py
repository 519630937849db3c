"""The .xlsx/.csv template: export produces it, the importer reads it back."""

import io
from pathlib import Path

import pytest
from conftest import LC, TN, snapshot
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from dashboard.config import Config
from dashboard.exports import tables as export
from dashboard.importers import PlanImportError, import_file, read_plan
from dashboard.reads.rows import indicator_rows, plan_rows, task_rows
from dashboard.store.database import transaction
from dashboard.store.models import Plan, Task

TODAY = Config().as_of()


def rows_of(engine, what: str) -> tuple[list[dict], dict]:  # noqa: ANN001
    with transaction(engine) as s:
        plan = plan_rows(s)[0]
        rows = task_rows(s, TODAY, plan["id"]) if what == "tasks" else indicator_rows(s, plan["id"])
    return rows, plan


def test_xlsx_round_trip_into_a_fresh_database(engine, tmp_path: Path) -> None:  # noqa: ANN001
    import_file(engine, LC)
    tasks, plan = rows_of(engine, "tasks")
    indicators, _ = rows_of(engine, "indicators")
    path = tmp_path / "lao-cai.xlsx"
    path.write_bytes(export.to_xlsx(tasks, "tasks", plan))
    parsed = read_plan(path)
    assert (parsed.province, parsed.year, parsed.doc_type) == ("Lào Cai", 2026, "KH-BCĐ")
    assert len(parsed.tasks) == 123
    first = parsed.tasks[0]
    assert (first.code, first.leads, first.deadline_text) == ("PLII.I.1", ["Sở Khoa học và Công nghệ"], "15/4/2026")
    kpi_path = tmp_path / "kpi.xlsx"
    kpi_path.write_bytes(export.to_xlsx(indicators, "indicators", plan))
    parsed_k = read_plan(kpi_path)
    assert [i.code for i in parsed_k.indicators] == [str(n) for n in range(1, 14)]
    assert parsed_k.indicators[0].target_text == "≥ 70"


def test_reimporting_the_export_changes_nothing(engine, tmp_path: Path) -> None:  # noqa: ANN001
    import_file(engine, TN)
    tasks, plan = rows_of(engine, "tasks")
    path = tmp_path / "tn.xlsx"
    path.write_bytes(export.to_xlsx(tasks, "tasks", plan))
    before = snapshot(engine)
    report = import_file(engine, path)
    assert report.counts["tasks_created"] == 0 and report.counts["tasks_updated"] == 10
    assert snapshot(engine) == before
    with transaction(engine) as s:
        t = s.scalar(select(Task).where(Task.code == "PLII.III.3"))
        assert [a.agency.name for a in t.agencies if a.role == "coordinating"] == [
            "Sở Tư pháp",
            "Công an tỉnh",
            "Văn phòng UBND tỉnh",
        ]


def test_xlsx_layout(engine) -> None:  # noqa: ANN001
    import_file(engine, TN)
    tasks, plan = rows_of(engine, "tasks")
    wb = load_workbook(io.BytesIO(export.to_xlsx(tasks, "tasks", plan)))
    assert wb.sheetnames == ["Kế hoạch", "Nhiệm vụ"]
    ws = wb["Nhiệm vụ"]
    assert [c.value for c in ws[1]][:7] == [
        "Mã",
        "Mục",
        "Tên nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Kết quả, sản phẩm",
        "Thời hạn",
    ]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref
    due_col = [c.value for c in ws[1]].index("Hạn hoàn thành") + 1
    due = ws.cell(row=[r[0].value for r in ws.iter_rows()].index("PLII.IV.4") + 1, column=due_col)
    assert due.is_date and due.value.date().isoformat() == "2026-06-30"


def test_csv_has_bom_and_neutralises_formulas(engine, tmp_path: Path) -> None:  # noqa: ANN001
    import_file(engine, TN)
    with transaction(engine) as s:
        s.scalar(select(Task).where(Task.code == "PLII.IV.4")).name = '=HYPERLINK("http://x","bấm")'
    tasks, _ = rows_of(engine, "tasks")
    data = export.to_csv(tasks, "tasks")
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "Sở Khoa học và Công nghệ" in text
    wb_bytes = export.to_xlsx(tasks, "tasks")
    ws = load_workbook(io.BytesIO(wb_bytes))["Nhiệm vụ"]
    cell = next(r[2] for r in ws.iter_rows() if r[0].value == "PLII.IV.4")
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    # the CSV re-imports into the same plan, the apostrophe removed
    path = tmp_path / "tasks.csv"
    path.write_bytes(data)
    parsed = read_plan(path)
    assert next(t for t in parsed.tasks if t.code == "PLII.IV.4").name.startswith("=HYPERLINK")
    report = import_file(engine, path, province="Thái Nguyên", year=2026)
    assert report.plan_code == "thai-nguyen-2026-kh-ubnd"
    with transaction(engine) as s:
        assert s.scalar(select(Plan).where(Plan.code == report.plan_code)) is not None
        assert len(s.scalars(select(Plan)).all()) == 1


def _xlsx(tmp_path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    return path


def test_xlsx_missing_required_column_names_sheet_and_column(engine, tmp_path: Path) -> None:  # noqa: ANN001
    path = _xlsx(tmp_path, {"Nhiệm vụ": [["Mã", "Tên nhiệm vụ", "Thời hạn"], ["1", "Việc", "Quý II"]]})
    before = snapshot(engine)
    with pytest.raises(
        PlanImportError, match=r"plan.xlsx, sheet 'Nhiệm vụ': missing required column\(s\) 'Cơ quan chủ trì'"
    ):
        import_file(engine, path, province="Hà Giang", year=2026)
    assert snapshot(engine) == before


def test_xlsx_without_template_sheets(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, {"Sheet1": [["a", "b"]]})
    with pytest.raises(PlanImportError, match="no sheet named 'Chỉ tiêu' or 'Nhiệm vụ'"):
        read_plan(path)


def test_xlsx_rows_with_problems_are_reported(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        {
            "Kế hoạch": [["Tỉnh", "Hà Giang"], ["Năm", 2026], ["Số hiệu", "12/KH-UBND"]],
            "Chỉ tiêu": [
                ["Mã", "Tên chỉ tiêu", "Đơn vị tính", "Mục tiêu", "Chỉ tiêu thành phần", "Cơ quan chủ trì"],
                [
                    "1",
                    "Tỷ lệ DVC trực tuyến toàn trình",
                    "%",
                    "Phân đầu ≥ 80",
                    "Cấp tỉnh ≥ 80; Cấp xã ≥ 70",
                    "VP UBND tỉnh",
                ],
                ["2", "Chỉ tiêu lạ", "%", "cao", "Cấp xã khoảng", ""],
                [None, None, None, None, None, None],
                ["3", None, "%", "≥ 5", None, None],
            ],
        },
    )
    plan = read_plan(path)
    assert (plan.province, plan.year, plan.doc_type) == ("Hà Giang", 2026, "KH-UBND")
    assert [i.code for i in plan.indicators] == ["1", "2"]
    assert [s["value"] for s in plan.indicators[0].subtargets] == [80, 70]
    messages = [str(f) for f in plan.findings]
    assert any("row 3, column 'Mục tiêu': cannot read the target 'cao'" in m for m in messages)
    assert any("row 3: cannot read the sub-target 'Cấp xã khoảng'" in m for m in messages)
    assert any("row 5: no name; row skipped" in m for m in messages)
