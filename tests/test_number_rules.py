"""The rules behind every number on the screen, without a database: the clock, report deadlines, how agencies'
figures make the province's, agency identity, validation messages and units (issue 12)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime

import pytest
from rows import kpi_row

from dashboard import clock
from dashboard.agencies.names import GROUP, AgencyDirectory, guess_kind, is_collective, tones_agree
from dashboard.config import Config
from dashboard.kpi.red_flags import KPI_BELOW, Flag
from dashboard.kpi.reporting import LATE, MISSING, ON_TIME, PENDING, deadline_of, report_grid
from dashboard.kpi.rules import PROVINCE, RATIO, SUM, default_aggregation, parse_aggregation
from dashboard.kpi.values import Figure, combine, snapshot
from dashboard.messages import report_deadline
from dashboard.records import KpiRow
from dashboard.store.models import Indicator
from dashboard.text import same_spelling, tone_key
from dashboard.updates import FigureInput, TaskChange, parse_amount, validate_figure, validate_task_change
from layouts.flag_text import flag_detail
from layouts.formatting import age_words

# --- one clock ------------------------------------------------------------------------------------


@pytest.fixture
def utc_at(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Move the real instant: ``utc_at(datetime(...))`` in UTC."""

    def move(at: datetime) -> None:
        monkeypatch.setattr(clock, "utcnow", lambda: at.replace(tzinfo=UTC))

    monkeypatch.delenv("TZ", raising=False)
    return move


def test_vietnam_day_on_a_utc_host(utc_at) -> None:  # noqa: ANN001
    utc_at(datetime(2026, 12, 25, 20, 0))  # 03:00 on the 26th in Hà Nội
    assert clock.today() == date(2026, 12, 26)
    assert clock.now() == datetime(2026, 12, 26, 3, 0)
    assert Config().as_of() == date(2026, 12, 26)  # the "as of" day follows Vietnam, not the host
    assert Config(today=date(2026, 11, 27)).as_of() == date(2026, 11, 27)


