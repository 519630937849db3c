from rows import task_row

from dashboard.reads.filters import Filters, in_quarter, task_matches


def task(**kw):  # noqa: ANN003, ANN201
    base = {
        "code": "PLII.I.1",
        "name": "Đẩy mạnh chuyển đổi số trong cơ quan nhà nước",
        "output": "Báo cáo",
        "deadline_text": "Quý II/2026",
        "deadline_kind": "date",
        "start_date": None,
        "due_date": "2026-06-30",
        "status": "overdue",
        "section": "I. Hoàn thiện thể chế",
        "lead_agencies": ["Sở Khoa học và Công nghệ"],
        "coordinating_agencies": ["Các sở, ban, ngành"],
        "lead_ids": [5],
        "coordinating_ids": [90],
    }
    base.update(kw)
    return task_row(**base)


def test_query_round_trip() -> None:
    f = Filters(
        plan=2,
        agencies=(3, 7),
        section="I. Hoàn thiện",
        statuses=("overdue", "waiting"),
        quarter=2,
        q="chuyen doi so",
        lang="en",
        group_by="section",
    )
    assert Filters.from_query(f.to_query()) == f
    assert Filters().to_query() == ""
    assert Filters.from_query("?lang=vi").to_query() == ""


def test_malformed_query_values_are_ignored() -> None:
    f = Filters.from_query("?plan=abc&agency=1,x,2,1&status=bogus,done&quarter=9&lang=fr&group=zzz&q=" + "a" * 500)
    assert (f.plan, f.agencies, f.statuses, f.quarter, f.lang, f.group_by) == (
        None,
        (1, 2),
        ("done",),
        None,
        "vi",
        "agency",
    )
    assert len(f.q) == 200


def test_unknown_keys_are_kept() -> None:
    f = Filters.from_query("?plan=1&sort=name&rotate=30")
    assert f.extra == {"sort": "name", "rotate": "30"}
    assert "sort=name" in f.to_query()


def test_accent_insensitive_search() -> None:
    assert task_matches(task(), Filters(q="chuyen doi so"), 2026)
    assert task_matches(task(), Filters(q="CHUYỂN ĐỔI"), 2026)
    assert task_matches(task(), Filters(q="khoa hoc va cong nghe"), 2026)  # agency names too
    assert not task_matches(task(), Filters(q="cai cach"), 2026)


def test_agency_filter_includes_tasks_of_its_groups() -> None:
    t = task()
    assert task_matches(t, Filters(agencies=(5,)), 2026)
    assert not task_matches(t, Filters(agencies=(6,)), 2026)
    assert task_matches(t, Filters(agencies=(6,)), 2026, groups_of={6: {90}})  # 6 belongs to group 90


def test_status_section_quarter() -> None:
    t = task()
    assert task_matches(t, Filters(statuses=("overdue",)), 2026)
    assert not task_matches(t, Filters(statuses=("done",)), 2026)
    assert not task_matches(t, Filters(section="II. Khác"), 2026)
    assert task_matches(t, Filters(quarter=2), 2026)
    assert not task_matches(t, Filters(quarter=3), 2026)


def test_quarter_windows_and_recurring() -> None:
    window = task(start_date="2026-04-01", due_date="2026-09-30")
    assert [in_quarter(window, q, 2026) for q in (1, 2, 3, 4)] == [False, True, True, False]
    assert in_quarter(task(deadline_kind="recurring", due_date=None), 4, 2026)
    assert not in_quarter(task(deadline_kind="conditional", due_date=None), 4, 2026)
