"""Helpers for tests that talk to the app over HTTP like a browser (Flask test client)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from demo_copy import demo_url

from dashboard.config import Config
from webapp import create_app

TODAY = date(2026, 11, 27)
PASSWORDS = {
    "admin": "admin-demo-2026",
    "lanhdao": "lanhdao-demo-2026",
    "sokhcn.thainguyen": "donvi-demo-2026",
    "congan.laocai": "donvi-demo-2026",
    "xem": "xem-demo-2026",
}


def demo_app(tmp: Path, name: str = "app.db", **config: object):  # noqa: ANN201
    """The app on a copy of the demo in ``tmp`` (built once per test process; see ``demo_copy``)."""
    config.setdefault("demo_source_scale", 0.05)  # a small source database keeps the tests quick
    url = demo_url(tmp, name, source_scale=config["demo_source_scale"])
    return create_app(Config(database_url=url, secret_key="test", today=TODAY, **config))


def form_token(client, path: str = "/login") -> str:  # noqa: ANN001
    """The CSRF token a form page gives this browser (sign-in, sign-out, password forms require it)."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page[:300]
    return match.group(1)


def post_form(client, path: str, data: dict, token_from: str = "/login"):  # noqa: ANN001, ANN201
    """POST a form as the browser does: with the token its page carried."""
    return client.post(path, data={"csrf_token": form_token(client, token_from), **data})


def login(app, username: str, remember: bool = False):  # noqa: ANN001, ANN201
    client = app.server.test_client()
    client.application_for_test = app
    data = {"username": username, "password": PASSWORDS[username], **({"remember": "1"} if remember else {})}
    resp = post_form(client, "/login", data)
    assert resp.status_code == 302, resp.data[:300]
    return client


def kiosk(app, token: str = "man-hinh-demo-2026"):  # noqa: ANN001, ANN201
    client = app.server.test_client()
    resp = client.get(f"/wall?token={token}&plan=1")
    assert resp.status_code == 302 and resp.headers["Location"] == "/wall?plan=1"
    return client


def _spec_id(spec: str) -> str | dict:
    return json.loads(spec) if spec.startswith("{") else spec


def call(app, client, first_input: str, values: dict, trigger: dict | None = None, output: str | None = None):  # noqa: ANN001, ANN201
    """POST a Dash callback the way the browser would, found by the id of its first input (and, where several
    callbacks start with the same input, by ``output``: an id among the ones it writes).

    ``values`` maps "id.property" to a value; for a pattern-matching ALL input it maps to a list of
    (index, value) pairs. ``trigger`` is the id of the component that fired (for pattern inputs).
    Returns the HTTP response.
    """
    key, entry = next(
        (k, v)
        for k, v in app.callback_map.items()
        if (v["inputs"][0]["id"] == first_input or _spec_id(v["inputs"][0]["id"]) == _spec_id(first_input))
        and (output is None or f"{output}." in k)
    )
    # A pattern-matching output (``{"type": "fig-err", "index": ALL}``) lists the components it writes, as the
    # browser does: their indices come from ``values`` under the output's own name, else from the first
    # pattern-matching input or state given.
    pattern_indices = next((pairs for name, pairs in values.items() if name.startswith("{")), [])

    def output(spec: str) -> dict | list:
        cid, prop = spec.split("@")[0].rsplit(".", 1)
        if not cid.startswith("{"):
            return {"id": cid, "property": prop}
        pattern = json.loads(cid)
        pairs = values.get(f"{cid}.{prop}", pattern_indices)
        return [
            {"id": {**{k: v for k, v in pattern.items() if k != "index"}, "index": i}, "property": prop}
            for i, _ in pairs
        ]

    if key.startswith(".."):
        outputs = [output(o) for o in key.strip(".").split("...")]
    else:
        outputs = output(key)

    def fill(specs: list[dict]) -> list:
        out = []
        for spec in specs:
            cid = _spec_id(spec["id"])
            name = f"{spec['id']}.{spec['property']}"
            if isinstance(cid, dict):
                pairs = values.get(name, [])
                out.append(
                    [
                        {
                            "id": {**{k: v for k, v in cid.items() if k != "index"}, "index": i},
                            "property": spec["property"],
                            "value": v,
                        }
                        for i, v in pairs
                    ]
                )
            else:
                out.append({"id": cid, "property": spec["property"], "value": values.get(name)})
        return out

    first = entry["inputs"][0]
    changed = (
        (json.dumps(trigger, separators=(",", ":"), sort_keys=True) if trigger else first["id"])
        + "."
        + first["property"]
    )
    body = {
        "output": key,
        "outputs": outputs,
        "inputs": fill(entry["inputs"]),
        "state": fill(entry.get("state", [])),
        "changedPropIds": [changed],
    }
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def response_text(resp) -> str:  # noqa: ANN001
    return json.dumps(resp.get_json(), ensure_ascii=False) if resp.is_json else resp.get_data(as_text=True)


