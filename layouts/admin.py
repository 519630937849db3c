"""'Quản trị': users and wall-screen tokens (admins only)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.accounts.users import ROLE_LABELS, ROLES

from .widgets import empty


def admin_page(agencies: list[dict]) -> html.Div:
    """The frame; the lists are filled by their callback."""
    agency_opts = [{"label": f"{a['province']} · {a['name']}", "value": a["id"]} for a in agencies]
    role_opts = [{"label": ROLE_LABELS[r], "value": r} for r in ROLES]
    return html.Div(
        [
            dcc.Store(id="adm-saved", data=0),
            html.H1("Quản trị", className="h4"),
            html.H2("Tài khoản", className="h5 mt-3"),
            html.Div(id="adm-users"),
            html.Div(id="adm-user-feedback"),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H3("Tạo tài khoản", className="h6"),
                        dbc.Row(
                            [
                                dbc.Col(
                                    [dbc.Label("Tên đăng nhập", html_for="adm-username"), dbc.Input(id="adm-username")],
                                    md=3,
                                ),
                                dbc.Col(
                                    [dbc.Label("Họ tên", html_for="adm-fullname"), dbc.Input(id="adm-fullname")], md=3
                                ),
                                dbc.Col(
                                    [
                                        dbc.Label("Vai trò", html_for="adm-role"),
                                        dcc.Dropdown(id="adm-role", options=role_opts, value="agency", clearable=False),
                                    ],
                                    md=3,
                                ),
                                dbc.Col(
                                    [
                                        dbc.Label("Đơn vị (với tài khoản đơn vị)", html_for="adm-agency"),
                                        dcc.Dropdown(id="adm-agency", options=agency_opts),
                                    ],
                                    md=3,
                                ),
                                dbc.Col(
                                    [
                                        dbc.Label("Mật khẩu (ít nhất 8 ký tự)", html_for="adm-password"),
                                        dbc.Input(id="adm-password", type="password", autoComplete="new-password"),
                                    ],
                                    md=3,
                                ),
                            ],
                            className="g-2",
                        ),
                        dbc.Button("Tạo tài khoản", id="adm-create", color="primary", className="mt-2"),
                        html.Div(id="adm-create-feedback", className="mt-2"),
                    ]
                ),
                className="mt-3",
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H3("Đặt lại mật khẩu", className="h6"),
                        dbc.Row(
                            [
                                dbc.Col(
                                    [
                                        dbc.Label("Tài khoản", html_for="adm-reset-user"),
                                        dcc.Dropdown(id="adm-reset-user"),
                                    ],
                                    md=4,
                                ),
                                dbc.Col(
                                    [
                                        dbc.Label("Mật khẩu mới", html_for="adm-reset-password"),
                                        dbc.Input(
                                            id="adm-reset-password", type="password", autoComplete="new-password"
                                        ),
                                    ],
                                    md=4,
                                ),
                            ],
                            className="g-2",
                        ),
                        dbc.Button("Đặt lại", id="adm-reset", color="warning", className="mt-2"),
                        html.Div(id="adm-reset-feedback", className="mt-2"),
                    ]
                ),
                className="mt-3",
            ),
            html.H2("Mã màn hình lớn (kiosk)", className="h5 mt-4"),
            html.P(
                "Mỗi màn hình TV dùng một mã riêng: mở /wall?token=… một lần, màn hình tự đăng nhập, chỉ xem được "
                "màn hình lớn. Thu hồi mã khi không dùng nữa.",
                className="small text-muted",
            ),
            html.Div(id="adm-kiosks"),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Input(id="adm-kiosk-name", placeholder="Tên màn hình, vd. Phòng điều hành UBND tỉnh"), md=6
                    ),
                    dbc.Col(dbc.Button("Tạo mã", id="adm-kiosk-create", color="primary"), md=2),
                ],
                className="g-2 mt-2",
            ),
            html.Div(id="adm-kiosk-feedback", className="mt-2"),
            html.H2("Nhập kế hoạch", className="h5 mt-4"),
            html.P(
                "Văn bản kế hoạch như tỉnh ban hành (.docx, .pdf có lớp chữ, .txt UTF-8) hoặc mẫu .xlsx/.csv. Trang "
                "cho xem trước những gì sẽ thêm, sửa, rút khỏi kế hoạch; chỉ lưu khi bấm Lưu. Nhập lại cùng văn bản "
                "sẽ cập nhật, không tạo trùng. Tệp lỗi không làm thay đổi dữ liệu.",
                className="small text-muted",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Tỉnh (nếu văn bản không ghi)", html_for="adm-import-province"),
                            dbc.Input(id="adm-import-province"),
                        ],
                        md=4,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Năm (nếu văn bản không ghi)", html_for="adm-import-year"),
                            dbc.Input(id="adm-import-year", type="number", min=2000, max=2100),
                        ],
                        md=2,
                    ),
                ],
                className="g-2 mb-2",
            ),
            dcc.Upload(
                id="adm-import",
                children=html.Div(["Kéo thả hoặc ", html.A("chọn tệp kế hoạch", href="#")]),
                className="upload-box",
                max_size=20 * 1024 * 1024,
            ),
            dcc.Store(id="adm-import-pending"),  # the file waiting for "Lưu" (checked again when saved)
            dcc.Store(id="adm-import-plan"),  # the plan just saved, for its accounts and wall token
            dcc.Download(id="adm-accounts-sheet"),
            html.Div(id="adm-import-feedback", className="mt-2"),
            html.Div(
                [
                    dbc.Button("Lưu kế hoạch", id="adm-import-save", color="primary", className="me-2"),
                    dbc.Button("Hủy", id="adm-import-cancel", color="secondary", outline=True),
                ],
                id="adm-import-actions",
                className="mt-2",
                hidden=True,
            ),
            html.Div(
                [
                    html.P(
                        "Tiếp theo: tạo tài khoản cho mọi đơn vị chủ trì hoặc phối hợp một nhiệm vụ của kế hoạch "
                        "(mật khẩu dùng một lần, phải đổi khi đăng nhập lần đầu) và một mã màn hình tường.",
                        className="small text-muted mt-3 mb-2",
                    ),
                    dbc.Button("Tạo tài khoản các đơn vị", id="adm-accounts-create", color="primary", className="me-2"),
                    dbc.Button("Tạo mã màn hình tường", id="adm-plan-kiosk", color="secondary"),
                ],
                id="adm-after-import",
                hidden=True,
            ),
            html.Div(id="adm-accounts-feedback", className="mt-2"),
            html.H2("Làm mới dữ liệu từ các nguồn", className="h5 mt-4"),
            html.P("Các nguồn SQL được lấy tự động theo lịch; bấm để lấy ngay.", className="small text-muted"),
            dbc.Button("Làm mới tất cả nguồn ngay", id="adm-refresh-all", color="primary", className="mb-2"),
            html.Div(id="adm-refresh-feedback"),
            html.Div(id="adm-runs"),
            html.H2("Lịch sử quản trị", className="h5 mt-4"),
            html.Div(id="adm-history"),
        ],
        id="admin",
    )


def users_table(users: list[dict], me: int | None) -> html.Div:
    if not users:
        return empty("Chưa có tài khoản.")
    rows = []
    for u in users:
        toggle = (
            None
            if u["id"] == me
            else dbc.Button(
                "Khóa" if u["active"] else "Mở khóa",
                id={"type": "adm-toggle", "index": u["id"]},
                size="sm",
                color="danger" if u["active"] else "success",
                outline=True,
            )
        )
        rows.append(
            html.Tr(
                [
                    html.Td(u["username"]),
                    html.Td(u["full_name"]),
                    html.Td(ROLE_LABELS.get(u["role"], u["role"])),
                    html.Td(u["agency"] or ""),
                    html.Td("Hoạt động" if u["active"] else "Đã khóa"),
                    html.Td(toggle),
                ],
                id=f"adm-user-{u['username']}",
            )
        )
    head = html.Thead(html.Tr([html.Th(h) for h in ("Tên đăng nhập", "Họ tên", "Vai trò", "Đơn vị", "Trạng thái", "")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", bordered=True, responsive=True, id="adm-users-table")


def kiosks_table(tokens: list[dict]) -> html.Div:
    if not tokens:
        return empty("Chưa có mã màn hình nào.")
    rows = [
        html.Tr(
            [
                html.Td(k["name"]),
                html.Td(k["created_at"].strftime("%d/%m/%Y") if k["created_at"] else ""),
                html.Td(k["last_used_at"].strftime("%d/%m/%Y %H:%M") if k["last_used_at"] else "chưa dùng"),
                html.Td("Đã thu hồi" if k["revoked"] else "Đang dùng"),
                html.Td(
                    None
                    if k["revoked"]
                    else dbc.Button(
                        "Thu hồi", id={"type": "adm-revoke", "index": k["id"]}, size="sm", color="danger", outline=True
                    )
                ),
            ]
        )
        for k in tokens
    ]
    head = html.Thead(html.Tr([html.Th(h) for h in ("Màn hình", "Tạo ngày", "Dùng lần cuối", "Trạng thái", "")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", bordered=True, responsive=True, id="adm-kiosks-table")


def runs_table(runs: list[dict]) -> html.Div:
    """Refresh runs, newest first: when, how long, rows read and changed, and the error if any."""
    if not runs:
        return empty("Chưa có lần làm mới nào.", "adm-no-runs")
    rows = [
        html.Tr(
            [
                html.Td(r["source"]),
                html.Td(r["started_at"].strftime("%d/%m/%Y %H:%M:%S")),
                html.Td("" if r["seconds"] is None else f"{r['seconds']:.1f} s"),
                html.Td(r["rows_read"]),
                html.Td(r["rows_changed"]),
                html.Td(
                    {"ok": "✔ thành công", "error": "✖ lỗi", "running": "… đang chạy"}.get(r["status"], r["status"]),
                    className="text-danger" if r["status"] == "error" else "",
                ),
                html.Td(r["error"] or "", className="small"),
            ]
        )
        for r in runs
    ]
    head = html.Thead(
        html.Tr(
            [html.Th(h) for h in ("Nguồn", "Bắt đầu", "Thời gian", "Số dòng đọc", "Số dòng thay đổi", "Kết quả", "Lỗi")]
        )
    )
    return dbc.Table([head, html.Tbody(rows)], size="sm", bordered=True, responsive=True, id="adm-runs-table")


def import_preview(preview) -> html.Div:  # noqa: ANN001
    """What saving would do (``dashboard.importers.preview.Preview``): counts, then every change."""
    r = preview.report
    items = []
    for kind, label in (("kpis", "Chỉ tiêu"), ("tasks", "Nhiệm vụ")):
        items.append(
            html.Li(
                f"{label}: thêm {len(preview.added[kind])}, sửa {len(preview.changed[kind])}, "
                f"rút {len(preview.withdrawn[kind])}",
                id=f"adm-preview-{kind}",
            )
        )
    details = [f"+ {code}" for kind in ("kpis", "tasks") for code in preview.added[kind]]
    details += [
        f"~ {c.code} · {c.field}: {c.before} → {c.after}" for kind in ("kpis", "tasks") for c in preview.changed[kind]
    ]
    details += [f"− {code}" for kind in ("kpis", "tasks") for code in preview.withdrawn[kind]]
    return html.Div(
        [
            html.P(
                f"Xem trước {r.source} → kế hoạch {r.plan_code} ({r.province}, {r.year}); chưa lưu gì.",
                className="mb-1",
            ),
            html.Ul(items, className="mb-1"),
            html.Details([html.Summary("Chi tiết"), html.Pre("\n".join(details) or "(không đổi)", className="small")])
            if details
            else None,
            html.P(
                "Đơn vị chưa có trong danh mục: " + "; ".join(r.new_agencies),
                className="small mb-1",
                id="adm-preview-new",
            )
            if r.new_agencies
            else None,
            html.Details(
                [
                    html.Summary(f"Cảnh báo ({len(r.findings)})"),
                    html.Pre("\n".join(map(str, r.findings)), className="small"),
                ]
            )
            if r.findings
            else None,
        ],
        id="adm-import-preview",
        className="alert alert-info",
    )


def accounts_made(accounts: list, plan_code: str) -> html.Div:
    """The accounts just created with their one-time passwords: shown once, and downloadable as a sheet."""
    if not accounts:
        return dbc.Alert("Mọi đơn vị của kế hoạch đã có tài khoản.", color="secondary", id="adm-accounts-none")
    rows = [html.Tr([html.Td(a.agency), html.Td(a.username), html.Td(html.Code(a.password))]) for a in accounts]
    return html.Div(
        [
            dbc.Alert(
                f"Đã tạo {len(accounts)} tài khoản cho kế hoạch {plan_code}. Mật khẩu chỉ hiện một lần (đã tải bảng "
                "về máy); mỗi đơn vị phải đổi mật khẩu khi đăng nhập lần đầu.",
                color="success",
            ),
            dbc.Table(
                [
                    html.Thead(html.Tr([html.Th("Đơn vị"), html.Th("Tên đăng nhập"), html.Th("Mật khẩu một lần")])),
                    html.Tbody(rows),
                ],
                size="sm",
                bordered=True,
            ),
        ],
        id="adm-accounts-made",
    )
