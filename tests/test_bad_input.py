"""Hundreds of generated malformed files through the importer and the Excel figures upload.

Whatever arrives, the answer is a clear message naming the file (and row where it can), never a
traceback, and a refused file leaves every row of the database as it was.
"""

from __future__ import annotations

import base64
import io
import json
from datetime import date
from pathlib import Path

import pytest
from conftest import TN, content
from malformed import figure_inputs, plan_inputs
from openpyxl import load_workbook
from sqlalchemy import select
from webclient import call, demo_app, login

from dashboard.exports.figures_template import build_template
from dashboard.importers import PlanImportError, import_file
from dashboard.kpi.figure_origin import fed_by_sources
from dashboard.store.database import transaction
from dashboard.store.models import Agency, Plan, Province, User
from dashboard.updates import reported_indicators


def test_importer_refuses_malformed_files_cleanly(engine, tmp_path: Path) -> None:  # noqa: ANN001
    import_file(engine, TN)  # a database that has something to lose
    crashes, unnamed, changed = [], [], []
    outcomes = {"imported": 0, "refused": 0}
    before = content(engine)  # read again only when a case changed it: one read per case, not two
    for case, filename, data in plan_inputs():
        path = tmp_path / filename
        path.write_bytes(data)
        try:
            import_file(engine, path, province="Thái Nguyên", year=2026)
            outcomes["imported"] += 1
            before = content(engine)
        except PlanImportError as exc:
            outcomes["refused"] += 1
            message = str(exc)
            if filename not in message or "Traceback" in message or len(message) > 600:
                unnamed.append((case, message[:200]))
            after = content(engine)
            if after != before:
                changed.append(case)
                before = after
        except Exception as exc:  # noqa: BLE001 - the point: collect every crash, not only the first
            crashes.append((case, f"{exc.__class__.__name__}: {str(exc)[:200]}"))
    assert crashes == []
    assert unnamed == []
    assert changed == []
    assert sum(outcomes.values()) >= 350 and outcomes["refused"] >= 150, outcomes


@pytest.fixture(scope="module")
def app(tmp_path_factory):  # noqa: ANN001, ANN201
    return demo_app(tmp_path_factory.mktemp("badinput"))


def _engine(app):  # noqa: ANN001, ANN202
    return app.server.extensions["kpi"]["engine"]


def _text(resp) -> str:  # noqa: ANN001
    assert resp.status_code == 200, resp.data[:300]
    return json.dumps(resp.get_json()["response"], ensure_ascii=False)


def test_admin_upload_of_malformed_plans_shows_the_reason(app) -> None:  # noqa: ANN001
    client = login(app, "admin")
    cases = list(plan_inputs())[::9]  # a sample of every kind, through the page
    for case, filename, data in cases:
        before = content(_engine(app))
        body = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
        text = _text(call(app, client, "adm-import", {"adm-import.contents": body, "adm-import.filename": filename}))
        assert "Traceback" not in text, case
        if "adm-import-error" in text:
            assert filename in text and "dữ liệu giữ nguyên" in text, case
        else:
            assert "adm-import-preview" in text, case
        assert content(_engine(app)) == before, case  # a preview saves nothing, a refusal neither


def _prefilled_template(app) -> tuple[bytes, dict]:  # noqa: ANN001
    with transaction(_engine(app)) as s:
        user = s.scalar(select(User).where(User.username == "sokhcn.thainguyen"))
        agency = s.get(Agency, user.agency_id)
        plan = s.scalar(select(Plan).join(Province).where(Province.id == agency.province_id))
        inds = reported_indicators(s, agency.id, plan.id)
        fed = fed_by_sources(s, [i.id for i in inds])  # as the page builds it: source-fed KPIs marked
        tpl = build_template(inds, agency.id, agency.name, date(2026, 11, 1), {}, fed)
        context = {"agency_id": agency.id, "plan_id": plan.id}
    wb = load_workbook(io.BytesIO(tpl))
    ws = wb["Số liệu"]
    for row in ws.iter_rows(min_row=2):  # a plausible month: every ratio 5/10, every value 3
        if row[3].value == "Tỷ lệ":
            row[4].value, row[5].value = 5, 10
        elif row[3].value == "Giá trị":  # a KPI a source feeds is left blank, as its row says
            row[6].value = 3
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), context


def test_figures_upload_of_malformed_workbooks_never_breaks(app) -> None:  # noqa: ANN001
    client = login(app, "sokhcn.thainguyen")
    template, context = _prefilled_template(app)
    cases = list(figure_inputs(template))
    assert len(cases) >= 150
    saved = refused = 0
    accepted = []  # previews that offer to save
    # Previews never write: one look at the whole store after all of them proves it (a look per case read
    # every row of every table 150 times, half of this test's time).
    before = content(_engine(app))
    for case, filename, data in cases:
        body = "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,"
        resp = call(
            app,
            client,
            "mw-upload",
            {
                "mw-upload.contents": body + base64.b64encode(data).decode(),
                "mw-upload.filename": filename,
                "mw-month.value": "2026-11-01",
                "mw-context.data": context,
            },
        )
        text = _text(resp)
        assert "Traceback" not in text, case
        outputs = resp.get_json()["response"]
        stored = outputs["mw-upload-data"]["data"]
        if not stored:
            assert outputs["mw-upload-save"]["disabled"] is True, case
            refused += 1
        else:
            accepted.append((case, stored))
    assert content(_engine(app)) == before  # no preview wrote anything
    for case, stored in accepted:
        resp = call(app, client, "mw-upload-save", {"mw-upload-save.n_clicks": 1, "mw-upload-data.data": stored})
        text = _text(resp)
        assert "Traceback" not in text, case
        if "Đã lưu từ tệp" in text:
            saved += 1
            before = content(_engine(app))
        else:
            assert content(_engine(app)) == before, case  # a refused save writes nothing
            refused += 1
    assert refused >= 100 and saved >= 1, (saved, refused)


@pytest.mark.parametrize("number", [float("nan"), float("inf"), "-inf", "1e999", "NaN"])
def test_forged_upload_with_non_finite_numbers_is_refused(app, number) -> None:  # noqa: ANN001
    client = login(app, "sokhcn.thainguyen")
    _, context = _prefilled_template(app)
    with transaction(_engine(app)) as s:
        inds = reported_indicators(s, context["agency_id"], context["plan_id"])
        plain = next(i for i in inds if not i.is_ratio)
        ratio = next(i for i in inds if i.is_ratio)
    before = content(_engine(app))
    for row in (
        {"indicator_id": plain.id, "numerator": None, "denominator": None, "value": number, "row": "Dòng 2"},
        {"indicator_id": ratio.id, "numerator": 1, "denominator": number, "value": None, "row": "Dòng 3"},
    ):
        stored = {"agency_id": context["agency_id"], "month": "2026-11-01", "rows": [row]}
        text = _text(call(app, client, "mw-upload-save", {"mw-upload-save.n_clicks": 1, "mw-upload-data.data": stored}))
        assert "Đã lưu" not in text and "số hữu hạn" in text
    assert content(_engine(app)) == before
