"""Sign-in for the web app: flask-login sessions, a rate-limited login form, kiosk tokens for wall
screens, and one guard in front of every request (Dash endpoints included).

Plain Flask, no Dash: the login page must work even when the Dash app cannot load.
"""

from __future__ import annotations

import html
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, jsonify, redirect, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf, validate_csrf
from sqlalchemy import Engine
from wtforms import ValidationError

from dashboard.accounts.permissions import kiosk_may_call
from dashboard.accounts.users import (
    AGENCY,
    REMEMBER_DAYS,
    SESSION_HOURS,
    AccountError,
    Actor,
    authenticate,
    change_password,
    end_sessions,
    kiosk_by_token,
    kiosk_is_live,
    open_session,
    session_user,
)
from dashboard.messages import LANGS, Message, msg, t
from dashboard.routes import kiosk_may_open
from dashboard.store.database import DB_UNAVAILABLE, transaction
from dashboard.store.models import User

OPEN_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico", "/login", "/healthz")
DASH_ENDPOINTS = ("/_dash-layout", "/_dash-dependencies", "/_dash-update-component")
GENERIC_ERROR = "auth.wrong"
LOGIN_LIMIT = "10 per minute;60 per hour"


class LoginUser(UserMixin):
    """The signed-in user as flask-login sees it (a detached copy, no session needed). Its id names the sign-in
    too ("<user id>:<token>"), so the session and remember cookies of each sign-in differ and end with it."""

    def __init__(
        self,
        user_id: int,
        username: str,
        full_name: str,
        role: str,
        agency_id: int | None,
        agency_name: str | None,
        token: str,
        must_change_password: bool = False,
    ) -> None:
        self.id = user_id
        self.must_change_password = must_change_password
        self.username = username
        self.full_name = full_name or username
        self.role = role
        self.agency_id = agency_id
        self.agency_name = agency_name
        self.token = token

    @classmethod
    def of(cls, user: User, token: str) -> LoginUser:
        agency = user.agency.name if user.agency else None
        return cls(
            user.id, user.username, user.full_name, user.role, user.agency_id, agency, token, user.must_change_password
        )

    def get_id(self) -> str:
        return f"{self.id}:{self.token}"

    def snapshot(self) -> dict:
        """Who this is, kept in the signed session cookie: while the database is down (or hangs), a worker
        started meanwhile still knows who is signed in, from the cookie alone."""
        return {
            "user_id": self.id,
            "username": self.username,
            "full_name": self.full_name,
            "role": self.role,
            "agency_id": self.agency_id,
            "agency_name": self.agency_name,
            "must_change_password": self.must_change_password,
        }

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.username, self.role, self.agency_id)


def current_actor() -> Actor | None:
    """The signed-in person, else the wall screen (kiosk) of this browser, or None."""
    if current_user.is_authenticated:
        return current_user.actor
    kiosk_id = _kiosk_id()
    if kiosk_id:
        return Actor(None, f"kiosk:{kiosk_id}", "viewer", kiosk_id=kiosk_id)
    return None


KIOSK_COOKIE = "kpi_wall"
KIOSK_DAYS = 365


def _kiosk_serializer():  # noqa: ANN202
    from flask import current_app
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.secret_key, salt="kpi-kiosk")


def _kiosk_id() -> int | None:
    """The wall-screen token of this browser: a cookie of its own, never a person's session."""
    raw = request.cookies.get(KIOSK_COOKIE)
    if not raw:
        return None
    from itsdangerous import BadSignature

    try:
        value = _kiosk_serializer().loads(raw, max_age=KIOSK_DAYS * 86400)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


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
        REMEMBER_COOKIE_DURATION=timedelta(days=REMEMBER_DAYS),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        KIOSK_COOKIE_SECURE=secure_cookies,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session that holds it
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
    server.add_url_rule("/logout", "logout", logout, methods=["GET", "POST"])
    server.add_url_rule("/doi-mat-khau", "password", password, methods=["GET", "POST"])
    server.before_request(_guard)

    @login_manager.user_loader
    def _load(cookie_id: str) -> LoginUser | None:
        user_id, _, token = cookie_id.partition(":")
        if not user_id.isdigit() or not token:
            return None  # a cookie from before sign-ins were known to the server
        try:
            with transaction(engine) as s:
                user = session_user(s, int(user_id), token)
                return LoginUser.of(user, token) if user is not None else None
        except DB_UNAVAILABLE:
            # The database is down or hangs: a person signed in keeps reading the cached pages (nothing can be
            # written meanwhile), known from the signed cookie, whichever worker answers; a sign-out, password
            # change or deactivation takes effect as soon as the database is back.
            who = session.get("who")
            if isinstance(who, dict) and who.get("user_id") == int(user_id):
                return LoginUser(**who, token=token)
            return None

    @server.errorhandler(429)
    def _too_many(_e):  # noqa: ANN001, ANN202
        if request.path.startswith("/login"):
            return _login_page(msg("auth.too_many"), status=429)
        return jsonify(error="too many requests"), 429


