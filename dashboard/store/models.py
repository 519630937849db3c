"""SQLAlchemy models of the store: provinces, plans, agencies, indicators, measurements, tasks, updates.

The schema itself is owned by Alembic (``dashboard/store/migrations``); change both together.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Meta(Base):
    """Key-value facts about the dataset (e.g. ``dataset=demo``, the demo's as-of date)."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Province(Base):
    __tablename__ = "province"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)

    plans: Mapped[list[Plan]] = relationship(back_populates="province")


class Plan(Base):
    """One plan document (Kế hoạch / Chương trình công tác) of a province for a year."""

    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("province_id", "year", "doc_type", name="uq_plan_identity"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)
    code: Mapped[str] = mapped_column(String(160), unique=True)
    doc_number: Mapped[str | None] = mapped_column(String(80))
    doc_type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    year: Mapped[int] = mapped_column(Integer)
    issuer: Mapped[str | None] = mapped_column(String(200))
    issue_date: Mapped[date | None] = mapped_column(Date)
    source_file: Mapped[str | None] = mapped_column(String(400))
    imported_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    province: Mapped[Province] = relationship(back_populates="plans")
    indicators: Mapped[list[Indicator]] = relationship(back_populates="plan", order_by="Indicator.position")
    tasks: Mapped[list[Task]] = relationship(back_populates="plan", order_by="Task.position")


