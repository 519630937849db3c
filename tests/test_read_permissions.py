"""The read half of the permission matrix (issue 13): every role × every read (pages, callbacks, downloads,
wall data, an agency's work, history and template, a task's details, admin lists, the national view) × own
agency / another agency of the province / another province. Zero breaches: what may not be read answers 403,
or shows the reader's own plan instead, never the one asked for."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import select
from webclient import call, demo_app, kiosk, login

from dashboard.store.database import transaction
from dashboard.store.models import Agency, Province, Task, TaskAgency

TN, DT, LC = 1, 2, 3  # the demo's plans: Thái Nguyên, Đồng Tháp, Lào Cai
ROLES = ("admin", "lanhdao", "xem", "sokhcn.thainguyen", "congan.laocai", "kiosk")
# The provinces (by plan) each role may read: national roles every one, the viewer and agencies their own.
READS = {
    "admin": {TN, DT, LC},
    "lanhdao": {TN, DT, LC},
    "xem": {TN},
    "sokhcn.thainguyen": {TN},
    "congan.laocai": {LC},
    "kiosk": {TN, DT, LC},  # the demo's wall token shows every province's wall, and nothing but walls
}
PROVINCE_OF_PLAN = {TN: "Thái Nguyên", DT: "Đồng Tháp", LC: "Lào Cai"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):  # noqa: ANN001, ANN201
    app = demo_app(tmp_path_factory.mktemp("reads"), login_rate_limit="1000 per minute")
    engine = app.server.extensions["kpi"]["engine"]
    with transaction(engine) as s:

        def agency(province: str, name: str) -> int:
            return s.scalar(select(Agency.id).join(Province).where(Province.name == province, Agency.name == name))

        def led_task(agency_id: int) -> int:
            return s.scalar(
                select(Task.id)
                .join(TaskAgency)
                .where(TaskAgency.agency_id == agency_id, TaskAgency.role == "lead")
                .order_by(Task.id)
            )

        ids = {
            "own_tn": agency("Thái Nguyên", "Sở Khoa học và Công nghệ"),
            "other_tn": agency("Thái Nguyên", "Sở Y tế"),
            "own_lc": agency("Lào Cai", "Công an tỉnh"),
        }
        ids["task_own_tn"] = led_task(ids["own_tn"])
        # a department takes part through the groups of departments too: a task none of them is on
        groups = select(Agency.id).where(
            Agency.name.in_(("Các sở, ban, ngành", "Ủy viên Ban Chỉ đạo", "Đơn vị chủ quản các hệ thống thông tin"))
        )
        ids["task_other_tn"] = s.scalar(
            select(Task.id)
            .where(
                Task.plan_id == TN,
                ~Task.agencies.any(TaskAgency.agency_id == ids["own_tn"]),
                ~Task.agencies.any(TaskAgency.agency_id.in_(groups)),
            )
            .order_by(Task.id)
        )
        ids["task_lc"] = led_task(ids["own_lc"])
        assert all(ids.values()), ids
    clients = {role: kiosk(app) if role == "kiosk" else login(app, role) for role in ROLES}
    return app, clients, ids


def outputs(resp) -> dict:  # noqa: ANN001
    return resp.get_json()["response"] if resp.status_code == 200 else {}


def text(resp) -> str:  # noqa: ANN001
    return json.dumps(resp.get_json(), ensure_ascii=False) if resp.is_json else resp.get_data(as_text=True)


@pytest.mark.parametrize("plan", [TN, DT, LC])
@pytest.mark.parametrize("role", ROLES)
def test_pages_show_only_readable_plans(world, role: str, plan: int) -> None:  # noqa: ANN001
    app, clients, _ = world
    resp = call(app, clients[role], "url", {"url.pathname": "/canh-bao", "url.search": f"?plan={plan}"})
    body = text(resp)
    if role == "kiosk":
        assert '"forbidden"' in body
        return
    assert resp.status_code == 200
    assert "flags-heading" in body
    others = [p for p in (TN, DT, LC) if p not in READS[role]]
    if plan in READS[role]:
        assert PROVINCE_OF_PLAN[plan] in body
    for p in others:  # no other province's plan appears, not even in the plan chooser
        assert PROVINCE_OF_PLAN[p] not in body, (role, plan, PROVINCE_OF_PLAN[p])


@pytest.mark.parametrize("plan", [TN, DT, LC])
@pytest.mark.parametrize("role", ROLES)
def test_downloads_of_other_provinces_are_refused(world, role: str, plan: int) -> None:  # noqa: ANN001
    app, clients, _ = world
    key = '{"fmt":["ALL"],"type":"export","what":["ALL"]}'
    trigger = {"fmt": "csv", "type": "export", "what": "tasks"}
    resp = call(app, clients[role], key, {f"{key}.n_clicks": [(trigger, 1)], "url.search": f"?plan={plan}"}, trigger)
    if role != "kiosk" and plan in READS[role]:
        content = base64.b64decode(outputs(resp)["download"]["data"]["content"]).decode("utf-8-sig")
        assert resp.status_code == 200 and content.count("\n") > 5
    else:
        assert resp.status_code in (403, 204) or "download" not in outputs(resp), (role, plan)


@pytest.mark.parametrize("plan", [TN, DT, LC])
@pytest.mark.parametrize("role", ROLES)
def test_wall_data_shows_only_readable_plans(world, role: str, plan: int) -> None:  # noqa: ANN001
    app, clients, _ = world
    resp = call(app, clients[role], "wall-refresh", {"wall-refresh.n_intervals": 1, "wall-config.data": {"plan": plan}})
    title = outputs(resp).get("wall-title", {}).get("children", "")
    if plan in READS[role]:
        assert title.startswith(PROVINCE_OF_PLAN[plan]), (role, plan, title)
    else:
        assert not title.startswith(PROVINCE_OF_PLAN[plan]), (role, plan, title)


# (role, target agency) -> may read that agency's work, history and template
AGENCY_READS = {
    "admin": {"own_tn", "other_tn", "own_lc"},
    "lanhdao": {"own_tn", "other_tn", "own_lc"},
    "xem": {"own_tn", "other_tn"},
    "sokhcn.thainguyen": {"own_tn"},
    "congan.laocai": {"own_lc"},
    "kiosk": set(),
}


@pytest.mark.parametrize("target", ["own_tn", "other_tn", "own_lc"])
@pytest.mark.parametrize("role", ROLES)
def test_an_agencys_work_history_and_template(world, role: str, target: str) -> None:  # noqa: ANN001
    app, clients, ids = world
    context = {"agency_id": ids[target], "plan_id": LC if target == "own_lc" else TN}
    tasks = call(app, clients[role], "mw-saved", {"mw-saved.data": 1, "mw-context.data": context})
    history = _history(app, clients[role], context)
    template = call(
        app,
        clients[role],
        "mw-template-btn",
        {"mw-template-btn.n_clicks": 1, "mw-month.value": "2026-11-01", "mw-context.data": context},
    )
    allowed = target in AGENCY_READS[role]
    for name, resp in (("tasks", tasks), ("history", history), ("template", template)):
        if allowed:
            assert resp.status_code == 200, (role, target, name, resp.data[:200])
        else:
            assert resp.status_code == 403, (role, target, name, resp.status_code, resp.data[:200])


def _history(app, client, context: dict):  # noqa: ANN001, ANN202
    key = next(k for k in app.callback_map if k.startswith("mw-history"))
    entry = app.callback_map[key]
    body = {
        "output": key,
        "outputs": {"id": "mw-history", "property": "children"},
        "inputs": [{"id": "mw-saved", "property": "data", "value": 1}],
        "state": [{"id": "mw-context", "property": "data", "value": context}],
        "changedPropIds": ["mw-saved.data"],
    }
    assert entry["inputs"][0]["id"] == "mw-saved"
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


TASK_READS = {
    "admin": {"task_own_tn", "task_other_tn", "task_lc"},
    "lanhdao": {"task_own_tn", "task_other_tn", "task_lc"},
    "xem": {"task_own_tn", "task_other_tn"},
    "sokhcn.thainguyen": {"task_own_tn"},
    "congan.laocai": {"task_lc"},
    "kiosk": set(),
}


@pytest.mark.parametrize("target", ["task_own_tn", "task_other_tn", "task_lc"])
@pytest.mark.parametrize("role", ROLES)
def test_a_tasks_details(world, role: str, target: str) -> None:  # noqa: ANN001
    app, clients, ids = world
    task = ids[target]
    resp = call(
        app,
        clients[role],
        '{"index":["ALL"],"type":"mw-edit"}',
        {'{"index":["ALL"],"type":"mw-edit"}.n_clicks': [(task, 1)]},
        trigger={"index": task, "type": "mw-edit"},
    )
    if target in TASK_READS[role]:
        assert resp.status_code == 200 and outputs(resp)["mw-modal"]["is_open"] is True, (role, target)
    else:
        assert resp.status_code == 403, (role, target, resp.status_code, task, resp.data[:300])


@pytest.mark.parametrize("role", ROLES)
def test_admin_lists_and_the_national_view(world, role: str) -> None:  # noqa: ANN001
    app, clients, _ = world
    lists = call(app, clients[role], "adm-saved", {"adm-saved.data": 1})
    assert lists.status_code == (200 if role == "admin" else 403), (role, lists.status_code)
    national = text(call(app, clients[role], "url", {"url.pathname": "/toan-quoc", "url.search": ""}))
    if role in ("admin", "lanhdao"):
        assert "national-table" in national or "Toàn quốc" in national
    else:
        assert '"forbidden"' in national, role


def test_a_wall_screen_calls_nothing_but_the_wall(world) -> None:  # noqa: ANN001
    app, clients, ids = world
    resp = call(
        app,
        clients["kiosk"],
        "mw-saved",
        {"mw-saved.data": 1, "mw-context.data": {"agency_id": ids["own_tn"], "plan_id": TN}},
    )
    assert resp.status_code == 403
    assert "wall screen reads the wall only" in resp.get_data(as_text=True)
