import pytest

from dashboard.agencies.names import (
    COMMUNE,
    DEPARTMENT,
    GROUP,
    GROUP_COMMUNES,
    GROUP_DEPARTMENTS,
    GROUP_RELATED,
    GROUP_STEERING,
    POLICE,
    AgencyDirectory,
    split_agencies,
)


@pytest.fixture
def directory() -> AgencyDirectory:
    return AgencyDirectory.standard("Đồng Tháp")


def names(text: str, d: AgencyDirectory) -> list[str]:
    return [d.resolve(n)[0] for n in split_agencies(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Giám đốc Sở Khoa học và Công nghệ", ["Sở Khoa học và Công nghệ"]),
        ("Sở KH&CN", ["Sở Khoa học và Công nghệ"]),
        ("Sở KHCN", ["Sở Khoa học và Công nghệ"]),
        ("Chánh Văn phòng Tỉnh ủy", ["Văn phòng Tỉnh ủy"]),
        ("VP UBND tỉnh", ["Văn phòng UBND tỉnh"]),
        ("Văn phòng Ủy ban nhân dân tỉnh", ["Văn phòng UBND tỉnh"]),
        ("Giám đốc Công an Tỉnh", ["Công an tỉnh"]),
        ("Sở Công thương", ["Sở Công Thương"]),
        ("Giám đốc Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Sở Ngoại vụ, Sở Khoa học và Công nghệ", ["Sở Ngoại vụ", "Sở Khoa học và Công nghệ"]),
        (
            "Giám đốc Sở Khoa học và Công nghệ; Giám đốc Sở Tài chính; Giám đốc Sở Nông nghiệp và Môi trường",
            ["Sở Khoa học và Công nghệ", "Sở Tài chính", "Sở Nông nghiệp và Môi trường"],
        ),
        ("Văn phòng Tỉnh ủy/UBND Tỉnh", ["Văn phòng Tỉnh ủy", "Văn phòng UBND tỉnh"]),
        ("Sở Khoa học và Công nghệ và các đơn vị liên quan", ["Sở Khoa học và Công nghệ", GROUP_RELATED]),
        (
            "Các sở, ngành: Tư pháp, Công an, Nội vụ, Khoa học và Công nghệ, Văn phòng UBND tỉnh",
            ["Sở Tư pháp", "Công an tỉnh", "Sở Nội vụ", "Sở Khoa học và Công nghệ", "Văn phòng UBND tỉnh"],
        ),
        ("Các doanh nghiệp viễn thông (Viettel, VNPT,...).", ["Các doanh nghiệp viễn thông (Viettel, VNPT,...)"]),
    ],
)
def test_spellings_resolve_to_one_agency(text: str, expected: list[str], directory: AgencyDirectory) -> None:
    assert names(text, directory) == expected


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Các sở, ban, ngành", [GROUP_DEPARTMENTS]),
        ("Các sở, ban, ngành tỉnh", [GROUP_DEPARTMENTS]),
        ("Các Sở, ban ngành liên quan", [GROUP_DEPARTMENTS]),
        ("Các sở, ban, ngành, địa phương", [GROUP_DEPARTMENTS, GROUP_COMMUNES]),
        ("Thủ trưởng sở, ban, ngành, địa phương", [GROUP_DEPARTMENTS, GROUP_COMMUNES]),
        ("Các Sở, ban ngành, các địa phương", [GROUP_DEPARTMENTS, GROUP_COMMUNES]),
        ("UBND cấp xã", [GROUP_COMMUNES]),
        ("Chủ tịch UBND xã, phường", [GROUP_COMMUNES]),
        ("địa phương", [GROUP_COMMUNES]),
        ("Ủy viên Ban Chỉ đạo", [GROUP_STEERING]),
        ("Các cơ quan, đơn vị có liên quan", [GROUP_RELATED]),
    ],
)
def test_collective_assignees(text: str, groups: list[str], directory: AgencyDirectory) -> None:
    assert names(text, directory) == groups
    assert all(directory.resolve(g)[1] == GROUP for g in groups)


def test_a_named_commune_is_not_the_commune_group(directory: AgencyDirectory) -> None:
    assert split_agencies("UBND xã Bát Xát; UBND xã Yên Bình") == ["UBND xã Bát Xát", "UBND xã Yên Bình"]
    name, kind, known = directory.resolve("UBND xã Yên Bình")
    assert (kind, known) == (COMMUNE, False)


def test_kinds(directory: AgencyDirectory) -> None:
    assert directory.resolve("Công an tỉnh")[1] == POLICE
    assert directory.resolve("Sở Y tế")[1] == DEPARTMENT
    assert directory.resolve("Sở Ngoại vụ") == ("Sở Ngoại vụ", DEPARTMENT, False)


def test_empty() -> None:
    assert split_agencies("") == []
    assert split_agencies(None) == []


def test_communes_that_differ_only_by_a_tone_mark_stay_two_agencies(directory: AgencyDirectory) -> None:
    directory.add("UBND xã Đức Thành", COMMUNE, ("Xã Đức Thành",))
    directory.add("UBND xã Đức Thạnh", COMMUNE, ("Xã Đức Thạnh",))
    assert directory.lookup("UBND xã Đức Thạnh") == "UBND xã Đức Thạnh"
    assert directory.lookup("XÃ ĐỨC THẠNH") == "UBND xã Đức Thạnh"
    assert directory.lookup("Ủy ban nhân dân xã Đức Thành") == "UBND xã Đức Thành"
    assert directory.lookup("Xa Duc Thanh") == "UBND xã Đức Thành"  # no diacritics to tell them apart: the first
    assert directory.lookup("Xã Đức Thãnh") is None  # a third spelling is neither: a new agency, not a merge
    assert directory.lookup("Sở Khoa hoc và Công nghệ") == "Sở Khoa học và Công nghệ"  # a missing mark still agrees


def test_the_store_keeps_tone_twins_apart_across_imports(engine) -> None:  # noqa: ANN001
    from sqlalchemy import func, select

    from dashboard.agencies.directory import StoredDirectory, get_or_create_province
    from dashboard.store.database import transaction
    from dashboard.store.models import Agency

    with transaction(engine) as s:
        d = StoredDirectory(s, get_or_create_province(s, "Đồng Tháp"))
        for raw in ("UBND xã Đức Thành", "UBND xã Đức Thạnh"):
            name, kind, known = d.names.resolve(raw)
            assert not known
            d.ensure(name, kind, (raw,))
    with transaction(engine) as s:
        d = StoredDirectory(s, get_or_create_province(s, "Đồng Tháp"))  # as the next import or refresh reads it
        assert d.names.lookup("Ủy ban nhân dân xã Đức Thạnh") == "UBND xã Đức Thạnh"
        assert d.names.lookup("ubnd XÃ ĐỨC THÀNH") == "UBND xã Đức Thành"
        assert s.scalar(select(func.count()).select_from(Agency).where(Agency.kind == COMMUNE)) == 2
