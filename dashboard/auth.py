"""Sign-in for the web app: flask-login sessions, a rate-limited login form, kiosk tokens for wall
screens, and one guard in front of every request (Dash endpoints included).

Plain Flask, no Dash: the login page must work even when the Dash app cannot load.
"""

from __future__ import annotations

import html
from datetime import timedelta
from urllib.parse import urlencode

from flask import Flask, Response, jsonify, redirect, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import Engine

from .accounts import AGENCY, AccountError, Actor, authenticate, change_password, kiosk_by_token, kiosk_is_live
from .models import User
from .store import DB_UNAVAILABLE, transaction

OPEN_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico", "/login", "/healthz")
DASH_ENDPOINTS = ("/_dash-layout", "/_dash-dependencies", "/_dash-update-component")
GENERIC_ERROR = "Tên đăng nhập hoặc mật khẩu không đúng."
LOGIN_LIMIT = "10 per minute;60 per hour"


class LoginUser(UserMixin):
    """The signed-in user as flask-login sees it (a detached copy, no session needed)."""

    def __init__(self, user: User) -> None:
        self.id = user.id
        self.username = user.username
        self.full_name = user.full_name or user.username
        self.role = user.role
        self.agency_id = user.agency_id
        self.agency_name = user.agency.name if user.agency else None

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.username, self.role, self.agency_id)


def current_actor() -> Actor | None:
    """The signed-in user or the kiosk of this request, or None."""
    if current_user.is_authenticated:
        return current_user.actor
    kiosk_id = session.get("kiosk_id")
    if kiosk_id:
        return Actor(None, f"kiosk:{kiosk_id}", "viewer", kiosk_id=kiosk_id)
    return None


def init_auth(
    server: Flask, engine: Engine, *, secure_cookies: bool = False, ratelimit_storage: str | None = None
) -> None:
    """Wire sign-in into the Flask server behind Dash."""
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure_cookies,
        REMEMBER_COOKIE_DURATION=timedelta(days=30),
        # Only kiosk sessions are made permanent: a wall screen stays signed in for a year.
        PERMANENT_SESSION_LIFETIME=timedelta(days=365),
        RATELIMIT_STORAGE_URI=ratelimit_storage or "memory://",
        RATELIMIT_HEADERS_ENABLED=True,
    )
    server.extensions["kpi_engine_for_auth"] = engine
    # One login manager and one limiter per app: two apps in one process never share sign-ins or counters.
    login_manager = LoginManager()
    login_manager.init_app(server)
    login_manager.session_protection = "basic"
    limiter = Limiter(key_func=get_remote_address, app=server, default_limits=[])
    server.add_url_rule("/login", "login_form", login_form, methods=["GET"])
    server.add_url_rule("/login", "login_submit", limiter.limit(_login_limit(server))(login_submit), methods=["POST"])
    server.add_url_rule("/logout", "logout", logout, methods=["GET"])
    server.add_url_rule("/doi-mat-khau", "password", password, methods=["GET", "POST"])
    server.before_request(_guard)

    known: dict[str, LoginUser] = {}  # users seen by this process, for while the database is down

    @login_manager.user_loader
    def _load(user_id: str) -> LoginUser | None:
        try:
            with transaction(engine) as s:
                user = s.get(User, int(user_id)) if user_id.isdigit() else None
                loaded = LoginUser(user) if user is not None and user.active else None
        except DB_UNAVAILABLE:
            # The database is down: a user signed in before keeps reading the cached pages (nothing can be
            # written meanwhile); a deactivation takes effect as soon as the database is back.
            return known.get(user_id)
        if loaded is None:
            known.pop(user_id, None)
        else:
            known[user_id] = loaded
        return loaded

    @server.errorhandler(429)
    def _too_many(_e):  # noqa: ANN001, ANN202
        if request.path.startswith("/login"):
            return _login_page("Bạn đã thử đăng nhập quá nhiều lần. Hãy đợi một phút rồi thử lại.", status=429)
        return jsonify(error="too many requests"), 429


def _login_limit(server: Flask) -> str:
    """LOGIN_RATE_LIMIT from the app's settings (a load test signs many users in from one address), else the default."""
    config = server.extensions.get("kpi", {}).get("config")
    return getattr(config, "login_rate_limit", None) or LOGIN_LIMIT


def _engine() -> Engine:
    from flask import current_app

    return current_app.extensions["kpi_engine_for_auth"]


def _is_wall(path: str) -> bool:
    return path.rstrip("/") == "/wall"


def _guard() -> Response | None:
    path = request.path
    if path.startswith(OPEN_PREFIXES):
        return None
    if _is_wall(path) and request.args.get("token"):
        return _kiosk_sign_in()
    if current_user.is_authenticated:
        return None
    kiosk_id = session.get("kiosk_id")
    if kiosk_id:
        try:
            with transaction(_engine()) as s:
                live = kiosk_is_live(s, kiosk_id)
        except DB_UNAVAILABLE:
            live = True  # the database is down: the screen keeps its last data; a revocation waits for it
        if not live:
            session.clear()
        elif _is_wall(path) or path in DASH_ENDPOINTS:
            return None  # what it may do inside Dash is checked by the callbacks
        else:
            return redirect("/wall")
    if path.startswith("/_"):
        return jsonify(error="authentication required"), 401  # a redirect would break the Dash renderer
    return redirect("/login?" + urlencode({"next": request.full_path.rstrip("?")}))


