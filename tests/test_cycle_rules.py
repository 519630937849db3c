"""The monthly cycle's pure rules: period locks, which reminders fall on a day, overdue directives, SMTP URLs.

Expected values are written out from the rules' own statement (report day 25, lock N days later, D-5/D-1/D+1,
Monday digests), not computed by the functions under test."""

from datetime import date, datetime

import pytest

from dashboard.cycle.directives import DirectiveRow
from dashboard.cycle.locks import Rhythm, is_locked, lock_moment
from dashboard.cycle.mail import parse_smtp_url
from dashboard.cycle.reminders import DIGEST, REMIND_BEFORE, REPORT_MISSING, Due, due_on
from dashboard.kpi.red_flags import DIRECTIVE, directive_flags

OCT = date(2026, 10, 1)
TEN = Rhythm(25, None, 10)


@pytest.mark.parametrize(
    ("status", "now", "locked"),
    [
        # by date: the 25th's report day ends 23:59:59, plus 10 days = 04/11 23:59:59
        (None, datetime(2026, 10, 20, 12), False),
        ("none", datetime(2026, 11, 4, 23, 59), False),
        ("none", datetime(2026, 11, 5, 0, 0, 1), True),
        ("submitted", datetime(2026, 11, 4, 12), False),
        ("submitted", datetime(2026, 11, 6), True),
        # approval locks at once; a return or a reopening opens it whatever the date
        ("approved", datetime(2026, 10, 26), True),
        ("returned", datetime(2026, 12, 20), False),
        ("reopened", datetime(2027, 1, 20), False),
    ],
)
def test_period_lock(status, now, locked) -> None:  # noqa: ANN001
    assert is_locked(status, OCT, now, TEN) is locked


def test_lock_moment_follows_the_report_hour_and_days() -> None:
    # Thái Nguyên: before 16:00 on the 25th; locked 3 days later at 16:00
    assert lock_moment(OCT, Rhythm(25, 16, 3)) == datetime(2026, 10, 28, 16, 0)
    assert lock_moment(date(2026, 10, 17), Rhythm(25, None, 0)) == datetime(2026, 10, 25, 23, 59, 59)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 20), [Due(REMIND_BEFORE, date(2026, 11, 1), 5)]),  # a Friday: D-5
        (date(2026, 11, 24), [Due(REMIND_BEFORE, date(2026, 11, 1), 1)]),  # D-1
        (date(2026, 11, 26), [Due(REPORT_MISSING, date(2026, 11, 1))]),  # D+1
        (date(2026, 11, 25), []),  # the day itself: nothing
        (date(2026, 11, 23), [Due(DIGEST, date(2026, 11, 1))]),  # a Monday
        # 26/10/2026 is a Monday and D+1 of October: both
        (date(2026, 10, 26), [Due(REPORT_MISSING, date(2026, 10, 1)), Due(DIGEST, date(2026, 10, 1))]),
    ],
)
def test_reminders_of_a_day(today, expected) -> None:  # noqa: ANN001
    assert due_on(today, Rhythm(25, None, 10)) == expected


def test_reminders_follow_the_report_day() -> None:
    assert due_on(date(2026, 11, 10), Rhythm(15, None, 5)) == [Due(REMIND_BEFORE, date(2026, 11, 1), 5)]


def _directive(due: date | None, answer: str | None = None, n: int = 1) -> DirectiveRow:
    return DirectiveRow(
        n,
        1,
        7,
        "Sở Y tế",
        "agency",
        None,
        "",
        f"Chỉ đạo {n}",
        due,
        datetime(2026, 11, 1),
        "lanhdao",
        answer,
        None,
        None,
    )


def test_only_unanswered_directives_past_their_date_are_flags() -> None:
    today = date(2026, 11, 27)
    rows = [
        _directive(date(2026, 11, 20), n=1),  # 7 days late
        _directive(date(2026, 11, 27), n=2),  # due today: not yet
        _directive(date(2026, 11, 10), "Đã xong", n=3),  # answered
        _directive(None, n=4),  # no date: never overdue
    ]
    flags = directive_flags(rows, today)
    assert [(f.kind, f.title, f.days, f.agency_ids) for f in flags] == [(DIRECTIVE, "Chỉ đạo 1", 7, [7])]
    assert [r.overdue(today) for r in rows] == [True, False, False, False]


def test_smtp_urls() -> None:
    plain = parse_smtp_url("smtp://127.0.0.1:2525")
    assert (plain.host, plain.port, plain.user, plain.ssl, plain.starttls) == ("127.0.0.1", 2525, None, False, False)
    tls = parse_smtp_url("smtps://bcd%40tinh.gov.vn:m%E1%BA%ADt@mail.tinh.gov.vn")
    assert (tls.host, tls.port, tls.user, tls.password, tls.ssl) == (
        "mail.tinh.gov.vn",
        465,
        "bcd@tinh.gov.vn",
        "mật",
        True,
    )
    assert parse_smtp_url("smtp://mail:587?starttls=1").starttls is True
    with pytest.raises(ValueError, match="SMTP_URL"):
        parse_smtp_url("http://mail")


def test_the_cycle_settings_come_from_the_environment(monkeypatch) -> None:  # noqa: ANN001
    from dashboard.config import Config
    from dashboard.reads.page_data import Settings

    monkeypatch.setenv("LOCK_AFTER_DAYS", "3")
    monkeypatch.setenv("TRAJECTORY_AT_RISK", "2")
    monkeypatch.setenv("TRAJECTORY_OFF_TRACK", "8")
    monkeypatch.setenv("REPORT_HOUR", "16")
    config = Config.from_env()
    assert config.rhythm() == Rhythm(25, 16, 3)
    settings = Settings.from_config(config)
    assert (settings.trajectory_at_risk, settings.trajectory_off_track) == (2, 8)
    for name, bad in (("LOCK_AFTER_DAYS", "-1"), ("TRAJECTORY_AT_RISK", "150"), ("LOCK_AFTER_DAYS", "abc")):
        monkeypatch.setenv(name, bad)
        with pytest.raises(SystemExit, match=name):
            Config.from_env()
        monkeypatch.delenv(name)
