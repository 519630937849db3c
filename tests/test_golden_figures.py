"""Golden figures: every KPI value (province and agency) and every red-flag count of the demo, computed here by
plain SQL and arithmetic written in this file, equals what the pages, the exports and the PDF briefing show.
Only what the secretariat approved counts (figures and task reports waiting for approval do not).

Nothing here calls the functions the pages use to compute: the rules are restated below, from the domain
brief, so a wrong rule in the app cannot agree with itself.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text
from webclient import TODAY, call, demo_app, find, login, report_file

from layouts.formatting import with_unit

MONTH = TODAY.replace(day=1)
MARGIN = 5.0  # KPI_MARGIN: within 5 points of the target is "near"
DUE_SOON = 14  # DUE_SOON_DAYS
REPORT_DAY = 25
SUBMITTED = ("form", "excel", "upload", "demo")  # what agencies send; anything else came from a SQL source
# Collective groups and the kinds of agency they stand for; any other group has no member agency.
MEMBER_KINDS = {
    "Các sở, ban, ngành": ("department", "office", "police"),
    "UBND cấp xã": ("commune",),
    "Ủy viên Ban Chỉ đạo": ("department", "office", "police"),
    "Đơn vị chủ quản các hệ thống thông tin": ("department", "office", "police"),
}
STATUS_VI = {"on": "Đạt", "near": "Gần đạt", "below": "Chưa đạt", None: "Chưa có số liệu"}
PLANS = (1, 2, 3)


@pytest.fixture(scope="module")
def app(tmp_path_factory):  # noqa: ANN001, ANN201
    return demo_app(tmp_path_factory.mktemp("golden"))


@pytest.fixture(scope="module")
def conn(app):  # noqa: ANN001, ANN201
    with app.server.extensions["kpi"]["engine"].connect() as c:
        yield c


@pytest.fixture(scope="module")
def client(app):  # noqa: ANN001, ANN201
    return login(app, "lanhdao")


def q(conn, sql: str, **params) -> list:  # noqa: ANN001, ANN003
    return conn.execute(text(sql), params).all()


# --- the rules, restated --------------------------------------------------------------------------


def meets(value: float, op: str, target: float) -> bool:
    return {
        ">=": value >= target,
        ">": value > target,
        "<=": value <= target,
        "<": value < target,
        "=": value >= target,
    }[op]


def status(value: float | None, op: str | None, target: float | None) -> str | None:
    if value is None or op is None or target is None:
        return None
    if meets(value, op, target):
        return "on"
    return "near" if abs(target - value) <= MARGIN else "below"


def latest_figures(conn, plan_id: int) -> dict[int, list]:  # noqa: ANN001
    """Each agency's latest figure (month up to this one) for each KPI of the plan."""
    rows = q(
        conn,
        """
        SELECT m.indicator_id, m.agency_id, m.month, m.numerator, m.denominator, m.value, m.recorded_at
        FROM measurement m JOIN indicator i ON i.id = m.indicator_id
        WHERE i.plan_id = :p AND m.month <= :month AND m.approved
          AND m.month = (SELECT max(m2.month) FROM measurement m2
                         WHERE m2.indicator_id = m.indicator_id AND m2.agency_id = m.agency_id AND m2.month <= :month
                           AND m2.approved)
        """,
        p=plan_id,
        month=MONTH,
    )
    out: dict[int, list] = defaultdict(list)
    for r in rows:
        out[r.indicator_id].append(r)
    return out


def own_value(r, is_ratio: bool) -> float | None:  # noqa: ANN001
    if is_ratio:
        return 100.0 * r.numerator / r.denominator if r.numerator is not None and r.denominator else None
    return r.value