def test_tz_names_another_zone(utc_at, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    utc_at(datetime(2026, 12, 25, 20, 0))
    monkeypatch.setenv("TZ", "UTC")
    assert clock.today() == date(2026, 12, 25)
    monkeypatch.setenv("TZ", "not a zone")
    assert clock.today() == date(2026, 12, 26)  # an unusable TZ falls back to Vietnam


def test_report_hour_is_honoured() -> None:
    month = date(2026, 11, 1)
    assert deadline_of(month) == datetime(2026, 11, 25, 23, 59, 59)
    assert deadline_of(month, 25, 16) == datetime(2026, 11, 25, 16, 0)
    assert deadline_of(month, 20, 16.5) == datetime(2026, 11, 20, 16, 30)
    sent = {(1, month): datetime(2026, 11, 25, 16, 30), (2, month): datetime(2026, 11, 25, 15, 59)}
    end = datetime(2026, 11, 30, 12, 0)
    by_end_of_day = {c.agency_id: c.status for c in report_grid([1, 2], sent, [month], end, 25)}
    by_four = {c.agency_id: c.status for c in report_grid([1, 2], sent, [month], end, 25, 16)}
    assert by_end_of_day == {1: ON_TIME, 2: ON_TIME}
    assert by_four == {1: LATE, 2: ON_TIME}


def test_a_report_not_yet_due_on_the_morning_of_the_deadline_is_not_missing() -> None:
    month = date(2026, 11, 1)
    morning = datetime(2026, 11, 25, 10, 0)
    evening = datetime(2026, 11, 25, 17, 0)
    assert report_grid([1], {}, [month], morning, 25, 16)[0].status == PENDING
    assert report_grid([1], {}, [month], evening, 25, 16)[0].status == MISSING


def test_config_reads_report_day_and_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORT_DAY", "20")
    monkeypatch.setenv("REPORT_HOUR", "16:00")
    cfg = Config.from_env()
    assert (cfg.report_day, cfg.report_hour) == (20, 16.0)
    monkeypatch.setenv("REPORT_HOUR", "sáng")
    with pytest.raises(SystemExit, match="REPORT_HOUR"):
        Config.from_env()
    monkeypatch.setenv("REPORT_HOUR", "")
    monkeypatch.setenv("REPORT_DAY", "31")
    with pytest.raises(SystemExit, match="REPORT_DAY"):
        Config.from_env()


@pytest.mark.parametrize(
    ("day", "hour", "lang", "words"),
    [
        (25, None, "vi", "trước ngày 25"),
        (25, 16, "vi", "trước 16:00 ngày 25"),
        (20, 16.5, "vi", "trước 16:30 ngày 20"),
        (25, None, "en", "by the 25th"),
        (21, 16, "en", "by 16:00 on the 21st"),
    ],
)
def test_report_deadline_in_words(day: int, hour: float | None, lang: str, words: str) -> None:
    assert report_deadline(day, hour, lang) == words


def test_the_scheduler_and_the_briefing_follow_the_settings() -> None:
    from dashboard.exports.briefings import briefing_day
    from dashboard.reads.page_data import Settings
    from dashboard.sources.scheduler import KpiScheduler

    assert briefing_day(Settings(report_day=20)) == 21
    scheduler = KpiScheduler(None, [], briefings=(None, clock.today, Settings()))  # type: ignore[arg-type]
    assert str(scheduler.scheduler.timezone) == "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize(
    ("seconds", "lang", "words"),
    [
        (0, "vi", "0 phút"),
        (59 * 60, "vi", "59 phút"),
        (3600, "vi", "1 giờ"),
        (47 * 3600, "en", "47 hours"),
        (3 * 86400, "vi", "3 ngày"),
    ],
)
def test_ages_under_an_hour_are_minutes(seconds: float, lang: str, words: str) -> None:
    assert age_words(seconds, lang) == words


# --- how agencies' figures make the province's ---------------------------------------------------


def ind(rule: str | None, is_ratio: bool = False, unit: str = "Sản phẩm", target: float = 5) -> KpiRow:
    return kpi_row(
        id=1, is_ratio=is_ratio, unit=unit, aggregation=rule, target_op=">=", target_value=target, name="KPI", code="13"
    )


def fig(agency: int, month: int, value=None, num=None, den=None, at: datetime | None = None) -> Figure:  # noqa: ANN001
    return Figure(1, agency, date(2026, month, 1), num, den, value, at or datetime(2026, month, 20))


def test_co_leads_reporting_the_province_count_never_add_up() -> None:
    figures = [fig(10, 11, 5), fig(11, 11, 5)]
    assert combine(ind(PROVINCE), figures)[0] == 5
    assert combine(ind(SUM), figures)[0] == 10
    snap = snapshot(ind(PROVINCE), figures, date(2026, 11, 27))
    assert snap.value == 5 and snap.status == "on_target"


def test_a_province_figure_is_the_newest_one_reported() -> None:
    older = fig(10, 10, 3, at=datetime(2026, 10, 20))
    newer = fig(11, 11, 4, at=datetime(2026, 11, 20))
    same_month_later = fig(12, 11, 6, at=datetime(2026, 11, 24))
    assert combine(ind(PROVINCE), [older, newer])[0] == 4
    assert combine(ind(PROVINCE), [older, newer, same_month_later])[0] == 6


def test_ratio_kpis_add_numerators_and_denominators() -> None:
    figures = [fig(1, 11, num=8, den=10), fig(2, 11, num=90, den=100)]
    value, num, den = combine(ind(RATIO, True, "%", 80), figures)
    assert (num, den) == (98, 110) and value == pytest.approx(100 * 98 / 110)