class Agency(Base):
    """A department, the police, an office, a commune, or a collective group of them."""

    __tablename__ = "agency"
    __table_args__ = (UniqueConstraint("province_id", "name", name="uq_agency_province_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    code: Mapped[str] = mapped_column(String(120))

    aliases: Mapped[list[AgencyAlias]] = relationship(back_populates="agency", cascade="all, delete-orphan")


class AgencyAlias(Base):
    """One spelling of an agency, stored by its folded lookup key."""

    __tablename__ = "agency_alias"
    __table_args__ = (UniqueConstraint("province_id", "key", name="uq_alias_province_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    key: Mapped[str] = mapped_column(String(300))
    spelling: Mapped[str] = mapped_column(String(300))

    agency: Mapped[Agency] = relationship(back_populates="aliases")


class Indicator(Base):
    """A KPI (chỉ tiêu) of a plan with its target and sub-targets."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_indicator_plan_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    national_code: Mapped[str | None] = mapped_column(String(40), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(40))
    target_text: Mapped[str | None] = mapped_column(String(200))
    target_op: Mapped[str | None] = mapped_column(String(2))
    target_value: Mapped[float | None] = mapped_column(Float)
    subtargets: Mapped[list] = mapped_column(JSON, default=list)
    is_ratio: Mapped[bool] = mapped_column(Boolean, default=False)
    # How agencies' figures make the province's: "ratio" (Σ numerators / Σ denominators), "sum" (each agency
    # reports its own part) or "province" (one figure for the province, reported by the lead).
    aggregation: Mapped[str] = mapped_column(String(12), default="ratio", server_default="ratio")
    note: Mapped[str | None] = mapped_column(Text)
    source_line: Mapped[int | None] = mapped_column(Integer)
    # Where the KPI starts from (None: its first figure of the year) and the values it should reach by the end of
    # each quarter (None: a straight path to the target); both are given in the plan's spreadsheet.
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_date: Mapped[date | None] = mapped_column(Date)
    milestones: Mapped[list | None] = mapped_column(JSON)

    plan: Mapped[Plan] = relationship(back_populates="indicators")
    leads: Mapped[list[IndicatorLead]] = relationship(cascade="all, delete-orphan", order_by="IndicatorLead.position")


class IndicatorLead(Base):
    __tablename__ = "indicator_lead"
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    agency: Mapped[Agency] = relationship()


# A figure no agency submitted: its source is none of ``kpi.figure_origin.SUBMITTED`` (a test holds the two equal).
FED_BY_SOURCE = "source NOT IN ('form', 'excel', 'upload', 'demo')"


class Measurement(Base):
    """A monthly figure of one agency for one indicator: numerator/denominator, or a plain value."""

    __tablename__ = "measurement"
    __table_args__ = (
        UniqueConstraint("indicator_id", "agency_id", "month", name="uq_measurement_indicator_agency_month"),
        # the few figures waiting for approval, counted on every overview: an index of those rows only
        Index(
            "ix_measurement_waiting",
            "indicator_id",
            postgresql_where=text("NOT approved"),
            sqlite_where=text("NOT approved"),
        ),
        # which KPIs a SQL source feeds (``kpi.figure_origin.fed_by_sources``), asked on every plan build: one
        # probe per KPI into the figures no agency submitted
        Index(
            "ix_measurement_fed",
            "indicator_id",
            "source",
            postgresql_where=text(FED_BY_SOURCE),
            sqlite_where=text(FED_BY_SOURCE),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    month: Mapped[date] = mapped_column(Date, index=True)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    value: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(80), default="form")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    recorded_by: Mapped[str | None] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # An agency's typed figure counts once the secretariat approves its month (``dashboard.cycle.approval``);
    # a source's figures, the secretariat's own and everything before approvals existed count at once.
    approved: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Task(Base):
    """A task (nhiệm vụ) of a plan. ``key`` is stable across re-imports of the same document."""

    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_task_plan_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)
    section: Mapped[str | None] = mapped_column(String(400))
    number: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    output: Mapped[str | None] = mapped_column(Text)
    deadline_text: Mapped[str | None] = mapped_column(Text)
    deadline_kind: Mapped[str] = mapped_column(String(20), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    basis: Mapped[str | None] = mapped_column(Text)
    source_line: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped by every change an agency makes, so a second editor working on a stale copy is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    agencies: Mapped[list[TaskAgency]] = relationship(cascade="all, delete-orphan", order_by="TaskAgency.position")
    updates: Mapped[list[TaskUpdate]] = relationship(
        back_populates="task", order_by="TaskUpdate.created_at", cascade="all, delete-orphan"
    )


class TaskAgency(Base):
    """An agency's role in a task: ``lead`` (chủ trì) or ``coordinating`` (phối hợp)."""

    __tablename__ = "task_agency"
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    agency: Mapped[Agency] = relationship()


class TaskUpdate(Base):
    """A progress report on a task by its agency for a month."""

    __tablename__ = "task_update"
    # A task's latest update (and latest note) is one backward step down this index, and the report receipts
    # (agency, month, first entry) are read from it without touching the table.
    __table_args__ = (
        Index("ix_task_update_latest", "task_id", "month", "created_at", "id", "agency_id"),
        Index(
            "ix_task_update_waiting",
            "task_id",
            postgresql_where=text("NOT approved"),
            sqlite_where=text("NOT approved"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="update", server_default="update")  # or "note"
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    month: Mapped[date] = mapped_column(Date, index=True)
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    created_by: Mapped[str | None] = mapped_column(String(120))
    approved: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())  # as Measurement's

    task: Mapped[Task] = relationship(back_populates="updates")


class User(Base):
    """A person who signs in: admin (secretariat), leader, agency (bound to one agency) or viewer."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    # The province a leader or viewer reads (an agency user reads its agency's); None: every province.
    province_id: Mapped[int | None] = mapped_column(ForeignKey("province.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Created with a one-time password (handed out on a sheet): nothing opens until it is changed.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    email: Mapped[str | None] = mapped_column(String(200))  # where notices are mailed (when SMTP is set up)
    email_opt_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    agency: Mapped[Agency | None] = relationship()


class UserSession(Base):
    """One sign-in of a user, known to the server: the session and "remember me" cookies carry its token (only
    the hash is stored). Signing out, a password change or reset and a deactivation delete every row of the
    user, so every cookie of that user stops working at once; each row expires on its own too."""

    __tablename__ = "user_session"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)


class KioskToken(Base):
    """A named, revocable read-only token that signs a wall screen in (only the hash is stored)."""

    __tablename__ = "kiosk_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("province.id"))  # the walls it shows; None: all
    created_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)


class AuditLog(Base):
    """Who changed what, when, from what to what; written in the same transaction as the change."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(20), index=True)
    entity_id: Mapped[int | None] = mapped_column(Integer, index=True)
    agency_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


class RefreshRun(Base):
    """One pull of a SQL source: when, how many rows, and the error if it failed."""

    __tablename__ = "refresh_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(80), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10))  # running, ok, error
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_changed: Mapped[int] = mapped_column(Integer, default=0)
    rows_skipped: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    trigger: Mapped[str] = mapped_column(String(20), default="schedule")


class FigureChange(Base):
    """One figure a source refresh created or changed: what it was before and what it became (the audit
    record of the run points here, so a refresh that overwrote a typed figure can be traced and undone)."""

    __tablename__ = "figure_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("refresh_run.id", ondelete="CASCADE"), index=True)
    measurement_id: Mapped[int | None] = mapped_column(Integer)
    indicator_id: Mapped[int] = mapped_column(Integer)
    agency_id: Mapped[int] = mapped_column(Integer)
    month: Mapped[date] = mapped_column(Date)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)


class JobClaim(Base):
    """A scheduled job's tick, claimed by the first scheduler process that inserts it (the others skip)."""

    __tablename__ = "job_claim"
    job: Mapped[str] = mapped_column(String(120), primary_key=True)
    tick: Mapped[int] = mapped_column(Integer, primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(DateTime)
    holder: Mapped[str] = mapped_column(String(120))


class PlanSummary(Base):
    """A plan's headline numbers for the national view, computed in the background (one row per plan).

    ``data_version`` is the store's data version the row was computed from: older rows are recomputed by
    the scheduler, and the national page shows when each was computed."""

    __tablename__ = "plan_summary"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True)
    data_version: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    payload: Mapped[dict] = mapped_column(JSON)


class TaskLatest(Base):
    """A task's latest counted report (approved, not a note) and its latest note, as the pages show them: kept by
    every write of task reports (``dashboard.store.latest``), so a plan's statuses are one read of its rows."""

    __tablename__ = "task_latest"
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    month: Mapped[date | None] = mapped_column(Date)  # of the latest counted report; None: none yet
    status: Mapped[str | None] = mapped_column(String(20))
    progress: Mapped[int | None] = mapped_column(Integer)
    completed_on: Mapped[date | None] = mapped_column(Date)
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)
    note_month: Mapped[date | None] = mapped_column(Date)


class FigureRecent(Base):
    """The approved figures a KPI snapshot reads, per KPI and agency: its two newest and its first of each year
    (``dashboard.kpi.values.load_recent_figures``), kept by every write of figures (``dashboard.store.latest``)."""

    __tablename__ = "figure_recent"
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    value: Mapped[float | None] = mapped_column(Float)
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime)


class ReportReceipt(Base):
    """When an agency first sent something for a month of a plan (a submitted figure or a task report): the
    monthly report grid's receipts, kept by every write (``dashboard.store.latest``)."""

    __tablename__ = "report_receipt"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    first_at: Mapped[datetime] = mapped_column(DateTime)


class ReportJob(Base):
    """A briefing made in the background ("Báo cáo" page): the PDF briefing, the per-agency pack (a ZIP of
    PDFs) or the slide deck, asked for by a person or made by the monthly schedule; the file is kept here.

    ``active_key`` (who, plan, kind, filters) is set while the job is queued or running and cleared when it
    ends: the unique index makes a second click, in any worker, find the job already under way."""

    __tablename__ = "report_job"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # briefing, pack, slides
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    query: Mapped[str] = mapped_column(String(1000), default="")  # the filters, as in the page's URL
    lang: Mapped[str] = mapped_column(String(5), default="vi")
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), index=True)
    scheduled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(10))  # queued, running, done, failed
    progress: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(String(300))  # a message key
    active_key: Mapped[str | None] = mapped_column(String(1200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    as_of: Mapped[date] = mapped_column(Date)
    file_name: Mapped[str | None] = mapped_column(String(300))
    size: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))


class MonthReport(Base):
    """An agency's monthly report on one plan: ``submitted`` to the secretariat, then ``approved`` (its figures and
    task reports count, the month locks) or ``returned`` with a reason the agency sees; ``reopened`` by an admin
    (with a reason) after the month locked. No row: nothing submitted yet."""

    __tablename__ = "month_report"
    __table_args__ = (UniqueConstraint("plan_id", "agency_id", "month", name="uq_month_report_plan_agency_month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    month: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(12))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(Text)  # why it was returned, or reopened
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Directive(Base):
    """An instruction ("ý kiến chỉ đạo") of a leader to an agency, on the agency itself, one of its tasks or one of
    its KPIs, with an optional deadline; the agency's answer is kept with it."""

    __tablename__ = "directive"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    subject: Mapped[str] = mapped_column(String(10))  # agency, task, kpi
    subject_id: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str | None] = mapped_column(String(80))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_by: Mapped[str | None] = mapped_column(String(80))


class Notification(Base):
    """A notice to one person (the bell's list, and a mail when SMTP is set up). ``key`` names the event (a
    reminder for an agency and month, a directive...): the unique pair makes every notice go out once, however
    many scheduler processes try."""

    __tablename__ = "notification"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_notification_user_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="/")
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)