def province_value(kpi, rows: list) -> float | None:  # noqa: ANN001
    if not rows:
        return None
    if kpi.aggregation == "province" or (not kpi.is_ratio and kpi.aggregation == "ratio"):
        usable = [r for r in rows if own_value(r, kpi.is_ratio) is not None]
        newest = max(usable, key=lambda r: (str(r.month), str(r.recorded_at), -r.agency_id))
        return own_value(newest, kpi.is_ratio)
    if kpi.is_ratio:
        num = sum(r.numerator for r in rows if r.numerator is not None and r.denominator)
        den = sum(r.denominator for r in rows if r.numerator is not None and r.denominator)
        return 100.0 * num / den if den else None
    values = [r.value for r in rows if r.value is not None]
    return sum(values) if values else None


def expected_kpis(conn, plan_id: int) -> list[dict]:  # noqa: ANN001
    kpis = q(
        conn,
        "SELECT id, code, unit, is_ratio, aggregation, target_op, target_value FROM indicator "
        "WHERE plan_id = :p ORDER BY position",
        p=plan_id,
    )
    figures = latest_figures(conn, plan_id)
    out = []
    for k in kpis:
        rows = figures.get(k.id, [])
        value = province_value(k, rows)
        out.append(
            {
                "code": k.code,
                "unit": k.unit,
                "value": value,
                "status": status(value, k.target_op, k.target_value),
                "agencies": {r.agency_id: own_value(r, k.is_ratio) for r in rows},
            }
        )
    return out


def members(conn, plan_id: int) -> tuple[dict[int, list[int]], set[int]]:  # noqa: ANN001
    """Each group of the plan's province with its member agencies, and the groups that have none."""
    agencies = q(
        conn,
        "SELECT a.id, a.name, a.kind FROM agency a JOIN plan p ON p.province_id = a.province_id WHERE p.id = :p",
        p=plan_id,
    )
    groups = {}
    for a in agencies:
        if a.kind == "group":
            kinds = MEMBER_KINDS.get(a.name, ())
            groups[a.id] = [b.id for b in agencies if b.kind in kinds]
    return groups, {g for g, m in groups.items() if not m}


def expected_flags(conn, plan_id: int, kpis: list[dict]) -> dict[str, int]:  # noqa: ANN001
    groups, empty_groups = members(conn, plan_id)
    tasks = q(
        conn,
        """
        SELECT t.id, t.deadline_kind, t.due_date, t.output,
          (SELECT u.status FROM task_update u
           WHERE u.task_id = t.id AND u.kind <> 'note' AND u.month <= :today AND u.approved
           ORDER BY u.month DESC, u.created_at DESC, u.id DESC LIMIT 1) AS latest
        FROM task t WHERE t.plan_id = :p AND t.active
        """,
        p=plan_id,
        today=TODAY,
    )
    leads = defaultdict(list)
    for task_id, agency_id in q(
        conn,
        "SELECT ta.task_id, ta.agency_id FROM task_agency ta JOIN task t ON t.id = ta.task_id "
        "WHERE t.plan_id = :p AND ta.role = 'lead'",
        p=plan_id,
    ):
        leads[task_id].append(agency_id)
    counts = defaultdict(int)
    for t in tasks:
        done = t.latest == "done"
        due = date.fromisoformat(str(t.due_date)[:10]) if t.due_date else None
        if t.deadline_kind == "date" and due and due < TODAY and not done:
            counts["overdue"] += 1
        elif due and not done and 0 <= (due - TODAY).days <= DUE_SOON:
            counts["due_soon"] += 1
        lead_ids = leads[t.id]
        no_lead = not lead_ids or all(a in empty_groups for a in lead_ids)
        if not done and (no_lead or not (t.output or "").strip() or t.deadline_kind == "unknown"):
            counts["unclear"] += 1
    counts["kpi_below"] = sum(1 for k in kpis if k["status"] in ("near", "below"))
    # A leader's directive unanswered past its date.
    counts["directive"] = q(
        conn,
        "SELECT COUNT(*) FROM directive WHERE plan_id = :p AND answer IS NULL AND due_date < :today",
        p=plan_id,
        today=TODAY,
    )[0][0]
    # Monthly reports: owed by the leads of KPIs the agencies report themselves and of recurring tasks.
    fed = {
        i
        for (i,) in q(
            conn,
            "SELECT DISTINCT m.indicator_id FROM measurement m JOIN indicator i ON i.id = m.indicator_id "
            f"WHERE i.plan_id = :p AND m.source NOT IN {SUBMITTED}",
            p=plan_id,
        )
    }
    owed = set()
    for (agency_id,) in q(
        conn,
        "SELECT l.agency_id FROM indicator_lead l JOIN indicator i ON i.id = l.indicator_id WHERE i.plan_id = :p"
        + (f" AND i.id NOT IN ({','.join(map(str, fed))})" if fed else ""),
        p=plan_id,
    ) + q(
        conn,
        "SELECT ta.agency_id FROM task_agency ta JOIN task t ON t.id = ta.task_id "
        "WHERE t.plan_id = :p AND t.active AND t.deadline_kind = 'recurring' AND ta.role = 'lead'",
        p=plan_id,
    ):
        owed |= set(groups.get(agency_id, [agency_id]))
    sent: dict[tuple[int, str], str] = {}
    for agency_id, month, at in q(
        conn,
        "SELECT m.agency_id, m.month, min(m.recorded_at) FROM measurement m JOIN indicator i "
        f"ON i.id = m.indicator_id WHERE i.plan_id = :p AND m.source IN {SUBMITTED} GROUP BY m.agency_id, m.month",
        p=plan_id,
    ) + q(
        conn,
        "SELECT u.agency_id, u.month, min(u.created_at) FROM task_update u JOIN task t ON t.id = u.task_id "
        "WHERE t.plan_id = :p AND u.agency_id IS NOT NULL GROUP BY u.agency_id, u.month",
        p=plan_id,
    ):
        key = (agency_id, str(month)[:10])
        sent[key] = min(sent.get(key, str(at)), str(at))
    now = datetime.combine(TODAY, time(23, 59, 59))
    months = [date(TODAY.year, m, 1) for m in range(1, TODAY.month + 1)]
    for agency_id in owed:
        for m in months:
            deadline = datetime.combine(m.replace(day=REPORT_DAY), time(23, 59, 59))
            at = sent.get((agency_id, m.isoformat()))
            if now > deadline and (at is None or datetime.fromisoformat(at) > now):
                counts["missing_report"] += 1
                break  # one flag per agency, listing its months
    return dict(counts)


