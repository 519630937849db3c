"""Sign-in, the request guard, cookies, rate limiting, kiosk tokens, passwords (over HTTP)."""

from pathlib import Path

import pytest
from sqlalchemy import select
from webclient import demo_app, form_token, kiosk, login, post_form, response_text

from dashboard.accounts.users import SYSTEM, revoke_kiosk_token, set_active
from dashboard.store.database import make_engine, transaction
from dashboard.store.models import KioskToken, User


@pytest.fixture
def app(tmp_path: Path):  # noqa: ANN201
    return demo_app(tmp_path)


def engine_of(app):  # noqa: ANN001, ANN201
    return app.server.extensions["kpi"]["engine"]


@pytest.mark.parametrize("path", ["/", "/canh-bao?plan=1", "/viec-cua-toi", "/quan-tri", "/wall", "/doi-mat-khau"])
def test_pages_redirect_to_login(app, path: str) -> None:  # noqa: ANN001
    resp = app.server.test_client().get(path)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", ["/_dash-layout", "/_dash-dependencies"])
def test_dash_endpoints_answer_401_not_a_redirect(app, path: str) -> None:  # noqa: ANN001
    resp = app.server.test_client().get(path)
    assert resp.status_code == 401 and resp.get_json() == {"error": "authentication required"}
    resp = app.server.test_client().post("/_dash-update-component", json={})
    assert resp.status_code == 401


def test_assets_login_and_health_are_open(app) -> None:  # noqa: ANN001
    client = app.server.test_client()
    assert client.get("/assets/style.css").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_login_error_is_generic(app) -> None:  # noqa: ANN001
    client = app.server.test_client()
    wrong_password = post_form(client, "/login", {"username": "admin", "password": "nope-nope"})
    unknown_user = post_form(client, "/login", {"username": "khong-co", "password": "nope-nope"})
    assert wrong_password.status_code == unknown_user.status_code == 401
    for resp in (wrong_password, unknown_user):
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in resp.get_data(as_text=True)
    assert "admin" in wrong_password.get_data(as_text=True)  # the username is kept in the form, nothing more


def test_session_cookie_flags(app) -> None:  # noqa: ANN001
    client = app.server.test_client()
    resp = post_form(client, "/login", {"username": "admin", "password": "admin-demo-2026", "remember": "1"})
    cookies = resp.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    for c in (session, remember):
        assert "HttpOnly" in c and "SameSite=Lax" in c
        assert "Secure" not in c  # plain HTTP here


def test_secure_cookies_over_https(tmp_path: Path) -> None:
    app = demo_app(tmp_path, secure_cookies=True)
    client = app.server.test_client()
    token = form_token(client)  # the token page over HTTP; the cookie flags are read off the HTTPS answer
    resp = client.post(
        "/login",
        data={"username": "admin", "password": "admin-demo-2026", "csrf_token": token},
        base_url="https://localhost",
    )
    assert "Secure" in next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("session="))


def test_login_is_rate_limited(app) -> None:  # noqa: ANN001
    client = app.server.test_client()
    token = form_token(client)
    attempts = [{"username": "admin", "password": f"wrong-{i}", "csrf_token": token} for i in range(11)]
    codes = [client.post("/login", data=data).status_code for data in attempts]
    assert codes[:10] == [401] * 10
    assert codes[10] == 429
    blocked = post_form(client, "/login", {"username": "admin", "password": "admin-demo-2026"})
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.get_data(as_text=True)


