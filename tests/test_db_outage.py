"""The database stops while the site runs: pages keep their last data under a warning, never an error
page, and recover by themselves when it is back. PostgreSQL behind a relay the test cuts and restores."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from dash.testing.wait import until
from dbproxy import DbProxy
from sqlalchemy import create_engine, make_url, text
from webclient import call, login, response_text

from dashboard.config import Config
from dashboard.demo import build_demo
from dashboard.store import make_engine, normalize_url
from webapp import create_app

TODAY = date(2026, 11, 27)


@pytest.fixture
def outage():  # noqa: ANN201
    """(app, proxy): the demo on a private PostgreSQL schema, reached by the app through the relay."""
    import os

    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    url = make_url(normalize_url(base))
    schema = f"o_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    direct = url.update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(direct.render_as_string(hide_password=False))
    build_demo(engine, TODAY)
    engine.dispose()
    proxy = DbProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    via_proxy = direct.set(port=proxy.port).render_as_string(hide_password=False)
    app = create_app(Config(database_url=via_proxy, secret_key="test", today=TODAY, poll_seconds=1))
    yield app, proxy
    proxy.stop()
    app.server.extensions["kpi"]["engine"].dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def page(app, client, path: str, search: str = "?plan=1", version: int = 0):  # noqa: ANN001, ANN201
    return call(app, client, "url", {"url.pathname": path, "url.search": search, "data-version.data": version})


def test_pages_serve_their_last_data_while_the_database_is_down(outage) -> None:  # noqa: ANN001
    app, proxy = outage
    client = login(app, "lanhdao")
    good = {path: response_text(page(app, client, path)) for path in ("/", "/canh-bao", "/tien-do")}
    assert all("db-down" not in text for text in good.values())
    poll = call(app, client, "poll", {"poll.n_intervals": 1, "data-version.data": 0})
    version = poll.get_json()["response"]["data-version"]["data"]
    assert version > 0

    proxy.stop()
    for path, before in good.items():
        resp = page(app, client, path)
        assert resp.status_code == 200, path
        now = response_text(resp)
        assert "Mất kết nối cơ sở dữ liệu: đang hiển thị dữ liệu lúc" in now, path
        assert "flags-heading" not in before or "flags-heading" in now
    # The flags page shows the same flags as before the outage.
    assert response_text(page(app, client, "/canh-bao")).count("flag-row") == good["/canh-bao"].count("flag-row")
    # A page never built before says so, still without an error.
    fresh = page(app, client, "/canh-bao", "?plan=2")
    assert fresh.status_code == 200 and "chưa có dữ liệu lưu tạm" in response_text(fresh)
    # The poll notices the outage once (version -1) so that open pages show the warning.
    down = call(app, client, "poll", {"poll.n_intervals": 2, "data-version.data": version})
    assert down.get_json()["response"]["data-version"]["data"] == -1
    # The wall keeps its views (no update rather than an error), the health check tells the truth.
    wall = call(app, client, "wall-refresh", {"wall-refresh.n_intervals": 3, "wall-config.data": {"plan": 1}})
    assert wall.status_code == 200 and wall.get_json()["response"] == {}
    assert app.server.test_client().get("/healthz").status_code == 503
    # A page load still gets the app (the signed-in user is known to this process), not an error page.
    assert client.get("/").status_code == 200
    # Anything that needs the database answers 503 with a short message, never a traceback.
    save = call(app, client, "mw-save-task", {"mw-save-task.n_clicks": 1})
    assert save.status_code in (503, 204, 200) and "Traceback" not in response_text(save)

    proxy.start()
    back = call(app, client, "poll", {"poll.n_intervals": 4, "data-version.data": -1})
    assert back.get_json()["response"]["data-version"]["data"] == version
    assert "db-down" not in response_text(page(app, client, "/canh-bao", version=version))
    assert app.server.test_client().get("/healthz").status_code == 200


@pytest.mark.browser
def test_an_open_page_warns_and_heals_by_itself(dash_duo, outage) -> None:  # noqa: ANN001
    from webclient import browser_login

    app, proxy = outage
    dash_duo.start_server(app, navigate=False)
    browser_login(dash_duo.driver, dash_duo.server.url, "lanhdao")
    dash_duo.driver.get(dash_duo.server.url + "/canh-bao?plan=1")
    heading = dash_duo.wait_for_element("#flags-heading", timeout=30).text
    proxy.stop()
    dash_duo.wait_for_element("#db-down", timeout=20)
    dash_duo.wait_for_text_to_equal("#flags-heading", heading, timeout=10)  # the last data stays on screen
    proxy.start()
    until(lambda: not dash_duo.driver.find_elements("css selector", "#db-down"), timeout=20)
    dash_duo.wait_for_text_to_equal("#flags-heading", heading, timeout=10)
