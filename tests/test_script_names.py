"""A task named with `<script>` and an `onerror` image shows as text on every page and in every export."""

from __future__ import annotations

import base64
import csv
import io
import json
import zipfile
from datetime import date

import pytest
from dash.testing.wait import until
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import delete, select
from webclient import TODAY, browser_login, call, demo_app, login, report_file

from dashboard.kpi.deadlines import DATE
from dashboard.kpi.status import OVERDUE
from dashboard.reads.filters import Filters
from dashboard.reads.page_data import load_context
from dashboard.store import latest as kept
from dashboard.store.database import bump_data_version, transaction
from dashboard.store.models import Task, TaskUpdate, User

HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> Rà soát quy trình'
MARK = "<script>window.__xss=1</script>"


def plant(app) -> dict:  # noqa: ANN001
    """Rename an overdue dated task of Sở KH&CN Thái Nguyên; returns its plan, agency and code."""
    engine = app.server.extensions["kpi"]["engine"]
    with transaction(engine) as s:
        agency_id = s.scalar(select(User.agency_id).where(User.username == "sokhcn.thainguyen"))
        ctx = load_context(s, Filters(plan=1), TODAY)
        row = next(t for t in ctx.tasks if t.deadline_kind == DATE and agency_id in t.lead_ids)
        task = s.get(Task, row.id)
        task.name, task.due_date = HOSTILE, date(2026, 6, 30)  # overdue, so it is a red flag too
        s.execute(delete(TaskUpdate).where(TaskUpdate.task_id == task.id))
        kept.keep_tasks(s, [task.id])  # its reports removed behind the writers' back: keep its rows as they would
        bump_data_version(s)
        assert next(t for t in load_context(s, Filters(plan=1), TODAY).tasks if t.id == task.id).status == OVERDUE
    return {"plan": 1, "agency": agency_id, "code": row.code}


@pytest.fixture(scope="module")
def app(tmp_path_factory):  # noqa: ANN001, ANN201
    app = demo_app(tmp_path_factory.mktemp("script"))
    app.planted = plant(app)
    return app


def fetch(app, client, what: str, fmt: str) -> bytes:  # noqa: ANN001
    key = '{"fmt":["ALL"],"type":"export","what":["ALL"]}'
    trigger = {"fmt": fmt, "type": "export", "what": what}
    resp = call(app, client, key, {f"{key}.n_clicks": [(trigger, 1)], "url.search": "?plan=1"}, trigger=trigger)
    assert resp.status_code == 200, resp.data[:300]
    return base64.b64decode(resp.get_json()["response"]["download"]["data"]["content"])


def test_every_export_keeps_the_name_as_text(app) -> None:  # noqa: ANN001
    client = login(app, "lanhdao")
    for what in ("tasks", "flags"):
        book = load_workbook(io.BytesIO(fetch(app, client, what, "xlsx")))
        cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert any(isinstance(v, str) and HOSTILE in v for v in cells), what
        rows = list(csv.reader(io.StringIO(fetch(app, client, what, "csv").decode("utf-8-sig"))))
        assert any(HOSTILE in cell for row in rows for cell in row), what
    tracking = json.loads(fetch(app, client, "tracking", "json"))
    assert any(r["name"] == HOSTILE for r in tracking)
    rows = list(csv.reader(io.StringIO(fetch(app, client, "tracking", "csv").decode("utf-8-sig"))))
    assert any(HOSTILE in row for row in rows)
    briefing, _ = report_file(app, client, "briefing", "?plan=1")
    pack, _ = report_file(app, client, "pack", "?plan=1")
    with zipfile.ZipFile(io.BytesIO(pack)) as files:
        own = files.read("so-khoa-hoc-va-cong-nghe.pdf")  # the agency that leads the renamed task
    for what, data in (("briefing", briefing), ("the agency's pack PDF", own)):
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)
        assert MARK in text, what  # printed as characters, not swallowed as markup
    slides, _ = report_file(app, client, "slides", "?plan=1")
    cells = [
        c.text
        for sl in Presentation(io.BytesIO(slides)).slides
        for sh in sl.shapes
        if sh.has_table
        for c in sh.table.iter_cells()
    ]
    assert any(MARK in c for c in cells)  # its red flag, as text on a slide


PAGES = [
    ("/?plan=1", "#headline-gauges", False),
    ("/don-vi?plan=1&agency={agency}", "#page-content", True),
    ("/tien-do?plan=1", "#page-content", True),
    ("/canh-bao?plan=1", "#flags-heading", True),
    ("/viec-cua-toi?plan=1", "#page-content", True),
]
JS_TEXT = "return document.getElementById('root').innerText + ' ' + document.body.textContent"
JS_SVG = "return Array.from(document.querySelectorAll('svg text')).map(t => t.textContent).join(' ')"
JS_INJECTED = "return window.__xss === undefined && document.querySelectorAll('#root script, #root img[src=x]').length"


@pytest.mark.browser
def test_every_page_and_the_wall_show_the_name_as_text(dash_duo, app) -> None:  # noqa: ANN001
    dash_duo.start_server(app, navigate=False)
    driver, base = dash_duo.driver, dash_duo.server.url
    browser_login(driver, base, "sokhcn.thainguyen")
    for path, ready, listed in PAGES:
        driver.get(base + path.format(**app.planted))
        dash_duo.wait_for_element(ready, timeout=30)
        if listed:
            until(lambda: MARK in driver.execute_script(JS_TEXT) + driver.execute_script(JS_SVG), timeout=20)
        assert driver.execute_script(JS_INJECTED) == 0, path
    # the timeline's chart labels carry the name as text too
    driver.get(base + "/tien-do?plan=1")
    until(lambda: MARK in driver.execute_script(JS_SVG), timeout=20)
    assert driver.execute_script(JS_INJECTED) == 0

    driver.delete_all_cookies()
    driver.get(base + "/wall?token=man-hinh-demo-2026&plan=1")
    dash_duo.wait_for_element("#wall-root", timeout=30)
    until(lambda: MARK in driver.execute_script("return document.body.textContent"), timeout=30)
    assert driver.execute_script(JS_INJECTED.replace("#root", "#wall-root")) == 0
    assert [e for e in dash_duo.get_logs() or [] if e.get("level") == "SEVERE"] == []
