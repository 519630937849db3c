"""The monthly cycle through the site's own requests (as the browser sends them): a figure typed by an agency
waits on the overview as pending, the agency submits, the secretariat approves on its page, the overview counts
it; a returned month shows its reason; a leader's directive reaches the agency, and past its date unanswered it
is a red flag on the flags page and on the wall. Expected values come from the test's own numbers and SQL."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import text
from webclient import call, demo_app, find, kiosk, login, response_text

NOV = "2026-11-01"


def _page(app, client, path: str, search: str = "?plan=1") -> str:  # noqa: ANN001
    resp = call(app, client, "url", {"url.pathname": path, "url.search": search, "data-version.data": 0})
    assert resp.status_code == 200, resp.data[:300]
    return response_text(resp)


def _ids(engine) -> dict:  # noqa: ANN001
    with engine.connect() as conn:
        agency, plan = conn.execute(
            text(
                "SELECT a.id, p.id FROM app_user u JOIN agency a ON a.id = u.agency_id "
                "JOIN plan p ON p.province_id = a.province_id WHERE u.username = 'sokhcn.thainguyen'"
            )
        ).one()
        kpi = conn.execute(text("SELECT id FROM indicator WHERE plan_id = :p AND code = '3'"), {"p": plan}).scalar_one()
    return {"agency": agency, "plan": plan, "kpi": kpi, "context": {"agency_id": agency, "plan_id": plan, "lang": "vi"}}


def _pending(engine, plan: int) -> str:  # noqa: ANN001
    """The overview's pending line as it should read, counted here by SQL."""
    with engine.connect() as conn:
        months = conn.execute(
            text("SELECT COUNT(*) FROM month_report WHERE plan_id = :p AND status = 'submitted'"), {"p": plan}
        ).scalar_one()
        figures = conn.execute(
            text(
                "SELECT COUNT(*) FROM measurement m JOIN indicator i ON i.id = m.indicator_id "
                "WHERE i.plan_id = :p AND NOT m.approved"
            ),
            {"p": plan},
        ).scalar_one()
        tasks = conn.execute(
            text(
                "SELECT COUNT(*) FROM task_update u JOIN task t ON t.id = u.task_id "
                "WHERE t.plan_id = :p AND NOT u.approved"
            ),
            {"p": plan},
        ).scalar_one()
    return f"Chờ duyệt: {months} báo cáo tháng · {figures} số liệu · {tasks} báo cáo nhiệm vụ"


def _save_figure(app, client, ids, numerator: int, denominator: int):  # noqa: ANN001, ANN202
    with app.server.extensions["kpi"]["engine"].connect() as conn:
        version = conn.execute(
            text("SELECT version FROM measurement WHERE indicator_id = :k AND agency_id = :a AND month = :m"),
            {"k": ids["kpi"], "a": ids["agency"], "m": date(2026, 11, 1)},
        ).scalar()
    k = ids["kpi"]
    return call(
        app,
        client,
        "mw-save-figures",
        {
            "mw-save-figures.n_clicks": 1,
            '{"index":["ALL"],"type":"fig-num"}.value': [(k, numerator)],
            '{"index":["ALL"],"type":"fig-den"}.value': [(k, denominator)],
            '{"index":["ALL"],"type":"fig-val"}.value': [(k, None)],
            '{"index":["ALL"],"type":"fig-num"}.id': [(k, {"type": "fig-num", "index": k})],
            "mw-month.value": NOV,
            "mw-context.data": ids["context"],
            "mw-fig-versions.data": {str(k): version} if version else {},
        },
    )


def _decide(app, client, report_id: int, button: str, reason: str | None = None):  # noqa: ANN001, ANN202
    return call(
        app,
        client,
        '{"index":["ALL"],"type":"appr-approve"}',
        {
            '{"index":["ALL"],"type":"appr-approve"}.n_clicks': [(report_id, 1 if button == "appr-approve" else None)],
            '{"index":["ALL"],"type":"appr-return"}.n_clicks': [(report_id, 1 if button == "appr-return" else None)],
            '{"index":["ALL"],"type":"appr-reason"}.value': [(report_id, reason)],
            '{"index":["ALL"],"type":"appr-reason"}.id': [(report_id, {"type": "appr-reason", "index": report_id})],
            "url.search": "?plan=1",
        },
        trigger={"type": button, "index": report_id},
    )


