"""One message catalogue: every key in both languages, every key the code uses present, no Vietnamese
interface string outside the catalogue, and every page, message, export and the PDF in English under
``?lang=en`` (plan data excepted)."""

from __future__ import annotations

import ast
import io
import json
import re
import string
from pathlib import Path

import pytest
from openpyxl import load_workbook
from webclient import call, demo_app, find, login, report_file, response_text

from dashboard.messages import TEXT, Problem, msg, t

ROOT = Path(__file__).resolve().parent.parent
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)
# Where interface text is made: these never hold Vietnamese text of their own, only catalogue keys.
INTERFACE = ("layouts", "callbacks", "dashboard/accounts", "dashboard/exports", "dashboard/updates.py", "webapp.py")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_with_the_same_placeholders() -> None:
    bad = [key for key, (vi, en) in TEXT.items() if not (vi.strip() and en.strip()) or _fields(vi) != _fields(en)]
    assert not bad


def _python_files() -> list[Path]:
    files = []
    for part in INTERFACE:
        path = ROOT / part
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def _literals(tree: ast.AST) -> list[ast.Constant]:
    """String constants of a module that are not docstrings."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


def test_no_vietnamese_interface_text_outside_the_catalogue() -> None:
    found = []
    for path in _python_files():
        for node in _literals(ast.parse(path.read_text(encoding="utf-8"))):
            if VIETNAMESE.search(node.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]}")
    assert not found, "\n".join(found)


def _used_keys() -> set[tuple[str, str]]:
    """(file:line, key) for every literal key given to t(), msg(), label() or a Problem class."""
    raisers = {"t", "msg", "PermissionDenied", "AccountError", "Problem"}
    used = set()
    for path in [*_python_files(), *sorted((ROOT / "dashboard").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            first = node.args[0]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if name in raisers and isinstance(first, ast.Constant) and isinstance(first.value, str):
                used.add((where, first.value))
            if name == "label" and isinstance(first, ast.Constant) and len(node.args) > 1:
                second = node.args[1]
                if isinstance(second, ast.Constant) and isinstance(second.value, str):
                    used.add((where, f"{first.value}.{second.value}"))
    return used


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    missing = sorted(f"{where}: {key}" for where, key in _used_keys() if key not in TEXT)
    assert not missing, "\n".join(missing)


def test_label_groups_cover_every_code() -> None:
    from dashboard.accounts.users import ROLES
    from dashboard.kpi import red_flags, rules, status
    from dashboard.kpi.deadlines import KINDS

    groups = {
        "status": status.STATUSES,
        "flag": red_flags.KINDS,
        "role": ROLES,
        "aggregation": rules.AGGREGATIONS,
        "deadline_kind": KINDS,
        "kpi_state": (rules.ON_TARGET, rules.NEAR_TARGET, rules.BELOW_TARGET, rules.NO_DATA),
    }
    missing = [f"{g}.{code}" for g, codes in groups.items() for code in codes if f"{g}.{code}" not in TEXT]
    assert not missing


def test_a_problem_speaks_either_language_and_nests_messages() -> None:
    problem = Problem("fig.in_kpi", code="7", problem=msg("fig.lacks", what=msg("field.denominator")))
    assert str(problem) == "Chỉ tiêu 7: thiếu mẫu số."
    assert problem.text("en") == "KPI 7: the denominator is missing."
    with pytest.raises(KeyError):
        msg("no.such.key")


# --- pages in English ---------------------------------------------------------------------------------


def _vietnamese_patterns() -> list[tuple[str, re.Pattern]]:
    """The Vietnamese side of every entry that differs from its English, as a pattern over a whole text
    (placeholders match anything); entries whose own words are too short to tell from plan data are left
    out ("Quý {n}" would match a deadline "Quý III/2026" quoted from the plan)."""
    out = []
    for key, (vi, en) in TEXT.items():
        own = re.sub(r"\{[^}]*\}", "", vi)
        if vi == en or not VIETNAMESE.search(own) or len(own.strip()) < 6:
            continue
        parts = re.split(r"\{[^}]*\}", vi)
        out.append((key, re.compile(".*".join(re.escape(p) for p in parts), re.DOTALL)))
    return out


PATTERNS = _vietnamese_patterns()


def _texts(node: object) -> list[str]:
    """Every string a rendered component tree shows: children, labels, placeholders, titles, table cells."""
    out: list[str] = []
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, list):
        for item in node:
            out += _texts(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("id", "className", "style", "href", "type", "namespace", "color", "src", "data", "value"):
                continue
            out += _texts(value)
    return out


PLAN_DATA: set[str] = set()  # what the plans themselves say (task names, deadlines as written...): shown as is


def _vietnamese_interface(texts: list[str]) -> list[str]:
    return sorted(
        {
            f"{key}: {text[:80]}"
            for text in texts
            if text.strip() not in PLAN_DATA
            for key, pattern in PATTERNS
            if pattern.fullmatch(text.strip())
        }
    )


@pytest.fixture(scope="module")
def app(tmp_path_factory):  # noqa: ANN001, ANN201
    from sqlalchemy import text

    app = demo_app(tmp_path_factory.mktemp("english"), login_rate_limit="1000 per minute")
    engine = app.server.extensions["kpi"]["engine"]
    queries = (
        "SELECT name, section, output, deadline_text FROM task",
        "SELECT name, unit, target_text FROM indicator",
        "SELECT name, '' FROM agency",
        "SELECT title, issuer FROM plan",
    )
    with engine.connect() as c:
        for q in queries:
            PLAN_DATA.update(str(v).strip() for row in c.execute(text(q)) for v in row if v)
    return app


def _page(app, client, path: str, search: str) -> dict:  # noqa: ANN001
    """The page as the router renders it; for the wall, its views as well (a callback fills them)."""
    page = call(app, client, "url", {"url.pathname": path, "url.search": search}).get_json()
    config = find(page, "wall-config")
    if config is None:
        return page
    values = {"wall-refresh.n_intervals": 0, "wall-config.data": config["props"]["data"]}
    return [page, call(app, client, "wall-refresh", values).get_json()]


@pytest.mark.parametrize(
    ("user", "path", "search"),
    [
        ("lanhdao", "/", "?plan=1&lang=en"),
        ("lanhdao", "/don-vi", "?plan=1&lang=en"),
        ("lanhdao", "/don-vi", "?plan=1&agency=2&lang=en"),
        ("lanhdao", "/tien-do", "?plan=2&lang=en"),
        ("lanhdao", "/canh-bao", "?plan=3&lang=en"),
        ("lanhdao", "/bao-cao", "?plan=3&lang=en"),
        ("admin", "/toan-quoc", "?lang=en"),
        ("admin", "/quan-tri", "?lang=en"),
        ("sokhcn.thainguyen", "/viec-cua-toi", "?lang=en"),
        ("lanhdao", "/wall", "?plan=1&lang=en"),
        ("lanhdao", "/khong-co", "?lang=en"),
    ],
)
def test_every_page_in_english_shows_no_vietnamese_interface_text(app, user: str, path: str, search: str) -> None:  # noqa: ANN001
    client = login(app, user)
    page = _page(app, client, path, search)
    assert page is not None
    assert not _vietnamese_interface(_texts(page))
    # The same page in Vietnamese does show catalogue text: the check above is not vacuous.
    assert _vietnamese_interface(_texts(_page(app, client, path, search.replace("lang=en", "lang=vi"))))


def test_my_work_and_admin_lists_and_messages_in_english(app) -> None:  # noqa: ANN001
    client = login(app, "sokhcn.thainguyen")
    page = _page(app, client, "/viec-cua-toi", "?lang=en")
    context = find(page, "mw-context")["props"]["data"]
    assert context["lang"] == "en"
    texts = []
    for first, values in (
        ("mw-saved", {"mw-saved.data": 0, "mw-context.data": context}),
        ("mw-month", {"mw-month.value": "2026-11-01", "mw-saved.data": 0, "mw-context.data": context}),
    ):
        texts += _texts(call(app, client, first, values).get_json())
    assert "Leads (" in json.dumps(texts) and "Numerator" in texts
    # A validation message, in English: a figure that is not a number.
    saved = call(
        app,
        client,
        "mw-save-figures",
        {
            "mw-save-figures.n_clicks": 1,
            '{"index":["ALL"],"type":"fig-num"}.value': [(1, "abc")],
            '{"index":["ALL"],"type":"fig-den"}.value': [(1, "")],
            '{"index":["ALL"],"type":"fig-val"}.value': [(1, "")],
            '{"index":["ALL"],"type":"fig-num"}.id': [(1, {"type": "fig-num", "index": 1})],
            "mw-month.value": "2026-11-01",
            "mw-context.data": context,
            "mw-fig-versions.data": {},
        },
    )
    text = response_text(saved)
    assert "is not a number" in text and "không phải là số" not in text
    texts += _texts(saved.get_json())
    assert not _vietnamese_interface(texts)

    admin = login(app, "admin")
    page = _page(app, admin, "/quan-tri", "?lang=en")
    assert find(page, "adm-lang")["props"]["data"] == "en"
    lists = call(app, admin, "adm-saved", {"adm-saved.data": 0, "adm-lang.data": "en"}).get_json()
    texts = _texts(lists)
    assert "Username" in texts and not _vietnamese_interface(texts)
    refused = response_text(
        call(
            app,
            admin,
            "adm-create",
            {
                "adm-create.n_clicks": 1,
                "adm-username.value": "x y",
                "adm-password.value": "12345678",
                "adm-role.value": "viewer",
                "adm-lang.data": "en",
            },
        )
    )
    assert "A username holds only letters" in refused


def test_sign_in_and_password_pages_in_english(app) -> None:  # noqa: ANN001
    client = app.server.test_client()
    page = client.get("/", query_string={"lang": "en"}, follow_redirects=True).get_data(as_text=True)
    assert "Sign in" in page and "Username" in page and "Đăng nhập" not in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    wrong = client.post(
        "/login", data={"username": "admin", "password": "nope", "csrf_token": token, "lang": "en", "next": "/"}
    ).get_data(as_text=True)
    assert "Wrong username or password." in wrong
    signed = login(app, "admin")
    form = signed.get("/doi-mat-khau?lang=en").get_data(as_text=True)
    assert "Change password" in form and "Current password" in form and "Mật khẩu" not in form


def _download(app, client, what: str, fmt: str, search: str) -> bytes:  # noqa: ANN001
    trigger = {"type": "export", "what": what, "fmt": fmt}
    resp = call(
        app,
        client,
        '{"fmt":["ALL"],"type":"export","what":["ALL"]}',
        {'{"fmt":["ALL"],"type":"export","what":["ALL"]}.n_clicks': [(0, 1)], "url.search": search},
        trigger=trigger,
    )
    import base64

    return base64.b64decode(resp.get_json()["response"]["download"]["data"]["content"])


def test_exports_and_the_pdf_in_english(app) -> None:  # noqa: ANN001
    client = login(app, "lanhdao")
    for what in ("tasks", "kpis", "flags"):
        book = load_workbook(io.BytesIO(_download(app, client, what, "xlsx", "?plan=1&lang=en")))
        headers = [c.value for c in book.worksheets[0][1]]
        assert headers and not _vietnamese_interface([h for h in headers if h]), (what, headers)
        assert all(not VIETNAMESE.search(h) for h in headers if h), (what, headers)
    vi_headers = [
        c.value for c in load_workbook(io.BytesIO(_download(app, client, "kpis", "xlsx", "?plan=1"))).worksheets[0][1]
    ]
    assert "Chỉ tiêu" in vi_headers

    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(report_file(app, client, "briefing", "?plan=1&lang=en")[0]))
    lines = [line for page in pdf.pages for line in page.extract_text().splitlines()]
    assert any("Headline KPIs" in line for line in lines) and any("Page 1" in line for line in lines)
    assert not _vietnamese_interface(lines)
    assert not any(t(key, "vi") in line for line in lines for key in ("pdf.headline", "pdf.kpis", "pdf.quarters"))


def test_an_import_preview_speaks_the_page_language(app) -> None:  # noqa: ANN001
    import base64

    from conftest import LC

    admin = login(app, "admin")
    body = "data:text/plain;base64," + base64.b64encode(LC.read_bytes()).decode()

    def preview(lang: str) -> list[str]:
        values = {"adm-import.contents": body, "adm-import.filename": LC.name, "adm-lang.data": lang}
        return _texts(call(app, admin, "adm-import", values).get_json())

    english, vietnamese = preview("en"), preview("vi")
    # Lào Cai's plan repeats annex tasks in its sections: the report says so, in the page's language
    assert any("repeats task PLII.IV.9 of the annex" in line for text in english for line in text.splitlines())
    assert any("nhắc lại nhiệm vụ PLII.IV.9 của phụ lục" in text for text in vietnamese)
    assert not _vietnamese_interface([line for text in english for line in text.splitlines()])


def test_every_dropdown_is_made_by_the_one_helper() -> None:
    """``layouts.widgets.dropdown`` gives a dropdown its Vietnamese texts and accent-free search; a dropdown made
    elsewhere would miss both."""
    from dash import dcc

    from layouts.widgets import dropdown

    made = [p for p in _python_files() if "dcc.Dropdown(" in p.read_text(encoding="utf-8")]
    assert [p.relative_to(ROOT).as_posix() for p in made] == ["layouts/widgets.py"]
    d = dropdown("x", [{"label": "Sở Nội vụ", "value": 1}], "vi")
    assert isinstance(d, dcc.Dropdown)
    assert d.options[0]["search"] == "Sở Nội vụ so noi vu" and d.labels["select_all"] == "Chọn tất cả"
