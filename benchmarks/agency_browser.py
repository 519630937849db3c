"""How long the agency page ("Đơn vị") takes to become usable in a real browser (headless Chromium).

Builds the demo in a temporary folder (or uses ``--database-url``), serves the app on loopback, signs in as
the leader and opens the agency page of every agency of a plan that reports KPI figures, one after the other,
in the same tab (as a person moves from agency to agency). For each it measures, in the browser, the time from
the navigation to the moment the page is usable: the agency's name is shown, its KPI chart is drawn and its
tables are in place. It prints the median, p95 and worst time, unthrottled and with Chromium's CPU slowed down
(``--throttle``, default 4×: a busy office PC), and the JSON size of the page answer.

    .venv/bin/python -m benchmarks.agency_browser            # [--plan 1] [--throttle 4] [--rounds 1]

Target: usable within 2 s on the demo. Figures are printed, never asserted by the test suite.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text

READY = """
var name = document.getElementById('agency-name');
if (!name || name.textContent !== arguments[0]) { return false; }
var chart = document.querySelector('#agency-kpi-chart .barlayer .point');
var none = document.getElementById('agency-no-kpis');
return !!(chart || none) && !!document.getElementById('agency-lead-tasks');
"""


def _serve(database_url: str) -> tuple[str, object]:
    from werkzeug.serving import make_server

    from dashboard.config import Config
    from webapp import create_app

    app = create_app(Config(database_url=database_url, secret_key="bench", today=date(2026, 11, 27)))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def _driver():  # noqa: ANN202
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900"):
        options.add_argument(arg)
    binary = os.environ.get("CHROME_BIN") or next(
        (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None
    )
    if binary:
        options.binary_location = binary
    return webdriver.Chrome(options=options)


def _sign_in(driver, base: str) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/login")
    driver.find_element(By.ID, "username").send_keys("lanhdao")
    driver.find_element(By.ID, "password").send_keys("lanhdao-demo-2026")
    driver.find_element(By.ID, "login-submit").click()
    _wait(driver, "return !!document.getElementById('root')", timeout=30)


def _wait(driver, script: str, *args: object, timeout: float = 60) -> None:  # noqa: ANN001
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if driver.execute_script(script, *args):
            return
        time.sleep(0.02)
    raise TimeoutError(f"not ready after {timeout} s: {args}")


def _agencies(database_url: str, plan: int) -> list[tuple[int, str]]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                text(
                    "SELECT DISTINCT a.id, a.name FROM agency a JOIN measurement m ON m.agency_id = a.id "
                    "JOIN indicator i ON i.id = m.indicator_id WHERE i.plan_id = :p ORDER BY a.name"
                ),
                {"p": plan},
            )
        ]


# Inside the open site: the address changes as a link (dcc.Link) changes it, and the page is built again.
FOLLOW_LINK = "history.pushState({}, '', arguments[0]); window.dispatchEvent(new PopStateEvent('popstate'));"


def _time_pages(
    driver,  # noqa: ANN001
    base: str,
    plan: int,
    agencies: list[tuple[int, str]],
    rounds: int,
    in_site: bool,
) -> list[float]:
    """Seconds to a usable page for each agency: a full page load (``in_site`` False: a bookmark, a reload),
    or a move inside the open site."""
    times = []
    for _ in range(rounds):
        for aid, name in agencies:
            path = f"/don-vi?plan={plan}&agency={aid}"
            start = time.perf_counter()
            if in_site:
                driver.execute_script(FOLLOW_LINK, path)
            else:
                driver.get(base + path)
            _wait(driver, READY, name)
            times.append(time.perf_counter() - start)
    return times


def _summary(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return (
        f"{label:<34} n={len(times):<3} median {statistics.median(times):5.2f} s   p95 {p95:5.2f} s   "
        f"worst {ordered[-1]:5.2f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a prepared store (default: the demo, built in a temporary folder)")
    parser.add_argument("--plan", type=int, default=1)
    parser.add_argument("--throttle", type=float, default=4.0, help="Chromium CPU slowdown for the second run")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)

    url = args.database_url
    if url is None:
        from dashboard.config import Config
        from dashboard.demo import prepare_store

        folder = Path(tempfile.mkdtemp(prefix="bench-agency-"))
        url = f"sqlite:///{folder / 'app.db'}"
        prepare_store(Config(database_url=url, secret_key="bench", today=date(2026, 11, 27)))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    base, server = _serve(url)
    agencies = _agencies(url, args.plan)
    driver = _driver()
    try:
        _sign_in(driver, base)
        _time_pages(driver, base, args.plan, agencies[:2], 1, False)  # scripts and fonts into the browser's cache
        print(f"agency page, plan {args.plan}, {len(agencies)} agencies with figures, {args.rounds} rounds")
        for rate in (1.0, args.throttle) if args.throttle > 1 else (1.0,):
            driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": rate})
            cpu = "CPU as is" if rate == 1 else f"CPU slowed {rate:g}×"
            for in_site, how in ((False, "page load"), (True, "link in the site")):
                times = _time_pages(driver, base, args.plan, agencies, args.rounds, in_site)
                print(_summary(f"{how}, {cpu}", times))
        charts = driver.execute_script("return document.querySelectorAll('#page-content .js-plotly-plot').length")
        print(f"Plotly charts on the last page: {charts}")
    finally:
        driver.quit()
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