def _kiosk_sign_in() -> Response:
    with transaction(_engine()) as s:
        token = kiosk_by_token(s, request.args.get("token", ""))
        token_id = token.id if token else None
    if token_id is None:
        return Response(
            _page(
                "Màn hình lớn",
                "<div class='alert alert-danger'>Mã màn hình không hợp lệ hoặc đã bị "
                "thu hồi. Hãy liên hệ quản trị viên.</div>",
            ),
            status=403,
        )
    logout_user()
    session.clear()
    session["kiosk_id"] = token_id
    session.permanent = True
    rest = {k: v for k, v in request.args.items() if k != "token"}
    # The token leaves the address bar, so it is not shown on the screen.
    return redirect("/wall" + ("?" + urlencode(rest) if rest else ""))


def _safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _page(title: str, body: str) -> str:
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>
<link rel="stylesheet" href="/assets/00-bootstrap-5.3.9.min.css"></head>
<body class="bg-light"><main class="container" style="max-width:28rem;margin-top:8vh">
<h1 class="h4 mb-3">Theo dõi KPI · Nghị quyết 57 &amp; Đề án 06</h1>{body}</main></body></html>"""


def _login_page(error: str | None = None, status: int = 200, next_url: str = "/", username: str = "") -> Response:
    alert = f"<div class='alert alert-danger' id='login-error'>{html.escape(error)}</div>" if error else ""
    body = f"""<h2 class="h5 mb-3">Đăng nhập</h2>{alert}
<form method="post" action="/login" id="login-form">
<input type="hidden" name="next" value="{html.escape(next_url)}">
<div class="mb-3"><label class="form-label" for="username">Tên đăng nhập</label>
<input class="form-control" id="username" name="username" autocomplete="username" required
 value="{html.escape(username)}"></div>
<div class="mb-3"><label class="form-label" for="password">Mật khẩu</label>
<input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required>
</div>
<div class="form-check mb-3"><input class="form-check-input" type="checkbox" name="remember" id="remember" value="1">
<label class="form-check-label" for="remember">Ghi nhớ đăng nhập trên máy này (30 ngày)</label></div>
<button class="btn btn-primary w-100" type="submit" id="login-submit">Đăng nhập</button></form>"""
    return Response(_page("Đăng nhập", body), status=status)


def login_form() -> Response:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    return _login_page(next_url=_safe_next(request.args.get("next")))


def login_submit() -> Response:
    username = request.form.get("username", "")[:80]
    next_url = _safe_next(request.form.get("next"))
    with transaction(_engine()) as s:
        user = authenticate(s, username, request.form.get("password", "")[:200])
        login = LoginUser(user) if user else None
    if login is None:
        return _login_page(GENERIC_ERROR, status=401, next_url=next_url, username=username)
    session.pop("kiosk_id", None)
    login_user(login, remember=request.form.get("remember") == "1")
    if next_url == "/" and login.role == AGENCY:
        next_url = "/viec-cua-toi"  # an agency lands on its own tasks
    return redirect(next_url)


def logout() -> Response:
    logout_user()
    session.clear()
    return redirect("/login")


def password() -> Response:
    if not current_user.is_authenticated:
        return redirect("/login?next=/doi-mat-khau")
    message = ""
    if request.method == "POST":
        new, again = request.form.get("new", ""), request.form.get("again", "")
        try:
            if new != again:
                raise AccountError("Hai lần nhập mật khẩu mới không khớp.")
            with transaction(_engine()) as s:
                change_password(s, current_user.id, request.form.get("old", ""), new)
            message = "<div class='alert alert-success' id='password-ok'>Đã đổi mật khẩu.</div>"
        except AccountError as exc:
            message = f"<div class='alert alert-danger' id='password-error'>{html.escape(str(exc))}</div>"
    body = f"""<h2 class="h5 mb-3">Đổi mật khẩu</h2>{message}
<form method="post"><div class="mb-3"><label class="form-label" for="old">Mật khẩu hiện tại</label>
<input class="form-control" id="old" name="old" type="password" required></div>
<div class="mb-3"><label class="form-label" for="new">Mật khẩu mới (ít nhất 8 ký tự)</label>
<input class="form-control" id="new" name="new" type="password" required></div>
<div class="mb-3"><label class="form-label" for="again">Nhập lại mật khẩu mới</label>
<input class="form-control" id="again" name="again" type="password" required></div>
<button class="btn btn-primary" type="submit">Đổi mật khẩu</button>
<a class="ms-2" href="/">Về trang chính</a></form>"""
    return Response(_page("Đổi mật khẩu", body))
