"""The stored agency directory of a province: provinces, agencies and every spelling of them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.agencies.names import GROUP, GROUP_SCOPES, OFFICE, OTHER, STANDARD_AGENCIES, AgencyDirectory, group_scope
from dashboard.store.models import Agency, AgencyAlias, Province
from dashboard.text import clean, slug


def get_or_create_province(session: Session, name: str) -> Province:
    """The province called ``name`` (accent- and case-insensitive), created when new."""
    name = clean(name)
    province = session.scalar(select(Province).where(Province.slug == slug(name)))
    if province is None:
        province = Province(name=name, slug=slug(name))
        session.add(province)
        session.flush()
    return province


class StoredDirectory:
    """An AgencyDirectory backed by the database: resolves spellings and adds unknown agencies."""

    def __init__(self, session: Session, province: Province) -> None:
        self.session = session
        self.province = province
        self.names = AgencyDirectory.standard(province.name)
        self.by_name: dict[str, Agency] = {}
        for agency in session.scalars(select(Agency).where(Agency.province_id == province.id)):
            self.by_name[agency.name] = agency
            self.names.add(agency.name, agency.kind)
        for alias in session.scalars(select(AgencyAlias).where(AgencyAlias.province_id == province.id)):
            agency = session.get(Agency, alias.agency_id)
            if agency is not None:
                self.names.alias(alias.key, agency.name, alias.spelling, first=True)
                self.names.kinds.setdefault(agency.name, agency.kind)
        self.created: list[str] = []

    def ensure(self, name: str, kind: str, aliases: tuple[str, ...] | list[str] = ()) -> Agency:
        """The agency with this canonical name, created (with its aliases) when missing."""
        agency = self.by_name.get(name)
        if agency is None:
            agency = Agency(province_id=self.province.id, name=name, kind=kind, code=slug(name)[:120])
            self.session.add(agency)
            self.session.flush()
            self.by_name[name] = agency
            self.names.add(name, kind)
        known_keys = {a.key for a in agency.aliases}
        for spelling in (name, *aliases):
            key = self.names.key(spelling)
            if key and key not in known_keys and self._alias_free(key):
                agency.aliases.append(AgencyAlias(province_id=self.province.id, key=key, spelling=spelling))
                known_keys.add(key)
            self.names.alias(key, name, spelling)
        return agency

    def _alias_free(self, key: str) -> bool:
        return (
            self.session.scalar(
                select(AgencyAlias.id).where(AgencyAlias.province_id == self.province.id, AgencyAlias.key == key)
            )
            is None
        )

    def ensure_standard(self) -> None:
        """Create the standard departments, police and collective groups of the province."""
        for name, kind, aliases in STANDARD_AGENCIES:
            self.ensure(name, kind, aliases)
        for group in GROUP_SCOPES:
            self.ensure(group, GROUP)
        self.ensure("Văn phòng Tỉnh ủy", OFFICE)
        self.ensure("UBND tỉnh", OTHER, ("Ủy ban nhân dân tỉnh",))

    def resolve(self, raw: str) -> tuple[Agency, bool]:
        """The stored agency for one spelling, and whether it had to be created."""
        name, kind, known = self.names.resolve(raw)
        existed = name in self.by_name
        agency = self.ensure(name, kind, () if name == raw else (raw,))
        if not known and not existed:
            self.created.append(name)
        return agency, not known and not existed


def group_members(session: Session, province_id: int) -> dict[int, list[int]]:
    """For each collective group agency of a province, the ids of the agencies it stands for."""
    return members_of(
        session.execute(select(Agency.id, Agency.name, Agency.kind).where(Agency.province_id == province_id))
    )


def members_of(agencies: Iterable) -> dict[int, list[int]]:
    """``group_members`` from the province's agencies as rows of (id, name, kind)."""
    rows = list(agencies)
    members: dict[int, list[int]] = {}
    for group_id, name, kind in rows:
        if kind == GROUP:
            kinds = group_scope(name)
            members[group_id] = [a_id for a_id, _, a_kind in rows if a_kind in kinds]
    return members


def expand(agency_ids: list[int], members: dict[int, list[int]]) -> list[int]:
    """Agency ids with every group replaced by its members (order kept, no duplicates)."""
    out: list[int] = []
    for aid in agency_ids:
        for member in members.get(aid, [aid]):
            if member not in out:
                out.append(member)
    return out


STANDING_AGENCY = "Sở Khoa học và Công nghệ"  # the steering committee's standing agency (its secretariat)


def standing_agency(session: Session, province_id: int) -> int | None:
    """The province's standing agency, which checks and approves the other agencies' monthly reports."""
    return session.scalar(
        select(Agency.id).where(Agency.province_id == province_id, Agency.name == STANDING_AGENCY).limit(1)
    )
