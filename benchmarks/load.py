"""A bounded load test on loopback: wall screens and agency users against gunicorn and PostgreSQL.

One command prepares a PostgreSQL store with the demo, 50 agency accounts and one kiosk token per wall
screen, starts gunicorn on 127.0.0.1, drives simulated browsers for a bounded time, stops gunicorn, and
checks that every task update the server acknowledged is in the database. The browsers open their
pages over the first `--ramp` seconds, then load the server for `--duration` seconds (at most 600 in all):

    .venv/bin/python -m benchmarks.load --database-url postgresql://postgres@127.0.0.1:5432/bench_load \\
        --users 250 --duration 60

Each simulated browser does what the real one does over HTTP: a wall screen signs in by its kiosk token
URL, loads the page (HTML, ``/_dash-layout``, ``/_dash-dependencies``, the router callback), then POSTs
the wall data callback every refresh interval and the data-version poll every poll interval (a new
version re-renders the page, as in the browser), and reloads the page now and then. An agency user
signs in through ``POST /login``, loads "Việc của tôi" and its task table, then repeatedly opens one of
the tasks it leads (the modal callback returns the task's version), saves an update with that version
through the page's save callback, and reloads its tasks, figures and history, as the page does after a
save. A version conflict (two accounts of one agency saving the same task) is the app doing its job: it
is counted apart from errors, and half of the time the user saves again on the version it was shown.

Every request is bodied from the ``/_dash-dependencies`` the server sent, like dash-renderer does.
The database must be on this machine, and is emptied and refilled with the demo (refused if it holds
imported plans unless ``--force``). Exit status: 0 when p95 < 500 ms, no errors and no lost updates.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import requests
from sqlalchemy import delete, func, select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_DURATION = 600.0  # seconds: the hard cap on the load phase
P95_TARGET_MS = 500.0
PASSWORD = "tai-thu-2026"  # the load-test agency accounts' password (a throw-away database)
TODAY = "2026-11-27"  # the demo's "as of" date: months and deadlines as in the tests
REQUEST_TIMEOUT = 60.0
KIND_HEADER = "X-Load-Kind"
OFFLINE = -1  # the data version the poll answers while the app cannot reach its database


# --- results -------------------------------------------------------------------------------------


@dataclass
class Save:
    """One task-update attempt: the note carries a token unique to the run, found again in the database."""

    task_id: int
    base_version: int
    note: str
    outcome: str = "unknown"  # saved | conflict | refused | unknown (no usable answer: error or timeout)


@dataclass
class Stats:
    """What one simulated browser saw; merged at the end (no locks while running)."""

    latencies: dict[str, list[tuple[float, float]]] = field(default_factory=lambda: defaultdict(list))  # (at s, ms)
    errors: Counter = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    saves: list[Save] = field(default_factory=list)
    sizes: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))  # (body, on the wire)

    def merge(self, other: Stats) -> None:
        for kind, values in other.latencies.items():
            self.latencies[kind].extend(values)
        for kind, sizes in other.sizes.items():
            self.sizes[kind].extend(sizes)
        self.errors.update(other.errors)
        self.samples.extend(other.samples[: max(0, 20 - len(self.samples))])
        self.saves.extend(other.saves)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of raw values (no buckets)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# --- the Dash protocol, as dash-renderer speaks it ------------------------------------------------


def _spec_id(raw: str) -> str | dict:
    return json.loads(raw) if raw.startswith("{") else raw


def find_callback(deps: list[dict], first_input: str, output: str = "") -> dict:
    """The callback whose first input has this id (and whose output mentions ``output``)."""
    for entry in deps:
        if entry.get("clientside_function") or not entry["inputs"]:
            continue
        if _spec_id(entry["inputs"][0]["id"]) == _spec_id(first_input) and output in entry["output"]:
            return entry
    raise LookupError(f"no callback with first input {first_input!r} and output {output!r}")


def callback_body(entry: dict, values: dict, trigger: str | dict | None = None) -> dict:
    """The JSON body of ``POST /_dash-update-component``; ``values`` maps "id.property" to a value, or for a
    pattern-matching ALL input to a list of (index, value) pairs; ``trigger`` is the id that fired."""
    key = entry["output"]
    if key.startswith(".."):
        outputs: list | dict = [
            {"id": o.split("@")[0].rsplit(".", 1)[0], "property": o.split("@")[0].rsplit(".", 1)[1]}
            for o in key.strip(".").split("...")
        ]
    else:
        outputs = {"id": key.rsplit(".", 1)[0], "property": key.split("@")[0].rsplit(".", 1)[1]}

    def fill(specs: list[dict]) -> list:
        out = []
        for spec in specs:
            cid = _spec_id(spec["id"])
            name = f"{spec['id']}.{spec['property']}"
            if isinstance(cid, dict):
                base = {k: v for k, v in cid.items() if k != "index"}
                out.append(
                    [
                        {"id": {**base, "index": i}, "property": spec["property"], "value": v}
                        for i, v in values.get(name, [])
                    ]
                )
            else:
                out.append({"id": cid, "property": spec["property"], "value": values.get(name)})
        return out

    first = entry["inputs"][0]
    fired = trigger if trigger is not None else _spec_id(first["id"])
    fired_key = json.dumps(fired, separators=(",", ":"), sort_keys=True) if isinstance(fired, dict) else fired
    return {
        "output": key,
        "outputs": outputs,
        "inputs": fill(entry["inputs"]),
        "state": fill(entry.get("state", [])),
        "changedPropIds": [f"{fired_key}.{first['property']}"],
    }


def walk(node: object):  # noqa: ANN201 - a generator of component dicts
    """Every component (a dict with "props") in a Dash component tree."""
    if isinstance(node, dict):
        if "props" in node:
            yield node
            yield from walk(node["props"].get("children"))
        else:
            for value in node.values():
                yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def component(tree: object, cid: str | dict) -> dict | None:
    return next((c["props"] for c in walk(tree) if c["props"].get("id") == cid), None)


# --- simulated browsers -----------------------------------------------------------------------------


class Browser(threading.Thread):
    """One simulated browser: a cookie jar, the callbacks the server declared, and timings."""

    def __init__(self, run: Run, index: int) -> None:
        super().__init__(daemon=True, name=f"{type(self).__name__}-{index}")
        self.run_ = run
        self.index = index
        self.rng = random.Random(run.seed * 1000 + index)
        self.http = requests.Session()
        self.stats = Stats()
        self.deps: list[dict] = []
        self.version: int | None = None  # the data version the page knows (the poll's State)
        self.poll_s = run.args.poll

    # waiting

    def wait(self, seconds: float) -> bool:
        """Sleep; False when the run is over."""
        seconds = min(seconds, self.run_.end - time.monotonic())
        if seconds > 0:
            self.run_.stop.wait(seconds)
        return not self.over()

    def over(self) -> bool:
        return self.run_.stop.is_set() or time.monotonic() >= self.run_.end

    def expo(self, mean: float) -> float:
        return self.rng.expovariate(1 / mean) if mean > 0 else 0.0

    # requests

    def fail(self, kind: str, detail: str) -> None:
        self.stats.errors[kind] += 1
        if len(self.stats.samples) < 5:
            self.stats.samples.append(f"{kind}: {detail[:400]}")

    def request(
        self, kind: str, method: str, path: str, expect: tuple[int, ...] = (200,), **kw: object
    ) -> requests.Response | None:
        # The kind goes along in a header that gunicorn's access log records with the time spent in the worker.
        headers = {**kw.pop("headers", {}), KIND_HEADER: kind}
        at, started = time.monotonic() - self.run_.started, time.perf_counter()
        try:
            resp = self.http.request(
                method, self.run_.base + path, timeout=REQUEST_TIMEOUT, allow_redirects=False, headers=headers, **kw
            )
        except requests.RequestException as exc:
            self.stats.latencies[kind].append((at, (time.perf_counter() - started) * 1000))
            self.fail(kind, f"{method} {path}: {type(exc).__name__}: {exc}")
            return None
        self.stats.latencies[kind].append((at, (time.perf_counter() - started) * 1000))  # with the body, as a browser
        body = len(resp.content)  # requests asks for gzip, as browsers do; Content-Length is what crossed the wire
        self.stats.sizes[kind].append((body, int(resp.headers.get("Content-Length") or body)))
        if resp.status_code not in expect:
            self.fail(kind, f"{method} {path}: HTTP {resp.status_code} {resp.text[:300]!r}")
            return None
        return resp

    def dash(self, kind: str, entry: dict, values: dict, trigger: str | dict | None = None) -> dict | None:
        """POST one callback; its "response" dict ({} for 204: nothing to update), or None on an error."""
        resp = self.request(
            kind,
            "POST",
            "/_dash-update-component",
            expect=(200, 204),
            data=json.dumps(callback_body(entry, values, trigger)),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        if resp is None:
            return None
        if resp.status_code == 204:
            return {}
        try:
            return resp.json()["response"]
        except (ValueError, KeyError, TypeError):
            self.fail(kind, f"not a Dash answer: {resp.text[:300]!r}")
            return None

    def page(self, path: str, kind: str) -> bool:
        """The page itself and the Dash app description (the scripts are cached by the browser)."""
        if self.request(kind, "GET", path) is None:
            return False
        layout = self.request("dash.layout", "GET", "/_dash-layout")
        deps = self.request("dash.dependencies", "GET", "/_dash-dependencies")
        if layout is None or deps is None:
            return False
        try:
            poll = component(layout.json(), "poll")
            self.deps = deps.json()
        except ValueError:
            self.fail("dash.dependencies", "not JSON")
            return False
        if poll and poll.get("interval"):
            self.poll_s = poll["interval"] / 1000
        self.version = None  # a fresh page knows no data version yet
        return True

    def render(self, pathname: str, search: str, kind: str) -> object | None:
        resp = self.dash(
            kind,
            find_callback(self.deps, "url", "root.children"),
            {"url.pathname": pathname, "url.search": search, "data-version.data": self.version},
        )
        if resp is None:
            return None
        tree = resp.get("root", {}).get("children")
        if component(tree, "db-down") is not None:  # the page's last good build under "database unavailable"
            self.fail(kind, f"{pathname}: the page says the database is unavailable")
        return tree

    def poll(self) -> bool:
        """The data-version poll; True when the data changed (the page re-renders)."""
        resp = self.dash(
            "poll",
            find_callback(self.deps, "poll"),
            {"poll.n_intervals": self.rng.randint(1, 1000), "data-version.data": self.version},
        )
        new = (resp or {}).get("data-version", {}).get("data")
        if new is None or new == self.version:
            return False
        if new == OFFLINE:
            self.fail("poll", "the server says the database is unavailable (data version -1)")
        self.version = new
        return True

    def run(self) -> None:
        try:
            self.wait(self.rng.uniform(0, self.run_.args.ramp))
            self.main()
        except Exception as exc:  # noqa: BLE001 - a bug in the simulation must show, not kill the run silently
            self.fail("client", f"{type(exc).__name__}: {exc}")
        finally:
            self.http.close()

    def main(self) -> None:
        raise NotImplementedError

    def sign_in(self) -> bool:
        raise NotImplementedError

    def load(self) -> bool:
        raise NotImplementedError

    def open(self) -> bool:
        """Sign in, then load the first page, retrying every 5 s; False when the run ends first."""
        for step in (self.sign_in, self.load):
            while not step():
                if not self.wait(5):
                    return False
        return True


class WallScreen(Browser):
    """A TV in an operations room: kiosk token, then the wall data callback on its timers."""

    def __init__(self, run: Run, index: int, token: str, plan_id: int) -> None:
        super().__init__(run, index)
        self.token = token
        self.plan_id = plan_id
        refresh_min = run.args.wall_refresh / 60
        self.search = "?" + urlencode({"plan": plan_id, "refresh": f"{refresh_min:g}"})
        self.config: dict | None = None
        self.refresh_s = run.args.wall_refresh
        self.ticks = 0

    def sign_in(self) -> bool:
        resp = self.request(
            "wall.signin", "GET", f"/wall?{urlencode({'token': self.token, 'plan': self.plan_id})}", expect=(302,)
        )
        if resp is not None and not resp.headers.get("Location", "").startswith("/wall?"):
            self.fail("wall.signin", f"redirected to {resp.headers.get('Location')}")
            return False
        return resp is not None

    def load(self) -> bool:
        return self.page("/wall" + self.search, "wall.page") and self.show()

    def show(self) -> bool:
        """Router callback, then the wall data callback that the new page's components fire."""
        tree = self.render("/wall", self.search, "wall.render")
        config = component(tree, "wall-config") if tree is not None else None
        if config is None:
            if tree is not None:
                self.fail("wall.render", "no wall-config in the page")
            return False
        self.config = config.get("data") or {}
        self.refresh_s = (self.config.get("refresh_ms") or self.refresh_s * 1000) / 1000
        self.ticks = 0
        return self.data()

    def data(self) -> bool:
        resp = self.dash(
            "wall.data",
            find_callback(self.deps, "wall-refresh"),
            {"wall-refresh.n_intervals": self.ticks or None, "wall-config.data": self.config},
        )
        self.ticks += 1
        if resp is not None and "wall-view-0" not in resp:
            self.fail("wall.data", f"no views in the answer: {json.dumps(resp)[:200]}")
            return False
        return resp is not None

    def main(self) -> None:
        if not self.open():
            return
        now = time.monotonic()
        next_refresh, next_poll = now + self.refresh_s, now + self.poll_s
        next_reload = now + self.expo(self.run_.args.reload)
        while not self.over():
            due = min(next_refresh, next_poll, next_reload)
            if not self.wait(due - time.monotonic()):
                return
            now = time.monotonic()
            if due == next_reload:
                self.load()
                now = time.monotonic()
                next_refresh, next_poll = now + self.refresh_s, now + self.poll_s
                next_reload = now + self.expo(self.run_.args.reload)
            elif due == next_poll:
                if self.poll() and self.show():  # new data: the page re-renders, its timers start again
                    next_refresh = time.monotonic() + self.refresh_s
                next_poll = now + self.poll_s
            else:
                self.data()
                next_refresh = now + self.refresh_s