# --- what the site shows ---------------------------------------------------------------------------


def download(app, client, what: str, fmt: str, search: str) -> bytes:  # noqa: ANN001
    key = '{"fmt":["ALL"],"type":"export","what":["ALL"]}'
    trigger = {"fmt": fmt, "type": "export", "what": what}
    resp = call(app, client, key, {f"{key}.n_clicks": [(trigger, 1)], "url.search": search}, trigger=trigger)
    assert resp.status_code == 200, resp.data[:300]
    return base64.b64decode(resp.get_json()["response"]["download"]["data"]["content"])


def sheet_rows(data: bytes) -> list[dict]:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row), strict=False)) for row in ws.iter_rows(min_row=2)]


def rendered(app, client, path: str, search: str) -> dict:  # noqa: ANN001
    resp = call(app, client, "url", {"url.pathname": path, "url.search": search})
    assert resp.status_code == 200, resp.data[:300]
    return resp.get_json()["response"]


def texts(node) -> list[str]:  # noqa: ANN001
    if isinstance(node, str):
        return [node]
    if isinstance(node, (int, float)):
        return [str(node)]
    if isinstance(node, dict):
        return texts(node.get("props", {}).get("children"))
    if isinstance(node, list):
        return [t for child in node for t in texts(child)]
    return []


def table_rows(node) -> list[list[str]]:  # noqa: ANN001
    """Each Tr of a rendered table as the joined text of its cells."""
    out = []

    def walk(n) -> None:  # noqa: ANN001
        if isinstance(n, dict):
            if n.get("type") == "Tr":
                cells = n["props"]["children"]
                out.append([" ".join(texts(c)) for c in (cells if isinstance(cells, list) else [cells])])
                return
            walk(n.get("props", {}).get("children"))
        elif isinstance(n, list):
            for c in n:
                walk(c)

    walk(node)
    return out