def test_a_percentage_share_is_never_an_unweighted_average() -> None:
    # Two agencies reporting a share of GRDP: the province's share is the province's figure, not (30 + 40) / 2.
    figures = [fig(1, 11, 30, at=datetime(2026, 11, 10)), fig(2, 11, 40, at=datetime(2026, 11, 12))]
    assert combine(ind(PROVINCE, False, "%", 35), figures)[0] == 40
    # a stored "ratio" rule on a plain-valued KPI cannot add numerators it does not have
    assert combine(ind(RATIO, False, "%", 35), figures)[0] == 40


@pytest.mark.parametrize(
    ("is_ratio", "unit", "group", "rule", "guessed"),
    [
        (True, "%", False, RATIO, False),
        (True, "%", True, RATIO, False),
        (False, "Sản phẩm", False, PROVINCE, True),
        (False, "Người", True, SUM, True),
        (False, "%", True, PROVINCE, True),
        (False, "Trung tâm", False, PROVINCE, True),
    ],
)
def test_default_aggregation(is_ratio: bool, unit: str, group: bool, rule: str, guessed: bool) -> None:
    got, why = default_aggregation(is_ratio, unit, group)
    assert got == rule and (why is not None) == guessed


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Tỷ lệ", RATIO),
        ("Tỷ lệ (Σ tử số / Σ mẫu số)", RATIO),
        ("Cộng các đơn vị", SUM),
        ("cong", SUM),
        ("Số liệu chung của tỉnh", PROVINCE),
        ("province", PROVINCE),
        ("", None),
        ("trung bình", None),
    ],
)
def test_aggregation_words_of_the_template(text: str, rule: str | None) -> None:
    assert parse_aggregation(text) == rule


# --- one agency, one record ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Văn phòng Tỉnh uỷ", "Văn phòng Tỉnh ủy"),
        ("Đảng uỷ trực thuộc Tỉnh uỷ", "Đảng ủy trực thuộc Tỉnh ủy"),
        ("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("xã Hoà Bình", "xã Hòa Bình"),
        ("phường Thuỷ Nguyên", "phường Thủy Nguyên"),
        ("Trạm Y tế xã Khoẻ", "Trạm Y tế xã Khỏe"),
        ("Văn phòng Tỉnh ủy", unicodedata.normalize("NFD", "Văn phòng Tỉnh ủy")),
        ("VĂN PHÒNG TỈNH UỶ", "Văn phòng Tỉnh ủy"),
    ],
)
def test_tone_placement_and_unicode_form_do_not_make_two_agencies(a: str, b: str) -> None:
    assert same_spelling(a, b)
    assert tones_agree(a, b) and tones_agree(b, a)
    directory = AgencyDirectory("Đồng Tháp")
    directory.add(b, "office")
    assert directory.lookup(a) == b


@pytest.mark.parametrize(
    ("a", "b"),
    [("xã Đức Thành", "xã Đức Thạnh"), ("xã Tân Hòa", "xã Tân Hóa"), ("phường Hưng Đạo", "phường Hùng Đạo")],
)
def test_a_real_tone_difference_keeps_two_agencies(a: str, b: str) -> None:
    assert not same_spelling(a, b)
    assert not tones_agree(a, b)
    directory = AgencyDirectory("Đồng Tháp")
    directory.add(b, "commune")
    assert directory.lookup(a) is None
    assert tone_key("Thành") != tone_key("Thạnh")


@pytest.mark.parametrize(
    "name",
    [
        "Đơn vị chủ quản các hệ thống thông tin",
        "Các doanh nghiệp viễn thông",
        "Các cơ quan liên quan",
        "Các ngân hàng trên địa bàn tỉnh",
        "Đảng ủy trực thuộc Tỉnh ủy",
        "Doanh nghiệp có liên quan",
        "Cơ quan tài chính các cấp",
    ],
)
def test_collective_assignees_are_groups(name: str) -> None:
    assert is_collective(name) and guess_kind(name) == GROUP


