"""Responses are compressed as the browser asks (gzip or brotli): pages and Dash's JSON answers; the answer
decompresses to exactly what an uncompressed request gets. (Static files are sent as files: the reverse proxy
compresses those, see the README's production section.)"""

from __future__ import annotations

import gzip
import json

import brotli
from webclient import demo_app, login

OVERVIEW = {
    "output": "root.children",
    "outputs": {"id": "root", "property": "children"},
    "inputs": [
        {"id": "url", "property": "pathname", "value": "/"},
        {"id": "url", "property": "search", "value": "?plan=1"},
        {"id": "data-version", "property": "data", "value": 0},
    ],
    "changedPropIds": ["url.pathname"],
}


def _post(client, encoding: str | None):  # noqa: ANN001, ANN202
    headers = {"Accept-Encoding": encoding} if encoding else {}
    return client.post("/_dash-update-component", json=OVERVIEW, headers=headers)


def test_dash_answers_and_assets_are_compressed(tmp_path) -> None:  # noqa: ANN001
    app = demo_app(tmp_path)
    client = login(app, "lanhdao")
    plain = _post(client, None)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers, plain.data[:200]
    body = json.loads(plain.data)
    zipped = _post(client, "gzip")
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.data)) == body
    assert len(zipped.data) * 5 < len(plain.data)  # the overview's JSON shrinks several times over
    br = _post(client, "br, gzip")
    assert br.headers["Content-Encoding"] == "br"
    assert json.loads(brotli.decompress(br.data)) == body
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers.get("Content-Encoding") == "gzip" and b"<html" in gzip.decompress(page.data).lower()
    # a tiny answer is left alone: compressing it would cost more than it saves
    tiny = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in tiny.headers
