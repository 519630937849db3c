"""Sessions end when they should (issue 13): sign-outs, password changes and resets, deactivations end every
cookie of the user; remember cookies rotate and expire; the wall's kiosk cookie never becomes a person's
session; sign-in and sign-out need the form's token; ``next`` stays on the site."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from webclient import PASSWORDS, call, demo_app, form_token, kiosk, login, post_form

from dashboard import clock
from dashboard.accounts.users import SYSTEM, reset_password, set_active
from dashboard.store.database import transaction
from dashboard.store.models import User, UserSession


@pytest.fixture(scope="module")
def app(tmp_path_factory):  # noqa: ANN001, ANN201
    return demo_app(tmp_path_factory.mktemp("sessions"), login_rate_limit="1000 per minute")


def engine_of(app):  # noqa: ANN001, ANN201
    return app.server.extensions["kpi"]["engine"]


def cookies(client) -> dict[str, str]:  # noqa: ANN001
    return {c.key: c.value for c in client._cookies.values()}


def stolen(app, client):  # noqa: ANN001, ANN201
    """Another browser holding a copy of ``client``'s cookies (a cookie someone kept)."""
    other = app.server.test_client()
    for name, value in cookies(client).items():
        other.set_cookie(name, value)
    return other


def signed_in(client) -> bool:  # noqa: ANN001
    return client.get("/").status_code == 200 and client.post("/_dash-update-component", json={}).status_code != 401


def user_id(app, username: str) -> int:  # noqa: ANN001
    with transaction(engine_of(app)) as s:
        return s.scalar(select(User.id).where(User.username == username))


def test_sign_out_ends_every_cookie_of_the_user(app) -> None:  # noqa: ANN001
    phone, desk = login(app, "lanhdao"), login(app, "lanhdao", remember=True)
    kept = stolen(app, phone)
    assert signed_in(kept) and signed_in(desk)
    assert post_form(phone, "/logout", {}, token_from="/logout").status_code == 302
    assert not signed_in(phone)
    assert not signed_in(kept)  # the old session cookie no longer works
    assert not signed_in(desk)  # nor another device's, nor its remember cookie
    with transaction(engine_of(app)) as s:
        assert s.scalar(select(UserSession).where(UserSession.user_id == user_id(app, "lanhdao"))) is None


def test_a_password_change_ends_the_other_sessions(app) -> None:  # noqa: ANN001
    here, elsewhere = login(app, "xem"), login(app, "xem", remember=True)
    resp = post_form(
        here,
        "/doi-mat-khau",
        {"old": PASSWORDS["xem"], "new": "mat-khau-moi-99", "again": "mat-khau-moi-99"},
        token_from="/doi-mat-khau",
    )
    assert "Đã đổi mật khẩu." in resp.get_data(as_text=True)
    assert signed_in(here)  # the browser that changed it stays signed in
    assert not signed_in(elsewhere)
    with transaction(engine_of(app)) as s:  # put the demo password back for the other tests
        reset_password(s, SYSTEM, user_id(app, "xem"), PASSWORDS["xem"])
    assert not signed_in(here)  # an admin reset ends every session, this one too


def test_deactivation_ends_remembered_sign_ins(app) -> None:  # noqa: ANN001
    client = login(app, "congan.laocai", remember=True)
    assert signed_in(client)
    with transaction(engine_of(app)) as s:
        set_active(s, SYSTEM, user_id(app, "congan.laocai"), False)
    assert not signed_in(client)
    with transaction(engine_of(app)) as s:
        set_active(s, SYSTEM, user_id(app, "congan.laocai"), True)
    assert not signed_in(client)  # re-enabling does not revive the old cookies


def test_remember_cookies_rotate_and_expire_on_the_server(app) -> None:  # noqa: ANN001
    first, second = login(app, "admin", remember=True), login(app, "admin", remember=True)
    assert cookies(first)["remember_token"] != cookies(second)["remember_token"]
    remembered = app.server.test_client()  # a browser that kept only the remember cookie (closed and reopened)
    remembered.set_cookie("remember_token", cookies(first)["remember_token"])
    assert signed_in(remembered)
    with transaction(engine_of(app)) as s:
        s.execute(
            update(UserSession)
            .where(UserSession.user_id == user_id(app, "admin"))
            .values(expires_at=clock.now() - timedelta(seconds=1))
        )
    again = app.server.test_client()
    again.set_cookie("remember_token", cookies(first)["remember_token"])
    assert not signed_in(again)


def test_a_person_signing_in_on_the_wall_browser_gets_a_session_of_their_own(app) -> None:  # noqa: ANN001
    client = kiosk(app)
    assert "kpi_wall" in cookies(client)
    resp = post_form(client, "/login", {"username": "lanhdao", "password": PASSWORDS["lanhdao"]})
    session_cookie = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Expires" not in session_cookie and "Max-Age" not in session_cookie  # ends with the browser
    assert client.get("/quan-tri").status_code == 200  # the person, not the wall screen


def test_a_wall_link_does_not_replace_an_admins_session(app) -> None:  # noqa: ANN001
    admin = login(app, "admin")
    before = cookies(admin)["session"]
    resp = admin.get("/wall?token=man-hinh-demo-2026&plan=1")
    assert resp.status_code == 302
    assert cookies(admin)["session"] == before
    assert signed_in(admin) and admin.get("/quan-tri").status_code == 200


