"""Every deadline form of DOMAIN.md, and what must never be guessed."""

from datetime import date

import pytest

from dashboard.kpi.deadlines import CONDITIONAL, DATE, RECURRING, UNKNOWN, parse_deadline, quarter_of


@pytest.mark.parametrize(
    ("text", "due", "start"),
    [
        ("31/12/2026", date(2026, 12, 31), None),
        ("30/6/2026", date(2026, 6, 30), None),
        ("Trước ngày 30/4/2026", date(2026, 4, 30), None),
        ("15/4/2026", date(2026, 4, 15), None),
        ("Quý II/2026", date(2026, 6, 30), None),
        ("Q2/2026", date(2026, 6, 30), None),
        ("Quý I năm 2026", date(2026, 3, 31), None),
        ("Quý IV", date(2026, 12, 31), None),
        ("Quý III-IV/2026", date(2026, 12, 31), date(2026, 7, 1)),
        ("Quý II-III/2026", date(2026, 9, 30), date(2026, 4, 1)),
        ("Q3/2025 – Q2/2026", date(2026, 6, 30), date(2025, 7, 1)),
        ("Tháng 6/2026", date(2026, 6, 30), None),
        ("Tháng 4/2026.", date(2026, 4, 30), None),
        ("Tháng 3", date(2026, 3, 31), None),
        ("Tháng 02", date(2026, 2, 28), None),
        ("<p>Tháng 12</p>", date(2026, 12, 31), None),
        ("Tháng 02 đến hết năm 2026", date(2026, 12, 31), date(2026, 2, 1)),
        ("Năm 2026", date(2026, 12, 31), None),
        ("Trong năm 2026", date(2026, 12, 31), None),
        ("Trong năm 2026.", date(2026, 12, 31), None),
    ],
)
def test_dates(text: str, due: date, start: date | None) -> None:
    d = parse_deadline(text, 2026)
    assert (d.kind, d.due, d.start) == (DATE, due, start)


def test_plan_year_fills_a_missing_year() -> None:
    assert parse_deadline("Tháng 3", 2027).due == date(2027, 3, 31)
    assert parse_deadline("Quý II", 2025).due == date(2025, 6, 30)


@pytest.mark.parametrize("text", ["Thường xuyên", "Thường xuyên theo quy định hiện hành", "thường xuyên", "Hằng tháng"])
def test_recurring(text: str) -> None:
    d = parse_deadline(text, 2026)
    assert (d.kind, d.due, d.start) == (RECURRING, None, None)


@pytest.mark.parametrize(
    "text",
    [
        "Theo hướng dẫn của Bộ Công an",
        "Theo hướng dẫn của Bộ Tài chính, Bộ Khoa học và Công nghệ.",
        "Khi có hướng dẫn của Trung ương",
        "Khi Trung ương có hướng dẫn",
        "Sau khi Trung ương ban hành Đề án",
        "Chậm nhất 10 ngày sau khi có hướng dẫn của Trung ương",
        "Chậm nhất sau 07 ngày kể từ khi có hướng dẫn của Trung ương",
        "Theo yêu cầu của Trung ương",
        "Trình Ủy ban nhân dân tỉnh ban hành sau khi Bộ Nội vụ ban hành Đề án",
        "Theo chỉ đạo, hướng dẫn của Bộ Nội vụ.",
    ],
)
def test_conditional(text: str) -> None:
    d = parse_deadline(text, 2026)
    assert (d.kind, d.due) == (CONDITIONAL, None)


@pytest.mark.parametrize("text", ["", None, "   ", "Sớm", "ASAP", "31/2/2026", "Tháng 13/2026", "Quý V/2026"])
def test_unreadable_is_unknown_with_a_reason(text: str | None) -> None:
    d = parse_deadline(text, 2026)
    assert d.kind == UNKNOWN
    assert d.due is None
    assert d.problem


def test_quarter_of() -> None:
    assert [quarter_of(date(2026, m, 1)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [1, 1, 2, 2, 3, 3, 4, 4]
