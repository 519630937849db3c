"""The demo's SQL source: raw records of the one-stop-shop system and the HR system.

Online public-service procedures and applications (with the citizen's rating) and civil servants with
their digital-skills training, for the agencies of the demo plans. ``data/sources.demo.toml`` holds the
queries that turn these records into the three headline KPIs, so the demo shows the whole path from raw
records to gauges. Portable SQL: the same tables and queries work on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, insert, select
from sqlalchemy.orm import Session

from dashboard.agencies.directory import expand, group_members
from dashboard.kpi.catalog import HEADLINE
from dashboard.store.models import Agency, Indicator, IndicatorLead, Plan

SEED = 606
meta = MetaData()
calendar = Table("calendar", meta, Column("month", String(7), primary_key=True))
procedure = Table(
    "procedure",
    meta,
    Column("id", Integer, primary_key=True),
    Column("plan", String(160), index=True),
    Column("agency", String(300)),
    Column("code", String(40)),
    Column("online_from", String(7)),
)
application = Table(
    "application",
    meta,
    Column("id", Integer, primary_key=True),
    Column("plan", String(160), index=True),
    Column("agency", String(300)),
    Column("procedure_id", Integer),
    Column("month", String(7), index=True),
    Column("full_online", Integer),
    Column("rating", Integer),
)
staff = Table(
    "staff",
    meta,
    Column("id", Integer, primary_key=True),
    Column("plan", String(160), index=True),
    Column("agency", String(300)),
    Column("trained_month", String(7)),
)


def _months(year: int, as_of: date) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13) if date(year, m, 1) <= as_of]


def reporters(session: Session) -> dict[tuple[str, str], list[str]]:
    """(plan code, headline KPI) -> the names of the agencies that report it (groups expanded)."""
    out: dict[tuple[str, str], list[str]] = {}
    names = {a.id: a.name for a in session.scalars(select(Agency))}
    for plan in session.scalars(select(Plan)):
        members = group_members(session, plan.province_id)
        for code in HEADLINE:
            ind = session.scalar(
                select(Indicator)
                .where(Indicator.plan_id == plan.id, Indicator.national_code == code)
                .order_by(Indicator.position)
                .limit(1)
            )
            if ind is None:
                continue
            leads = list(session.scalars(select(IndicatorLead.agency_id).where(IndicatorLead.indicator_id == ind.id)))
            out[(plan.code, code)] = [names[a] for a in expand(leads, members)]
    return out


def build_source_db(source_engine: Engine, session: Session, as_of: date, scale: float = 1.0) -> dict[str, int]:
    """(Re)create the raw tables and fill them deterministically; returns row counts."""
    rng = random.Random(SEED)
    meta.drop_all(source_engine)
    meta.create_all(source_engine)
    who = reporters(session)
    years = {p.code: p.year for p in session.scalars(select(Plan))}
    counts = {"procedure": 0, "application": 0, "staff": 0}
    procs: list[dict] = []
    apps: list[dict] = []
    people: list[dict] = []
    all_months: set[str] = set()
    for (plan, kpi), agencies in sorted(who.items()):
        months = _months(years[plan], as_of)
        all_months.update(months)
        for agency in agencies:
            pace = rng.choice((1.05, 1.0, 0.97, 0.92, 0.85, 0.75))  # how fast this agency moves
            if kpi == "online_services":
                for k in range(rng.randint(15, 40)):
                    online = None
                    if rng.random() < min(0.98, 0.82 * pace):
                        online = rng.choice(months)
                    procs.append(
                        {
                            "id": len(procs) + 1,
                            "plan": plan,
                            "agency": agency,
                            "code": f"TTHC-{k:03d}",
                            "online_from": online,
                        }
                    )
            elif kpi == "satisfaction":
                base = rng.randint(int(150 * scale), int(700 * scale))
                for month in months:
                    for _ in range(max(5, base + rng.randint(-20, 20))):
                        rating = None
                        if rng.random() < 0.6:  # most citizens leave no rating
                            rating = 5 if rng.random() < 0.93 * pace else rng.randint(1, 3)
                        apps.append(
                            {
                                "id": len(apps) + 1,
                                "plan": plan,
                                "agency": agency,
                                "procedure_id": None,
                                "month": month,
                                "full_online": int(rng.random() < 0.7),
                                "rating": rating,
                            }
                        )
            elif kpi == "digital_skills":
                for _ in range(rng.randint(20, 120)):
                    trained = rng.choice(months) if rng.random() < min(1.0, 0.97 * pace) else None
                    people.append({"id": len(people) + 1, "plan": plan, "agency": agency, "trained_month": trained})
    with source_engine.begin() as conn:
        conn.execute(insert(calendar), [{"month": m} for m in sorted(all_months)])
        for table, rows in ((procedure, procs), (application, apps), (staff, people)):
            for i in range(0, len(rows), 20_000):
                conn.execute(insert(table), rows[i : i + 20_000])
            counts[table.name] = len(rows)
    return counts