def _login_limit(server: Flask) -> str:
    """LOGIN_RATE_LIMIT from the app's settings (a load test signs many users in from one address), else the default."""
    config = server.extensions.get("kpi", {}).get("config")
    return getattr(config, "login_rate_limit", None) or LOGIN_LIMIT


def current_app_config(key: str, default: object = None) -> object:
    from flask import current_app

    return current_app.config.get(key, default)


def _engine() -> Engine:
    from flask import current_app

    return current_app.extensions["kpi_engine_for_auth"]


def _guard() -> Response | None:
    path = request.path
    if path.startswith(OPEN_PREFIXES):
        return None
    if kiosk_may_open(path) and request.args.get("token"):
        return _kiosk_sign_in()
    if current_user.is_authenticated:
        if getattr(current_user, "must_change_password", False) and path not in ("/doi-mat-khau", "/logout"):
            # A one-time password from the admin's sheet opens the password form and nothing else.
            if path.startswith("/_"):
                return jsonify(error="password change required"), 403
            return redirect("/doi-mat-khau" + ("?lang=en" if request.args.get("lang") == "en" else ""))
        return None
    kiosk_id = _kiosk_id()
    if kiosk_id:
        try:
            with transaction(_engine()) as s:
                live = kiosk_is_live(s, kiosk_id)
        except DB_UNAVAILABLE:
            live = True  # the database is down: the screen keeps its last data; a revocation waits for it
        if not live:
            response = redirect("/login")
            response.delete_cookie(KIOSK_COOKIE)
            return response
        if path == "/_dash-update-component":
            output = (request.get_json(silent=True) or {}).get("output", "")
            if not kiosk_may_call(str(output)):  # the wall's own callbacks, nothing else
                return jsonify(error="a wall screen reads the wall only"), 403
            return None
        if kiosk_may_open(path) or path in DASH_ENDPOINTS:
            return None
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
                t("nav_wall", _lang()),
                f"<div class='alert alert-danger'>{html.escape(t('auth.bad_kiosk', _lang()))}</div>",
            ),
            status=403,
        )
    rest = {k: v for k, v in request.args.items() if k != "token"}
    # The token leaves the address bar, so it is not shown on the screen. The wall screen gets a cookie of its
    # own: a person's session in this browser (an admin testing the link) is left as it is.
    response = redirect("/wall" + ("?" + urlencode(rest) if rest else ""))
    from flask import current_app

    response.set_cookie(
        KIOSK_COOKIE,
        _kiosk_serializer().dumps(token_id),
        max_age=KIOSK_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("KIOSK_COOKIE_SECURE", False),
    )
    return response