def test_a_typed_figure_is_pending_until_the_secretariat_approves_it(tmp_path) -> None:  # noqa: ANN001
    app = demo_app(tmp_path)
    engine = app.server.extensions["kpi"]["engine"]
    ids = _ids(engine)
    agency, admin = login(app, "sokhcn.thainguyen"), login(app, "admin")
    assert "Đã lưu" in response_text(_save_figure(app, agency, ids, 637, 1000))
    before = _pending(engine, 1)
    overview = _page(app, admin, "/")
    # the overview says what waits, and does not count it: KPI 3 is led by this agency alone, 63,7 % is not shown
    assert before in overview
    assert "63,7" not in overview

    month = call(
        app,
        agency,
        "mw-month",
        {"mw-month.value": NOV, "mw-saved.data": 0, "mw-context.data": ids["context"]},
        output="mw-cycle",
    )
    assert "Chưa gửi" in response_text(month)
    sent = call(
        app, agency, "mw-submit", {"mw-submit.n_clicks": 1, "mw-month.value": NOV, "mw-context.data": ids["context"]}
    )
    assert "Đã gửi báo cáo tháng 11/2026" in response_text(sent)
    after = _pending(engine, 1)
    assert after != before and after in _page(app, admin, "/")

    # the standing agency cannot approve its own month; the admin's approvals page lists it
    assert "perm.secretariat_only" not in _page(app, agency, "/duyet")
    listing = call(app, admin, "appr-done", {"appr-done.data": 0, "url.search": "?plan=1"})
    with engine.connect() as conn:
        report_id = conn.execute(
            text("SELECT id FROM month_report WHERE status = 'submitted' AND agency_id = :a"), {"a": ids["agency"]}
        ).scalar_one()
    row = find(listing.get_json()["response"], f"appr-row-{report_id}")
    assert "Sở Khoa học và Công nghệ" in json.dumps(row, ensure_ascii=False)
    assert "1 số liệu, 0 báo cáo nhiệm vụ" in json.dumps(row, ensure_ascii=False)
    refused = _decide(app, agency, report_id, "appr-approve")
    assert "Không tự duyệt" in response_text(refused)
    assert "Đã duyệt báo cáo tháng 11/2026" in response_text(_decide(app, admin, report_id, "appr-approve"))

    overview = _page(app, admin, "/")
    assert _pending(engine, 1) in overview and "63,7" in overview  # now it counts
    # the month is locked: a late edit is refused and says who can reopen it
    late = response_text(_save_figure(app, agency, ids, 640, 1000))
    assert "đã khoá" in late and "Văn phòng thường trực BCĐ (demo)" in late
    # the agency was told, and its bell counts it
    with engine.connect() as conn:
        unread = conn.execute(
            text(
                "SELECT COUNT(*) FROM notification n JOIN app_user u ON u.id = n.user_id "
                "WHERE u.username = 'sokhcn.thainguyen' AND n.read_at IS NULL"
            )
        ).scalar_one()
    bell = find(json.loads(_page(app, agency, "/viec-cua-toi"))["response"], "nav-unread")
    assert unread >= 1 and bell["props"]["children"] == str(unread)
    notices = call(app, agency, "ntc-read-all", {"ntc-read-all.n_clicks": None, "url.search": "?plan=1"})
    assert "Báo cáo tháng 11/2026 đã được duyệt (admin)." in response_text(notices)
    log = response_text(call(app, admin, "appr-done", {"appr-done.data": 1, "url.search": "?plan=1"}))
    assert "Gửi báo cáo tháng" in log and "Duyệt báo cáo tháng" in log


