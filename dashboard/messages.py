"""Every interface string, Vietnamese first and English, in one catalogue.

The core raises and returns message keys (``Message``, ``Problem``); the interface turns them into text with
``t(key_or_message, lang)``. A key always has both languages: the catalogue's entries are (Vietnamese,
English) pairs, and a test checks that their placeholders agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

LANGS = ("vi", "en")

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
    "nav_reports": ("Báo cáo", "Reports"),
    "reports.title": ("Báo cáo cho cuộc họp", "Reports for meetings"),
    "reports.intro": (
        "Báo cáo được tạo ở chế độ nền theo bộ lọc đang chọn: có thể sang trang khác, quay lại và tải về sau.",
        "Reports are made in the background for the chosen filters: you may leave, come back and download later.",
    ),
    "reports.make.briefing": ("Tạo báo cáo PDF", "Make the PDF briefing"),
    "reports.make.pack": ("Tạo bộ báo cáo theo đơn vị", "Make the per-agency pack"),
    "reports.make.slides": ("Tạo bản trình chiếu", "Make the slide deck"),
    "reports.kind.briefing": ("Báo cáo tình hình (PDF)", "Briefing (PDF)"),
    "reports.kind.pack": ("Bộ báo cáo theo đơn vị (ZIP)", "Per-agency pack (ZIP)"),
    "reports.kind.slides": ("Bản trình chiếu (PowerPoint)", "Slide deck (PowerPoint)"),
    "reports.state.queued": ("Đang chờ", "Queued"),
    "reports.state.running": ("Đang tạo", "Being made"),
    "reports.state.done": ("Xong", "Ready"),
    "reports.state.failed": ("Không tạo được", "Failed"),
    "reports.list": ("Báo cáo đã tạo", "Reports made"),
    "reports.none": ("Chưa có báo cáo nào cho kế hoạch này.", "No report for this plan yet."),
    "reports.kind": ("Loại", "Kind"),
    "reports.made": ("Thời điểm", "Made"),
    "reports.by": ("Người tạo", "By"),
    "reports.state": ("Tình trạng", "State"),
    "reports.file": ("Tệp", "File"),
    "reports.download": ("Tải về", "Download"),
    "reports.scheduled": ("Tự động hằng tháng", "Monthly, automatic"),
    "reports.started": (
        "Đã bắt đầu tạo: {kind}. Tiến độ ở danh sách dưới đây.",
        "Started: {kind}. Its progress is below.",
    ),
    "reports.already": ("{kind} đang được tạo, không tạo thêm.", "{kind} is already being made."),
    "reports.link": ("Báo cáo cho cuộc họp (PDF, PowerPoint) →", "Reports for meetings (PDF, PowerPoint) →"),
    "report.failed": (
        "Không tạo được báo cáo; hãy thử lại hoặc báo quản trị.",
        "The report could not be made; try again or tell an administrator.",
    ),
    "report.interrupted": (
        "Việc tạo báo cáo bị gián đoạn; hãy tạo lại.",
        "Making the report was interrupted; start it again.",
    ),
    "perm.report": (
        "Không tìm thấy báo cáo này hoặc bạn không được tải.",
        "This report does not exist or you may not download it.",
    ),
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
    "slide.by_agency": ("Chỉ tiêu chính theo đơn vị", "Headline KPIs by agency"),
    "trajectory": ("Theo lộ trình", "Trajectory"),
    "trajectory.on_track": ("Đúng lộ trình", "On track"),
    "trajectory.at_risk": ("Có nguy cơ chậm", "At risk"),
    "trajectory.off_track": ("Chậm lộ trình", "Off track"),
    "trajectory.no_data": ("Chưa có số liệu", "No data yet"),
    "trajectory.expected": ("Theo lộ trình, đến nay cần đạt {value}", "Expected by now on its path: {value}"),
    "slides.previous": ("Tháng trước:", "Previous month:"),
    "slides.flags": ("Cảnh báo ({n})", "Red flags ({n})"),
    "slides.kind": ("Loại", "Kind"),
    "slides.item": ("Nội dung", "Item"),
    "slides.detail": ("Chi tiết", "Detail"),
    "slides.tasks": ("{n} nhiệm vụ", "{n} tasks"),
    "slides.led": ("Nhiệm vụ chủ trì", "Tasks led"),
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
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    # --- shared words ---
    "filters": ("Bộ lọc", "Filters"),
    "dropdown.select_all": ("Chọn tất cả", "Select all"),
    "dropdown.deselect_all": ("Bỏ chọn tất cả", "Deselect all"),
    "dropdown.selected_count": ("Đã chọn {num_selected}", "{num_selected} selected"),
    "dropdown.search": ("Tìm (không cần dấu)", "Search (accents optional)"),
    "dropdown.clear_search": ("Xóa tìm kiếm", "Clear search"),
    "dropdown.clear_selection": ("Bỏ chọn", "Clear selection"),
    "dropdown.no_options_found": ("Không tìm thấy", "Nothing found"),
    "down.title": ("Tạm mất kết nối cơ sở dữ liệu", "The database cannot be reached"),
    "down.body": (
        "Trang sẽ tự tải lại sau ít giây khi kết nối được khôi phục.",
        "The page reloads itself a few seconds after the connection is back.",
    ),
    "age.minutes": ("{n} phút", "{n} minutes"),
    "age.hours": ("{n} giờ", "{n} hours"),
    "age.days": ("{n} ngày", "{n} days"),
    "save": ("Lưu", "Save"),
    "close": ("Đóng", "Close"),
    "cancel": ("Hủy", "Cancel"),
    "none": ("Không có.", "None."),
    "saved": ("Đã lưu.", "Saved."),
    "drop_or": ("Kéo thả hoặc ", "Drop a file here or "),
    "not_allowed": ("Không được phép.", "Not allowed."),
    "bad_request": ("Dữ liệu gửi lên không hợp lệ.", "The data sent is not valid."),
    "now_stored": ("Hiện tại: ", "Stored now: "),
    # --- Việc của tôi ---
    "mw.no_agency": (
        "Tài khoản chưa gắn với đơn vị của tỉnh này.",
        "This account belongs to no agency of this province.",
    ),
    "mw.agency_only": (
        "Trang này dành cho tài khoản đơn vị; tài khoản của bạn chỉ được xem.",
        "This page is for agency accounts; your account may only view.",
    ),
    "wall.no_plan": ("Màn hình này không được xem kế hoạch nào.", "This screen may show no plan."),
    "mw.read_only": ("Tài khoản này chỉ được xem.", "This account may only view."),
    "mw.figures_title": ("Số liệu chỉ tiêu hằng tháng", "Monthly KPI figures"),
    "mw.month": ("Tháng báo cáo", "Reporting month"),
    "mw.save_figures": ("Lưu số liệu", "Save figures"),
    "mw.excel_title": ("Nhập bằng tệp Excel", "Enter figures from an Excel file"),
    "mw.excel_help": (
        "Tải mẫu của đơn vị cho tháng đang chọn, điền số liệu, rồi tải lên: trang sẽ kiểm tra từng dòng trước khi lưu.",
        "Download the agency's template for the chosen month, fill in the figures and upload it: every row is "
        "checked before anything is saved.",
    ),
    "mw.template": ("Tải mẫu Excel", "Download the Excel template"),
    "mw.choose_xlsx": ("chọn tệp .xlsx", "choose an .xlsx file"),
    "mw.save_upload": ("Lưu số liệu từ tệp", "Save the figures from the file"),
    "mw.history": ("Lịch sử thay đổi", "History of changes"),
    "mw.completed_on": ("Ngày hoàn thành", "Completed on"),
    "mw.evidence": ("Đường dẫn minh chứng (http/https)", "Link to evidence (http/https)"),
    "mw.note": ("Ghi chú", "Note"),
    "mw.update": ("Cập nhật", "Update"),
    "mw.update_title": ("Cập nhật nhiệm vụ", "Update the task"),
    "mw.note_title": ("Ghi chú cho nhiệm vụ (đơn vị phối hợp)", "Note on the task (coordinating agency)"),
    "mw.leads": ("Chủ trì ({n})", "Leads ({n})"),
    "mw.others": ("Phối hợp hoặc thực hiện chung ({n})", "Coordinates or shares ({n})"),
    "mw.no_lead": ("Đơn vị không chủ trì nhiệm vụ nào của kế hoạch này.", "The agency leads no task of this plan."),
    "mw.no_figures": (
        "Đơn vị không báo cáo chỉ tiêu nào của kế hoạch này.",
        "The agency reports no KPI of this plan.",
    ),
    "mw.fed": ("Tự động từ {source}: không nhập tay", "Fed by {source}: not typed by hand"),
    "mw.numerator": ("Tử số", "Numerator"),
    "mw.denominator": ("Mẫu số", "Denominator"),
    "mw.value": ("Giá trị", "Value"),
    "mw.check": ("Kiểm tra", "Check"),
    "mw.row": ("Dòng", "Row"),
    "mw.valid": ("✔ hợp lệ", "✔ valid"),
    "mw.upload_ok": (
        "{n} dòng hợp lệ. Bấm “Lưu số liệu từ tệp” để lưu.",
        "{n} valid rows. Press “Save the figures from the file” to save them.",
    ),
    "mw.upload_bad": (
        "Tệp có lỗi: sửa các dòng đánh dấu đỏ rồi tải lên lại. Chưa có gì được lưu.",
        "The file has errors: correct the rows marked in red and upload it again. Nothing was saved.",
    ),
    "mw.no_history": ("Chưa có thay đổi nào.", "No changes yet."),
    "mw.at": ("Lúc", "At"),
    "mw.by": ("Người thực hiện", "By"),
    "mw.action": ("Việc", "Action"),
    "mw.subject": ("Đối tượng", "Subject"),
    "mw.before": ("Trước", "Before"),
    "mw.after": ("Sau", "After"),
    "mw.saved_figures": (
        "Đã lưu: {created} mới, {updated} sửa, {unchanged} không đổi.",
        "Saved: {created} new, {updated} corrected, {unchanged} unchanged.",
    ),
    "mw.saved_upload": (
        "Đã lưu từ tệp: {created} mới, {updated} sửa, {unchanged} không đổi.",
        "Saved from the file: {created} new, {updated} corrected, {unchanged} unchanged.",
    ),
    "mw.no_file": ("Chưa có tệp hợp lệ để lưu.", "There is no valid file to save."),
    "mw.not_number": (
        "Chỉ tiêu {code}: {field} “{raw}” không phải là số.",
        "KPI {code}: {field} “{raw}” is not a number.",
    ),
    "mw.file": ("tệp", "file"),
    # --- validation of updates (dashboard.updates) ---
    "upd.choose_month": ("Hãy chọn tháng báo cáo.", "Choose the reporting month."),
    "upd.future_month": (
        "Không được báo cáo cho tháng chưa đến ({month}).",
        "A month that has not come yet ({month}) cannot be reported.",
    ),
    "upd.evidence": (
        "Đường dẫn minh chứng phải là địa chỉ web bắt đầu bằng http:// hoặc https://.",
        "The evidence link must be a web address starting with http:// or https://.",
    ),
    "upd.status": (
        "Trạng thái không hợp lệ (chỉ: chưa triển khai, đang thực hiện, hoàn thành).",
        "Invalid status (only: not started, in progress, done).",
    ),
    "upd.progress_text": (
        "Tiến độ “{raw}” không phải là số; hãy nhập một số từ 0 đến 100.",
        "Progress “{raw}” is not a number; enter a number from 0 to 100.",
    ),
    "upd.progress_range": (
        "Tiến độ phải từ 0 đến 100 (%); đã nhập {value}.",
        "Progress must be from 0 to 100 (%); {value} was entered.",
    ),
    "upd.completed_future": (
        "Ngày hoàn thành không được sau ngày hôm nay.",
        "The completion date cannot be after today.",
    ),
    "upd.completed_not_done": (
        "Chỉ ghi ngày hoàn thành khi nhiệm vụ đã hoàn thành.",
        "A completion date goes only with a task that is done.",
    ),
    "upd.note_long": ("Ghi chú dài quá {n} ký tự.", "The note is longer than {n} characters."),
    "upd.note_empty": ("Hãy nhập nội dung ghi chú.", "Write the note first."),
    "upd.no_task": ("Không tìm thấy nhiệm vụ.", "The task was not found."),
    "upd.task_conflict": (
        "Nhiệm vụ này vừa được cập nhật trong lúc bạn sửa. Dữ liệu hiện tại đã được tải lại; "
        "hãy xem và lưu lại nếu vẫn muốn thay đổi.",
        "This task was updated while you were editing it. The current data has been reloaded; "
        "check it and save again if you still want the change.",
    ),
    "upd.task_conflict_by": (
        "Nhiệm vụ này vừa được cập nhật bởi {who} trong lúc bạn sửa. Dữ liệu hiện tại đã được tải lại; "
        "hãy xem và lưu lại nếu vẫn muốn thay đổi.",
        "This task was updated by {who} while you were editing it. The current data has been reloaded; "
        "check it and save again if you still want the change.",
    ),
    "fig.not_finite": ("số liệu phải là số hữu hạn", "figures must be finite numbers"),
    "fig.too_large": ("số liệu quá lớn (tối đa {max})", "the figure is too large (at most {max})"),
    "fig.need_both": ("cần nhập tử số và mẫu số", "enter both the numerator and the denominator"),
    "fig.lacks": ("thiếu {what}", "the {what} is missing"),
    "fig.negative": ("{what} không được âm (đã nhập {value})", "the {what} cannot be negative ({value} entered)"),
    "fig.whole": (
        "{what} là số đếm nên phải là số nguyên (đã nhập {value})",
        "the {what} is a count and must be a whole number ({value} entered)",
    ),
    "fig.zero_denominator": ("mẫu số phải lớn hơn 0", "the denominator must be above 0"),
    "fig.over": (
        "tử số ({numerator}) lớn hơn mẫu số ({denominator})",
        "the numerator ({numerator}) is larger than the denominator ({denominator})",
    ),
    "fig.need_value": ("cần nhập giá trị", "enter the value"),
    "fig.percent": (
        "giá trị phần trăm phải từ 0 đến 100 (đã nhập {value})",
        "a percentage must be from 0 to 100 ({value} entered)",
    ),
    "fig.in_kpi": ("Chỉ tiêu {code}: {problem}.", "KPI {code}: {problem}."),
    "fig.source_fed": (
        "Chỉ tiêu {code} được cập nhật tự động từ {source}; không nhập tay số liệu này.",
        "KPI {code} is fed automatically by {source}; its figures are not typed by hand.",
    ),
    "fig.none": ("Chưa nhập số liệu nào.", "No figure was entered."),
    "fig.not_yours": ("Chỉ tiêu này không do đơn vị của bạn báo cáo.", "Your agency does not report this KPI."),
    "fig.conflict_new": (
        "Số liệu chỉ tiêu {code} tháng {month} vừa được người khác nhập cùng lúc. "
        "Hãy tải lại số liệu hiện tại rồi lưu lại.",
        "Someone else entered KPI {code} for {month} at the same moment. Reload the current figures and save again.",
    ),
    "fig.conflict": (
        "Số liệu chỉ tiêu {code} tháng {month} vừa được {who} cập nhật trong lúc bạn nhập. "
        "Số liệu hiện tại đã được tải lại; hãy kiểm tra rồi lưu lại.",
        "{who} updated KPI {code} for {month} while you were typing. The current figures have been reloaded; "
        "check them and save again.",
    ),
    # --- permissions (dashboard.accounts.permissions) ---
    # --- the monthly cycle: submit, approve, return, lock, reopen -------------------------------------------
    "perm.view_only_submit": (
        "Tài khoản của bạn chỉ được xem, không gửi báo cáo tháng.",
        "Your account may only view, not submit a monthly report.",
    ),
    "perm.secretariat_only": (
        "Chỉ cơ quan thường trực (Sở Khoa học và Công nghệ) hoặc quản trị viên mới duyệt báo cáo tháng.",
        "Only the standing agency (Department of Science and Technology) or an admin approves monthly reports.",
    ),
    "perm.not_own_approval": (
        "Không tự duyệt báo cáo của đơn vị mình; quản trị viên sẽ duyệt.",
        "You cannot approve your own agency's report; an admin will.",
    ),
    "perm.reopen_admin": (
        "Chỉ quản trị viên mới mở lại được tháng đã khoá.",
        "Only an admin can reopen a locked month.",
    ),
    "perm.leader_only": (
        "Chỉ lãnh đạo (hoặc quản trị viên) mới ghi ý kiến chỉ đạo.",
        "Only a leader (or an admin) writes directives.",
    ),
    "perm.answer_own": (
        "Chỉ đơn vị được giao mới trả lời ý kiến chỉ đạo này.",
        "Only the agency it is addressed to answers this directive.",
    ),
    "cycle.locked": (
        "Tháng {month} đã khoá, không sửa được nữa. Chỉ quản trị viên ({admins}) mở lại được, kèm lý do.",
        "{month} is locked and can no longer be changed. Only an admin ({admins}) can reopen it, with a reason.",
    ),
    "cycle.nothing": (
        "Chưa có số liệu hay báo cáo nhiệm vụ nào của tháng {month} để gửi.",
        "There are no figures or task reports for {month} to submit yet.",
    ),
    "cycle.already_submitted": (
        "Báo cáo tháng {month} đã gửi, đang chờ duyệt.",
        "The report for {month} is already submitted and waits for approval.",
    ),
    "cycle.no_report": ("Không tìm thấy báo cáo tháng này.", "No such monthly report."),
    "cycle.changed": (
        "Báo cáo vừa được người khác xử lý; tải lại trang để xem.",
        "Someone else has just handled this report; reload the page.",
    ),
    "cycle.not_submitted": (
        "Báo cáo tháng {month} không ở trạng thái chờ duyệt.",
        "The report for {month} is not waiting for approval.",
    ),
    "cycle.reason_needed": ("Cần ghi lý do.", "A reason is required."),
    "cycle.not_locked": ("Tháng {month} chưa khoá.", "{month} is not locked."),
    "cycle.state.none": ("Chưa gửi", "Not submitted"),
    "cycle.state.submitted": ("Đã gửi, chờ duyệt", "Submitted, awaiting approval"),
    "cycle.state.approved": ("Đã duyệt", "Approved"),
    "cycle.state.returned": ("Bị trả lại", "Returned"),
    "cycle.state.reopened": ("Đã mở lại", "Reopened"),
    "cycle.locked_badge": ("Đã khoá", "Locked"),
    "cycle.open_until": ("Sửa được đến {date}", "Open for changes until {date}"),
    "cycle.month_title": ("Báo cáo tháng {month}", "Monthly report {month}"),
    "cycle.submit": ("Gửi báo cáo tháng {month}", "Submit the report for {month}"),
    "cycle.submitted_ok": ("Đã gửi báo cáo tháng {month} cho cơ quan thường trực.", "The report for {month} was sent."),
    "cycle.reason": ("Lý do: {reason}", "Reason: {reason}"),
    "cycle.pending_badge": ("Chờ duyệt", "Awaiting approval"),
    "cycle.pending_line": (
        "Chờ duyệt: {months} báo cáo tháng · {figures} số liệu · {tasks} báo cáo nhiệm vụ (chưa tính vào số liệu trên)",
        "Awaiting approval: {months} monthly reports · {figures} figures · {tasks} task reports (not counted above)",
    ),
    "approvals.title": ("Duyệt báo cáo tháng", "Approve monthly reports"),
    "approvals.none": ("Không có báo cáo nào chờ duyệt.", "No report is waiting for approval."),
    "approvals.agency": ("Đơn vị", "Agency"),
    "approvals.month": ("Tháng", "Month"),
    "approvals.sent": ("Gửi lúc", "Sent"),
    "approvals.holds": ("Nội dung", "Contents"),
    "approvals.holds_text": ("{figures} số liệu, {tasks} báo cáo nhiệm vụ", "{figures} figures, {tasks} task reports"),
    "approvals.approve": ("Duyệt", "Approve"),
    "approvals.return": ("Trả lại", "Return"),
    "approvals.reason": ("Lý do trả lại / mở lại", "Reason to return / reopen"),
    "approvals.approved_ok": (
        "Đã duyệt báo cáo tháng {month} của {agency}.",
        "Approved {agency}'s report for {month}.",
    ),
    "approvals.returned_ok": (
        "Đã trả lại báo cáo tháng {month} của {agency}.",
        "Returned {agency}'s report for {month}.",
    ),
    "approvals.reopen_title": ("Mở lại tháng đã khoá", "Reopen a locked month"),
    "approvals.reopen": ("Mở lại", "Reopen"),
    "approvals.reopened_ok": ("Đã mở lại tháng {month} cho {agency}.", "Reopened {month} for {agency}."),
    "approvals.choose_agency": ("Chọn đơn vị", "Choose an agency"),
    "approvals.audit": ("Nhật ký duyệt", "Approval log"),
    "audit.month.submit": ("Gửi báo cáo tháng", "Submitted the month"),
    "audit.month.approve": ("Duyệt báo cáo tháng", "Approved the month"),
    "audit.month.return": ("Trả lại báo cáo tháng", "Returned the month"),
    "audit.month.reopen": ("Mở lại tháng đã khoá", "Reopened the locked month"),
    "audit.directive.create": ("Ghi ý kiến chỉ đạo", "Wrote a directive"),
    "audit.directive.answer": ("Trả lời ý kiến chỉ đạo", "Answered a directive"),
    # --- notices (the bell, and mail) ----------------------------------------------------------------------
    "notice.remind_before": (
        "Nhắc: còn {days} ngày đến hạn báo cáo tháng {month} ({deadline}); {agency} chưa gửi báo cáo.",
        "Reminder: {days} days to the {month} report deadline ({deadline}); {agency} has not submitted yet.",
    ),
    "notice.report_missing": (
        "{agency} chưa gửi báo cáo tháng {month}, đã quá hạn {deadline}.",
        "{agency} has not submitted its {month} report; the deadline {deadline} has passed.",
    ),
    "notice.digest": (
        "Tổng hợp tuần: {agency} có {overdue} nhiệm vụ quá hạn và {soon} nhiệm vụ đến hạn trong 14 ngày.",
        "Weekly digest: {agency} has {overdue} overdue tasks and {soon} tasks due within 14 days.",
    ),
    "notice.briefing": ("Báo cáo tóm tắt tháng {month} đã sẵn sàng.", "The briefing for {month} is ready."),
    "notice.submitted": (
        "{agency} đã gửi báo cáo tháng {month}, chờ duyệt.",
        "{agency} submitted {month}, to approve.",
    ),
    "notice.approved": ("Báo cáo tháng {month} đã được duyệt ({by}).", "Your {month} report was approved ({by})."),
    "notice.returned": (
        "Báo cáo tháng {month} bị trả lại ({by}). Lý do: {reason}",
        "Your {month} report was returned ({by}). Reason: {reason}",
    ),
    "notice.reopened": (
        "Tháng {month} đã được mở lại để sửa ({by}). Lý do: {reason}",
        "{month} was reopened for changes ({by}). Reason: {reason}",
    ),
    "notice.directive": ("Ý kiến chỉ đạo mới ({by}): {text}", "New directive ({by}): {text}"),
    "notice.answered": ("{agency} đã trả lời ý kiến chỉ đạo: {text}", "{agency} answered the directive: {text}"),
    "notice.title": ("Thông báo", "Notices"),
    "notice.none": ("Chưa có thông báo nào.", "No notices yet."),
    "notice.mark_all": ("Đánh dấu đã đọc tất cả", "Mark all read"),
    "notice.unread": ("{n} thông báo chưa đọc", "{n} unread notices"),
    "notice.mail_footer": (
        "Thư gửi tự động từ trang theo dõi KPI của Ban Chỉ đạo. Không muốn nhận thư: chọn trong trang Thông báo.",
        "Sent automatically by the steering committee's KPI site. To stop these mails, say so on the Notices page.",
    ),
    "notice.mail_title": ("Nhận thông báo qua thư điện tử", "Notices by e-mail"),
    "notice.opt_out": ("Không nhận thư", "No mail, thanks"),
    "notice.mail_save": ("Lưu", "Save"),
    "notice.mail_saved": ("Đã lưu.", "Saved."),
    "notice.bad_email": ("Địa chỉ thư không hợp lệ: {email}", "Not a valid e-mail address: {email}"),
    "nav_approvals": ("Duyệt", "Approvals"),
    # --- directives ------------------------------------------------------------------------------------------
    "dir.title": ("Ý kiến chỉ đạo", "Directives"),
    "dir.none": ("Chưa có ý kiến chỉ đạo.", "No directives."),
    "dir.write": ("Ghi ý kiến chỉ đạo", "Write a directive"),
    "dir.subject": ("Về", "About"),
    "dir.subject.agency": ("Đơn vị nói chung", "The agency in general"),
    "dir.text": ("Nội dung chỉ đạo", "Directive"),
    "dir.due": ("Hạn trả lời", "Answer by"),
    "dir.send": ("Gửi chỉ đạo", "Send"),
    "dir.sent_ok": ("Đã gửi ý kiến chỉ đạo đến {agency}.", "The directive was sent to {agency}."),
    "dir.answer": ("Trả lời", "Answer"),
    "dir.answer_send": ("Gửi trả lời", "Send the answer"),
    "dir.answered_ok": ("Đã gửi trả lời.", "The answer was sent."),
    "dir.answered_by": ("Trả lời ({by}, {at}): {text}", "Answer ({by}, {at}): {text}"),
    "dir.waiting": ("Chưa trả lời", "Not answered"),
    "dir.overdue": ("Quá hạn trả lời", "Answer overdue"),
    "dir.by": ("{by}, {at}", "{by}, {at}"),
    "dir.due_on": ("hạn {date}", "due {date}"),
    "dir.text_empty": ("Cần ghi nội dung.", "Write something first."),
    "dir.no_subject": ("Không tìm thấy nhiệm vụ/chỉ tiêu này của đơn vị.", "No such task or KPI of this agency."),
    "dir.already": ("Ý kiến chỉ đạo này đã được trả lời.", "This directive has already been answered."),
    "dir.due_past": ("Hạn trả lời phải từ hôm nay trở đi.", "The answer date must be today or later."),
    "dir.due_bad": ("Hạn trả lời không phải một ngày (dd/mm/yyyy).", "The answer date is not a date (dd/mm/yyyy)."),
    "imp.w.bad_path": (
        "{where}: không đọc được '{text}' (giá trị cơ sở là một số, ngày dạng dd/mm/yyyy, mốc quý dạng '40; 55; 70').",
        "{where}: cannot read '{text}' (a baseline is a number, a date dd/mm/yyyy, milestones like '40; 55; 70').",
    ),
    "flag.directive": ("Chỉ đạo quá hạn chưa trả lời", "Overdue unanswered directive"),
    "perm.view_only_update": (
        "Tài khoản này chỉ được xem, không được cập nhật.",
        "This account may only view, not update.",
    ),
    "perm.lead_only": (
        "Chỉ cơ quan chủ trì được cập nhật trạng thái và tiến độ nhiệm vụ này.",
        "Only the lead agency may update this task's status and progress.",
    ),
    "perm.view_only_note": (
        "Tài khoản này chỉ được xem, không được ghi chú.",
        "This account may only view, not write notes.",
    ),
    "perm.not_in_task": ("Đơn vị của bạn không tham gia nhiệm vụ này.", "Your agency takes no part in this task."),
    "perm.view_only_figures": (
        "Tài khoản này chỉ được xem, không được báo cáo số liệu.",
        "This account may only view, not report figures.",
    ),
    "perm.own_figures": (
        "Bạn chỉ được báo cáo số liệu của đơn vị mình.",
        "You may report only your own agency's figures.",
    ),
    "perm.admin_only": ("Chỉ quản trị viên được làm việc này.", "Only an administrator may do this."),
    "perm.plan": ("Bạn không được xem kế hoạch này.", "You may not see this plan."),
    "perm.own_agency": ("Bạn chỉ xem được việc của đơn vị mình.", "You may see only your own agency's work."),
    "perm.other_province": ("Đơn vị này thuộc tỉnh khác.", "This agency belongs to another province."),
    # --- accounts (dashboard.accounts.users) ---
    "acc.password_short": ("Mật khẩu phải có ít nhất {n} ký tự.", "The password must have at least {n} characters."),
    "acc.username_chars": (
        "Tên đăng nhập chỉ gồm chữ, số, dấu chấm, gạch dưới hoặc gạch ngang.",
        "A username holds only letters, digits, dots, underscores or hyphens.",
    ),
    "acc.role": ("Vai trò không hợp lệ: {role}.", "Invalid role: {role}."),
    "acc.agency_needed": (
        "Tài khoản đơn vị phải gắn với một đơn vị có trong danh mục.",
        "An agency account must belong to an agency of the directory.",
    ),
    "acc.username_taken": ("Tên đăng nhập '{username}' đã có.", "The username '{username}' is taken."),
    "acc.self_lock": ("Không thể tự khóa tài khoản của mình.", "You cannot lock your own account."),
    "acc.wrong_password": ("Mật khẩu hiện tại không đúng.", "The current password is wrong."),
    "acc.same_password": (
        "Mật khẩu mới phải khác mật khẩu hiện tại.",
        "The new password must differ from the current one.",
    ),
    "acc.no_user": ("Không tìm thấy tài khoản.", "The account was not found."),
    "acc.kiosk_name": (
        "Hãy đặt tên cho màn hình (ví dụ: Phòng điều hành UBND tỉnh).",
        "Name the screen (for example: the provincial operations room).",
    ),
    "acc.no_kiosk": ("Không tìm thấy mã màn hình.", "The wall-screen code was not found."),
    "acc.admin_only": ("Chỉ quản trị viên được tạo tài khoản.", "Only an administrator may create accounts."),
    "acc.no_plan": ("Không tìm thấy kế hoạch.", "The plan was not found."),
    "acc.choose_user": ("Hãy chọn tài khoản.", "Choose an account."),
    "acc.choose_plan": ("Chưa chọn kế hoạch.", "No plan is chosen."),
    "acc.passwords_differ": ("Hai lần nhập mật khẩu mới không khớp.", "The two new passwords differ."),
    # --- sign-in pages (dashboard.accounts.auth) ---
    "auth.sign_in": ("Đăng nhập", "Sign in"),
    "auth.password": ("Mật khẩu", "Password"),
    "auth.remember": ("Ghi nhớ đăng nhập trên máy này (30 ngày)", "Keep me signed in on this computer (30 days)"),
    "auth.wrong": ("Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password."),
    "auth.too_many": (
        "Bạn đã thử đăng nhập quá nhiều lần. Hãy đợi một phút rồi thử lại.",
        "Too many sign-in attempts. Wait a minute and try again.",
    ),
    "auth.expired_form": (
        "Trang đã mở quá lâu hoặc không gửi từ trang này. Hãy thử lại.",
        "The page was open too long or the form did not come from it. Try again.",
    ),
    "auth.bad_kiosk": (
        "Mã màn hình không hợp lệ hoặc đã bị thu hồi. Hãy liên hệ quản trị viên.",
        "This wall-screen code is invalid or was revoked. Ask the administrator.",
    ),
    "auth.stay": ("Ở lại", "Stay"),
    "auth.password_changed": ("Đã đổi mật khẩu.", "The password was changed."),
    "auth.one_time": (
        "Mật khẩu này do quản trị viên cấp một lần: hãy đặt mật khẩu của riêng bạn trước khi dùng trang.",
        "This one-time password came from the administrator: set a password of your own before using the site.",
    ),
    "auth.current_password": ("Mật khẩu hiện tại", "Current password"),
    "auth.new_password": ("Mật khẩu mới (ít nhất 8 ký tự)", "New password (at least 8 characters)"),
    "auth.again": ("Nhập lại mật khẩu mới", "The new password again"),
    "auth.home": ("Về trang chính", "Back to the site"),
    # --- administration (layouts.admin, callbacks.admin) ---
    "adm.accounts": ("Tài khoản", "Accounts"),
    "adm.create": ("Tạo tài khoản", "Create an account"),
    "adm.full_name": ("Họ tên", "Full name"),
    "adm.role": ("Vai trò", "Role"),
    "adm.agency_for": ("Đơn vị (với tài khoản đơn vị)", "Agency (for an agency account)"),
    "adm.password": ("Mật khẩu (ít nhất 8 ký tự)", "Password (at least 8 characters)"),
    "adm.reset_title": ("Đặt lại mật khẩu", "Reset a password"),
    "adm.new_password": ("Mật khẩu mới", "New password"),
    "adm.reset": ("Đặt lại", "Reset"),
    "adm.kiosks": ("Mã màn hình lớn (kiosk)", "Wall-screen codes (kiosk)"),
    "adm.kiosk_name": ("Tên màn hình, vd. Phòng điều hành UBND tỉnh", "Screen name, e.g. provincial operations room"),
    "adm.kiosk_create": ("Tạo mã", "Create a code"),
    "adm.import": ("Nhập kế hoạch", "Import a plan"),
    "adm.import_province": ("Tỉnh (nếu văn bản không ghi)", "Province (when the document does not say)"),
    "adm.import_year": ("Năm (nếu văn bản không ghi)", "Year (when the document does not say)"),
    "adm.choose_plan_file": ("chọn tệp kế hoạch", "choose a plan file"),
    "adm.save_plan": ("Lưu kế hoạch", "Save the plan"),
    "adm.accounts_create": ("Tạo tài khoản các đơn vị", "Create the agencies’ accounts"),
    "adm.plan_kiosk": ("Tạo mã màn hình tường", "Create a wall-screen code"),
    "adm.refresh_title": ("Làm mới dữ liệu từ các nguồn", "Refresh data from the sources"),
    "adm.refresh_help": (
        "Các nguồn SQL được lấy tự động theo lịch; bấm để lấy ngay.",
        "SQL sources are pulled on a schedule; press to pull them now.",
    ),
    "adm.refresh_all": ("Làm mới tất cả nguồn ngay", "Refresh every source now"),
    "adm.history": ("Lịch sử quản trị", "Administration history"),
    "adm.no_users": ("Chưa có tài khoản.", "No accounts yet."),
    "adm.active": ("Hoạt động", "Active"),
    "adm.locked": ("Đã khóa", "Locked"),
    "adm.no_kiosks": ("Chưa có mã màn hình nào.", "No wall-screen codes yet."),
    "adm.never_used": ("chưa dùng", "never used"),
    "adm.revoked": ("Đã thu hồi", "Revoked"),
    "adm.in_use": ("Đang dùng", "In use"),
    "adm.revoke": ("Thu hồi", "Revoke"),
    "adm.no_runs": ("Chưa có lần làm mới nào.", "No refresh yet."),
    "adm.details": ("Chi tiết", "Details"),
    "adm.unchanged": ("(không đổi)", "(no change)"),
    "adm.all_have_accounts": ("Mọi đơn vị của kế hoạch đã có tài khoản.", "Every agency of the plan has an account."),
    "adm.lock": ("Khóa", "Lock"),
    "adm.unlock": ("Mở khóa", "Unlock"),
    "adm.kiosks_help": (
        "Mỗi màn hình TV dùng một mã riêng: mở /wall?token=… một lần, màn hình tự đăng nhập, chỉ xem được màn hình "
        "lớn. Thu hồi mã khi không dùng nữa.",
        "Each TV screen has a code of its own: open /wall?token=… once and the screen signs itself in, to the wall "
        "screen only. Revoke a code that is no longer used.",
    ),
    "adm.import_help": (
        "Văn bản kế hoạch như tỉnh ban hành (.docx, .pdf có lớp chữ, .txt UTF-8) hoặc mẫu .xlsx/.csv. Trang cho xem "
        "trước những gì sẽ thêm, sửa, rút khỏi kế hoạch; chỉ lưu khi bấm Lưu. Nhập lại cùng văn bản sẽ cập nhật, "
        "không tạo trùng. Tệp lỗi không làm thay đổi dữ liệu.",
        "The plan as the province issued it (.docx, .pdf with a text layer, UTF-8 .txt) or the .xlsx/.csv template. "
        "The page first shows what would be added, changed or withdrawn; nothing is saved until you press Save. "
        "Importing the same document again updates it without duplicates. A faulty file changes nothing.",
    ),
    "adm.next_steps": (
        "Tiếp theo: tạo tài khoản cho mọi đơn vị chủ trì hoặc phối hợp một nhiệm vụ của kế hoạch (mật khẩu dùng một "
        "lần, phải đổi khi đăng nhập lần đầu) và một mã màn hình tường.",
        "Next: create accounts for every agency that leads or supports a task of the plan (one-time passwords, "
        "changed at the first sign-in) and a wall-screen code.",
    ),
    "adm.screen": ("Màn hình", "Screen"),
    "adm.created_on": ("Tạo ngày", "Created on"),
    "adm.last_used": ("Dùng lần cuối", "Last used"),
    "adm.source": ("Nguồn", "Source"),
    "adm.started": ("Bắt đầu", "Started"),
    "adm.duration": ("Thời gian", "Duration"),
    "adm.rows_read": ("Số dòng đọc", "Rows read"),
    "adm.rows_changed": ("Số dòng thay đổi", "Rows changed"),
    "adm.result": ("Kết quả", "Result"),
    "adm.error": ("Lỗi", "Error"),
    "run.ok": ("✔ thành công", "✔ succeeded"),
    "run.error": ("✖ lỗi", "✖ failed"),
    "run.running": ("… đang chạy", "… running"),
    "adm.preview_counts": (
        "{what}: thêm {added}, sửa {changed}, rút {withdrawn}",
        "{what}: {added} added, {changed} changed, {withdrawn} withdrawn",
    ),
    "adm.preview_of": (
        "Xem trước {source} → kế hoạch {plan} ({province}, {year}); chưa lưu gì.",
        "Preview of {source} → plan {plan} ({province}, {year}); nothing saved yet.",
    ),
    "adm.new_agencies": ("Đơn vị chưa có trong danh mục: ", "Agencies not yet in the directory: "),
    "adm.findings": ("Cảnh báo ({n})", "Warnings ({n})"),
    "adm.accounts_made": (
        "Đã tạo {n} tài khoản cho kế hoạch {plan}. Mật khẩu chỉ hiện một lần (đã tải bảng về máy); mỗi đơn vị phải "
        "đổi mật khẩu khi đăng nhập lần đầu.",
        "{n} accounts created for plan {plan}. The passwords are shown only this once (the sheet was downloaded); "
        "each agency must change its password at the first sign-in.",
    ),
    "adm.created_user": ("Đã tạo tài khoản {name}.", "Account {name} created."),
    "adm.locked_user": ("Đã khóa tài khoản {name}.", "Account {name} locked."),
    "adm.unlocked_user": ("Đã mở khóa tài khoản {name}.", "Account {name} unlocked."),
    "adm.reset_done": ("Đã đặt lại mật khẩu cho {name}.", "Password of {name} reset."),
    "adm.kiosk_made": (
        "Mã cho màn hình “{name}” (chỉ hiện một lần): ",
        "Code for the screen “{name}” (shown only once): ",
    ),
    "adm.kiosk_revoked": ("Đã thu hồi mã của màn hình “{name}”.", "The code of the screen “{name}” was revoked."),
    "adm.no_sources": (
        "Chưa cấu hình nguồn dữ liệu nào (SOURCES_FILE).",
        "No data source is configured (SOURCES_FILE).",
    ),
    "adm.run_line": ("{source}: {result} ({n} dòng thay đổi)", "{source}: {result} ({n} rows changed)"),
    "adm.import_cancelled": ("Đã hủy; không có gì được lưu.", "Cancelled; nothing was saved."),
    "adm.plan_screen": ("Màn hình {province}", "{province} screen"),
    "adm.plan_kiosk_link": (
        "Mở liên kết này một lần trên TV (chỉ hiện lúc này): ",
        "Open this link once on the TV (shown only now): ",
    ),
    "adm.bad_upload": ("{name}: tệp hoặc năm không hợp lệ", "{name}: invalid file or year"),
    "adm.refused": (
        "{problem} — không có gì được nhập, dữ liệu giữ nguyên.",
        "{problem} — nothing was imported; the data is unchanged.",
    ),
    # --- the PDF briefing (layouts.briefing) ---
    "pdf.title": ("Báo cáo tình hình thực hiện {plan}", "Progress report on {plan}"),
    "pdf.demo": (
        "Dữ liệu mẫu (demo): các số liệu dưới đây do máy tạo ra để trình diễn.",
        "Demo data: the figures below were generated for demonstration.",
    ),
    "pdf.headline": ("1. Các chỉ tiêu chủ yếu", "1. Headline KPIs"),
    "pdf.kpis": ("2. Chỉ tiêu so với mục tiêu", "2. KPIs against their targets"),
    "pdf.assessment": ("Đánh giá", "Assessment"),
    "pdf.flags": ("3. Cảnh báo ({n}), theo đơn vị", "3. Red flags ({n}), by agency"),
    "pdf.no_agency": ("Chưa rõ đơn vị", "Agency unknown"),
    "pdf.quarters": ("4. Tiến độ theo quý", "4. Progress by quarter"),
    "pdf.task_counts": ("{n} nhiệm vụ, trong đó {dated} có thời hạn: ", "{n} tasks, {dated} of them with a date: "),
    "pdf.agency": ("Đơn vị: {name}", "Agency: {name}"),
    "pdf.agency_counts": (
        "Nhiệm vụ chủ trì: {lead}; phối hợp: {coordinating}; cảnh báo: {flags}",
        "Tasks led: {lead}; supported: {coordinating}; red flags: {flags}",
    ),
    "pdf.target": ("mục tiêu", "target"),
    "pdf.page": ("Trang {n}", "Page {n}"),
    "pdf.doc_title": ("Báo cáo tình hình thực hiện - {province}", "Progress report - {province}"),
    "report_legend": (
        "✔ đúng hạn ({deadline}) · ◷ nộp muộn · ✖ chưa nộp",
        "✔ on time ({deadline}) · ◷ late · ✖ missing",
    ),
    # --- the figures template (dashboard.exports.figures_template) ---
    "wb.unpacks": (
        "tệp giải nén ra {mb} MB, vượt giới hạn {max} MB; hãy dùng mẫu của trang",
        "the file unpacks to {mb} MB, over the limit of {max} MB; use the page's template",
    ),
    "wb.too_many": (
        "tệp có hơn {rows} dòng hoặc {cells} ô; quá lớn để đọc",
        "the file has more than {rows} rows or {cells} cells; too large to read",
    ),
    "tpl.sheet": ("Số liệu", "Figures"),
    "tpl.info_sheet": ("Thông tin", "Information"),
    "tpl.code": ("Mã chỉ tiêu", "KPI code"),
    "tpl.name": ("Tên chỉ tiêu", "KPI name"),
    "tpl.kind": ("Loại", "Kind"),
    "tpl.system_id": ("Mã hệ thống", "System id"),
    "tpl.agency": ("Đơn vị", "Agency"),
    "tpl.agency_id": ("Mã đơn vị", "Agency id"),
    "tpl.month": ("Tháng", "Month"),
    "tpl.help_title": ("Hướng dẫn", "How to fill it in"),
    "tpl.help": (
        "Nhập tử số và mẫu số cho chỉ tiêu tỷ lệ, hoặc giá trị cho chỉ tiêu khác, ở trang 'Số liệu'. Không sửa cột "
        "Mã chỉ tiêu. Chỉ tiêu ghi 'Tự động' do hệ thống cập nhật: để trống.",
        "Enter the numerator and denominator of a ratio KPI, or the value of any other KPI, on the 'Figures' sheet. "
        "Do not change the KPI code column. A KPI marked 'Automatic' is fed by the system: leave it blank.",
    ),
    "tpl.fed": ("Tự động ({source}): không nhập", "Automatic ({source}): leave blank"),
    "tpl.ratio": ("Tỷ lệ", "Ratio"),
    "tpl.bad_agency": (
        "{file}, trang '{sheet}': mã đơn vị '{value}' không hợp lệ.",
        "{file}, sheet '{sheet}': agency id '{value}' is not valid.",
    ),
    "tpl.bad_month": (
        "{file}, trang '{sheet}': tháng '{value}' phải viết MM/YYYY.",
        "{file}, sheet '{sheet}': month '{value}' must be written MM/YYYY.",
    ),
    "tpl.no_sheet": ("{file}: không có trang '{sheet}'.", "{file}: there is no sheet '{sheet}'."),
    "tpl.empty_sheet": ("{file}, trang '{sheet}': trang trống.", "{file}, sheet '{sheet}': the sheet is empty."),
    "tpl.no_column": (
        "{file}, trang '{sheet}': thiếu cột '{column}'.",
        "{file}, sheet '{sheet}': the column '{column}' is missing.",
    ),
    "tpl.repeated": (
        "Chỉ tiêu {code} đã có ở dòng {first}; mỗi chỉ tiêu chỉ ghi một dòng.",
        "KPI {code} is already on row {first}; each KPI takes one row.",
    ),
    "tpl.not_numbers": (
        "Chỉ tiêu {code}: tử số, mẫu số và giá trị phải là số.",
        "KPI {code}: numerator, denominator and value must be numbers.",
    ),
    "tpl.not_reported": (
        "Mã chỉ tiêu '{code}' không thuộc các chỉ tiêu đơn vị báo cáo.",
        "KPI code '{code}' is not among the KPIs the agency reports.",
    ),
    "tpl.empty_file": ("{file}: tệp rỗng.", "{file}: the file is empty."),
    "tpl.too_big": (
        "{file}: tệp quá lớn ({kb} KB; tối đa {max} KB).",
        "{file}: the file is too large ({kb} KB; at most {max} KB).",
    ),
    "tpl.file_problem": ("{file}: {problem}.", "{file}: {problem}."),
    "tpl.unreadable": (
        "{file}: không phải tệp Excel .xlsx đọc được; hãy dùng mẫu tải về từ trang này.",
        "{file}: not a readable Excel .xlsx file; use the template downloaded from this page.",
    ),
    "tpl.other_agency": (
        "{file}: mẫu này của đơn vị khác; hãy tải mẫu của đơn vị mình.",
        "{file}: this template belongs to another agency; download your agency's own.",
    ),
    "tpl.other_month": (
        "{file}: mẫu này cho tháng {month}, không phải tháng {chosen} đang chọn.",
        "{file}: this template is for {month}, not for the chosen month {chosen}.",
    ),
    "tpl.no_figures": (
        "{file}: chưa có số liệu nào trong trang '{sheet}'.",
        "{file}: the sheet '{sheet}' holds no figures yet.",
    ),
    # --- plan import refusals (dashboard.importers) ---
    "imp.at_line": ("{file}, dòng {line}", "{file}, line {line}"),
    "imp.in_sheet": ("{file}, trang '{sheet}'", "{file}, sheet '{sheet}'"),
    "imp.at_sheet_row": ("{file}, trang '{sheet}', dòng {row}", "{file}, sheet '{sheet}', row {row}"),
    "imp.no_file": ("{file}: không có tệp này", "{file}: no such file"),
    "imp.folder": ("{file}: là thư mục, không phải tệp kế hoạch", "{file}: is a folder, not a plan file"),
    "imp.too_big": (
        "{file}: tệp nặng {mb} MB; tệp kế hoạch tối đa {max} MB",
        "{file}: the file is {mb} MB; plans are at most {max} MB",
    ),
    "imp.empty": ("{file}: tệp rỗng", "{file}: the file is empty"),
    "imp.no_province": (
        "{file}: không xác định được tỉnh; hãy ghi tên tỉnh (--province)",
        "{file}: cannot tell the province; pass --province NAME",
    ),
    "imp.no_year": (
        "{file}: không xác định được năm kế hoạch; hãy ghi năm (--year)",
        "{file}: cannot tell the plan year; pass --year N",
    ),
    "imp.bad_year": (
        "{file}: năm kế hoạch {year} không phải năm của thế kỷ này",
        "{file}: the plan year {year} is not a year of this century",
    ),
    "imp.too_long": (
        "{where}: {what} dài {n} ký tự; tối đa {max}",
        "{where}: {what} is {n} characters long; at most {max} fit",
    ),
    "imp.field.document_number": ("số hiệu văn bản", "the document number"),
    "imp.field.document_type": ("loại văn bản", "the document type"),
    "imp.field.issuing_body": ("cơ quan ban hành", "the issuing body"),
    "imp.field.province_name": ("tên tỉnh", "the province name"),
    "imp.pdf_password": (
        "{file}: tệp PDF có mật khẩu; hãy lưu lại bản không có mật khẩu",
        "{file}: the PDF is protected by a password; save it without one",
    ),
    "imp.pdf_unreadable": ("{file}: không đọc được tệp PDF ({cause})", "{file}: not a readable PDF ({cause})"),
    "imp.pdf_pages": (
        "{file}: {n} trang; một kế hoạch có tối đa {max} trang",
        "{file}: {n} pages; a plan has at most {max}",
    ),
    "imp.pdf_slow": (
        "{file}: đọc tệp PDF quá {s} giây (trang {page}/{pages}); hãy nhập bằng lệnh `import-plan` trên máy chủ, "
        "hoặc nhập tệp Word",
        "{file}: reading the PDF took over {s} s (page {page} of {pages}); import it with `import-plan` on the "
        "server, or import the Word file",
    ),
    "imp.pdf_no_text": (
        "{file}: tệp PDF không có lớp chữ (bản quét?); hãy nhập tệp Word hoặc PDF lưu từ tệp Word",
        "{file}: the PDF has no text layer (a scanned image?); import the Word file or a PDF saved from it",
    ),
    "imp.docx_unreadable": (
        "{file}: không đọc được tệp Word (.docx) ({cause})",
        "{file}: not a readable Word (.docx) file ({cause})",
    ),
    "imp.docx_damaged": (
        "{file}: không đọc được tệp Word (.docx) (tệp bị hỏng)",
        "{file}: not a readable Word (.docx) file (the archive is damaged)",
    ),
    "imp.docx_bomb": (
        "{file}: tài liệu giải nén ra {mb} MB (tối đa {max} MB); không phải tệp kế hoạch",
        "{file}: the document unpacks to {mb} MB (at most {max} MB); it is not a plan",
    ),
    "imp.utf16": (
        "{file}: tệp ghi là UTF-16 nhưng byte {byte} không phải ({reason}); có thể tệp bị cắt: hãy lưu lại dạng văn "
        "bản UTF-8",
        "{file}: the file says it is UTF-16 but byte {byte} is not ({reason}); it may be cut short: save it again "
        "as UTF-8 text",
    ),
    "imp.binary": (
        "{file}: đây là tệp nhị phân (PDF, Word hay Excel?), không phải kế hoạch dạng văn bản; hãy lưu văn bản dạng "
        "UTF-8 hoặc dùng mẫu .xlsx/.csv",
        "{file}: this is a binary file (PDF, Word or Excel?), not a plain-text plan; save the document as UTF-8 "
        "text, or use the .xlsx/.csv template",
    ),
    "imp.not_utf8": (
        "{where}: tệp không phải văn bản UTF-8 (byte {byte}); bảng mã cũ như TCVN3/VNI/Windows-1258 phải lưu lại "
        "dạng UTF-8 trước",
        "{where}: the file is not UTF-8 text (byte {byte}); legacy encodings such as TCVN3/VNI/Windows-1258 must be "
        "saved as UTF-8 first",
    ),
    "imp.controls": (
        "{file}: tệp chứa dữ liệu nhị phân ({n} ký tự điều khiển)",
        "{file}: the file holds binary data ({n} control characters)",
    ),
    "imp.too_many_lines": (
        "{file}: {n} dòng; một văn bản kế hoạch có nhiều nhất vài nghìn dòng",
        "{file}: {n} lines; a plan document has a few thousand at most",
    ),
    "imp.nothing": (
        "{file}: không thấy bảng chỉ tiêu hay nhiệm vụ nào (cần bảng có cột 'TT', đoạn nhiệm vụ có dòng '- Cơ quan "
        "chủ trì:', hoặc các giải pháp đánh số dưới mục 'Nhiệm vụ, giải pháp')",
        "{file}: no KPI or task table found (expected tables with a 'TT' column, task paragraphs with '- Cơ quan "
        "chủ trì:' lines, or numbered measures under a 'Nhiệm vụ, giải pháp' heading)",
    ),
    "imp.missing_columns": (
        "{where}: thiếu cột bắt buộc {columns} (xem mẫu trong README)",
        "{where}: missing required column(s) {columns} (see the template in the README)",
    ),
    "imp.file": ("{file}", "{file}"),
    "imp.too_many_rows": (
        "{file}: hơn {max} dòng; một kế hoạch có vài trăm dòng",
        "{file}: more than {max} rows; a plan has a few hundred",
    ),
    "imp.csv_broken": (
        "{where}: không đọc được tệp CSV ({cause}); có dấu ngoặc kép nào chưa đóng?",
        "{where}: the CSV cannot be read ({cause}); is a quote left open?",
    ),
    "imp.csv_no_header": ("{file}: tệp CSV không có dòng tiêu đề", "{file}: the CSV file has no header row"),
    "imp.csv_columns": (
        "{where}: thiếu cột bắt buộc — với nhiệm vụ: {tasks}; với chỉ tiêu: {kpis}",
        "{where}: missing required column(s) — for tasks: {tasks}; for KPIs: {kpis}",
    ),
    "imp.csv_no_rows": (
        "{file}: tệp CSV có dòng tiêu đề nhưng không có dữ liệu",
        "{file}: the CSV file has a header but no rows",
    ),
    "imp.xlsx_unreadable": (
        "{file}: không đọc được tệp .xlsx ({cause})",
        "{file}: not a readable .xlsx workbook ({cause})",
    ),
    "imp.no_sheets": (
        "{file}: không có trang nào tên '{kpis}' hay '{tasks}' (có: {found})",
        "{file}: no sheet named '{kpis}' or '{tasks}' (found: {found})",
    ),
    "imp.empty_sheets": (
        "{file}: trang '{kpis}' và '{tasks}' không có dòng nào",
        "{file}: the sheets '{kpis}' and '{tasks}' hold no rows",
    ),
    "imp.year_not_number": ("{where}: năm '{value}' không phải là số", "{where}: the year '{value}' is not a number"),
    "imp.no_such_date": ("{where}: ngày '{value}' không có thật", "{where}: the date '{value}' does not exist"),
    "imp.field.file_name": ("tên tệp", "the file name"),
    "imp.field.kpi_code": ("mã của chỉ tiêu '{code}'", "the code of KPI '{code}'"),
    "imp.field.kpi_unit": ("đơn vị tính của chỉ tiêu {code}", "the unit of KPI {code}"),
    "imp.field.kpi_target": ("mục tiêu của chỉ tiêu {code}", "the target of KPI {code}"),
    "imp.field.agency": ("tên đơn vị '{name}…'", "the agency name '{name}…'"),
    "imp.field.task_code": ("mã của nhiệm vụ '{code}'", "the code of task '{code}'"),
    "imp.field.task_number": ("số thứ tự của nhiệm vụ {code}", "the number of task {code}"),
    "imp.field.task_section": ("nhóm của nhiệm vụ {code}", "the section of task {code}"),
    "adm.saved_plan": (
        "Đã nhập {source} → kế hoạch {plan} ({province}, {year}).",
        "Imported {source} → plan {plan} ({province}, {year}).",
    ),
    "adm.saved_kpis": (
        "Chỉ tiêu: {n} ({new} mới, {changed} cập nhật, {removed} bỏ)",
        "KPIs: {n} ({new} new, {changed} updated, {removed} removed)",
    ),
    "adm.saved_tasks": (
        "Nhiệm vụ: {n} ({new} mới, {changed} cập nhật, {removed} bỏ, {kept} giữ lại là đã rút)",
        "Tasks: {n} ({new} new, {changed} updated, {removed} removed, {kept} kept as withdrawn)",
    ),
    # --- import warnings (the report of dashboard.importers) ---
    "imp.w.at_line": ("dòng {line}: {text}", "line {line}: {text}"),
    "imp.w.code_twice": (
        "mã {what} '{code}' xuất hiện hai lần; mã thứ hai thành '{new}'",
        "{what} code '{code}' appears twice; the second is '{new}'",
    ),
    "imp.w.kpi": ("chỉ tiêu", "KPI"),
    "imp.w.task": ("nhiệm vụ", "task"),
    "imp.w.no_target": (
        "chỉ tiêu {code} không đọc được mục tiêu ('{text}')",
        "KPI {code} has no readable target ('{text}')",
    ),
    "imp.w.guessed_rule": (
        "chỉ tiêu {code}: cách tổng hợp được đoán là '{rule}' ({why}); ghi khác đi ở cột 'Cách tổng hợp' của mẫu",
        "KPI {code}: aggregation guessed as '{rule}' ({why}); say otherwise in the template's 'Cách tổng hợp' column",
    ),
    "imp.w.kpi_no_lead": ("chỉ tiêu {code} không có cơ quan chủ trì", "KPI {code} has no lead agency"),
    "imp.w.kpi_kept": (
        "chỉ tiêu {code} không còn trong văn bản nhưng có {n} số liệu; được giữ lại",
        "KPI {code} is no longer in the document but has {n} figures; kept",
    ),
    "imp.w.task_deadline": ("nhiệm vụ {code}: {problem}", "task {code}: {problem}"),
    "imp.w.task_no_lead": ("nhiệm vụ {code} không có cơ quan chủ trì", "task {code} has no lead agency"),
    "imp.w.task_kept": (
        "nhiệm vụ {code} không còn trong văn bản nhưng có {n} lần cập nhật; được giữ lại là đã rút",
        "task {code} is no longer in the document but has {n} updates; kept as withdrawn",
    ),
    "rule.why_group": (
        "do một nhóm đơn vị chủ trì: mỗi đơn vị báo cáo phần của mình, cộng lại",
        "led by a collective group: each agency reports its own part, summed",
    ),
    "rule.why_province": (
        "một số liệu chung của tỉnh, do cơ quan chủ trì báo cáo",
        "one figure for the province, reported by its lead",
    ),
    "dl.none": ("không ghi thời hạn", "no deadline given"),
    "dl.unreadable": ("không đọc được thời hạn '{text}'", "cannot read deadline '{text}'"),
    "dl.bad_date": (
        "ngày không có thật trong thời hạn '{text}': {cause}",
        "invalid date in deadline '{text}': {cause}",
    ),
    "imp.at_row": ("{place}, dòng {row}", "{place}, row {row}"),
    "imp.w.no_name_row": ("{where}: không có tên; bỏ qua dòng", "{where}: no name; row skipped"),
    "imp.at_cell": ("{place}, dòng {row}, cột '{column}'", "{place}, row {row}, column '{column}'"),
    "imp.w.bad_target": ("{where}: không đọc được mục tiêu '{text}'", "{where}: cannot read the target '{text}'"),
    "imp.w.bad_rule": (
        "{where}: '{text}' không phải: Tỷ lệ, Cộng các đơn vị, Số liệu chung của tỉnh; được đoán",
        "{where}: '{text}' is none of: Tỷ lệ, Cộng các đơn vị, Số liệu chung của tỉnh; guessed",
    ),
    "imp.w.bad_subtarget": (
        "{where}: không đọc được chỉ tiêu thành phần '{text}' (viết ví dụ 'Cấp tỉnh ≥ 70')",
        "{where}: cannot read the sub-target '{text}' (write e.g. 'Cấp tỉnh ≥ 70')",
    ),
    "imp.w.repeat": (
        "nhiệm vụ {code} nhắc lại nhiệm vụ {kept} của phụ lục (dòng {at}); chỉ nhập một lần là {kept}",
        "task {code} repeats task {kept} of the annex (line {at}); imported once as {kept}",
    ),
    "imp.w.repeat_deadline": (
        "nhiệm vụ {code}: phụ lục ghi '{annex}', mục {section} ghi '{said}'; giữ thời hạn của phụ lục",
        "task {code}: the annex says '{annex}', section {section} says '{said}'; the annex's deadline is kept",
    ),
    "imp.w.second_number": (
        "{what} thứ hai mang số {old} trong cùng mục: nhập thành {new}",
        "a second {what} numbered {old} in the same section: imported as {new}",
    ),
    "imp.w.issue_date": ("ngày ban hành không hợp lệ '{text}'", "invalid issue date '{text}'"),
    "imp.w.stray_tabs": (
        "dòng có dấu tab nằm ngoài bảng (không có dòng tiêu đề có cột 'TT' phía trên); bỏ qua",
        "tab-separated line outside any table (no header row with 'TT' above it); skipped",
    ),
    "imp.w.orphan_row": (
        "dòng không có số thứ tự và không có dòng nào phía trên để nối tiếp; bỏ qua",
        "row without a number and no row above it to continue; skipped",
    ),
    "imp.w.bad_number": (
        "không đọc được số '{number}' ở cột TT; bỏ qua dòng",
        "cannot read the number '{number}' in the TT column; row skipped",
    ),
    "imp.w.kpi_no_name": ("chỉ tiêu {code} không có tên; bỏ qua", "KPI {code} has no name; skipped"),
    "imp.w.task_no_name": ("nhiệm vụ {code} không có tên; bỏ qua", "task {code} has no name; skipped"),
    "imp.w.prose_no_lead": (
        "{n} giải pháp viết dạng văn xuôi, không giải pháp nào ghi cơ quan chủ trì: mỗi giải pháp bị cảnh báo '06 rõ'",
        "{n} measures written as prose, none names a lead agency: each is flagged '06 rõ'",
    ),
    "imp.w.prose_no_deadline": (
        "{n} giải pháp không ghi thời hạn: mỗi giải pháp bị cảnh báo '06 rõ' cho đến khi có thời hạn",
        "{n} measures give no deadline: each is flagged '06 rõ' until one is set",
    ),
    # --- export headers ---
    "col.plan": ("Kế hoạch", "Plan"),
    "col.key": ("Mã định danh", "Key"),
    "col.deadline_kind": ("Loại thời hạn", "Deadline kind"),
    "col.start_date": ("Ngày bắt đầu", "Start date"),
    "col.due_date": ("Hạn hoàn thành", "Due date"),
    "col.status": ("Trạng thái", "Status"),
    "col.status_code": ("Trạng thái (mã)", "Status (code)"),
    "col.progress": ("Tiến độ (%)", "Progress (%)"),
    "col.national_code": ("Mã chỉ tiêu quốc gia", "National KPI code"),
    "col.national_code_short": ("Mã quốc gia", "National code"),
    "col.flag_kind": ("Loại cảnh báo", "Flag"),
    "col.content": ("Nội dung", "Subject"),
    "col.days": ("Số ngày", "Days"),
    "col.missing_months": ("Tháng thiếu báo cáo", "Months without a report"),
    "col.current_value": ("Giá trị hiện tại", "Current value"),
    "col.lacks": ("Thiếu (06 rõ)", "Lacks (06 clear)"),
    "col.target_value": ("Giá trị mục tiêu", "Target value"),
    "col.current_pct": ("Hiện tại (%)", "Current (%)"),
    "col.previous_month": ("Tháng trước", "Previous month"),
    "col.last_note": ("Ghi chú gần nhất", "Latest note"),
    "col.update_month": ("Tháng cập nhật", "Month of update"),
    "col.username": ("Tên đăng nhập", "Username"),
    "col.one_time_password": ("Mật khẩu dùng một lần", "One-time password"),
    "sheet.flags": ("Cảnh báo", "Red flags"),
    "sheet.kpis": ("Chỉ tiêu", "KPIs"),
    "sheet.accounts": ("Tài khoản", "Accounts"),
    # --- labels of codes (``label(group, code, lang)``) ---
    "status.not_started": ("Chưa triển khai", "Not started"),
    "status.in_progress": ("Đang thực hiện", "In progress"),
    "status.done": ("Hoàn thành", "Done"),
    "status.done_late": ("Hoàn thành muộn", "Done late"),
    "status.overdue": ("Quá hạn", "Overdue"),
    "status.waiting": ("Chờ hướng dẫn", "Waiting for guidance"),
    "flag.overdue": ("Quá hạn", "Overdue"),
    "flag.missing_report": ("Thiếu báo cáo tháng", "Monthly report missing"),
    "flag.kpi_below": ("Chỉ tiêu chưa đạt", "KPI below target"),
    "flag.due_soon": ("Sắp đến hạn", "Due soon"),
    "flag.unclear": ("Chưa đủ “06 rõ”", "Not “06 clear”"),
    "role.admin": ("Quản trị (Văn phòng thường trực)", "Administrator (standing office)"),
    "role.leader": ("Lãnh đạo tỉnh", "Provincial leader"),
    "role.agency": ("Đơn vị (sở, ngành, xã)", "Agency (department, commune)"),
    "role.viewer": ("Chỉ xem", "Viewer"),
    "aggregation.ratio": ("Tỷ lệ (Σ tử số / Σ mẫu số)", "Ratio (Σ numerators / Σ denominators)"),
    "aggregation.sum": ("Cộng các đơn vị", "Sum of agencies"),
    "aggregation.province": ("Số liệu chung của tỉnh", "One province figure"),
    "action.task.update": ("Cập nhật nhiệm vụ", "Task updated"),
    "action.task.note": ("Ghi chú nhiệm vụ", "Task note"),
    "action.figure.create": ("Nhập số liệu", "Figure entered"),
    "action.figure.update": ("Sửa số liệu", "Figure corrected"),
    "action.user.create": ("Tạo tài khoản", "Account created"),
    "action.user.disable": ("Khóa tài khoản", "Account locked"),
    "action.user.enable": ("Mở khóa tài khoản", "Account unlocked"),
    "action.user.reset_password": ("Đặt lại mật khẩu", "Password reset"),
    "action.user.change_password": ("Đổi mật khẩu", "Password changed"),
    "action.kiosk.create": ("Tạo mã màn hình", "Wall-screen code created"),
    "action.kiosk.revoke": ("Thu hồi mã màn hình", "Wall-screen code revoked"),
    "deadline_kind.date": ("Có hạn", "Dated"),
    "deadline_kind.recurring": ("Thường xuyên", "Recurring"),
    "deadline_kind.conditional": ("Theo điều kiện", "Conditional"),
    "deadline_kind.unknown": ("Chưa rõ", "Unclear"),
    "kpi_state.on_target": ("Đạt", "On target"),
    "kpi_state.near_target": ("Gần đạt", "Near target"),
    "kpi_state.below_target": ("Chưa đạt", "Below target"),
    "kpi_state.no_data": ("Chưa có số liệu", "No data yet"),
    "field.status": ("trạng thái", "status"),
    "field.progress": ("tiến độ", "progress"),
    "field.completed_on": ("ngày hoàn thành", "completed on"),
    "field.note": ("ghi chú", "note"),
    "field.evidence_url": ("minh chứng", "evidence"),
    "field.numerator": ("tử số", "numerator"),
    "field.denominator": ("mẫu số", "denominator"),
    "field.value": ("giá trị", "value"),
    "field.active": ("hoạt động", "active"),
    "field.version": ("phiên bản", "version"),
}

QUARTERS_VI = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Message:
    """A catalogue key and its values, translated only where it is shown."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return t(self, "vi")


