"""Users, roles, passwords (werkzeug hashing) and kiosk tokens for wall screens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard import clock
from dashboard.accounts.audit import record
from dashboard.messages import Problem
from dashboard.store.models import Agency, KioskToken, Plan, Province, Task, TaskAgency, User, UserSession
from dashboard.text import slug

ADMIN = "admin"
LEADER = "leader"
AGENCY = "agency"
VIEWER = "viewer"
ROLES = (ADMIN, LEADER, AGENCY, VIEWER)
MIN_PASSWORD = 8


class AccountError(Problem, ValueError):
    """A user or token request that cannot be carried out; the message is for the person asking."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user (``user_id``) or a kiosk (``kiosk_id``), with what rights."""

    user_id: int | None
    username: str
    role: str
    agency_id: int | None = None
    kiosk_id: int | None = None

    @property
    def is_kiosk(self) -> bool:
        return self.kiosk_id is not None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.id, user.username, user.role, user.agency_id)


SYSTEM = Actor(None, "system", ADMIN)


def _check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError("acc.password_short", n=MIN_PASSWORD)


def create_user(
    session: Session,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    agency_id: int | None = None,
    full_name: str = "",
    province_id: int | None = None,
) -> User:
    """A new user; an ``agency`` user must be bound to an existing agency. A leader or viewer reads
    ``province_id`` only when given (else every province); an agency user always reads its own."""
    username = (username or "").strip().lower()
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise AccountError("acc.username_chars")
    if role not in ROLES:
        raise AccountError("acc.role", role=role)
    if role == AGENCY:
        if agency_id is None or session.get(Agency, agency_id) is None:
            raise AccountError("acc.agency_needed")
        province_id = None  # the agency's province, always
    else:
        agency_id = None
    if role == ADMIN:
        province_id = None
    _check_password_rules(password)
    if session.scalar(select(func.count()).select_from(User).where(User.username == username)):
        raise AccountError("acc.username_taken", username=username)
    user = User(
        username=username,
        full_name=full_name.strip(),
        password_hash=generate_password_hash(password),
        role=role,
        agency_id=agency_id,
        province_id=province_id,
        active=True,
    )
    session.add(user)
    session.flush()
    record(
        session,
        actor,
        "user.create",
        "user",
        user.id,
        None,
        {
            "username": username,
            "role": role,
            "agency_id": agency_id,
            "province_id": province_id,
            "full_name": user.full_name,
        },
    )
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, else None (never says which part was wrong)."""
    user = session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None:
        generate_password_hash(password or "")  # same work either way: no timing hint about usernames
        return None
    # The hash is checked for a deactivated account too: its answer takes as long as any other.
    matches = check_password_hash(user.password_hash, password or "")
    if not user.active or not matches:
        return None
    return user


SESSION_HOURS = 12  # a sign-in without "remember me" lasts a working day on the server
REMEMBER_DAYS = 30


def open_session(session: Session, user: User, remember: bool = False) -> str:
    """A new sign-in of ``user``: returns the token its cookies carry (a fresh one at every sign-in)."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    life = timedelta(days=REMEMBER_DAYS) if remember else timedelta(hours=SESSION_HOURS)
    session.add(
        UserSession(
            token_hash=token_hash(token), user_id=user.id, created_at=now, expires_at=now + life, remember=remember
        )
    )
    return token


def session_user(session: Session, user_id: int, token: str) -> User | None:
    """The active user a cookie's sign-in belongs to, while that sign-in is live; else None."""
    row = session.get(UserSession, token_hash(token))
    if row is None or row.user_id != user_id or row.expires_at <= clock.now():
        return None
    user = session.get(User, user_id)
    return user if user is not None and user.active else None


def end_sessions(session: Session, user_id: int) -> int:
    """End every sign-in of a user (signing out, a password change or reset, a deactivation)."""
    return session.execute(delete(UserSession).where(UserSession.user_id == user_id)).rowcount or 0


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> User:
    user = _user(session, user_id)
    if user.id == actor.user_id and not active:
        raise AccountError("acc.self_lock")
    before = {"active": user.active}
    user.active = active
    if not active:
        end_sessions(session, user.id)
    record(session, actor, "user.enable" if active else "user.disable", "user", user.id, before, {"active": active})
    return user


def toggle_active(session: Session, actor: Actor, user_id: int) -> User:
    """Lock an open account or open a locked one."""
    return set_active(session, actor, user_id, not _user(session, user_id).active)


