"""Screenshots for the README, taken from the running demo in headless Chromium.

    .venv/bin/python docs/make_screenshots.py

Needs Chromium, chromedriver and Vietnamese-capable fonts (Debian: chromium chromium-driver
fonts-liberation2 fonts-open-sans).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SHOTS = [  # (file, path, window size, element to wait for)
    ("overview.png", "/?plan=1", (1400, 1500), "#agency-gauges .indicatorlayer .trace"),
    ("timeline.png", "/tien-do?plan=2", (1400, 1300), "#timeline-chart .scatterlayer"),
    ("red-flags-phone.png", "/canh-bao?plan=3", (390, 844), "#flag-list"),
    # the wall screen last: its kiosk token replaces the signed-in session
    (
        "wall.png",
        "/wall?token=man-hinh-demo-2026&plan=1&rotate=3600",
        (1920, 1080),
        "#wall-gauge-digital_skills .indicatorlayer .trace",
    ),
]


def main() -> int:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import pytest_setup_options

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/demo.db", "DASHBOARD_TODAY": "2026-11-27"}
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        driver = webdriver.Chrome(options=pytest_setup_options())
        try:
            for _ in range(120):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.5)
            OUT.mkdir(parents=True, exist_ok=True)
            from webclient import browser_login

            browser_login(driver, f"http://127.0.0.1:{port}", "lanhdao")
            for name, path, (w, h), wait_for in SHOTS:
                driver.set_window_size(w, h)
                driver.get(f"http://127.0.0.1:{port}{path}")
                WebDriverWait(driver, 60).until(ec.presence_of_element_located((By.CSS_SELECTOR, wait_for)))
                time.sleep(1.5)
                driver.save_screenshot(str(OUT / name))
                print(f"wrote {OUT / name}")
        finally:
            driver.quit()
            server.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