def test_a_returned_month_shows_its_reason_to_the_agency(tmp_path) -> None:  # noqa: ANN001
    app = demo_app(tmp_path)
    engine = app.server.extensions["kpi"]["engine"]
    ids = _ids(engine)
    agency, admin = login(app, "sokhcn.thainguyen"), login(app, "admin")
    _save_figure(app, agency, ids, 600, 1000)
    call(app, agency, "mw-submit", {"mw-submit.n_clicks": 1, "mw-month.value": NOV, "mw-context.data": ids["context"]})
    with engine.connect() as conn:
        report_id = conn.execute(
            text("SELECT id FROM month_report WHERE status = 'submitted' AND agency_id = :a"), {"a": ids["agency"]}
        ).scalar_one()
    assert "Cần ghi lý do" in response_text(_decide(app, admin, report_id, "appr-return", "  "))
    assert "Đã trả lại" in response_text(_decide(app, admin, report_id, "appr-return", "Mẫu số chưa khớp Cổng DVC"))
    month = response_text(
        call(
            app,
            agency,
            "mw-month",
            {"mw-month.value": NOV, "mw-saved.data": 1, "mw-context.data": ids["context"]},
            output="mw-cycle",
        )
    )
    assert "Bị trả lại" in month and "Lý do: Mẫu số chưa khớp Cổng DVC" in month
    assert "Đã lưu" in response_text(_save_figure(app, agency, ids, 610, 1000))  # open again for the correction


def test_a_leaders_directive_reaches_the_agency_and_late_is_a_red_flag(tmp_path) -> None:  # noqa: ANN001
    app = demo_app(tmp_path)
    engine = app.server.extensions["kpi"]["engine"]
    ids = _ids(engine)
    leader, agency, viewer = login(app, "lanhdao"), login(app, "sokhcn.thainguyen"), login(app, "xem")
    slot = {"agency-ctx.data": {"plan_id": ids["plan"], "agency_id": ids["agency"]}, "url.search": "?plan=1"}
    assert "dir-send" in response_text(call(app, leader, "agency-ctx", slot))  # the leader gets the form
    for other in (agency, viewer):
        assert "dir-send" not in response_text(call(app, other, "agency-ctx", slot))
    sent = call(
        app,
        leader,
        "dir-send",
        {
            "dir-send.n_clicks": 1,
            "dir-subject.value": "agency",
            "dir-text.value": "Hoàn thành số hoá hồ sơ trước 30/11",
            "dir-due.date": "2026-11-30",
            **slot,
        },
    )
    assert "Đã gửi ý kiến chỉ đạo đến Sở Khoa học và Công nghệ" in response_text(sent)
    # a directive given earlier, past its date and unanswered: a red flag
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO directive (plan_id, agency_id, subject, text, due_date, created_at, created_by) "
                "VALUES (:p, :a, 'agency', 'Báo cáo kết quả rà soát thủ tục', :due, :at, 'lanhdao')"
            ),
            {"p": ids["plan"], "a": ids["agency"], "due": date(2026, 11, 20), "at": datetime(2026, 11, 10, 8)},
        )
        conn.execute(text("UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'"))
    mine = response_text(
        call(app, agency, "mw-saved", {"mw-saved.data": 1, "mw-context.data": ids["context"]}, output="mw-directives")
    )
    assert "Hoàn thành số hoá hồ sơ trước 30/11" in mine and "Quá hạn trả lời" in mine
    flags = _page(app, leader, "/canh-bao", "?plan=1&v=2")
    assert "Báo cáo kết quả rà soát thủ tục" in flags and "Chỉ đạo quá hạn chưa trả lời" in flags
    assert "Hoàn thành số hoá hồ sơ trước 30/11" not in flags  # not due yet
    wall = call(app, kiosk(app), "wall-refresh", {"wall-refresh.n_intervals": 1, "wall-config.data": {"plan": 1}})
    assert "Báo cáo kết quả rà soát thủ tục" in response_text(wall)
    agency_page = _page(app, leader, "/don-vi", f"?plan=1&agency={ids['agency']}")
    assert "Hoàn thành số hoá hồ sơ trước 30/11" in agency_page

    with engine.connect() as conn:
        late = conn.execute(
            text("SELECT id FROM directive WHERE due_date = :d"), {"d": date(2026, 11, 20)}
        ).scalar_one()
    answered = call(
        app,
        agency,
        '{"index":["ALL"],"type":"dir-answer"}',
        {
            '{"index":["ALL"],"type":"dir-answer"}.n_clicks': [(late, 1)],
            '{"index":["ALL"],"type":"dir-answer-text"}.value': [(late, "Đã rà soát 312 thủ tục")],
            '{"index":["ALL"],"type":"dir-answer-text"}.id': [(late, {"type": "dir-answer-text", "index": late})],
            "mw-context.data": ids["context"],
        },
        trigger={"type": "dir-answer", "index": late},
    )
    assert "Đã gửi trả lời" in response_text(answered)
    assert "Báo cáo kết quả rà soát thủ tục" not in _page(app, leader, "/canh-bao", "?plan=1&v=3")
    told = call(app, leader, "ntc-read-all", {"ntc-read-all.n_clicks": None, "url.search": "?plan=1"})
    assert "Sở Khoa học và Công nghệ đã trả lời ý kiến chỉ đạo: Đã rà soát 312 thủ tục" in response_text(told)