# --- the checks -----------------------------------------------------------------------------------


@pytest.mark.parametrize("plan_id", PLANS)
def test_province_kpis_in_the_export_and_on_the_overview(app, conn, client, plan_id: int) -> None:  # noqa: ANN001
    want = expected_kpis(conn, plan_id)
    got = sheet_rows(download(app, client, "kpis", "xlsx", f"?plan={plan_id}"))
    assert [r["Mã"] for r in got] == [k["code"] for k in want]
    for k, row in zip(want, got, strict=True):
        assert row["Hiện tại"] == pytest.approx(k["value"], abs=1e-9), k["code"]
        assert row["Trạng thái"] == STATUS_VI[k["status"]], k["code"]
    page = rendered(app, client, "/", f"?plan={plan_id}")
    rows = table_rows(find(page, "kpi-table"))[1:]
    assert len(rows) == len(want)
    for k, cells in zip(want, rows, strict=True):
        assert cells[0] == k["code"] and cells[4] == with_unit(k["value"], k["unit"]), (k, cells)


@pytest.mark.parametrize("plan_id", PLANS)
def test_each_agencys_kpis(app, conn, client, plan_id: int) -> None:  # noqa: ANN001
    want = expected_kpis(conn, plan_id)
    agencies = sorted({a for k in want for a in k["agencies"]})
    assert agencies or plan_id == 2  # Đồng Tháp's programme has no KPI table
    for agency_id in agencies:
        got = {
            r["Mã"]: r["Hiện tại"]
            for r in sheet_rows(download(app, client, "kpis", "xlsx", f"?plan={plan_id}&agency={agency_id}"))
        }
        for k in want:
            expected = k["agencies"].get(agency_id)
            assert got[k["code"]] == pytest.approx(expected, abs=1e-9), (agency_id, k["code"])


@pytest.mark.parametrize("plan_id", PLANS)
def test_red_flag_counts_on_the_page_and_in_the_export(app, conn, client, plan_id: int) -> None:  # noqa: ANN001
    want = expected_flags(conn, plan_id, expected_kpis(conn, plan_id))
    total = sum(want.values())
    got = sheet_rows(download(app, client, "flags", "xlsx", f"?plan={plan_id}"))
    labels = {
        "Quá hạn": "overdue",
        "Thiếu báo cáo tháng": "missing_report",
        "Chỉ tiêu chưa đạt": "kpi_below",
        "Sắp đến hạn": "due_soon",
        "Chưa đủ “06 rõ”": "unclear",
        "Chỉ đạo quá hạn chưa trả lời": "directive",
    }
    by_kind = defaultdict(int)
    for r in got:
        by_kind[labels[r["Loại cảnh báo"]]] += 1
    assert dict(by_kind) == {k: v for k, v in want.items() if v}
    page = rendered(app, client, "/canh-bao", f"?plan={plan_id}")
    heading = " ".join(texts(find(page, "flags-heading")))
    assert heading.endswith(f"({total})"), heading
    assert texts(find(page, "nav-flag-count")) == [str(total)]  # the count in the navigation bar


@pytest.mark.parametrize("plan_id", (1, 3))
def test_the_pdf_briefing_shows_the_same_numbers(app, conn, client, plan_id: int) -> None:  # noqa: ANN001
    kpis = expected_kpis(conn, plan_id)
    total = sum(expected_flags(conn, plan_id, kpis).values())
    data, _ = report_file(app, client, "briefing", f"?plan={plan_id}")
    pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(pdf.split())
    assert f"3. Cảnh báo ({total})" in flat
    for k in kpis:
        if k["value"] is not None:
            assert with_unit(k["value"], k["unit"]) in flat, k


def test_the_golden_dates_are_what_the_demo_was_built_for(conn) -> None:  # noqa: ANN001
    assert q(conn, "SELECT value FROM app_meta WHERE key = 'demo_as_of'")[0][0] == TODAY.isoformat()
    assert TODAY - timedelta(days=TODAY.day - 1) == MONTH