def msg(key: str, **params: object) -> Message:
    """A message for ``key``; raises KeyError at once for a key the catalogue lacks."""
    if key not in TEXT:
        raise KeyError(key)
    return Message(key, params)


class Problem(Exception):
    """A refusal whose text is a catalogue message: ``text(lang)`` in either language, ``str()`` in the class's
    ``default_lang`` (Vietnamese, the site's; the importer's refusals default to the command line's English)."""

    default_lang = "vi"

    def __init__(self, key: str | Message, **params: object) -> None:
        self.message = key if isinstance(key, Message) else msg(key, **params)
        super().__init__(t(self.message, self.default_lang))

    def text(self, lang: str = "vi") -> str:
        return t(self.message, lang)


def t(key: str | Message, lang: str = "vi", **kwargs: object) -> str:
    """The text for ``key`` (or a ``Message``) in ``lang`` (Vietnamese unless "en"), formatted with its values;
    values that are messages themselves are translated too."""
    if isinstance(key, Message):
        kwargs = {**key.params, **kwargs}
        key = key.key
    vi, en = TEXT[key]
    text = en if lang == "en" else vi
    if not kwargs:
        return text
    return text.format(**{k: t(v, lang) if isinstance(v, Message) else v for k, v in kwargs.items()})


def label(group: str, value: str | None, lang: str = "vi") -> str:
    """The label of a code in a group of labels ("status", "flag", "role", "aggregation", "action", "field"):
    ``label("status", "done", "en")`` -> "Done"; an unknown code is shown as itself."""
    key = f"{group}.{value}"
    return t(key, lang) if key in TEXT else str(value or "")


def report_deadline(day: int = 25, hour: float | None = None, lang: str = "vi") -> str:
    """When monthly reports are due, in words: "trước ngày 25", "trước 16:00 ngày 25" / "by 16:00 on the 25th"."""
    at = None if hour is None or hour >= 24 else f"{int(hour):02d}:{round(hour % 1 * 60):02d}"
    if lang == "en":
        nth = f"{day}{'th' if 10 <= day % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"
        return f"by {at} on the {nth}" if at else f"by the {nth}"
    return f"trước {at} ngày {day}" if at else f"trước ngày {day}"


def quarter_label(n: int, lang: str = "vi") -> str:
    return f"Quý {QUARTERS_VI[n - 1]}" if lang != "en" else f"Q{n}"