def browser_login(driver, base_url: str, username: str, next_path: str = "/") -> None:  # noqa: ANN001
    """Sign in through the login form, as a person would."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base_url}/login?next={next_path}")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORDS[username])
    driver.find_element(By.ID, "login-submit").click()
    WebDriverWait(driver, 20).until(ec.presence_of_element_located((By.ID, "root")))


def find(node, component_id: str):  # noqa: ANN001, ANN201
    """The component with this id in a rendered tree."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        for value in node.values():
            hit = find(value, component_id)
            if hit is not None:
                return hit
    elif isinstance(node, list):
        for value in node:
            hit = find(value, component_id)
            if hit is not None:
                return hit
    return None


REPORT_KINDS = ("briefing", "pack", "slides")


def _callback_key(app, first_input: str) -> str:  # noqa: ANN001
    return next(k for k, v in app.callback_map.items() if v["inputs"][0]["id"] == first_input)


def start_report(app, client, kind: str, search: str):  # noqa: ANN001, ANN201
    """Click a "Báo cáo" page button as the browser does (the response holds the notice)."""
    buttons = [{"kind": k, "type": "report-start"} for k in REPORT_KINDS]
    body = {
        "output": "report-notice.children",
        "outputs": {"id": "report-notice", "property": "children"},
        "inputs": [[{"id": b, "property": "n_clicks", "value": 1 if b["kind"] == kind else None} for b in buttons]],
        "state": [{"id": "url", "property": "search", "value": search}],
        "changedPropIds": [json.dumps({"kind": kind, "type": "report-start"}, separators=(",", ":")) + ".n_clicks"],
    }
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def report_list(app, client, search: str) -> dict:  # noqa: ANN001
    """What the "Báo cáo" page's poll answers: the job table, whether polling stops, the buttons' state."""
    buttons = [{"kind": k, "type": "report-start"} for k in REPORT_KINDS]
    body = {
        "output": _callback_key(app, "report-poll"),
        "outputs": [
            {"id": "report-jobs", "property": "children"},
            {"id": "report-poll", "property": "disabled"},
            [{"id": b, "property": "disabled"} for b in buttons],
        ],
        "inputs": [
            {"id": "report-poll", "property": "n_intervals", "value": 1},
            {"id": "report-notice", "property": "children", "value": None},
        ],
        "state": [
            [{"id": b, "property": "id", "value": b} for b in buttons],
            {"id": "url", "property": "search", "value": search},
        ],
        "changedPropIds": ["report-poll.n_intervals"],
    }
    resp = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert resp.status_code == 200, resp.data[:300]
    return resp.get_json()["response"]


def report_file(app, client, kind: str, search: str, timeout: float = 180) -> tuple[bytes, str]:  # noqa: ANN001
    """Start a report on the "Báo cáo" page, follow the list until it is ready and download it, as a person
    does: the file and its name."""
    import time

    resp = start_report(app, client, kind, search)
    assert resp.status_code == 200, resp.data[:300]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = report_list(app, client, search)
        if answer["report-poll"]["disabled"]:
            break
        time.sleep(0.2)
    suffix = {"briefing": ".pdf", "pack": ".zip", "slides": ".pptx"}[kind]
    links = [
        a["href"]
        for a in _all_props(answer["report-jobs"]["children"])
        if str(a.get("href", "")).startswith("/bao-cao/tai/") and str(a.get("download", "")).endswith(suffix)
    ]
    assert links, json.dumps(answer, ensure_ascii=False)[:800]
    got = client.get(links[0])  # newest first
    assert got.status_code == 200, got.data[:300]
    name = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)', got.headers["Content-Disposition"]).group(1)
    return got.data, name


def _all_props(node) -> list[dict]:  # noqa: ANN001
    """The props of every component in a rendered tree."""
    out = []
    if isinstance(node, dict):
        if isinstance(node.get("props"), dict):
            out.append(node["props"])
        for value in node.values():
            out += _all_props(value)
    elif isinstance(node, list):
        for value in node:
            out += _all_props(value)
    return out


def download_folder(driver, folder: Path) -> Path:  # noqa: ANN001
    """Let the browser save downloads into ``folder`` (created) without asking."""
    folder.mkdir(parents=True, exist_ok=True)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    return folder


def downloaded(folder: Path, suffix: str, timeout: float = 20) -> Path:
    """The first file in ``folder`` whose name ends with ``suffix``, once the browser has written it."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if found:
            time.sleep(0.3)  # the browser renames the partial file, then finishes writing
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded: {list(folder.iterdir())}")