def _safe_next(target: str | None) -> str:
    """A path on this site to go to after signing in, else "/". Parsed, not pattern-matched: browsers drop tabs
    and newlines from URLs ("/\t/evil.example" becomes "//evil.example") and read "\\" as "/", so any of those,
    a scheme or a host refuse the target."""
    if not target or any(c.isspace() or ord(c) < 0x20 or c == "\\" for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _lang() -> str:
    """The language of a sign-in page: ``lang`` in the request, else the one of the page asked for (``next``)."""
    if request.values.get("lang") in LANGS:
        return request.values["lang"]
    nxt = urlsplit(request.values.get("next") or "").query
    return "en" if "lang=en" in nxt.split("&") else "vi"


def _page(title: str, body: str) -> str:
    """A sign-in, sign-out or password page, with a switch to the other language."""
    lang = _lang()
    other = {k: v for k, v in request.args.items() if k != "lang"} | {"lang": "vi" if lang == "en" else "en"}
    switch = f'<a class="small" id="lang-switch" href="?{html.escape(urlencode(other))}">{t("lang_switch", lang)}</a>'
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>
<link rel="stylesheet" href="/assets/00-bootstrap-5.3.9.min.css"></head>
<body class="bg-light"><main class="container" style="max-width:28rem;margin-top:8vh">
<div class="text-end">{switch}</div>
<h1 class="h4 mb-3">{html.escape(t("app_title", lang))}</h1>{body}</main></body></html>"""


def _login_page(error: Message | None = None, status: int = 200, next_url: str = "/", username: str = "") -> Response:
    lang = _lang()
    alert = f"<div class='alert alert-danger' id='login-error'>{html.escape(t(error, lang))}</div>" if error else ""
    body = f"""<h2 class="h5 mb-3">{t("auth.sign_in", lang)}</h2>{alert}
<form method="post" action="/login" id="login-form">
<input type="hidden" name="csrf_token" value="{generate_csrf()}">
<input type="hidden" name="next" value="{html.escape(next_url)}">
<input type="hidden" name="lang" value="{lang}">
<div class="mb-3"><label class="form-label" for="username">{t("col.username", lang)}</label>
<input class="form-control" id="username" name="username" autocomplete="username" required
 value="{html.escape(username)}"></div>
<div class="mb-3"><label class="form-label" for="password">{t("auth.password", lang)}</label>
<input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required>
</div>
<div class="form-check mb-3"><input class="form-check-input" type="checkbox" name="remember" id="remember" value="1">
<label class="form-check-label" for="remember">{t("auth.remember", lang)}</label></div>
<button class="btn btn-primary w-100" type="submit" id="login-submit">{t("auth.sign_in", lang)}</button></form>"""
    return Response(_page(t("auth.sign_in", lang), body), status=status)


def login_form() -> Response:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    return _login_page(next_url=_safe_next(request.args.get("next")))


def _csrf_ok() -> bool:
    """Whether the form carries this session's CSRF token (a form posted from another site does not)."""
    try:
        validate_csrf(request.form.get("csrf_token", ""))
    except ValidationError:
        return False
    return True


EXPIRED_FORM = "auth.expired_form"


def _sign_in(user: User, remember: bool, s) -> LoginUser:  # noqa: ANN001
    """Open a new sign-in for ``user`` in this browser: a fresh session (never a kiosk's long-lived one)."""
    login = LoginUser.of(user, open_session(s, user, remember))
    session.clear()
    session.permanent = False
    login_user(login, remember=remember, duration=timedelta(days=REMEMBER_DAYS))
    session["who"] = login.snapshot()
    return login


def login_submit() -> Response:
    username = request.form.get("username", "")[:80]
    next_url = _safe_next(request.form.get("next"))
    if not _csrf_ok():
        return _login_page(msg(EXPIRED_FORM), status=400, next_url=next_url, username=username)
    with transaction(_engine(), write=True) as s:
        user = authenticate(s, username, request.form.get("password", "")[:200])
        login = _sign_in(user, request.form.get("remember") == "1", s) if user else None
    if login is None:
        return _login_page(msg(GENERIC_ERROR), status=401, next_url=next_url, username=username)
    if next_url == "/" and login.role == AGENCY:
        next_url = "/viec-cua-toi"  # an agency lands on its own tasks
    return redirect(next_url)


def logout() -> Response:
    """Sign out (POST with the form's token): every sign-in of this person ends, on every device. A GET (an
    old link) asks first, so another site cannot sign anyone out."""
    if request.method == "GET" or not _csrf_ok():
        if not current_user.is_authenticated:
            return redirect("/login")
        lang = _lang()
        body = f"""<h2 class="h5 mb-3">{t("logout", lang)}</h2>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{generate_csrf()}">
<button class="btn btn-primary" type="submit" id="logout-submit">{t("logout", lang)}</button>
<a class="ms-2" href="/">{t("auth.stay", lang)}</a></form>"""
        return Response(_page(t("logout", lang), body), status=200 if request.method == "GET" else 400)
    if current_user.is_authenticated:
        try:
            with transaction(_engine(), write=True) as s:
                end_sessions(s, current_user.id)
        except DB_UNAVAILABLE:
            pass  # the cookies below are cleared anyway; the server forgets the sign-in when it can
    logout_user()
    session.clear()
    return redirect("/login")


def password() -> Response:
    if not current_user.is_authenticated:
        return redirect("/login?next=/doi-mat-khau")
    message, lang = "", _lang()
    if request.method == "POST":
        new, again = request.form.get("new", ""), request.form.get("again", "")
        try:
            if not _csrf_ok():
                raise AccountError(EXPIRED_FORM)
            if new != again:
                raise AccountError("acc.passwords_differ")
            remembered = bool(request.cookies.get(current_app_config("REMEMBER_COOKIE_NAME", "remember_token")))
            with transaction(_engine(), write=True) as s:
                user = change_password(s, current_user.id, request.form.get("old", ""), new)
                _sign_in(user, remembered, s)  # every other sign-in ended; this browser stays signed in
            message = f"<div class='alert alert-success' id='password-ok'>{t('auth.password_changed', lang)}</div>"
        except AccountError as exc:
            message = f"<div class='alert alert-danger' id='password-error'>{html.escape(exc.text(lang))}</div>"
    if getattr(current_user, "must_change_password", False) and not message:
        message = f"<div class='alert alert-warning' id='password-required'>{t('auth.one_time', lang)}</div>"
    home = "/?lang=en" if lang == "en" else "/"
    body = f"""<h2 class="h5 mb-3">{t("change_password", lang)}</h2>{message}
<form method="post"><input type="hidden" name="csrf_token" value="{generate_csrf()}">
<input type="hidden" name="lang" value="{lang}">
<div class="mb-3"><label class="form-label" for="old">{t("auth.current_password", lang)}</label>
<input class="form-control" id="old" name="old" type="password" required></div>
<div class="mb-3"><label class="form-label" for="new">{t("auth.new_password", lang)}</label>
<input class="form-control" id="new" name="new" type="password" required></div>
<div class="mb-3"><label class="form-label" for="again">{t("auth.again", lang)}</label>
<input class="form-control" id="again" name="again" type="password" required></div>
<button class="btn btn-primary" type="submit">{t("change_password", lang)}</button>
<a class="ms-2" href="{home}">{t("auth.home", lang)}</a></form>"""
    return Response(_page(t("change_password", lang), body))