def test_agency_lands_on_its_work_and_logout(app) -> None:  # noqa: ANN001
    client = app.server.test_client()
    resp = post_form(client, "/login", {"username": "sokhcn.thainguyen", "password": "donvi-demo-2026"})
    assert resp.headers["Location"] == "/viec-cua-toi"
    assert client.get("/").status_code == 200
    assert client.get("/logout").status_code == 200  # a GET only asks
    assert client.get("/").status_code == 200
    assert post_form(client, "/logout", {}, token_from="/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_open_redirects_are_refused(app) -> None:  # noqa: ANN001
    client = app.server.test_client()
    resp = post_form(client, "/login", {"username": "admin", "password": "admin-demo-2026", "next": "//evil.example"})
    assert resp.headers["Location"] == "/"


def test_disabled_user_is_signed_out_and_cannot_sign_in(app) -> None:  # noqa: ANN001
    client = login(app, "xem")
    with transaction(engine_of(app)) as s:
        xem = s.scalar(select(User).where(User.username == "xem"))
        set_active(s, SYSTEM, xem.id, False)
    assert client.get("/").status_code == 302
    resp = post_form(app.server.test_client(), "/login", {"username": "xem", "password": "xem-demo-2026"})
    assert resp.status_code == 401


def test_change_password(app) -> None:  # noqa: ANN001
    client = login(app, "xem")
    resp = post_form(
        client,
        "/doi-mat-khau",
        {"old": "sai-mat-khau", "new": "mat-khau-moi-1", "again": "mat-khau-moi-1"},
        token_from="/doi-mat-khau",
    )
    assert "Mật khẩu hiện tại không đúng." in resp.get_data(as_text=True)
    resp = post_form(
        client, "/doi-mat-khau", {"old": "xem-demo-2026", "new": "ngan", "again": "ngan"}, token_from="/doi-mat-khau"
    )
    assert "ít nhất 8 ký tự" in resp.get_data(as_text=True)
    resp = post_form(
        client,
        "/doi-mat-khau",
        {"old": "xem-demo-2026", "new": "mat-khau-moi-1", "again": "mat-khau-moi-1"},
        token_from="/doi-mat-khau",
    )
    assert "Đã đổi mật khẩu." in resp.get_data(as_text=True)
    fresh = app.server.test_client()
    assert post_form(fresh, "/login", {"username": "xem", "password": "mat-khau-moi-1"}).status_code == 302


def test_kiosk_token_signs_in_the_wall_only(app) -> None:  # noqa: ANN001
    client = kiosk(app)
    set_cookie = client.get("/wall?plan=1")
    assert set_cookie.status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/").headers["Location"] == "/wall"
    assert client.get("/viec-cua-toi").headers["Location"] == "/wall"
    from webclient import call

    page = call(app, client, "url", {"url.pathname": "/", "url.search": ""})
    assert "Bạn không có quyền xem trang này." in response_text(page)
    wall = call(app, client, "url", {"url.pathname": "/wall", "url.search": "?plan=1"})
    assert "wall-root" in response_text(wall)


def test_bad_or_revoked_kiosk_token(app) -> None:  # noqa: ANN001
    assert app.server.test_client().get("/wall?token=doan-bua").status_code == 403
    client = kiosk(app)
    with transaction(engine_of(app)) as s:
        token = s.scalar(select(KioskToken))
        revoke_kiosk_token(s, SYSTEM, token.id)
    assert client.get("/wall").status_code == 302  # back to the login page
    assert client.get("/_dash-layout").status_code == 401
    assert app.server.test_client().get("/wall?token=man-hinh-demo-2026").status_code == 403


def test_the_demo_has_one_user_per_role(app) -> None:  # noqa: ANN001
    with transaction(make_engine(str(engine_of(app).url))) as s:
        roles = {u.username: (u.role, u.agency.name if u.agency else None) for u in s.scalars(select(User))}
    assert roles == {
        "admin": ("admin", None),
        "lanhdao": ("leader", None),
        "sokhcn.thainguyen": ("agency", "Sở Khoa học và Công nghệ"),
        "congan.laocai": ("agency", "Công an tỉnh"),
        "xem": ("viewer", None),
    }


def test_rate_limit_counts_per_client_behind_a_proxy(tmp_path: Path) -> None:
    app = demo_app(tmp_path, trust_proxy=True)
    client = app.server.test_client()

    token = form_token(client)

    def attempt(ip: str) -> int:
        data = {"username": "admin", "password": "sai-mat-khau", "csrf_token": token}
        return client.post("/login", data=data, headers={"X-Forwarded-For": ip}).status_code

    assert [attempt("10.0.0.1") for _ in range(11)][-1] == 429
    assert attempt("10.0.0.2") == 401  # another person behind the same proxy is not locked out
