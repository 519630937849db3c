"""Interface text in Vietnamese (first) and English."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # (Vietnamese, English)
    "app_title": ("Theo dõi KPI · Nghị quyết 57 & Đề án 06", "KPI monitor · Resolution 57 & Project 06"),
    "db_down_cached": (
        "Mất kết nối cơ sở dữ liệu: đang hiển thị dữ liệu lúc {at}. Trang tự cập nhật khi kết nối lại.",
        "The database cannot be reached: showing the data as of {at}. The page updates itself once it is back.",
    ),
    "db_down_nothing": (
        "Mất kết nối cơ sở dữ liệu và chưa có dữ liệu lưu tạm cho trang này. Trang tự tải khi kết nối lại.",
        "The database cannot be reached and this page has no saved copy yet. It loads itself once it is back.",
    ),
    "nav_national": ("Toàn quốc", "Nationwide"),
    "national_title": ("Toàn quốc: {n} tỉnh, thành phố", "Nationwide: {n} provinces and cities"),
    "national_computed": (
        "Số liệu tổng hợp lúc {at}; cập nhật 5 phút một lần.",
        "Summaries computed at {at}; updated every 5 minutes.",
    ),
    "province": ("Tỉnh, thành phố", "Province"),
    "tasks_total": ("Nhiệm vụ", "Tasks"),
    "tasks_done": ("Hoàn thành", "Done"),
    "tasks_overdue": ("Quá hạn", "Overdue"),
    "nav_overview": ("Tổng quan", "Overview"),
    "nav_agency": ("Đơn vị", "Agency"),
    "nav_timeline": ("Tiến độ", "Timeline"),
    "nav_flags": ("Cảnh báo", "Red flags"),
    "nav_wall": ("Màn hình lớn", "Wall screen"),
    "lang_switch": ("English", "Tiếng Việt"),
    "nav_mywork": ("Việc của tôi", "My work"),
    "nav_admin": ("Quản trị", "Administration"),
    "change_password": ("Đổi mật khẩu", "Change password"),
    "logout": ("Đăng xuất", "Sign out"),
    "role_admin": ("Quản trị", "Administrator"),
    "role_leader": ("Lãnh đạo", "Leader"),
    "role_agency": ("Đơn vị", "Agency"),
    "role_viewer": ("Chỉ xem", "Viewer"),
    "export_kpis": ("Xuất bảng chỉ tiêu:", "Export the KPI table:"),
    "export_tasks": ("Xuất danh sách nhiệm vụ:", "Export the task list:"),
    "export_tracking": (
        "Xuất trạng thái cho Hệ thống theo dõi nghị quyết:",
        "Export statuses for the national tracking system:",
    ),
    "export_flags": ("Xuất danh sách cảnh báo:", "Export the red flags:"),
    "export_briefing": ("Báo cáo cho cuộc họp:", "Meeting briefing:"),
    "export_briefing_agencies": ("Báo cáo kèm trang từng đơn vị:", "Briefing with a page per agency:"),
    "forbidden": ("Bạn không có quyền xem trang này.", "You may not see this page."),
    "demo": ("Dữ liệu mẫu (demo)", "Demo data"),
    "as_of": ("Tình hình đến ngày", "As of"),
    "plan": ("Kế hoạch", "Plan"),
    "agencies": ("Đơn vị", "Agencies"),
    "section": ("Nhóm nhiệm vụ", "Section"),
    "status": ("Trạng thái", "Status"),
    "quarter": ("Quý", "Quarter"),
    "search": ("Tìm kiếm (không cần dấu)", "Search (accents optional)"),
    "search_ph": ("vd. chuyen doi so", "e.g. chuyen doi so"),
    "all": ("Tất cả", "All"),
    "clear_filters": ("Bỏ lọc", "Clear filters"),
    "headline": ("Chỉ tiêu chủ yếu", "Headline KPIs"),
    "by_agency": ("Theo đơn vị", "By agency"),
    "sort_gap": ("Xa mục tiêu nhất trước", "Furthest from target first"),
    "sort_name": ("Theo tên", "By name"),
    "all_kpis": ("Tất cả chỉ tiêu của kế hoạch", "Every KPI of the plan"),
    "kpi": ("Chỉ tiêu", "KPI"),
    "unit": ("Đơn vị tính", "Unit"),
    "target": ("Mục tiêu", "Target"),
    "current": ("Hiện tại", "Current"),
    "trend": ("Xu hướng", "Trend"),
    "lead": ("Chủ trì", "Lead"),
    "coordinating": ("Phối hợp", "Coordinating"),
    "no_kpis": ("Kế hoạch này không có bảng chỉ tiêu.", "This plan has no KPI table."),
    "no_tasks": ("Không có nhiệm vụ nào khớp bộ lọc.", "No tasks match the filters."),
    "no_flags": ("Không có cảnh báo nào. ✔", "No red flags. ✔"),
    "no_data": ("Chưa có số liệu", "No data yet"),
    "no_plans": (
        "Chưa có kế hoạch nào. Nhập kế hoạch bằng lệnh: python -m dashboard import-plan FILE",
        "No plan yet. Import one with: python -m dashboard import-plan FILE",
    ),
    "no_headline": (
        "Kế hoạch này không có ba chỉ tiêu chủ yếu (DVC trực tuyến toàn trình, hài lòng, kỹ năng số).",
        "This plan has none of the three headline KPIs (online services, satisfaction, digital skills).",
    ),
    "no_agency_values": ("Chưa có đơn vị nào báo cáo số liệu.", "No agency has reported figures yet."),
    "code": ("Mã", "Code"),
    "task": ("Nhiệm vụ", "Task"),
    "tasks": ("Nhiệm vụ", "Tasks"),
    "deadline": ("Thời hạn", "Deadline"),
    "due": ("Hạn", "Due"),
    "progress": ("Tiến độ", "Progress"),
    "choose_agency": ("Chọn một đơn vị để xem chi tiết:", "Choose an agency:"),
    "agency_kpis": ("Chỉ tiêu của đơn vị", "The agency's KPIs"),
    "monthly_trend": ("Diễn biến theo tháng", "Month by month"),
    "as_lead": ("Nhiệm vụ chủ trì", "Tasks it leads"),
    "as_coord": ("Nhiệm vụ phối hợp", "Tasks it supports"),
    "via_group": ("qua nhóm", "via group"),
    "reporting": ("Báo cáo tháng", "Monthly reports"),
    "expected": ("Phải nộp", "Expected"),
    "received": ("Đã nhận", "Received"),
    "on_time": ("Đúng hạn ({deadline})", "On time ({deadline})"),
    "rate": ("Tỷ lệ", "Rate"),
    "aggregation": ("Cách tổng hợp", "Aggregation"),
    "agency_flags": ("Cảnh báo của đơn vị", "The agency's red flags"),
    "timeline_title": ("Thời hạn nhiệm vụ theo quý", "Task deadlines by quarter"),
    "group_by": ("Nhóm theo", "Group by"),
    "group_agency": ("Đơn vị chủ trì", "Lead agency"),
    "group_section": ("Nhóm nhiệm vụ", "Plan section"),
    "today": ("Hôm nay", "Today"),
    "recurring_title": (
        "Nhiệm vụ thường xuyên: báo cáo tháng {deadline}",
        "Recurring tasks: monthly reports {deadline}",
    ),
    "conditional_title": ("Chờ hướng dẫn (nhiệm vụ theo điều kiện)", "Waiting for guidance (conditional tasks)"),
    "unknown_title": ("Chưa rõ thời hạn", "No readable deadline"),
    "flags_title": ("Cảnh báo cần Chủ tịch quan tâm", "Red flags for the chairperson"),
    "days_overdue": ("quá hạn {n} ngày", "{n} days overdue"),
    "days_left": ("còn {n} ngày", "{n} days left"),
    "due_today": ("đến hạn hôm nay", "due today"),
    "missing_months": ("thiếu báo cáo tháng {months}", "no report for {months}"),
    "kpi_gap": ("đạt {value}, mục tiêu {target}", "at {value}, target {target}"),
    "lacks": ("thiếu: {what}", "lacks: {what}"),
    "lack_lead": ("cơ quan chủ trì", "lead agency"),
    "lack_output": ("sản phẩm đầu ra", "output"),
    "lack_deadline": ("thời hạn rõ ràng", "a usable deadline"),
    "more": ("và {n} mục khác", "and {n} more"),
    "not_found": ("Không tìm thấy trang này.", "Page not found."),
    "wall_overview": ("Tổng quan", "Overview"),
    "wall_flags": ("Cảnh báo", "Red flags"),
    "wall_timeline": ("Tiến độ theo quý", "Quarter timeline"),
    "wall_ranking": ("Xếp hạng đơn vị", "Agency ranking"),
    "last_refresh": ("Cập nhật dữ liệu", "Data refreshed"),
    "ago": ("{age} trước", "{age} ago"),
    "stale": ("Dữ liệu chưa được cập nhật từ {time}", "Data not refreshed since {time}"),
    "source_stale": ("Dữ liệu từ {source} đã cũ {age}", "Data from {source} is {age} old"),
    "source_failing": (
        "lần lấy gần nhất bị lỗi; chi tiết ở trang Quản trị",
        "the last pull failed; details on the Administration page",
    ),
    "source_never": ("Chưa lấy được dữ liệu từ {source}", "No data from {source} yet"),
    "rank": ("Hạng", "Rank"),
    "overdue_tasks": ("Nhiệm vụ quá hạn", "Overdue tasks"),
    "on_time_rate": ("Báo cáo đúng hạn", "On-time reports"),
    "quarter_n": ("Quý {n}", "Q{n}"),
    "download_hint": ("Tải ảnh biểu đồ: nút máy ảnh trên thanh công cụ", "Download a chart: camera button"),
}

QUARTERS_VI = ("I", "II", "III", "IV")


def t(key: str, lang: str = "vi", **kwargs: object) -> str:
    """The text for ``key`` in ``lang`` (Vietnamese when unknown), formatted with ``kwargs``."""
    vi, en = TEXT[key]
    text = en if lang == "en" else vi
    return text.format(**kwargs) if kwargs else text


def report_deadline(day: int = 25, hour: float | None = None, lang: str = "vi") -> str:
    """When monthly reports are due, in words: "trước ngày 25", "trước 16:00 ngày 25" / "by 16:00 on the 25th"."""
    at = None if hour is None or hour >= 24 else f"{int(hour):02d}:{round(hour % 1 * 60):02d}"
    if lang == "en":
        nth = f"{day}{'th' if 10 <= day % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"
        return f"by {at} on the {nth}" if at else f"by the {nth}"
    return f"trước {at} ngày {day}" if at else f"trước ngày {day}"


def quarter_label(n: int, lang: str = "vi") -> str:
    return f"Quý {QUARTERS_VI[n - 1]}" if lang != "en" else f"Q{n}"