class AgencyUser(Browser):
    """A person at an agency on "Việc của tôi": opens a task it leads, saves an update, sees the result."""

    def __init__(self, run: Run, index: int, username: str) -> None:
        super().__init__(run, index)
        self.username = username
        self.context: dict | None = None
        self.month: str | None = None
        self.edit_ids: list[int] = []
        self.note_ids: list[int] = []
        self.seq = 0

    def sign_in(self) -> bool:
        form = self.request("login", "GET", "/login")  # the form carries the CSRF token its POST needs
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text) if form is not None else None
        data = {"username": self.username, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
        resp = self.request("login", "POST", "/login", expect=(302,), data=data)
        if resp is not None and resp.headers.get("Location") != "/viec-cua-toi":
            self.fail("login", f"redirected to {resp.headers.get('Location')}")
            return False
        return resp is not None

    def load(self) -> bool:
        return self.page("/viec-cua-toi", "mywork.page") and self.show()

    def show(self) -> bool:
        """Router callback, then the three callbacks the new page fires."""
        tree = self.render("/viec-cua-toi", "", "mywork.render")
        if tree is None:
            return False
        context, month = component(tree, "mw-context"), component(tree, "mw-month")
        if context is None or month is None:
            self.fail("mywork.render", "no mw-context in the page")
            return False
        self.context, self.month = context["data"], month.get("value")
        return self.refresh(saved=0)

    def refresh(self, saved: float) -> bool:
        """What the page fetches when it opens and after every save (mw-saved changes)."""
        tasks = self.dash(
            "mywork.tasks",
            find_callback(self.deps, "mw-saved", "mw-tasks.children"),
            {"mw-saved.data": saved, "mw-context.data": self.context},
        )
        self.dash(
            "mywork.figures",
            find_callback(self.deps, "mw-month", "mw-figures.children"),
            {"mw-month.value": self.month, "mw-saved.data": saved, "mw-context.data": self.context},
        )
        self.dash(
            "mywork.history",
            find_callback(self.deps, "mw-saved", "mw-history.children"),
            {"mw-saved.data": saved, "mw-context.data": self.context},
        )
        if tasks is None:
            return False
        tree = tasks.get("mw-tasks", {}).get("children")
        ids = [c["props"]["id"] for c in walk(tree) if isinstance(c["props"].get("id"), dict)]
        self.edit_ids = [i["index"] for i in ids if i.get("type") == "mw-edit"]
        self.note_ids = [i["index"] for i in ids if i.get("type") == "mw-note"]
        if not self.edit_ids:
            self.fail("mywork.tasks", f"{self.username}: no task to update in the table")
        return True

    def modal(self, trigger: str | dict, clicks: int = 1) -> dict | None:
        entry = find_callback(self.deps, '{"index":["ALL"],"type":"mw-edit"}')
        hit = trigger.get("index") if isinstance(trigger, dict) else None
        values = {
            '{"index":["ALL"],"type":"mw-edit"}.n_clicks': [(i, clicks if i == hit else None) for i in self.edit_ids],
            '{"index":["ALL"],"type":"mw-note"}.n_clicks': [(i, None) for i in self.note_ids],
            "mw-cancel.n_clicks": clicks if trigger == "mw-cancel" else None,
        }
        return self.dash("mywork.modal", entry, values, trigger)

    def save(self, task_id: int, version: int, clicks: int) -> tuple[str, int | None]:
        """One save through the page's callback; the outcome and, on a conflict, the version now stored."""
        self.seq += 1
        note = f"{self.run_.tag} {self.username} #{self.seq}"
        attempt = Save(task_id, version, note)
        self.stats.saves.append(attempt)
        done = self.rng.random() < 0.1
        resp = self.dash(
            "mywork.save",
            find_callback(self.deps, "mw-save-task"),
            {
                "mw-save-task.n_clicks": clicks,
                "mw-edit.data": {"task_id": task_id, "version": version, "mode": "update"},
                "mw-status.value": "done" if done else "in_progress",
                "mw-progress.value": 100 if done else self.rng.randint(1, 99),
                "mw-completed.date": self.run_.args.today if done else None,
                "mw-evidence.value": f"https://example.gov.vn/minh-chung/{self.index}/{self.seq}",
                "mw-note.value": note,
            },
        )
        if resp is None:
            return "unknown", None
        feedback = (resp.get("mw-task-feedback") or {}).get("children") or {}
        css = (feedback.get("props") or {}).get("className", "") if isinstance(feedback, dict) else ""
        if "feedback-ok" in css and "mw-saved" in resp:
            attempt.outcome = "saved"
        elif "feedback-conflict" in css:
            attempt.outcome = "conflict"
            return "conflict", (resp.get("mw-edit") or {}).get("data", {}).get("version")
        else:
            attempt.outcome = "refused"
            self.fail("mywork.save", f"refused: {json.dumps(feedback, ensure_ascii=False)[:300]}")
            return "refused", None
        self.refresh(saved=resp["mw-saved"]["data"])
        return "saved", None

    def edit(self) -> None:
        """Click "Cập nhật" on a task, type for a moment, save; on a conflict, save again or cancel."""
        if not self.edit_ids:
            return
        # People work down their list: half of the edits go to the first two tasks, so two accounts of one
        # agency do meet on a task now and then (the version check's case).
        pool = self.edit_ids[:2] if self.rng.random() < 0.5 else self.edit_ids
        task_id = self.rng.choice(pool)
        resp = self.modal({"type": "mw-edit", "index": task_id})
        edit = (resp or {}).get("mw-edit", {}).get("data") or {}
        if edit.get("task_id") != task_id:
            if resp is not None:
                self.fail("mywork.modal", f"task {task_id} did not open: {json.dumps(resp)[:200]}")
            return
        if not self.wait(self.rng.uniform(1, 3)):
            return
        outcome, current = self.save(task_id, edit["version"], 1)
        if outcome == "conflict" and current is not None:
            if self.rng.random() < 0.5 and self.wait(self.rng.uniform(1, 2)):
                self.save(task_id, current, 2)  # the user read the current values and saves again
            else:
                self.modal("mw-cancel")

    def main(self) -> None:
        if not self.open():
            return
        now = time.monotonic()
        next_edit, next_poll = now + self.expo(self.run_.args.think), now + self.poll_s
        next_reload = now + self.expo(self.run_.args.reload)
        while not self.over():
            due = min(next_edit, next_poll, next_reload)
            if not self.wait(due - time.monotonic()):
                return
            if due == next_reload:
                self.load()
                next_reload = time.monotonic() + self.expo(self.run_.args.reload)
                next_poll = time.monotonic() + self.poll_s
            elif due == next_poll:
                if self.poll():
                    self.show()
                next_poll = time.monotonic() + self.poll_s
            else:
                self.edit()
                next_edit = time.monotonic() + self.expo(self.run_.args.think)


# --- the store, the server, the run ---------------------------------------------------------------


@dataclass
class Fixture:
    """What the prepared store holds for the run."""

    usernames: list[str]
    kiosks: list[tuple[str, int]]  # (token, plan id) per wall screen
    versions: dict[int, int]  # task id -> version before the run
    last_update_id: int
    last_audit_id: int


def check_loopback(url: str) -> None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgres"):
        raise SystemExit("--database-url must be a PostgreSQL URL (postgresql://...)")
    if (parsed.host or "localhost") not in LOOPBACK:
        raise SystemExit(f"the load test empties its database: it must be on this machine, not {parsed.host}")


def ensure_database(url: str) -> None:
    """Create the database when it does not exist (the server's maintenance database ``postgres``)."""
    import psycopg

    parsed = make_url(url)
    try:
        psycopg.connect(parsed.set(drivername="postgresql").render_as_string(hide_password=False)).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise SystemExit(f"cannot reach PostgreSQL: {exc}") from None
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{parsed.database}"')
    print(f"created database {parsed.database}")


def prepare(args: argparse.Namespace, workdir: Path, walls: int, agency_users: int) -> Fixture:
    """The demo, the agency accounts spread over agencies that lead tasks, one kiosk token per wall."""
    from dashboard.accounts.users import SYSTEM, create_kiosk_token, create_user
    from dashboard.demo import DemoRefused, build_demo, demo_options
    from dashboard.store.database import make_engine, transaction
    from dashboard.store.models import (
        Agency,
        AuditLog,
        MonthReport,
        Plan,
        Province,
        Task,
        TaskAgency,
        TaskUpdate,
    )

    config = load_config(args, workdir)
    engine = make_engine(config.database_url)
    started = time.perf_counter()
    # On an existing store (benchmarks.national's, as it is) each run adds its own accounts: an earlier run's
    # have audit records and stay.
    run_tag = f"{secrets.token_hex(3)}." if args.existing_store else ""
    if args.existing_store:
        summary = None
    else:
        try:
            summary = build_demo(engine, config.as_of(), force=args.force, **demo_options(config))
        except DemoRefused as exc:
            raise SystemExit(f"error: {exc}") from None
    with transaction(engine) as s:
        leads = s.execute(
            select(Agency.id, Agency.name, Province.name, func.count(TaskAgency.task_id))
            .join(TaskAgency, TaskAgency.agency_id == Agency.id)
            .join(Task, Task.id == TaskAgency.task_id)
            .join(Province, Province.id == Agency.province_id)
            .where(TaskAgency.role == "lead", Task.active.is_(True), Agency.kind != "group")
            .group_by(Agency.id, Agency.name, Province.name)
            .order_by(func.count(TaskAgency.task_id).desc(), Agency.id)
        ).all()
        if not leads:
            raise SystemExit("the store has no agency that leads a task")
        # the busiest agencies of every province in turn: agency users in as many provinces as there are users
        by_province: dict[str, list] = defaultdict(list)
        for row in leads:
            by_province[row[2]].append(row)
        leads = [row for rank in zip(*by_province.values(), strict=False) for row in rank] or leads
        usernames, agencies = [], set()
        for i in range(agency_users):
            agency_id, name, _, _ = leads[i % len(leads)]
            username = f"tai-thu.{run_tag}{i + 1:03d}"
            create_user(s, SYSTEM, username, PASSWORD, "agency", agency_id, f"Tải thử {i + 1} · {name}")
            usernames.append(username)
            agencies.add(agency_id)
        # Their agencies have not sent this month yet (the demo ran the month for agencies without accounts):
        # open, as for the demo's own accounts, so that their saves are not refused by the month's lock.
        s.execute(
            delete(MonthReport).where(
                MonthReport.agency_id.in_(agencies), MonthReport.month == date.fromisoformat(args.today).replace(day=1)
            )
        )
        plans = list(s.scalars(select(Plan.id).order_by(Plan.id)))
        provinces = s.scalar(select(func.count(func.distinct(Agency.province_id))).where(Agency.id.in_(agencies)))
        kiosks = []
        for i in range(walls):
            _, token = create_kiosk_token(s, SYSTEM, f"Màn hình tải thử {i + 1}")
            kiosks.append((token, plans[i % len(plans)]))
    with transaction(engine) as s:
        fixture = Fixture(
            usernames,
            kiosks,
            dict(s.execute(select(Task.id, Task.version)).all()),
            s.scalar(select(func.coalesce(func.max(TaskUpdate.id), 0))),
            s.scalar(select(func.coalesce(func.max(AuditLog.id), 0))),
        )
    engine.dispose()
    print(
        f"store ready in {time.perf_counter() - started:.1f} s: "
        f"{'the existing store' if summary is None else f'demo ({summary.task_updates} task updates)'}, "
        f"{agency_users} agency accounts over {len(agencies)} agencies that lead tasks in {provinces} provinces, "
        f"{walls} kiosk tokens over {len(plans)} plans"
    )
    return fixture


def load_config(args: argparse.Namespace, workdir: Path):  # noqa: ANN201
    from dashboard.config import Config

    national = ROOT / "benchmarks" / "out" / "sources.national.toml"
    sources = national if args.existing_store and national.exists() else ROOT / "data" / "sources.demo.toml"
    return Config(
        database_url=args.database_url,
        today=date.fromisoformat(args.today),
        sources_file=str(sources),
        demo_sources_url=f"sqlite:///{workdir / 'demo_sources.db'}",
        demo_source_scale=args.source_scale,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_ready(url: str | None) -> str | None:
    """The Redis URL when Redis answers (its database emptied: cached pages of an older store), else None."""
    if not url:
        return None
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=2)
        client.flushdb()
        client.close()
        return url
    except redis.RedisError as exc:
        print(f"warning: Redis at {url} does not answer ({exc}); each worker keeps its own cache")
        return None


def bound_redis(url: str | None, maxmemory: str) -> dict | None:
    """Set Redis's memory bound and LRU eviction as the README's production section says (the bound applies
    to the whole server); returns the previous settings, to put back when the run ends."""
    if not url or not maxmemory:
        return None
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2)
    previous = {k: v for k, v in client.config_get("maxmemory*").items() if k in ("maxmemory", "maxmemory-policy")}
    client.config_set("maxmemory", maxmemory)
    client.config_set("maxmemory-policy", "allkeys-lru")
    client.config_resetstat()  # the peak below is this run's
    client.close()
    return previous