def reset_password(session: Session, actor: Actor, user_id: int, new_password: str) -> User:
    user = _user(session, user_id)
    _check_password_rules(new_password)
    user.password_hash = generate_password_hash(new_password)
    end_sessions(session, user.id)
    record(session, actor, "user.reset_password", "user", user.id, None, None)
    return user


def change_password(session: Session, user_id: int, old_password: str, new_password: str) -> User:
    user = _user(session, user_id)
    if not check_password_hash(user.password_hash, old_password or ""):
        raise AccountError("acc.wrong_password")
    _check_password_rules(new_password)
    if check_password_hash(user.password_hash, new_password):
        raise AccountError("acc.same_password")
    user.password_hash = generate_password_hash(new_password)
    user.must_change_password = False
    end_sessions(session, user.id)  # every other device signs in again; the caller opens a new sign-in here
    record(session, Actor.of(user), "user.change_password", "user", user.id, None, None)
    return user


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise AccountError("acc.no_user")
    return user


def token_hash(token: str) -> str:
    """How a kiosk token is stored: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_kiosk_token(
    session: Session, actor: Actor, name: str, province_id: int | None = None
) -> tuple[KioskToken, str]:
    """A new wall-screen token (showing one province's walls, or every province's); the plain token is returned
    once and never stored."""
    name = (name or "").strip()
    if not name:
        raise AccountError("acc.kiosk_name")
    plain = secrets.token_urlsafe(24)
    token = KioskToken(
        name=name[:120], token_hash=token_hash(plain), created_by=actor.username, province_id=province_id
    )
    session.add(token)
    session.flush()
    record(session, actor, "kiosk.create", "kiosk", token.id, None, {"name": token.name})
    return token, plain


def revoke_kiosk_token(session: Session, actor: Actor, token_id: int) -> KioskToken:
    token = session.get(KioskToken, token_id)
    if token is None:
        raise AccountError("acc.no_kiosk")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        record(session, actor, "kiosk.revoke", "kiosk", token.id, {"revoked": False}, {"revoked": True})
    return token


def kiosk_by_token(session: Session, plain: str) -> KioskToken | None:
    """The live (not revoked) token for a plain token string."""
    if not plain:
        return None
    token = session.scalar(select(KioskToken).where(KioskToken.token_hash == token_hash(plain)))
    if token is None or token.revoked_at is not None:
        return None
    token.last_used_at = clock.now()
    return token


def kiosk_is_live(session: Session, token_id: int) -> bool:
    token = session.get(KioskToken, token_id)
    return token is not None and token.revoked_at is None


@dataclass(frozen=True)
class NewAccount:
    """An account made for an agency, with its one-time password (shown once, never stored)."""

    username: str
    password: str
    agency: str


def agency_username(agency_name: str, province_slug: str, taken: set[str]) -> str:
    """A username from the directory's name: "Sở Khoa học và Công nghệ" of Thái Nguyên ->
    "sokhoahocvacongnghe.thainguyen" (cut to fit; "-2", "-3" when taken)."""
    base = f"{slug(agency_name).replace('-', '')[:50]}.{province_slug.replace('-', '')}"[:76]
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def create_agency_accounts(session: Session, actor: Actor, plan_id: int) -> list[NewAccount]:
    """One account for every agency that leads or coordinates a task of the plan and has none yet (collective
    groups excepted: they are no one to sign in), each with a one-time password that must be changed at the
    first sign-in. Returns the accounts with their passwords, to hand out; audited one by one."""
    if actor.role != ADMIN:
        raise AccountError("acc.admin_only")
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise AccountError("acc.no_plan")
    province = session.get(Province, plan.province_id)
    agencies = session.scalars(
        select(Agency)
        .join(TaskAgency, TaskAgency.agency_id == Agency.id)
        .join(Task, Task.id == TaskAgency.task_id)
        .where(Task.plan_id == plan_id, Task.active.is_(True), Agency.kind != "group")
        .distinct()
        .order_by(Agency.name)
    ).all()
    with_account = set(session.scalars(select(User.agency_id).where(User.agency_id.is_not(None), User.active)))
    taken = set(session.scalars(select(User.username)))
    made: list[NewAccount] = []
    for agency in agencies:
        if agency.id in with_account:
            continue
        username = agency_username(agency.name, province.slug, taken)
        password = secrets.token_urlsafe(9)  # 12 characters, shown once
        user = create_user(session, actor, username, password, AGENCY, agency.id, agency.name)
        user.must_change_password = True
        taken.add(username)
        made.append(NewAccount(username, password, agency.name))
    return made
