"""One agency, one record: the migration that merges agencies stored twice (old and new tone placement) and
turns collective assignees into groups, on SQLite and PostgreSQL; and the seeds import without duplicates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command
from conftest import DT, LC, TN
from sqlalchemy import text

from dashboard.importers import import_file
from dashboard.store.database import alembic_config, make_engine, transaction, upgrade
from dashboard.text import tone_key

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture
def old_engine(db_url: str):  # noqa: ANN201
    """A database at the schema before agencies were merged (revision 0005)."""
    eng = make_engine(db_url)
    cfg = alembic_config(eng)
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
    yield eng
    eng.dispose()


def rows(conn, sql: str, **params) -> list[tuple]:  # noqa: ANN001, ANN003
    return [tuple(r) for r in conn.execute(text(sql), params)]


def test_the_migration_merges_duplicates_and_moves_everything(old_engine) -> None:  # noqa: ANN001
    with old_engine.begin() as c:
        c.execute(text("INSERT INTO province (id, name, slug) VALUES (1, 'Đồng Tháp', 'dong-thap')"))
        c.execute(
            text(
                "INSERT INTO plan (id, province_id, code, doc_type, title, year, imported_at) "
                "VALUES (1, 1, 'dt-2026', 'QĐ', 'Chương trình', 2026, :t)"
            ),
            {"t": datetime(2026, 1, 5)},
        )
        agencies = [
            (1, "Văn phòng Tỉnh ủy", "office"),
            (2, "Văn phòng Tỉnh uỷ", "office"),  # the same office, old tone placement
            (3, "Sở Y tế", "department"),
            (4, "Các doanh nghiệp viễn thông", "other"),  # a collective assignee stored as one agency
            (5, "xã Đức Thành", "commune"),
            (6, "xã Đức Thạnh", "commune"),  # another commune: a real tone difference
        ]
        for aid, name, kind in agencies:
            c.execute(
                text("INSERT INTO agency (id, province_id, name, kind, code) VALUES (:i, 1, :n, :k, :c)"),
                {"i": aid, "n": name, "k": kind, "c": f"a{aid}"},
            )
        c.execute(
            text("INSERT INTO agency_alias (province_id, agency_id, key, spelling) VALUES (1, 2, 'vp tu', 'VP TU')")
        )
        for tid in (1, 2):
            c.execute(
                text(
                    "INSERT INTO task (id, plan_id, key, code, position, name, deadline_kind, active, version) "
                    "VALUES (:i, 1, :k, :c, :i, 'Nhiệm vụ', 'date', :a, 1)"
                ),
                {"i": tid, "k": f"dt-2026:{tid}", "c": str(tid), "a": True},
            )
        # task 1 is led by both spellings (a row that would collide after the merge); task 2 only by the old one
        for tid, aid in ((1, 1), (1, 2), (2, 2)):
            c.execute(
                text("INSERT INTO task_agency (task_id, agency_id, role, position) VALUES (:t, :a, 'lead', 0)"),
                {"t": tid, "a": aid},
            )
        c.execute(
            text(
                "INSERT INTO indicator (id, plan_id, code, position, name, is_ratio, subtargets) "
                "VALUES (1, 1, '1', 0, 'Tỷ lệ', :r, '[]')"
            ),
            {"r": True},
        )
        c.execute(text("INSERT INTO indicator_lead (indicator_id, agency_id, position) VALUES (1, 2, 0)"))
        figures = [  # both spellings reported October (the newer one stays); only the old one reported September
            (1, 1, date(2026, 10, 1), 5, 10, datetime(2026, 10, 20)),
            (2, 2, date(2026, 10, 1), 6, 10, datetime(2026, 10, 22)),
            (3, 2, date(2026, 9, 1), 4, 10, datetime(2026, 9, 20)),
        ]
        for mid, aid, month, num, den, at in figures:
            c.execute(
                text(
                    "INSERT INTO measurement (id, indicator_id, agency_id, month, numerator, denominator, source, "
                    "recorded_at, version) VALUES (:i, 1, :a, :m, :n, :d, 'form', :t, 1)"
                ),
                {"i": mid, "a": aid, "m": month, "n": num, "d": den, "t": at},
            )
        c.execute(
            text(
                "INSERT INTO task_update (task_id, agency_id, kind, status, progress, month, created_at) "
                "VALUES (2, 2, 'update', 'in_progress', 40, :m, :t)"
            ),
            {"m": date(2026, 10, 1), "t": datetime(2026, 10, 20)},
        )
        c.execute(
            text(
                "INSERT INTO app_user (username, full_name, password_hash, role, agency_id, active, created_at) "
                "VALUES ('vptu', 'VP', 'x', 'agency', 2, :a, :t)"
            ),
            {"a": True, "t": datetime(2026, 1, 1)},
        )
    upgrade(old_engine)
    with old_engine.connect() as c:
        assert rows(c, "SELECT id, name, kind FROM agency ORDER BY id") == [
            (1, "Văn phòng Tỉnh ủy", "office"),
            (3, "Sở Y tế", "department"),
            (4, "Các doanh nghiệp viễn thông", "group"),
            (5, "xã Đức Thành", "commune"),
            (6, "xã Đức Thạnh", "commune"),
        ]
        assert rows(c, "SELECT task_id, agency_id FROM task_agency ORDER BY task_id") == [(1, 1), (2, 1)]
        assert rows(c, "SELECT agency_id FROM indicator_lead") == [(1,)]
        figures_now = rows(c, "SELECT agency_id, month, numerator FROM measurement ORDER BY month")
        assert [(a, str(m)[:10], n) for a, m, n in figures_now] == [
            (1, "2026-09-01", 4.0),
            (1, "2026-10-01", 6.0),  # the newer October figure stays
        ]
        assert rows(c, "SELECT agency_id FROM task_update") == [(1,)]
        assert rows(c, "SELECT agency_id FROM app_user") == [(1,)]
        assert rows(c, "SELECT agency_id FROM agency_alias") == [(1,)]
        audits = rows(c, "SELECT action, entity_id FROM audit_log ORDER BY id")
        assert ("agency.merge", 1) in audits and ("agency.kind", 4) in audits
        merge = c.execute(text("SELECT before FROM audit_log WHERE action = 'agency.merge'")).scalar()
        merge = merge if isinstance(merge, dict) else __import__("json").loads(merge)
        # the older October figure is kept in the audit record: nothing is lost
        assert merge["name"] == "Văn phòng Tỉnh uỷ"
        assert merge["figures_replaced"] == [
            {"indicator_id": 1, "month": "2026-10-01", "numerator": 5.0, "denominator": 10.0, "value": None}
        ]
        # pages built before the merge are out of date
        assert c.execute(text("SELECT value FROM app_meta WHERE key = 'data_version'")).scalar() == "1"


@pytest.mark.parametrize("seed", [TN, DT, LC], ids=lambda p: p.stem)
def test_each_seed_imports_with_no_duplicate_agency_or_task(engine, seed: Path) -> None:  # noqa: ANN001
    import_file(engine, seed)
    import_file(engine, seed)  # a re-import adds nothing either
    with engine.connect() as c:
        names = [n for (n,) in c.execute(text("SELECT name FROM agency"))]
        keys = [" ".join(tone_key(w) for w in n.lower().split()) for n in names]
        assert len(keys) == len(set(keys)), sorted(
            n for n in names if keys.count(" ".join(tone_key(w) for w in n.lower().split())) > 1
        )
        tasks = [n for (n,) in c.execute(text("SELECT name FROM task WHERE active"))]
        folded = [" ".join(tone_key(w) for w in n.lower().split()).rstrip(".") for n in tasks]
        assert len(folded) == len(set(folded))


def test_lao_cai_prose_tasks_that_repeat_the_annex_are_one_task(engine) -> None:  # noqa: ANN001
    report = import_file(engine, LC)
    text_ = "\n".join(str(f) for f in report.findings)
    # the document's own pairs, read off its text: section III item and its annex row
    for prose, annex in (
        ("III.3.d", "PLII.VII.1"),  # “Bình dân học vụ số”
        ("III.4.f", "PLII.V.9"),  # the "4 layers" security model
        ("III.5.c", "PLII.VI.2"),
        ("III.4.a", "PLII.V.6"),  # reworded: "Hướng dẫn, đôn đốc ..." / "Chỉ đạo ..."
    ):
        assert f"task {prose} repeats task {annex}" in text_
    assert "task PLII.V.9: the annex says 'Trước ngày 30/4/2026', section III.4.f says 'Quý II/2026.'" in text_
    assert "task PLII.VI.2: the annex says 'Thường xuyên', section III.5.c says 'Trong năm 2026.'" in text_
    with engine.connect() as c:
        codes = {code for (code,) in c.execute(text("SELECT code FROM task"))}
        assert "III.4.f" not in codes and "PLII.V.9" in codes
        basis = c.execute(text("SELECT basis FROM task WHERE code = 'PLII.V.9'")).scalar()
        assert "III.4.f" in basis


def test_the_shared_seeds_match_the_demo_copies() -> None:
    if not SEEDS.exists():
        pytest.skip("shared/seeds is not beside this checkout")
    for seed in (TN, DT, LC):
        assert (SEEDS / seed.name).read_bytes() == seed.read_bytes()


def test_demo_has_no_duplicate_agency(tmp_path: Path) -> None:
    from dashboard.demo import build_demo

    eng = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    build_demo(eng, date(2026, 11, 27))
    with transaction(eng) as s:
        names = s.execute(text("SELECT province_id, name, kind FROM agency")).all()
    keys = [(p, " ".join(tone_key(w) for w in n.lower().split())) for p, n, _ in names]
    assert len(keys) == len(set(keys))
    kinds = {n: k for _, n, k in names}
    assert kinds["Các doanh nghiệp viễn thông"] == "group"
    assert kinds["Đơn vị chủ quản các hệ thống thông tin"] == "group"
    assert "Văn phòng Tỉnh uỷ" not in kinds
