"""Reminders and their mail: the right agencies are reminded on the right days, each notice reaches each person
once however many scheduler processes raise or mail it, and the mail arrives at a real SMTP server on loopback
(aiosmtpd), in Vietnamese, with the link to the page. Expected recipients come from plain SQL."""

from __future__ import annotations

import json
import socket
import threading
from datetime import date
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from dashboard.accounts.users import Actor
from dashboard.config import Config
from dashboard.cycle import approval
from dashboard.cycle.locks import Rhythm
from dashboard.cycle.mail import send_pending
from dashboard.cycle.reminders import raise_reminders
from dashboard.sources.scheduler import KpiScheduler
from dashboard.store.database import transaction

RHYTHM = Rhythm(25, None, 10)
D_MINUS_5 = date(2026, 11, 20)


class Inbox:
    def __init__(self) -> None:
        self.mails: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201 - aiosmtpd's hook
        self.mails.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp():  # noqa: ANN201
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", inbox
    controller.stop()


def _count(engine, sql: str, **params) -> int:  # noqa: ANN001, ANN003
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _reminded(engine) -> set[str]:  # noqa: ANN001
    with engine.connect() as conn:
        return set(
            conn.execute(
                text(
                    "SELECT u.username FROM notification n JOIN app_user u ON u.id = n.user_id "
                    "WHERE n.kind = 'remind_before'"
                )
            ).scalars()
        )


def test_d_minus_5_reminds_every_agency_that_has_not_submitted_once(demo_engine) -> None:  # noqa: ANN001
    # the agency accounts of the demo whose agency leads a KPI of a plan of this year (each owes a report)
    owing = set(
        demo_engine.connect()
        .execute(
            text(
                "SELECT DISTINCT u.username FROM app_user u JOIN indicator_lead l ON l.agency_id = u.agency_id "
                "JOIN indicator i ON i.id = l.indicator_id JOIN plan p ON p.id = i.plan_id "
                "WHERE u.role = 'agency' AND p.year = 2026"
            )
        )
        .scalars()
    )
    assert "sokhcn.thainguyen" in owing
    threads = [threading.Thread(target=raise_reminders, args=(demo_engine, D_MINUS_5, RHYTHM)) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert owing <= _reminded(demo_engine)
    # once per person, however many raised it
    assert _count(demo_engine, "SELECT COUNT(*) FROM notification WHERE kind = 'remind_before'") == len(
        _reminded(demo_engine)
    )
    assert raise_reminders(demo_engine, D_MINUS_5, RHYTHM) == 0
    # nothing on a day without a reminder
    assert raise_reminders(demo_engine, date(2026, 11, 21), RHYTHM) == 0


def test_an_agency_that_submitted_is_not_reminded(demo_engine) -> None:  # noqa: ANN001
    with demo_engine.connect() as conn:
        user_id, agency_id, plan_id = conn.execute(
            text(
                "SELECT u.id, u.agency_id, p.id FROM app_user u JOIN agency a ON a.id = u.agency_id "
                "JOIN plan p ON p.province_id = a.province_id WHERE u.username = 'sokhcn.thainguyen'"
            )
        ).one()
    with transaction(demo_engine, write=True) as s:
        who = Actor(user_id, "sokhcn.thainguyen", "agency", agency_id)
        approval.submit(s, who, plan_id, agency_id, date(2026, 11, 1), RHYTHM, date(2026, 11, 24))
    raise_reminders(demo_engine, date(2026, 11, 24), RHYTHM)  # D-1
    assert "sokhcn.thainguyen" not in _reminded(demo_engine)
    assert "congan.laocai" in _reminded(demo_engine)


def test_reminders_are_mailed_once_to_those_who_want_them(demo_engine, smtp) -> None:  # noqa: ANN001
    url, inbox = smtp
    with demo_engine.begin() as conn:
        conn.execute(text("UPDATE app_user SET email = 'khcn@thainguyen.gov.vn' WHERE username = 'sokhcn.thainguyen'"))
        conn.execute(
            text("UPDATE app_user SET email = 'ca@laocai.gov.vn', email_opt_out = :t WHERE username = 'congan.laocai'"),
            {"t": True},
        )
    config = Config(database_url="sqlite://", today=D_MINUS_5, smtp_url=url, site_url="https://kpi.tinh.gov.vn")
    # two scheduler processes run the day's reminders: one claims the day, and every notice is mailed once
    first, second = KpiScheduler(demo_engine, [], cycle=config), KpiScheduler(demo_engine, [], cycle=config)
    threads = [threading.Thread(target=s.reminder_job) for s in (first, second)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    second.mail_job()
    assert [to for to, _ in inbox.mails] == [["khcn@thainguyen.gov.vn"]]  # the opted-out one gets none
    mail = inbox.mails[0][1]
    body = mail.get_content()
    assert "còn 5 ngày đến hạn báo cáo tháng 11/2026 (25/11/2026)" in body
    assert "Sở Khoa học và Công nghệ chưa gửi báo cáo" in body
    assert "https://kpi.tinh.gov.vn/viec-cua-toi?plan=" in body
    assert mail["From"] == "bcd-kpi@localhost" and "Nhắc" in mail["Subject"]
    assert send_pending(demo_engine, url, "x@y.z", config.link) == 0  # nothing twice
    assert _count(demo_engine, "SELECT COUNT(*) FROM notification WHERE emailed_at IS NOT NULL") == 1


def test_monday_digest_and_monthly_briefing_reach_their_people_once(demo_engine) -> None:  # noqa: ANN001
    from dashboard.cycle.reminders import briefing_notices

    monday = date(2026, 11, 23)
    assert raise_reminders(demo_engine, monday, RHYTHM) > 0
    with demo_engine.connect() as conn:
        digests = conn.execute(
            text(
                "SELECT u.username, n.params, n.link FROM notification n JOIN app_user u ON u.id = n.user_id "
                "WHERE n.kind = 'digest'"
            )
        ).all()
    mine = [(p if isinstance(p, dict) else json.loads(p), link) for u, p, link in digests if u == "sokhcn.thainguyen"]
    assert len(mine) == 1
    params, link = mine[0]
    assert params["agency"] == "Sở Khoa học và Công nghệ" and params["overdue"] + params["soon"] > 0
    assert link.startswith("/viec-cua-toi?plan=")
    assert raise_reminders(demo_engine, monday, RHYTHM) == 0  # the same week: nothing new
    assert _count(demo_engine, "SELECT COUNT(*) FROM notification WHERE kind = 'digest'") == len(digests)

    # the monthly briefing: every leader of a province (and the national ones) is told once per plan and month
    leaders = _count(demo_engine, "SELECT COUNT(*) FROM app_user WHERE role = 'leader' AND active")
    plans = _count(demo_engine, "SELECT COUNT(*) FROM plan")
    assert leaders >= 1
    assert briefing_notices(demo_engine, date(2026, 11, 26)) == leaders * plans  # the demo's leader is national
    assert briefing_notices(demo_engine, date(2026, 11, 26)) == 0
    with demo_engine.connect() as conn:
        links = set(conn.execute(text("SELECT link FROM notification WHERE kind = 'briefing'")).scalars())
    assert links == {f"/bao-cao?plan={p}" for p in range(1, plans + 1)}