def test_sign_in_and_sign_out_need_the_forms_token(app) -> None:  # noqa: ANN001
    forged = app.server.test_client()
    resp = forged.post("/login", data={"username": "admin", "password": PASSWORDS["admin"]})
    assert resp.status_code == 400 and "Hãy thử lại" in resp.get_data(as_text=True)
    assert not signed_in(forged)  # another site cannot sign a browser into someone's account
    client = login(app, "lanhdao")
    assert client.get("/logout").status_code == 200 and signed_in(client)  # a link only asks
    assert client.post("/logout", data={}).status_code == 400 and signed_in(client)  # a forged form fails
    assert post_form(client, "/logout", {}, token_from="/logout").status_code == 302 and not signed_in(client)
    other = login(app, "lanhdao")
    resp = other.post("/doi-mat-khau", data={"old": PASSWORDS["lanhdao"], "new": "x" * 12, "again": "x" * 12})
    assert "Hãy thử lại" in resp.get_data(as_text=True) and signed_in(other)


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/\n/evil.example",
        "javascript:x",
    ],
)
def test_next_stays_on_the_site(app, target: str) -> None:  # noqa: ANN001
    client = app.server.test_client()
    token = form_token(client)
    resp = client.post(
        "/login", data={"username": "admin", "password": PASSWORDS["admin"], "next": target, "csrf_token": token}
    )
    assert resp.headers["Location"] == "/"
    assert login(app, "admin").get(f"/login?next={target}").headers["Location"] == "/"


def test_a_same_site_next_is_kept(app) -> None:  # noqa: ANN001
    client = app.server.test_client()
    resp = post_form(
        client, "/login", {"username": "admin", "password": PASSWORDS["admin"], "next": "/canh-bao?plan=1"}
    )
    assert resp.headers["Location"] == "/canh-bao?plan=1"


def test_a_database_outage_is_not_a_sign_out(app, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    client = login(app, "lanhdao")
    import dashboard.accounts.auth as auth

    def down(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise OperationalError("SELECT", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(auth, "session_user", down)
    # a worker that never saw this user (started during the outage) knows them from the signed cookie
    resp = call(app, client, "url", {"url.pathname": "/canh-bao", "url.search": "?plan=1"})
    assert resp.status_code == 200, resp.data[:300]
    assert "lanhdao" in json.dumps(resp.get_json(), ensure_ascii=False)  # signed in as themselves


def test_a_slow_statement_is_cancelled_before_a_worker_is_killed() -> None:
    from conftest import _pg_url
    from sqlalchemy import text

    from dashboard.store.database import ANSWER_GRACE_S, DB_TIMEOUT_S, make_engine

    if not _pg_url():
        pytest.skip("TEST_DATABASE_URL is not set")
    assert DB_TIMEOUT_S + ANSWER_GRACE_S < 30  # gunicorn's worker timeout
    engine = make_engine(_pg_url())
    with engine.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "20s"
    engine.dispose()
    engine = make_engine(_pg_url(), 2)
    with engine.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "2s"
        with pytest.raises(OperationalError, match="canceling statement"):
            conn.execute(text("SELECT pg_sleep(5)"))
    engine.dispose()


def test_db_timeout_must_fit_inside_a_web_worker(monkeypatch) -> None:  # noqa: ANN001
    from dashboard.config import Config

    monkeypatch.setenv("DB_TIMEOUT", "8")
    assert Config.from_env().db_timeout_s == 8
    for bad in ("0", "40", "soon"):
        monkeypatch.setenv("DB_TIMEOUT", bad)
        with pytest.raises(SystemExit, match="DB_TIMEOUT"):
            Config.from_env()


def test_two_sites_sharing_one_redis_never_read_each_others_pages() -> None:
    from dashboard.reads.plan_cache import key_prefix

    one = key_prefix("postgresql://kpi:secret@db/thai_nguyen")
    assert one == key_prefix("postgres://kpi:other-secret@db/thai_nguyen")  # the password is not the site
    assert one != key_prefix("postgresql://kpi:secret@db/dong_thap")
    assert key_prefix("sqlite:///a/kpi.db") != key_prefix("sqlite:///b/kpi.db")


def test_a_silent_database_is_probed_once_every_few_seconds_not_by_every_request(monkeypatch) -> None:  # noqa: ANN001
    from dashboard.store import database

    now = [1000.0]
    monkeypatch.setattr(database.time, "monotonic", lambda: now[0])
    patience = database.AnswerPatience(23)
    assert patience.probe_now() and patience.limit() == 23  # nothing suspected: every request tries, fully
    patience.ran_out()
    assert patience.limit() == 5 and not patience.probe_now()  # suspected: the others fail at once
    now[0] += 2.5
    assert patience.probe_now() and not patience.probe_now()  # one probe per 2 s
    patience.answered()
    assert patience.probe_now() and patience.probe_now() and patience.limit() == 23
    patience.ran_out()
    now[0] += 31  # suspicion lapses by itself
    assert patience.probe_now() and patience.limit() == 23