@pytest.mark.parametrize("name", ["Sở Y tế", "Tỉnh Đoàn", "Bảo hiểm xã hội tỉnh", "UBND xã Bát Xát", "Công an tỉnh"])
def test_single_agencies_are_not_groups(name: str) -> None:
    assert not is_collective(name) and guess_kind(name) != GROUP


# --- validation at the field ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12.0), (" 95,5 ", 95.5), ("1.234", 1234.0), ("-5", -5.0), ("", None), (None, None), (7, 7.0)],
)
def test_amounts_as_typed(raw: object, expected: float | None) -> None:
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "12a", "nan", "inf", "1e308", float("nan"), True])
def test_what_is_not_an_amount(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_amount(raw)


@pytest.mark.parametrize(
    ("progress", "fragment"),
    [("150", "đã nhập 150"), ("-5", "đã nhập -5"), ("abc", "“abc” không phải là số"), (101, "đã nhập 101")],
)
def test_bad_progress_is_refused_not_stored_as_zero(progress: object, fragment: str) -> None:
    errors = validate_task_change(TaskChange("in_progress", progress, date(2026, 11, 1)), date(2026, 11, 27))
    assert fragment in str(errors["progress"])


def test_good_progress_passes() -> None:
    for progress in ("0", "45", "100", 60, None):
        assert "progress" not in validate_task_change(
            TaskChange("in_progress", progress, date(2026, 11, 1)), date(2026, 11, 27)
        )


def kpi(is_ratio: bool = True, unit: str = "%") -> Indicator:
    return Indicator(id=7, code="7", is_ratio=is_ratio, unit=unit)


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        (FigureInput(7, 120, 100), "Chỉ tiêu 7: tử số (120) lớn hơn mẫu số (100)."),
        (FigureInput(7, -5, 100), "Chỉ tiêu 7: tử số không được âm (đã nhập -5)."),
        (FigureInput(7, 5, -100), "Chỉ tiêu 7: mẫu số không được âm (đã nhập -100)."),
        (FigureInput(7, 2.5, 10), "Chỉ tiêu 7: tử số là số đếm nên phải là số nguyên (đã nhập 2.5)."),
        (FigureInput(7, 5, None), "Chỉ tiêu 7: thiếu mẫu số."),
        (FigureInput(7, None, 10), "Chỉ tiêu 7: thiếu tử số."),
        (FigureInput(7, 0, 0), "Chỉ tiêu 7: mẫu số phải lớn hơn 0."),
        (FigureInput(7, 1e300, 1e301), "Chỉ tiêu 7: số liệu quá lớn"),
    ],
)
def test_figure_messages_name_the_kpi_and_what_is_wrong(figure: FigureInput, message: str) -> None:
    assert str(validate_figure(kpi(), figure)).startswith(message)


def test_plain_value_messages() -> None:
    assert str(validate_figure(kpi(False, "%"), FigureInput(7, value=120))) == (
        "Chỉ tiêu 7: giá trị phần trăm phải từ 0 đến 100 (đã nhập 120)."
    )
    assert str(validate_figure(kpi(False, "Sản phẩm"), FigureInput(7, value=-1))) == (
        "Chỉ tiêu 7: giá trị không được âm (đã nhập -1)."
    )
    assert validate_figure(kpi(False, "Sản phẩm"), FigureInput(7, value=12)) is None


# --- units ----------------------------------------------------------------------------------------


def test_a_counted_kpi_flag_speaks_its_own_unit() -> None:
    flag = Flag(KPI_BELOW, 500, "Sản phẩm công nghệ chiến lược", value=2, target=5, unit="Sản phẩm")
    assert flag_detail(flag, "vi") == "đạt 2 Sản phẩm, mục tiêu 5 Sản phẩm"
    assert "%" not in flag_detail(flag, "en")
    pct = Flag(KPI_BELOW, 500, "DVC", value=72.5, target=80, unit="%")
    assert flag_detail(pct, "vi") == "đạt 72,5 %, mục tiêu 80 %"