def redis_memory(url: str | None, previous: dict | None) -> str:
    """This run's Redis memory against its bound, and the bound put back as it was."""
    if not url:
        return "Redis: none"
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2)
    info, bound = client.info("memory"), int(client.config_get("maxmemory")["maxmemory"])
    stats = client.info("stats")
    if previous:
        for key, value in previous.items():
            client.config_set(key, value)
    client.close()
    within = "within" if not bound or info["used_memory_peak"] <= bound * 1.05 else "OVER"
    return (
        f"Redis memory: {info['used_memory_human']} now, peak {info['used_memory_peak_human']}, bound "
        f"{bound / 2**20:.0f} MB ({within}); {stats.get('evicted_keys', 0)} keys evicted"
    )


class Server:
    """gunicorn as the Procfile runs it, on loopback; stopped by its own pid (and its process group)."""

    def __init__(self, args: argparse.Namespace, workdir: Path, redis_url: str | None) -> None:
        self.port = args.port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "gunicorn.log"
        self.access_log = workdir / "access.log"
        config = load_config(args, workdir)
        env = {k: v for k, v in os.environ.items() if k not in ("HTTPS", "TRUST_PROXY", "REDIS_URL", "PORT")}
        env.update(
            DATABASE_URL=args.database_url,
            SECRET_KEY=secrets.token_hex(32),
            DASHBOARD_TODAY=args.today,
            DASHBOARD_AUTO_DEMO="0",
            SOURCES_FILE=config.sources_file,
            DEMO_SOURCES_URL=config.demo_sources(),
            POLL_SECONDS=f"{args.poll:g}",
            LOGIN_RATE_LIMIT=f"{max(100, 4 * args.agency_users)} per minute",
        )
        if redis_url:
            env["REDIS_URL"] = redis_url
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--no-control-socket",
            "--preload",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "20",
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            f"%({{{KIND_HEADER.lower()}}}i)s %(s)s %(D)s",
            "webapp:create_server()",
        ]
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C reaches this script only; it stops gunicorn itself
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                health = requests.get(self.base + "/healthz", timeout=2)
                if health.status_code == 200 and health.json().get("database"):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer /healthz within 90 s:\n{self.tail()}")

    def stop(self) -> None:
        """SIGTERM to the master (workers finish their requests), SIGKILL to its group if it hangs."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
            print("warning: gunicorn did not stop within 30 s and was killed")

    def service_times(self) -> dict[str, list[float]]:
        """Milliseconds each request spent in a worker (gunicorn's %(D)s), by kind: latency less queueing."""
        times: dict[str, list[float]] = defaultdict(list)
        if self.access_log.exists():
            for line in self.access_log.read_text(errors="replace").splitlines():
                parts = line.split()
                if len(parts) == 3 and parts[2].isdigit():
                    times[parts[0]].append(int(parts[2]) / 1000)
        return times

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def problems(self) -> tuple[int, list[str]]:
        """Tracebacks, worker timeouts and errors in gunicorn's log: their number and the first few."""
        text_ = self.log.read_text(errors="replace") if self.log.exists() else ""
        blocks, current = [], None
        for line in text_.splitlines():
            if "Traceback (most recent call last)" in line or "WORKER TIMEOUT" in line or "[ERROR]" in line:
                current = [line]
                blocks.append(current)
            elif current is not None and (line.startswith((" ", "\t")) or not line.startswith("[")):
                current.append(line)
            else:
                current = None
        return len(blocks), ["\n".join(b[:60]) for b in blocks[:3]]


class Run:
    """Shared by the simulated browsers: where the server is, when to stop, the run's tag."""

    def __init__(self, args: argparse.Namespace, base: str) -> None:
        self.args = args
        self.base = base
        self.seed = args.seed
        self.tag = f"[tai-thu {secrets.token_hex(4)}]"
        self.stop = threading.Event()
        self.started = time.monotonic()
        self.end = self.started + args.ramp + args.duration


@dataclass
class Verdict:
    acknowledged: int
    conflicts: int
    refused: int
    unknown: int
    missing_rows: list[str]
    missing_audit: list[str]
    shadowed: int  # saved, but another update (dated later) is what the task shows as its latest state
    stale_acks: int
    conflicts_written: int
    unacknowledged_written: int
    version_mismatches: list[tuple[int, int, int]]

    @property
    def lost(self) -> int:
        return len(set(self.missing_rows) | set(self.missing_audit)) + self.stale_acks


def verify(args: argparse.Namespace, run: Run, fixture: Fixture, saves: list[Save]) -> Verdict:
    """Every acknowledged save is a task_update row and an audit record; versions add up."""
    from dashboard.store.database import make_engine, transaction
    from dashboard.store.models import AuditLog, Task, TaskUpdate

    engine = make_engine(args.database_url)
    with transaction(engine) as s:
        rows = s.execute(
            select(TaskUpdate.task_id, TaskUpdate.note).where(TaskUpdate.id > fixture.last_update_id)
        ).all()
        audits = s.execute(
            select(AuditLog.entity_id, AuditLog.after).where(
                AuditLog.id > fixture.last_audit_id, AuditLog.action == "task.update"
            )
        ).all()
        versions = dict(s.execute(select(Task.id, Task.version)).all())
    engine.dispose()
    stored = {note for _, note in rows if note and note.startswith(run.tag)}
    # A save on version v is audited with the task at version v + 1 (whatever it then shows as latest).
    audited = {(task_id, int((after or {}).get("version", -1))) for task_id, after in audits}
    shown = {(after or {}).get("note") for _, after in audits}
    acked = [a for a in saves if a.outcome == "saved"]
    base_versions = Counter((a.task_id, a.base_version) for a in acked)
    new_rows = Counter(task_id for task_id, _ in rows)
    mismatches = [
        (task_id, versions[task_id] - before, new_rows.get(task_id, 0))
        for task_id, before in fixture.versions.items()
        if versions.get(task_id, before) - before != new_rows.get(task_id, 0)
    ]
    sent = {a.note for a in saves}
    return Verdict(
        acknowledged=len(acked),
        conflicts=sum(a.outcome == "conflict" for a in saves),
        refused=sum(a.outcome == "refused" for a in saves),
        unknown=sum(a.outcome == "unknown" for a in saves),
        missing_rows=[a.note for a in acked if a.note not in stored],
        missing_audit=[a.note for a in acked if (a.task_id, a.base_version + 1) not in audited],
        shadowed=sum(a.note not in shown for a in acked),
        stale_acks=sum(n - 1 for n in base_versions.values() if n > 1),
        conflicts_written=sum(a.outcome == "conflict" and a.note in stored for a in saves),
        unacknowledged_written=len({a.note for a in saves if a.outcome == "unknown"} & stored) + len(stored - sent),
        version_mismatches=mismatches,
    )


def report(
    stats: Stats, verdict: Verdict, elapsed: float, server: Server, args: argparse.Namespace, cpu: dict[str, float]
) -> bool:
    """Print the figures; True when the targets are met."""
    order = [
        "wall.signin",
        "wall.page",
        "wall.render",
        "wall.data",
        "login",
        "mywork.page",
        "mywork.render",
        "mywork.tasks",
        "mywork.figures",
        "mywork.history",
        "mywork.modal",
        "mywork.save",
        "dash.layout",
        "dash.dependencies",
        "poll",
    ]
    kinds = order + sorted(k for k in stats.latencies if k not in order)
    every = [ms for values in stats.latencies.values() for _, ms in values]
    steady = [ms for values in stats.latencies.values() for at, ms in values if at >= args.ramp]
    errors = sum(stats.errors.values())
    served = server.service_times()
    print()
    print("latency as the browser sees it (queueing included); 'in worker': gunicorn's own time for the request")
    print(
        f"{'request kind':<19}{'count':>7}{'errors':>7}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}"
        f"{'p95 after ramp-up':>19}{'in worker p50/p95':>19}{'KB (wire)':>16}"
    )

    def ms(values: list[float], p: float | None = None) -> str:
        if not values:
            return "-"
        return f"{max(values) if p is None else percentile(values, p):.0f}"

    def kb(sizes: list[tuple[int, int]]) -> str:
        """Mean payload of a kind: the body, and what crossed the wire (compressed)."""
        if not sizes:
            return "-"
        return f"{statistics.mean(b for b, _ in sizes) / 1024:.1f} ({statistics.mean(w for _, w in sizes) / 1024:.1f})"

    def line(name: str, values: list[float], errors: int, later: list[float], work: list[float], sizes: list) -> None:
        print(
            f"{name:<19}{len(values):>7}{errors:>7}{ms(values, 50):>8}{ms(values, 95):>8}{ms(values):>8}"
            f"{ms(later, 95):>19}{ms(work, 50):>13}/{ms(work, 95):<5}{kb(sizes):>16}"
        )

    for kind in kinds:
        pairs = stats.latencies.get(kind, [])
        if pairs or stats.errors.get(kind):
            later = [ms for at, ms in pairs if at >= args.ramp]
            line(
                kind, [ms for _, ms in pairs], stats.errors.get(kind, 0), later, served.get(kind, []), stats.sizes[kind]
            )
    every_size = [size for values in stats.sizes.values() for size in values]
    line("overall", every, errors, steady, [ms for kind, v in served.items() if kind in kinds for ms in v], every_size)
    p95 = percentile(every, 95)
    print()
    print(
        f"requests: {len(every)} in {elapsed:.1f} s ({len(every) / max(elapsed, 1e-9):.1f}/s); after the "
        f"{args.ramp:g} s ramp-up: {len(steady)}, p50 {percentile(steady, 50):.0f} ms, p95 "
        f"{percentile(steady, 95):.0f} ms"
    )
    print(
        f"CPU: gunicorn {cpu['server']:.0f} s (with its start), load generator {cpu['client']:.0f} s, of "
        f"{cpu['available']:.0f} s in the load phase on {os.cpu_count()} cores (PostgreSQL not counted); "
        f"load average {cpu['loadavg']:.1f} before the run"
    )
    print(f"errors: {errors} (non-2xx, no answer, not a Dash answer, or a valid save refused)")
    for sample in stats.samples[:8]:
        print(f"  {sample}")
    print(
        f"task saves: {verdict.acknowledged} acknowledged, conflicts: {verdict.conflicts} (version check refused "
        f"a stale save; not errors), refused: {verdict.refused}, no answer: {verdict.unknown}"
    )
    print(
        f"database: {len(verdict.missing_rows)} acknowledged saves without a task_update row, "
        f"{len(verdict.missing_audit)} without an audit record, {verdict.stale_acks} acknowledged on an "
        f"already-used version, {verdict.conflicts_written} conflicts written anyway, "
        f"{verdict.unacknowledged_written} rows written without an acknowledgement, "
        f"{len(verdict.version_mismatches)} tasks whose version moved differently from their update rows"
    )
    if verdict.shadowed:
        print(
            f"note: {verdict.shadowed} acknowledged saves are stored but not shown as the task's latest state "
            "(its audit record's after-state is another update: one dated later than the save)"
        )
    for task_id, moved, rows in verdict.version_mismatches[:5]:
        print(f"  task {task_id}: version +{moved}, {rows} new update rows")
    count, blocks = server.problems()
    print(f"gunicorn log: {count} tracebacks/errors/worker timeouts ({server.log})")
    for block in blocks:
        print("  " + block.replace("\n", "\n  "))
    print(f"lost updates: {verdict.lost}")
    met = {
        f"p95 < {P95_TARGET_MS:.0f} ms": p95 < P95_TARGET_MS,
        "zero errors": errors == 0,
        "zero lost updates": verdict.lost == 0,
    }
    print("targets: " + ", ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in met.items()))
    if args.json:
        summary = {
            "kinds": {
                k: {
                    "count": len(v),
                    "errors": stats.errors.get(k, 0),
                    "p50_ms": percentile([ms for _, ms in v], 50),
                    "p95_ms": percentile([ms for _, ms in v], 95),
                    "max_ms": max(ms for _, ms in v),
                    "p95_after_ramp_ms": percentile([ms for at, ms in v if at >= args.ramp], 95),
                }
                for k, v in stats.latencies.items()
                if v
            },
            "overall": {
                "count": len(every),
                "errors": errors,
                "p50_ms": percentile(every, 50),
                "p95_ms": p95,
                "max_ms": max(every, default=None),
                "p95_after_ramp_ms": percentile(steady, 95),
            },
            "conflicts": verdict.conflicts,
            "acknowledged_saves": verdict.acknowledged,
            "lost_updates": verdict.lost,
            "gunicorn_problems": count,
            "elapsed_s": elapsed,
            "workers": args.workers,
            "cpu_s": cpu,
        }
        Path(args.json).write_text(json.dumps(summary, indent=2))
    return all(met.values())


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default="postgresql://postgres@127.0.0.1:5432/bench_load",
        help="PostgreSQL on this machine; emptied and refilled with the demo (created if missing)",
    )
    parser.add_argument("--users", type=int, default=250, help="simulated browsers in all (default 250)")
    parser.add_argument("--agency-users", type=int, default=50, help="of which agency users (default 50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load after the ramp-up (default 60)")
    parser.add_argument(
        "--ramp", type=float, default=30, help="seconds over which the browsers open their pages first (default 30)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/13", help="Redis database for the app's cache ('' for none)"
    )
    parser.add_argument(
        "--existing-store",
        action="store_true",
        help="load the store at --database-url as it is (a national store from benchmarks.national) instead of "
        "rebuilding the demo; wall screens over all its provinces, agency users in as many provinces as possible",
    )
    parser.add_argument(
        "--redis-maxmemory",
        default="256mb",
        help="Redis's memory bound for the run, with LRU eviction (the server's own, put back afterwards)",
    )
    parser.add_argument("--wall-refresh", type=float, default=60, help="wall data refresh, seconds (app: 300)")
    parser.add_argument("--poll", type=float, default=60, help="data-version poll, seconds (app: 60)")
    parser.add_argument("--think", type=float, default=30, help="mean seconds between an agency user's task edits")
    parser.add_argument("--reload", type=float, default=600, help="mean seconds between page reloads per browser")
    parser.add_argument("--source-scale", type=float, default=0.1, help="size of the demo's raw source records")
    parser.add_argument("--today", default=TODAY, help=f"the app's as-of date (default {TODAY})")
    parser.add_argument("--seed", type=int, default=57)
    parser.add_argument("--force", action="store_true", help="replace a database that holds imported plans")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not 0 < args.duration or args.ramp < 0 or args.ramp + args.duration > MAX_DURATION:
        parser.error(f"--ramp + --duration must be positive and at most {MAX_DURATION:g} seconds")
    if not 0 <= args.agency_users <= args.users or args.users < 1:
        parser.error("--agency-users must lie within 0..--users")
    if args.workers < 1 or args.workers > 16:
        parser.error("--workers must lie within 1..16")
    check_loopback(args.database_url)
    return args


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    walls, agency_users = args.users - args.agency_users, args.agency_users
    ensure_database(args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="kpi-load-"))
    try:
        fixture = prepare(args, workdir, walls, agency_users)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    redis_url = redis_ready(args.redis_url)
    server = Server(args, workdir, redis_url)
    redis_before = bound_redis(redis_url, args.redis_maxmemory)

    def _terminate(_signum, _frame):  # noqa: ANN001, ANN202
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even when started with SIGINT ignored
    stats, elapsed, interrupted = Stats(), 0.0, False
    browsers: list[Browser] = []
    cpu = {"loadavg": os.getloadavg()[0], "client": 0.0}
    try:
        server.start()
        print(
            f"gunicorn: {args.workers} workers on {server.base} (pid {server.proc.pid}), "
            f"Redis: {server.env.get('REDIS_URL', 'none')}; log {server.log}"
        )
        print(
            f"load: {walls} wall screens (refresh {args.wall_refresh:g} s, poll {args.poll:g} s), "
            f"{agency_users} agency users (an edit every {args.think:g} s on average), reloads every "
            f"{args.reload:g} s on average; pages open over {args.ramp:g} s, then {args.duration:g} s of load"
        )
        run = Run(args, server.base)
        browsers = [WallScreen(run, i, token, plan) for i, (token, plan) in enumerate(fixture.kiosks)]
        browsers += [AgencyUser(run, walls + i, name) for i, name in enumerate(fixture.usernames)]
        client_cpu = _cpu(resource.RUSAGE_SELF)
        started = run.started = time.monotonic()
        run.end = started + args.ramp + args.duration
        for browser in browsers:
            browser.start()
        try:
            while time.monotonic() < run.end:
                time.sleep(min(1.0, max(0.0, run.end - time.monotonic())))
        except KeyboardInterrupt:
            interrupted = True
            print("\ninterrupted: stopping the browsers and the server")
        run.stop.set()
        deadline = time.monotonic() + REQUEST_TIMEOUT + 5  # in-flight requests end or time out
        for browser in browsers:
            browser.join(max(0.0, deadline - time.monotonic()))
        elapsed = time.monotonic() - started
        cpu["client"] = _cpu(resource.RUSAGE_SELF) - client_cpu
        hung = sum(b.is_alive() for b in browsers)
        if hung:
            print(f"warning: {hung} browsers still waiting for an answer; their last requests are not counted")
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    for browser in browsers:
        stats.merge(browser.stats)
    cpu.update(server=_cpu(resource.RUSAGE_CHILDREN), available=elapsed * (os.cpu_count() or 1))
    verdict = verify(args, run, fixture, stats.saves)
    print(f"gunicorn stopped (exit {server.proc.returncode})")
    ok = report(stats, verdict, elapsed, server, args, cpu)
    print(redis_memory(redis_url, redis_before))
    if ok and not interrupted:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"kept {workdir} (gunicorn log, demo source records)")
    return 0 if ok and not interrupted else 1


if __name__ == "__main__":
    sys.exit(main())
