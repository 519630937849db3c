"""The text-plan parser on the real seeds and on the messy cases DOMAIN.md lists."""

from collections import Counter
from pathlib import Path

from conftest import CB, DT, LC, TN

from dashboard.importers import read_plan
from dashboard.importers.text_plan import parse_text_plan
from dashboard.kpi.deadlines import parse_deadline


def by_code(plan, code):  # noqa: ANN001, ANN201
    return next(t for t in plan.tasks if t.code == code)


def test_thai_nguyen_counts_and_metadata() -> None:
    plan = read_plan(TN)
    assert len(plan.indicators) == 17
    assert len(plan.tasks) == 10
    assert Counter(t.code.split(".")[0] for t in plan.tasks) == {"PLII": 8, "PLIII": 2}
    assert (plan.province, plan.year, plan.doc_type) == ("Thái Nguyên", 2026, "KH-UBND")
    assert plan.issue_date is None  # "ngày   tháng 3 năm 2026": a draft with a blank date
    assert plan.title.startswith("Kế hoạch triển khai thực hiện Quyết định số 11/QĐ-BCĐCP")


def test_dong_thap_counts_by_section() -> None:
    plan = read_plan(DT)
    assert len(plan.tasks) == 56
    assert sum(t.code.startswith("A.") for t in plan.tasks) == 40
    recurring = [t for t in plan.tasks if t.code.startswith("B.")]
    assert len(recurring) == 16
    assert all(parse_deadline(t.deadline_text, 2026).kind == "recurring" for t in recurring)
    assert Counter(t.code.split(".")[1] for t in plan.tasks if t.code.startswith("A.")) == {
        "I": 14,
        "II": 9,
        "III": 10,
        "IV": 7,
    }
    assert plan.issue_date.isoformat() == "2026-03-07"
    assert not plan.indicators


def test_lao_cai_tables_and_prose() -> None:
    plan = read_plan(LC)
    assert len(plan.indicators) == 13
    table_tasks = [t for t in plan.tasks if t.code.startswith("PL")]
    prose_tasks = [t for t in plan.tasks if t.code.startswith("III.")]
    assert len(table_tasks) == 100
    assert Counter(t.code.split(".")[0] for t in table_tasks) == {"PLII": 61, "PLIII": 21, "PLIV": 18}
    # 36 task paragraphs in section III, 13 of which repeat a row of Phụ lục II: each pair is one task
    assert len(prose_tasks) == 36 - 13
    assert Counter(t.code.split(".")[1] for t in prose_tasks) == {"2": 6, "3": 9, "4": 3, "5": 5}
    first = by_code(plan, "III.2.a")
    assert first.leads == ["Công an tỉnh"]
    assert first.deadline_text.startswith("Quý II/2026")
    assert first.section.startswith("III. CÁC NHIỆM VỤ TRỌNG TÂM › 2. Phát triển dữ liệu")


def test_cao_bang_is_prose_measures_grouped_by_number() -> None:
    plan = read_plan(CB)
    assert len(plan.tasks) == 89 and not plan.indicators
    assert plan.tasks[0].code == "III.1.1" and plan.tasks[-1].code.startswith("III.7.")
    assert all(not t.leads and not t.deadline_text for t in plan.tasks)


def test_cells_split_by_a_page_break_are_joined() -> None:
    tn = read_plan(TN)
    t3 = by_code(tn, "PLII.III.3")
    assert t3.coordinating == ["Sở Tư pháp", "Công an tỉnh", "Văn phòng UBND tỉnh"]
    assert t3.name.endswith("theo quy định")
    assert t3.output == "Các dữ liệu được số hóa, cập nhật đầy đủ, chính xác, kịp thời"
    t7 = by_code(tn, "PLII.V.7")  # continues after a repeated header row
    assert "mô hình chợ số - nông thôn số" in t7.name
    assert t7.basis.endswith("Bộ Tài chính đã thống nhất.")
    dt = read_plan(DT)
    t19 = by_code(dt, "A.II.19")
    assert t19.deadline_text == "Trình Ủy ban nhân dân tỉnh ban hành sau khi Bộ Nội vụ ban hành Đề án"
    assert parse_deadline(t19.deadline_text, 2026).kind == "conditional"


