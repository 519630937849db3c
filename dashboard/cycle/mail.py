"""Mail for notices, through SMTP when ``SMTP_URL`` is set.

Each notice is claimed before it is sent (``emailed_at`` set where it was empty, in its own transaction), so
however many processes send, a notice is mailed once; a mail that fails after its claim is not retried (a
missed mail is better than a flood of repeats), and the notice stays in the bell's list either way.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import Engine, select, update

from dashboard import clock
from dashboard.cycle.notices import text_of
from dashboard.messages import t
from dashboard.store.database import transaction
from dashboard.store.models import Notification, User

log = logging.getLogger(__name__)
MAX_AGE = timedelta(days=2)  # older unsent notices (made while mail was off) are not mailed late


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None = None
    password: str | None = None
    ssl: bool = False
    starttls: bool = False


def parse_smtp_url(url: str) -> SmtpSettings:
    """``smtp://user:password@host:port`` (``smtps://`` for TLS from the start, ``?starttls=1`` to upgrade)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(f"SMTP_URL must look like smtp://user:password@host:port, got '{url}'")
    query = parse_qs(parts.query)
    return SmtpSettings(
        parts.hostname,
        parts.port or (465 if parts.scheme == "smtps" else 25),
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
        parts.scheme == "smtps",
        query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
    )


def _connect(cfg: SmtpSettings) -> smtplib.SMTP:
    conn = (smtplib.SMTP_SSL if cfg.ssl else smtplib.SMTP)(cfg.host, cfg.port, timeout=20)
    if cfg.starttls:
        conn.starttls()
    if cfg.user:
        conn.login(cfg.user, cfg.password or "")
    return conn


def _claim(engine: Engine, notice_id: int, now: datetime) -> bool:
    with transaction(engine) as s:
        done = s.execute(
            update(Notification)
            .where(Notification.id == notice_id, Notification.emailed_at.is_(None))
            .values(emailed_at=now)
        )
        return done.rowcount == 1


def send_pending(engine: Engine, smtp_url: str, sender: str, link, limit: int = 200) -> int:  # noqa: ANN001
    """Mail the notices not mailed yet to everyone with an address who has not opted out; how many were sent.
    ``link`` turns a page's path into the full address the mail shows."""
    now = clock.now()
    with transaction(engine) as s:
        rows = s.execute(
            select(Notification.id, Notification.kind, Notification.params, Notification.link, User.email)
            .join(User, User.id == Notification.user_id)
            .where(
                Notification.emailed_at.is_(None),
                Notification.created_at >= now - MAX_AGE,
                User.email.is_not(None),
                User.email != "",
                User.email_opt_out.is_(False),
                User.active.is_(True),
            )
            .order_by(Notification.id)
            .limit(limit)
        ).all()
    if not rows:
        return 0
    cfg = parse_smtp_url(smtp_url)
    sent = 0
    conn = _connect(cfg)
    try:
        for notice_id, kind, params, path, email in rows:
            if not _claim(engine, notice_id, now):
                continue  # another process has it
            text = text_of(kind, params or {})
            mail = EmailMessage()
            mail["From"], mail["To"] = sender, email
            mail["Subject"] = f"[{t('notice.title')}] {text[:120]}"
            mail.set_content(f"{text}\n\n{link(path)}\n\n-- \n{t('notice.mail_footer')}\n")
            try:
                conn.send_message(mail)
                sent += 1
            except smtplib.SMTPException:
                log.exception("notice %s could not be mailed to %s", notice_id, email)
    finally:
        try:
            conn.quit()
        except smtplib.SMTPException:
            pass
    return sent