def test_each_person_sets_their_own_mail_address_and_can_opt_out(tmp_path) -> None:  # noqa: ANN001
    app = demo_app(tmp_path)
    engine = app.server.extensions["kpi"]["engine"]
    agency = login(app, "sokhcn.thainguyen")
    page = _page(app, agency, "/thong-bao")
    assert "notices-heading" in page and "ntc-email" in page

    def save(email: str, opt_out: bool) -> str:
        values = {"ntc-mail-save.n_clicks": 1, "ntc-email.value": email, "ntc-opt-out.value": opt_out}
        return response_text(call(app, agency, "ntc-mail-save", {**values, "url.search": "?plan=1"}))

    assert "Địa chỉ thư không hợp lệ: khong-phai-thu" in save("khong-phai-thu", False)
    assert "Đã lưu" in save("  khcn@thainguyen.gov.vn ", True)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT email, email_opt_out FROM app_user WHERE username = 'sokhcn.thainguyen'")).one()
    assert (row[0], bool(row[1])) == ("khcn@thainguyen.gov.vn", True)
    # only one's own account: nobody else's changed
    with engine.connect() as conn:
        others = conn.execute(
            text("SELECT COUNT(*) FROM app_user WHERE email IS NOT NULL AND username <> 'sokhcn.thainguyen'")
        ).scalar_one()
    assert others == 0


def test_an_upload_for_a_locked_month_is_refused_naming_who_can_reopen_it(tmp_path) -> None:  # noqa: ANN001
    app = demo_app(tmp_path)
    engine = app.server.extensions["kpi"]["engine"]
    ids = _ids(engine)
    agency = login(app, "sokhcn.thainguyen")
    with engine.connect() as conn:
        before = conn.execute(
            text("SELECT numerator FROM measurement WHERE indicator_id = :k AND agency_id = :a AND month = :m"),
            {"k": ids["kpi"], "a": ids["agency"], "m": date(2026, 10, 1)},
        ).scalar()
    row = {"indicator_id": ids["kpi"], "numerator": 700, "denominator": 1000, "value": None, "row": "Dòng 2"}
    upload = {"agency_id": ids["agency"], "month": "2026-10-01", "rows": [row]}  # October locked on 04/11
    refused = response_text(
        call(app, agency, "mw-upload-save", {"mw-upload-save.n_clicks": 1, "mw-upload-data.data": upload})
    )
    assert "Tháng 10/2026 đã khoá" in refused and "Văn phòng thường trực BCĐ (demo)" in refused
    with engine.connect() as conn:
        after = conn.execute(
            text("SELECT numerator FROM measurement WHERE indicator_id = :k AND agency_id = :a AND month = :m"),
            {"k": ids["kpi"], "a": ids["agency"], "m": date(2026, 10, 1)},
        ).scalar()
    assert after == before


def test_the_approvals_link_is_for_the_secretariat_and_bad_dates_are_named(tmp_path) -> None:  # noqa: ANN001
    app = demo_app(tmp_path)
    engine = app.server.extensions["kpi"]["engine"]
    ids = _ids(engine)
    for username, shown in (("admin", True), ("sokhcn.thainguyen", True), ("congan.laocai", False), ("lanhdao", False)):
        page = _page(app, login(app, username), "/tien-do", "")
        assert ("nav-duyet" in page) is shown, username
    leader = login(app, "lanhdao")
    slot = {"agency-ctx.data": {"plan_id": ids["plan"], "agency_id": ids["agency"]}, "url.search": "?plan=1"}
    values = {"dir-send.n_clicks": 1, "dir-subject.value": "agency", "dir-text.value": "Kiểm tra", **slot}
    refused = response_text(call(app, leader, "dir-send", {**values, "dir-due.date": "2026-13-45"}))
    assert "Hạn trả lời không phải một ngày" in refused
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM directive WHERE text = 'Kiểm tra'")).scalar_one() == 0