def test_repeated_headers_are_not_rows_and_html_is_stripped() -> None:
    dt = read_plan(DT)
    assert not any(t.name in ("Nội dung công việc", "Tên nhiệm vụ") for t in dt.tasks)
    t11 = by_code(dt, "A.I.11")
    assert "<p>" not in t11.name and t11.leads == ["Sở Khoa học và Công nghệ"]
    assert t11.deadline_text == "Tháng 3"
    assert not dt.findings


def test_sections_are_kept() -> None:
    tn = read_plan(TN)
    assert by_code(tn, "PLII.IV.4").section == "IV. PHÁT TRIỂN DỮ LIỆU, ĐỊNH DANH, TRIỂN KHAI ĐỀ ÁN 06, VÀ VNEID"
    dt = read_plan(DT)
    assert by_code(dt, "A.III.24").section == "A. NHỮNG NỘI DUNG TRỌNG TÂM › III. Quý III năm 2026"
    assert by_code(dt, "B.1").section == "B. NHỮNG NỘI DUNG THƯỜNG XUYÊN"


def test_kpi_targets_latex_and_subtargets() -> None:
    tn = read_plan(TN)
    k6 = next(i for i in tn.indicators if i.code == "6")
    assert [(s["label"], s["op"], s["value"]) for s in k6.subtargets] == [
        ("Cấp tỉnh", ">=", 70),
        ("Cấp xã", ">=", 70),
    ]
    assert k6.unit == "%"
    assert next(i for i in tn.indicators if i.code == "7").target_text == "≥80"
    lc = read_plan(LC)
    assert lc.indicators[0].target_text == "≥ 70"  # "$\geq 70$"
    assert lc.indicators[12].unit == "Sản phẩm" and lc.indicators[12].target_text == "05"


HEADER = "TT\tChỉ tiêu\tĐơn vị\tKết quả\tCơ quan chủ trì thực hiện\n"


def test_typos_and_sub_target_rows(tmp_path: Path) -> None:
    text = (
        "Hà Giang, ngày 5 tháng 2 năm 2026\n\n## KẾ HOẠCH\n\nChuyển đổi số năm 2026\n\n"
        + HEADER
        + "1.\tTỷ lệ dịch vụ công trực tuyến toàn trình\t%\tPhân đầu ≥ 80\tSở KH&CN\n"
        + "2.\tSố nền tảng số\tNền tảng\tPhấn đấu ≥ 09\tVP UBND tỉnh\n"
        + "3.\tTỷ lệ văn bản xử lý toàn trình\t\t\tCác sở, ban, ngành, địa phương\n"
        + "\t<i>Cấp tỉnh</i>\t%\t≥ 70\t\n"
        + "\t<i>Cấp xã</i>\t%\t$\\geq 60$\t\n"
    )
    plan = parse_text_plan(text, "hg.txt")
    assert (plan.province, plan.year) == ("Hà Giang", 2026)
    k1, k2, k3 = plan.indicators
    assert k1.target_text == "Phân đầu ≥ 80" and k1.leads == ["Sở KH&CN"]
    assert k2.target_text == "Phấn đấu ≥ 09"
    assert [s["value"] for s in k3.subtargets] == [70, 60]
    assert k3.leads == ["Các sở, ban, ngành", "UBND cấp xã"]


def test_unreadable_rows_are_reported_with_line_numbers() -> None:
    text = (
        "TT\tTên nhiệm vụ\tChủ trì\tPhối hợp\tKết quả\tThời hạn\n"
        "\tcontinuation with nothing above\t\t\t\t\n"
        "1\tNhiệm vụ một\tSở Y tế\t\tBáo cáo\tQuý II/2026\n"
        "x7\tNhiệm vụ lạ\tSở Y tế\t\t\tQuý II/2026\n"
        "2\t\tSở Y tế\t\t\tQuý II/2026\n"
    )
    plan = parse_text_plan(text, "t.txt")
    assert [t.code for t in plan.tasks] == ["1"]
    lines = sorted(f.line for f in plan.findings)
    assert lines == [2, 4, 5]
    assert "x7" in str(next(f for f in plan.findings if f.line == 4))
