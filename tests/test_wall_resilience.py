"""A wall screen left on survives its server going away: it keeps the last data, says it is stale, and
resumes by itself when the server is back. Real server process, real browser."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, pytest_setup_options
from demo_copy import demo_url
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By

pytestmark = pytest.mark.browser


def until(condition, timeout: float) -> None:  # noqa: ANN001
    """Wait for a condition; a page still loading (element missing) counts as not yet."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if condition():
                return
        except WebDriverException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"condition not met within {timeout} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_wall_keeps_last_data_while_the_server_is_down_and_recovers(tmp_path: Path) -> None:
    url = demo_url(tmp_path, "wall.db")  # the session's demo, copied: the server finds it ready
    env = {**os.environ, "DATABASE_URL": url, "DASHBOARD_TODAY": "2026-11-27"}
    port = free_port()
    server = start_server(env, port)
    driver = webdriver.Chrome(options=pytest_setup_options())
    try:
        driver.set_window_size(1920, 1080)
        driver.get(
            f"http://127.0.0.1:{port}/wall?token=man-hinh-demo-2026&plan=1&rotate=2&refresh=0.05"
        )  # refresh every 3 s
        find = lambda css: driver.find_element(By.CSS_SELECTOR, css)  # noqa: E731
        until(lambda: find("#wall-count-overdue").text.isdigit(), timeout=30)
        overdue = find("#wall-count-overdue").text
        stale = find("#wall-stale")
        assert "wall-hidden" in stale.get_attribute("class")

        stop(server)
        until(lambda: "wall-hidden" not in find("#wall-stale").get_attribute("class"), timeout=30)
        assert "Dữ liệu chưa được cập nhật từ" in find("#wall-stale").text
        first = find("#wall-view-name").text
        until(lambda: find("#wall-view-name").text != first, timeout=10)  # still rotating
        assert driver.execute_script("return document.getElementById('wall-count-overdue').textContent") == overdue

        server = start_server(env, port)
        until(lambda: "wall-hidden" in find("#wall-stale").get_attribute("class"), timeout=40)
        assert driver.execute_script("return document.getElementById('wall-count-overdue').textContent") == overdue
    finally:
        driver.quit()
        stop(server)
