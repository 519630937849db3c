"""National-scale benchmark dataset: 34 provinces, 3,321 communes, one 2026 plan each, 5 million raw records.

Deterministic from ``--seed``. It builds:

- in the app store (``--database-url``, schema from ``dashboard.store.database.upgrade``): the 34 provinces and
  cities since the 2025 merger with their real commune counts, 20 provincial agencies each plus the
  collective groups, one plan per province (every catalogue KPI with a target, 150 tasks with dated,
  recurring and conditional deadlines, lead and coordinating agencies), monthly KPI figures from January to
  November and the monthly task updates, the demo accounts and the demo wall-screen token;
- in a source database (``--sources-url``): the raw records of the one-stop-shop and HR systems behind the
  three headline KPIs, in the tables of ``dashboard.sources.demo_records`` (procedure, application, staff,
  calendar), and a sources TOML whose queries turn them into KPI figures (``benchmarks/refresh.py``).

    .venv/bin/python -m benchmarks.national \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_national \\
        --sources-url postgresql://postgres@127.0.0.1:5432/bench_sources

Bulk loads use COPY on PostgreSQL and chunked executemany elsewhere (SQLite works for small ``--scale``).
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, func, insert, make_url, select, text
from sqlalchemy.orm import Session

from dashboard.accounts.users import SYSTEM, create_user, token_hash
from dashboard.agencies.names import (
    COMMUNE,
    DEPARTMENT,
    GROUP,
    GROUP_COMMUNES,
    GROUP_DEPARTMENTS,
    GROUP_RELATED,
    GROUP_SCOPES,
    OFFICE,
    OTHER,
    STANDARD_AGENCIES,
    AgencyDirectory,
)
from dashboard.demo import DEMO_KIOSK_TOKEN, DEMO_USERS, finish_date
from dashboard.kpi.catalog import CATALOG, HEADLINE, classify, is_ratio
from dashboard.kpi.deadlines import CONDITIONAL, DATE, RECURRING, parse_deadline
from dashboard.kpi.targets import parse_target
from dashboard.sources.definitions import load_sources
from dashboard.sources.demo_records import application, calendar, procedure, staff
from dashboard.sources.demo_records import meta as source_meta
from dashboard.store import latest
from dashboard.store.database import get_meta, make_engine, set_meta, transaction, upgrade
from dashboard.store.models import (
    Agency,
    AgencyAlias,
    Base,
    Indicator,
    IndicatorLead,
    KioskToken,
    Measurement,
    Plan,
    Province,
    Task,
    TaskAgency,
    TaskUpdate,
)
from dashboard.text import fold_key, slug

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TOML = Path(__file__).resolve().parent / "out" / "sources.national.toml"
SOURCE_RECORDS = 5_000_000
TASKS_PER_PLAN = 150
YEAR = 2026
AS_OF = date(2026, 11, 27)
GENERATOR = "national-generator"
CHUNK = 20_000

# The 34 provinces and cities since 1 July 2025 with their communes, wards and special zones (3,321 in all).
# The demo's three provinces come first, so a small --provinces keeps the demo accounts' agencies.
PROVINCES: tuple[tuple[str, int, bool], ...] = (
    ("Thái Nguyên", 92, False),
    ("Đồng Tháp", 102, False),
    ("Lào Cai", 99, False),
    ("Hà Nội", 126, True),
    ("Huế", 40, True),
    ("Hải Phòng", 114, True),
    ("Đà Nẵng", 94, True),
    ("TP. Hồ Chí Minh", 168, True),
    ("Cần Thơ", 103, True),
    ("Lai Châu", 38, False),
    ("Điện Biên", 45, False),
    ("Sơn La", 75, False),
    ("Lạng Sơn", 65, False),
    ("Quảng Ninh", 54, False),
    ("Thanh Hóa", 166, False),
    ("Nghệ An", 130, False),
    ("Hà Tĩnh", 69, False),
    ("Cao Bằng", 56, False),
    ("Tuyên Quang", 124, False),
    ("Phú Thọ", 148, False),
    ("Bắc Ninh", 99, False),
    ("Hưng Yên", 104, False),
    ("Ninh Bình", 129, False),
    ("Quảng Trị", 78, False),
    ("Quảng Ngãi", 96, False),
    ("Gia Lai", 135, False),
    ("Khánh Hòa", 65, False),
    ("Lâm Đồng", 124, False),
    ("Đắk Lắk", 102, False),
    ("Đồng Nai", 95, False),
    ("Tây Ninh", 96, False),
    ("Vĩnh Long", 124, False),
    ("Cà Mau", 64, False),
    ("An Giang", 102, False),
)
SPECIAL_ZONES = {
    "Quảng Ninh": ("Vân Đồn", "Cô Tô"),
    "Hải Phòng": ("Cát Hải", "Bạch Long Vĩ"),
    "Quảng Trị": ("Cồn Cỏ",),
    "Đà Nẵng": ("Hoàng Sa",),
    "Quảng Ngãi": ("Lý Sơn",),
    "Khánh Hòa": ("Trường Sa",),
    "Lâm Đồng": ("Phú Quý",),
    "TP. Hồ Chí Minh": ("Côn Đảo",),
    "An Giang": ("Phú Quốc", "Kiên Hải", "Thổ Châu"),
}
# Syllables of generated commune names ("Tân Phú", "Hòa Bình", ...).
SYLLABLES = (
    "An Bình Phú Tân Hòa Thạnh Long Phước Mỹ Thuận Hưng Lợi Đông Tây Nam Bắc Trung Xuân Minh Quang Hiệp Hải "
    "Sơn Lâm Thủy Thành Vĩnh Đức Nghĩa Khánh Hồng Yên Thái Đại Kim Cẩm Châu Gia Lạc Phong Thịnh Tiến Định Hà "
    "Lộc Trường Quý Hợp"
).split()

# 20 provincial agencies (the 13 standard ones first), then the collective groups and the provincial people's committee.
PROVINCIAL: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    *((n, k, tuple(a)) for n, k, a in STANDARD_AGENCIES),
    ("Văn phòng Tỉnh ủy", OFFICE, ()),
    ("Sở Ngoại vụ", DEPARTMENT, ()),
    ("Sở Dân tộc và Tôn giáo", DEPARTMENT, ("Sở DT&TG",)),
    ("Ban Quản lý các khu công nghiệp", OTHER, ("BQL các KCN",)),
    ("Bảo hiểm xã hội tỉnh", OTHER, ("BHXH tỉnh",)),
    ("Trung tâm Phục vụ hành chính công tỉnh", OTHER, ("Trung tâm PVHCC",)),
    ("Báo và Phát thanh, Truyền hình tỉnh", OTHER, ()),
)
STRUCTURAL: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    *((g, GROUP, ()) for g in GROUP_SCOPES),
    ("UBND tỉnh", OTHER, ("Ủy ban nhân dân tỉnh",)),
)
KHCN, NOI_VU, TAI_CHINH, VP_UBND = "Sở Khoa học và Công nghệ", "Sở Nội vụ", "Sở Tài chính", "Văn phòng UBND tỉnh"
D, C = GROUP_DEPARTMENTS, GROUP_COMMUNES


@dataclass(frozen=True)
class KpiTemplate:
    name: str
    unit: str
    national_code: str | None
    targets: tuple[str, ...]  # one is drawn per province
    leads: tuple[str, ...]
    levels: bool = False  # sub-targets "Cấp tỉnh" and "Cấp xã"


# The KPI set of the plans (Thái Nguyên's and Lào Cai's wording): every catalogue KPI plus the usual others.
KPIS: tuple[KpiTemplate, ...] = (
    KpiTemplate(
        "Tỷ trọng giá trị tăng thêm của kinh tế số trong GRDP",
        "%",
        "digital_economy",
        ("≥ 9", "≥ 15", "≥ 20", "≥ 25", "≥ 35"),
        (TAI_CHINH,),
    ),
    KpiTemplate(
        "Tỷ trọng đóng góp của khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số trong GRDP",
        "%",
        None,
        ("≥ 10", "≥ 15", "≥ 18"),
        (KHCN,),
    ),
    KpiTemplate("Mở rộng phủ sóng 5G", "%", "coverage_5g", ("≥ 60", "≥ 70", "≥ 80", "≥ 90", "≥ 95"), (KHCN,)),
    KpiTemplate(
        "Tỷ lệ cán bộ, công chức, viên chức cấp xã có trang thiết bị đáp ứng yêu cầu công việc và có chữ ký số cá nhân",
        "%",
        None,
        ("100",),
        (C,),
    ),
    KpiTemplate(
        "Tỷ lệ hồ sơ công việc tại cơ quan hành chính nhà nước được xử lý trên môi trường điện tử",
        "%",
        "e_files",
        ("100",),
        (D, C),
    ),
    KpiTemplate(
        "Tỷ lệ văn bản, hồ sơ công việc tại cơ quan hành chính nhà nước được xử lý toàn trình trên môi trường điện tử",
        "%",
        "e_end_to_end",
        ("≥ 70", "≥ 80", "≥ 95"),
        (D, C),
        levels=True,
    ),
    KpiTemplate(
        "Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính",
        "%",
        "online_services",
        ("≥ 80",),
        (VP_UBND, D, C),
    ),
    KpiTemplate(
        "Thông tin, giấy tờ, tài liệu trong các thủ tục hành chính liên quan sản xuất, kinh doanh chỉ phải cung cấp "
        "một lần cho cơ quan nhà nước",
        "%",
        None,
        ("≥ 80",),
        (VP_UBND, D),
    ),
    KpiTemplate(
        "Tỷ lệ thủ tục hành chính được thực hiện không phụ thuộc vào địa giới hành chính trong phạm vi cấp tỉnh",
        "%",
        "boundary_free",
        ("100",),
        (VP_UBND, D, C),
    ),
    KpiTemplate(
        "Tỷ lệ cán bộ, công chức, viên chức được đào tạo, bồi dưỡng kỹ năng số",
        "%",
        "digital_skills",
        ("100", "100", "≥ 80"),
        (NOI_VU, D, C),
    ),
    KpiTemplate(
        "Tỷ lệ cán bộ, công chức, viên chức đảm nhiệm vị trí việc làm chuyên trách về công nghệ thông tin, chuyển đổi "
        "số được đào tạo quản trị dữ liệu",
        "%",
        "data_governance",
        ("≥ 50",),
        (NOI_VU, KHCN),
    ),
    KpiTemplate(
        "Tỷ lệ thủ tục hành chính liên quan đến doanh nghiệp được thực hiện trực tuyến, thông suốt, liền mạch",
        "%",
        "business_online",
        ("100",),
        (VP_UBND, D),
    ),
    KpiTemplate(
        "Tỷ lệ người dân, doanh nghiệp đánh giá ở mức độ hài lòng trở lên khi thực hiện thủ tục hành chính, dịch vụ "
        "công trực tuyến",
        "%",
        "satisfaction",
        ("≥ 95", "≥ 95", "≥ 90"),
        (VP_UBND, D, C),
    ),
    KpiTemplate(
        "Bố trí ít nhất 15% ngân sách nhà nước chi sự nghiệp khoa học và công nghệ phục vụ nghiên cứu công nghệ "
        "chiến lược",
        "%",
        None,
        ("≥ 15",),
        (TAI_CHINH,),
    ),
    KpiTemplate(
        "Tỷ lệ nhiệm vụ khoa học công nghệ, đổi mới sáng tạo sử dụng ngân sách nhà nước được quản lý, theo dõi toàn "
        "trình trên nền tảng số",
        "%",
        None,
        ("100",),
        (KHCN,),
    ),
    KpiTemplate(
        "Hình thành và đưa vào vận hành trung tâm đổi mới sáng tạo và khởi nghiệp",
        "Trung tâm",
        "innovation_centre",
        ("01",),
        (KHCN,),
    ),
    KpiTemplate(
        "Thương mại hóa thành công sản phẩm thuộc Danh mục công nghệ chiến lược",
        "Sản phẩm",
        "strategic_products",
        ("02", "03", "05"),
        ("Sở Công Thương", KHCN),
    ),
    KpiTemplate(
        "Tăng số doanh nghiệp khởi nghiệp sáng tạo (startups) trong các lĩnh vực khoa học, công nghệ, đổi mới sáng "
        "tạo, chuyển đổi số",
        "%",
        None,
        ("≥ 20", "≥ 30"),
        (KHCN,),
    ),
)

SECTIONS = (
    "I. Hoàn thiện thể chế, chính sách",
    "II. Phát triển hạ tầng số",
    "III. Phát triển dữ liệu số",
    "IV. Chính quyền số, Đề án 06",
    "V. Kinh tế số, xã hội số",
    "VI. Khoa học, công nghệ và đổi mới sáng tạo",
    "VII. Nguồn nhân lực, kiểm tra, giám sát",
)
ACTIONS = (
    "Xây dựng",
    "Triển khai",
    "Rà soát, hoàn thiện",
    "Tổ chức thực hiện",
    "Nâng cấp",
    "Đánh giá kết quả",
    "Hướng dẫn",
    "Đẩy mạnh",
)
OBJECTS = (
    (
        "kế hoạch thực hiện Nghị quyết 57-NQ/TW năm 2026",
        "quy chế quản lý, khai thác dữ liệu dùng chung của tỉnh",
        "cơ chế thử nghiệm có kiểm soát cho công nghệ mới",
        "danh mục dữ liệu mở của tỉnh",
        "quy định hỗ trợ chi phí dịch vụ công trực tuyến",
    ),
    (
        "mạng truyền số liệu chuyên dùng đến cấp xã",
        "phủ sóng 5G tại khu công nghiệp, khu đô thị",
        "Trung tâm dữ liệu của tỉnh",
        "hạ tầng điện toán đám mây dùng chung",
        "hệ thống camera giám sát an ninh, trật tự",
    ),
    (
        "cơ sở dữ liệu đất đai",
        "kho dữ liệu dùng chung của tỉnh",
        "làm sạch dữ liệu dân cư theo Đề án 06",
        "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        "kết nối Cơ sở dữ liệu quốc gia về dân cư",
    ),
    (
        "Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh",
        "dịch vụ công trực tuyến toàn trình",
        "thanh toán trực tuyến trong giải quyết thủ tục hành chính",
        "ứng dụng VNeID trong giải quyết thủ tục hành chính",
        "Trung tâm giám sát, điều hành thông minh (IOC)",
    ),
    (
        "sàn thương mại điện tử cho sản phẩm OCOP",
        "chuyển đổi số doanh nghiệp nhỏ và vừa",
        "tổ công nghệ số cộng đồng",
        "phong trào Bình dân học vụ số",
        "hồ sơ sức khỏe điện tử",
    ),
    (
        "Trung tâm đổi mới sáng tạo và khởi nghiệp",
        "nhiệm vụ khoa học và công nghệ cấp tỉnh",
        "hỗ trợ doanh nghiệp khởi nghiệp sáng tạo",
        "đặt hàng bài toán lớn gắn với thực tiễn địa phương",
        "đánh giá trình độ công nghệ của doanh nghiệp",
    ),
    (
        "đào tạo kỹ năng số cho cán bộ, công chức, viên chức",
        "kiểm tra việc thực hiện Kế hoạch tại các cơ quan, đơn vị",
        "cải thiện chỉ số DTI, PAR INDEX, SIPAS",
        "báo cáo sơ kết 6 tháng thực hiện Kế hoạch",
        "tuyển dụng, thu hút nhân lực công nghệ số",
    ),
)
RECURRING_NAMES = (
    "Báo cáo định kỳ hằng tháng kết quả thực hiện Kế hoạch",
    "Cập nhật tiến độ nhiệm vụ lên Hệ thống theo dõi, đánh giá",
    "Rà soát, cập nhật dữ liệu dân cư, đất đai, hộ tịch",
    "Bảo đảm an toàn thông tin mạng cho hệ thống thông tin",
    "Tuyên truyền về chuyển đổi số, Đề án 06",
    "Theo dõi, đôn đốc giải quyết hồ sơ trực tuyến đúng hạn",
)
DATED = (
    "Tháng 3",
    "Tháng 6/2026",
    "Quý I/2026",
    "Quý II/2026",
    "Quý III/2026",
    "Quý IV/2026",
    "Quý III-IV/2026",
    "30/6/2026",
    "Trước ngày 30/4/2026",
    "31/12/2026",
    "Năm 2026",
    "Trong năm 2026",
    "Tháng 02 đến hết năm 2026",
    "15/9/2026",
    "Tháng 10/2026",
)
RECURRING_TEXTS = ("Thường xuyên", "Hằng tháng", "Thường xuyên theo quy định hiện hành")
CONDITIONAL_TEXTS = (
    "Theo hướng dẫn của Bộ Khoa học và Công nghệ",
    "Sau khi Trung ương ban hành Đề án",
    "Khi có hướng dẫn của Trung ương",
    "Chậm nhất 10 ngày sau khi có hướng dẫn của Trung ương",
    "Theo yêu cầu của Trung ương",
)
UNREADABLE_TEXTS = ("", "Sớm", "Kịp thời")
OUTPUTS = (
    "Kế hoạch của UBND tỉnh",
    "Báo cáo",
    "Quyết định của UBND tỉnh",
    "Công văn",
    "Hệ thống được đưa vào vận hành",
    "Đề án của UBND tỉnh",
    "Văn bản hướng dẫn",
)
TASK_LEADS = (KHCN, KHCN, KHCN, NOI_VU, TAI_CHINH, VP_UBND, "Công an tỉnh", "Sở Y tế", "Sở Giáo dục và Đào tạo")


@dataclass
class Options:
    database_url: str
    sources_url: str
    provinces: int = 34
    seed: int = 57
    scale: float = 1.0
    communes: int | None = None  # per province; None: the real counts
    tasks: int = TASKS_PER_PLAN
    source_records: int = SOURCE_RECORDS
    toml: Path = DEFAULT_TOML
    as_of: date = AS_OF
    force: bool = False
    queries: str = "tuned"  # or "demo": the queries of data/sources.demo.toml as they are


@dataclass
class ProvinceData:
    """What the generator knows of one province: ids by agency name, kinds, the plan and its KPIs."""

    id: int
    name: str
    slug: str
    agencies: dict[str, int] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)
    communes: list[str] = field(default_factory=list)
    plan_id: int = 0
    plan_code: str = ""
    indicators: list[tuple[int, KpiTemplate, float, bool]] = field(default_factory=list)  # id, kpi, target, ratio

    def members(self, name: str) -> list[int]:
        """The agencies a lead stands for: a group's members, else the agency itself."""
        if name in GROUP_SCOPES:
            kinds = GROUP_SCOPES[name]
            return [aid for aid, kind in self.kinds.items() if kind in kinds]
        return [self.agencies[name]]

    def expand(self, names: Iterable[str]) -> list[int]:
        out: dict[int, None] = {}
        for n in names:
            out.update(dict.fromkeys(self.members(n)))
        return list(out)


class Timer:
    """Wall-clock seconds per phase, printed as they end."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.mark = self.start
        self.phases: dict[str, float] = {}

    def lap(self, phase: str, detail: str = "") -> None:
        now = time.perf_counter()
        self.phases[phase] = now - self.mark
        self.mark = now
        print(f"  {phase:<28} {self.phases[phase]:7.1f} s  {detail}", flush=True)

    @property
    def total(self) -> float:
        return time.perf_counter() - self.start


def months_of(year: int, as_of: date) -> list[date]:
    """The months whose reports are due by ``as_of`` (the 25th), or already over."""
    return [
        date(year, m, 1)
        for m in range(1, 13)
        if date(year, m, 1) <= as_of and (date(year, m, 25) <= as_of or m < as_of.month)
    ]


def copy_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Write rows (tuples in ``columns`` order) into ``table``: COPY on PostgreSQL, chunked executemany else."""
    n = 0
    if conn.dialect.name == "postgresql":
        quote = conn.dialect.identifier_preparer.quote
        sql = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        cursor = conn.connection.driver_connection.cursor()
        with cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n
    batch: list[dict] = []
    for row in rows:
        batch.append(dict(zip(columns, row, strict=True)))
        if len(batch) >= CHUNK:
            conn.execute(insert(table), batch)
            n += len(batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)
        n += len(batch)
    return n


def insert_returning(session: Session, model: type[Base], rows: list[dict]) -> list[int]:
    """Bulk insert; the new ids in the order of ``rows``."""
    ids: list[int] = []
    for i in range(0, len(rows), CHUNK):
        stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
        ids.extend(session.scalars(stmt, rows[i : i + CHUNK]).all())
    return ids


def insert_plain(session: Session, model: type[Base], rows: list[dict]) -> int:
    for i in range(0, len(rows), CHUNK):
        session.execute(insert(model), rows[i : i + CHUNK])
    return len(rows)


class ReportCalendar:
    """When an agency sent its monthly report: by the 25th, a few days late, or never (None).

    One answer per agency and month, shared by its KPI figures and task updates; a habit per agency.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.habit: dict[int, float] = {}
        self.sent: dict[tuple[int, date], datetime | None] = {}

    def __call__(self, agency_id: int, month: date) -> datetime | None:
        key = (agency_id, month)
        if key in self.sent:
            return self.sent[key]
        rng = self.rng
        punctual = self.habit.setdefault(agency_id, rng.choice((0.98, 0.95, 0.9, 0.85, 0.75, 0.6)))
        roll = rng.random()
        if roll < punctual:
            day = rng.randint(12, 25)
        elif roll < punctual + (1 - punctual) * 0.65:
            day = rng.randint(26, 28)
        else:
            self.sent[key] = None
            return None
        at = datetime.combine(month.replace(day=day), clock(rng.randint(8, 16), rng.randint(0, 59)))
        self.sent[key] = at
        return at


# ---------------------------------------------------------------------------------------------------------------
# The store


def _real_communes() -> dict[str, list[tuple[str, str]]]:
    """(name, alias) of the communes data/agencies.csv already knows, by province."""
    out: dict[str, list[tuple[str, str]]] = {}
    with (ROOT / "data" / "agencies.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["kind"].strip() == COMMUNE:
                alias = (row.get("aliases") or "").split("|")[0].strip()
                out.setdefault(row["province"].strip(), []).append((row["name"].strip(), alias))
    return out


def commune_names(rng: random.Random, province: str, count: int, city: bool) -> list[tuple[str, str]]:
    """``count`` distinct commune names (UBND xã / phường / đặc khu) with their short spelling."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for zone in SPECIAL_ZONES.get(province, ()):
        out.append((f"UBND đặc khu {zone}", f"Đặc khu {zone}"))
    out += _real_communes().get(province, [])
    # Generated names differ once accents are folded, so that a source system's unaccented spelling ("Xa Duc
    # Thanh") names one commune; real names that differ only by a tone mark stay apart by their diacritics.
    seen.update(fold_key(short or name) for name, short in out)
    pairs = [(a, b) for a in SYLLABLES for b in SYLLABLES if a != b]
    rng.shuffle(pairs)
    wards = 0.45 if city else 0.15
    for a, b in pairs:
        if len(out) >= count:
            break
        kind = "phường" if rng.random() < wards else "xã"
        short = f"{kind.capitalize()} {a} {b}"
        if fold_key(short) not in seen:
            seen.add(fold_key(short))
            out.append((f"UBND {kind} {a} {b}", short))
    return out[:count]


def _clear_store(engine: Engine, force: bool) -> None:
    with transaction(engine) as s:
        has_plans = s.scalar(select(Plan.id).limit(1)) is not None
        ours = get_meta(s, "benchmark") == "national"
    if has_plans and not ours and not force:
        raise SystemExit("the store holds plans that this generator did not make; pass --force to replace them")
    with engine.begin() as conn:
        tables = list(reversed(Base.metadata.sorted_tables))
        if conn.dialect.name == "postgresql":
            names = ", ".join(conn.dialect.identifier_preparer.quote(t.name) for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                conn.execute(t.delete())


def _agencies(session: Session, opts: Options, rng: random.Random) -> list[ProvinceData]:
    provinces = list(PROVINCES[: opts.provinces])
    for n in range(len(provinces) + 1, opts.provinces + 1):
        provinces.append((f"Tỉnh thử nghiệm {n}", 98, False))
    ids = insert_returning(session, Province, [{"name": n, "slug": slug(n)} for n, _, _ in provinces])
    data = [ProvinceData(pid, name, slug(name)) for pid, (name, _, _) in zip(ids, provinces, strict=True)]
    rows: list[dict] = []
    aliases: list[tuple[int, int, list[str]]] = []  # province id, index in rows, spellings
    for p, (name, communes, city) in zip(data, provinces, strict=True):
        count = opts.communes if opts.communes is not None else max(2, round(communes * opts.scale))
        listed = [(n, k, a) for n, k, a in (*PROVINCIAL, *STRUCTURAL)]
        listed += [(n, COMMUNE, (a,)) for n, a in commune_names(rng, name, count, city)]
        for agency, kind, spellings in listed:
            aliases.append((p.id, len(rows), [agency, *spellings]))
            rows.append({"province_id": p.id, "name": agency, "kind": kind, "code": slug(agency)[:120]})
            if kind == COMMUNE:
                p.communes.append(agency)
    agency_ids = insert_returning(session, Agency, rows)
    by_province = {p.id: p for p in data}
    directories = {p.id: AgencyDirectory(p.name) for p in data}
    alias_rows: list[dict] = []
    used: set[tuple[int, str]] = set()
    for (pid, i, spellings), aid in zip(aliases, agency_ids, strict=True):
        p = by_province[pid]
        p.agencies[rows[i]["name"]] = aid
        p.kinds[aid] = rows[i]["kind"]
        for spelling in spellings:
            key = directories[pid].key(spelling)
            if key and (pid, key) not in used:
                used.add((pid, key))
                alias_rows.append({"province_id": pid, "agency_id": aid, "key": key, "spelling": spelling})
    insert_plain(session, AgencyAlias, alias_rows)
    return data


def _plans(session: Session, data: list[ProvinceData], opts: Options, rng: random.Random) -> int:
    plan_rows = []
    for n, p in enumerate(data, start=1):
        p.plan_code = f"{p.slug}-{YEAR}-kh-ubnd"
        plan_rows.append(
            {
                "province_id": p.id,
                "code": p.plan_code,
                "doc_number": f"{rng.randint(20, 180)}/KH-UBND",
                "doc_type": "KH-UBND",
                "title": f"Kế hoạch phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06 "
                f"năm {YEAR} của {p.name}",
                "year": YEAR,
                "issuer": f"UBND {p.name}",
                "issue_date": date(YEAR, rng.randint(1, 3), rng.randint(5, 28)),
                "source_file": f"benchmark:national:{n}",
            }
        )
    for p, pid in zip(data, insert_returning(session, Plan, plan_rows), strict=True):
        p.plan_id = pid
    ind_rows = []
    for p in data:
        for pos, kpi in enumerate(KPIS):
            target_text = rng.choice(kpi.targets)
            target = parse_target(target_text)
            subtargets = []
            if kpi.levels:
                subtargets = [
                    {"label": level, "op": target.op, "value": target.value} for level in ("Cấp tỉnh", "Cấp xã")
                ]
                target_text = f"Cấp tỉnh {target_text}; Cấp xã {target_text}"
            ind_rows.append(
                {
                    "plan_id": p.plan_id,
                    "code": str(pos + 1),
                    "national_code": kpi.national_code,
                    "position": pos,
                    "name": kpi.name,
                    "unit": kpi.unit,
                    "target_text": target_text,
                    "target_op": target.op,
                    "target_value": target.value,
                    "subtargets": subtargets,
                    "is_ratio": is_ratio(kpi.name, kpi.unit),
                    "note": "Cụ thể hóa chỉ tiêu tại Chương trình công tác năm 2026 của Ban Chỉ đạo Trung ương",
                    "source_line": 40 + pos,
                }
            )
    ids = iter(insert_returning(session, Indicator, ind_rows))
    rows = iter(ind_rows)
    lead_rows = []
    for p in data:
        for kpi in KPIS:
            iid, row = next(ids), next(rows)
            p.indicators.append((iid, kpi, row["target_value"], row["is_ratio"]))
            for pos, lead in enumerate(kpi.leads):
                lead_rows.append({"indicator_id": iid, "agency_id": p.agencies[lead], "position": pos})
    insert_plain(session, IndicatorLead, lead_rows)
    return len(ind_rows)


def _task_rows(p: ProvinceData, count: int, rng: random.Random) -> list[tuple[dict, list[str], list[str]]]:
    """(task row, lead names, coordinating names) for one plan."""
    out = []
    numbers: dict[str, int] = {}
    departments = [n for n, k, _ in PROVINCIAL if k in (DEPARTMENT, OFFICE) or n == "Công an tỉnh"]
    others = [n for n, k, _ in PROVINCIAL if k == OTHER]
    for pos in range(count):
        s = min(len(SECTIONS) - 1, pos * len(SECTIONS) // count)
        section = SECTIONS[s]
        roman = section.split(".")[0]
        numbers[roman] = numbers.get(roman, 0) + 1
        roll = rng.random()
        if roll < 0.62:
            deadline_text = rng.choice(DATED)
            name = f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS[s])}"
        elif roll < 0.82:
            deadline_text = rng.choice(RECURRING_TEXTS)
            name = rng.choice(RECURRING_NAMES)
        elif roll < 0.95:
            deadline_text = rng.choice(CONDITIONAL_TEXTS)
            name = f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS[s])} theo Đề án của Trung ương"
        else:
            deadline_text = rng.choice(UNREADABLE_TEXTS)
            name = f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS[s])}"
        deadline = parse_deadline(deadline_text, YEAR)
        # Leads: one agency mostly; groups for a share of tasks (most of all for recurring ones); a few none.
        g = rng.random()
        if g < 0.02:
            leads: list[str] = []
        elif (deadline.kind == RECURRING and g < 0.35) or g < 0.08:
            leads = rng.choice(([D], [C], [D, C]))
        else:
            leads = [rng.choice(TASK_LEADS)]
            if rng.random() < 0.12:
                leads.append(rng.choice([d for d in departments if d not in leads]))
        coordinating = rng.sample([d for d in departments if d not in leads], rng.randint(0, 4))
        if rng.random() < 0.15:
            coordinating.append(rng.choice(others))
        for group, share in ((D, 0.3), (C, 0.15), (GROUP_RELATED, 0.1)):
            if group not in leads and rng.random() < share:
                coordinating.append(group)
        code = f"{roman}.{numbers[roman]}"
        row = {
            "plan_id": p.plan_id,
            "key": f"{p.plan_code}:{code}",
            "code": code,
            "position": pos,
            "section": section,
            "number": str(numbers[roman]),
            "name": name[0].upper() + name[1:],
            "output": None if rng.random() < 0.04 else rng.choice(OUTPUTS),
            "deadline_text": deadline_text or None,
            "deadline_kind": deadline.kind,
            "start_date": deadline.start,
            "due_date": deadline.due,
            "basis": rng.choice((None, None, "Chương trình số 02-CTr/BCĐTW ngày 02/02/2026 của BCĐTW")),
            "source_line": 200 + pos,
            "active": True,
        }
        out.append((row, leads, coordinating))
    return out


def _tasks(session: Session, data: list[ProvinceData], opts: Options, rng: random.Random) -> list[tuple]:
    """Insert the tasks and their agencies; returns (task id, row, province, lead ids) for the updates."""
    count = opts.tasks if opts.scale >= 1 else max(12, round(opts.tasks * opts.scale))
    planned = [(p, *t) for p in data for t in _task_rows(p, count, rng)]
    ids = insert_returning(session, Task, [row for _, row, _, _ in planned])
    links = []
    out = []
    for tid, (p, row, leads, coordinating) in zip(ids, planned, strict=True):
        for pos, name in enumerate(leads):
            links.append({"task_id": tid, "agency_id": p.agencies[name], "role": "lead", "position": pos})
        for pos, name in enumerate(coordinating):
            links.append({"task_id": tid, "agency_id": p.agencies[name], "role": "coordinating", "position": pos})
        out.append((tid, row, p, [p.agencies[n] for n in leads], [p.agencies[n] for n in coordinating]))
    insert_plain(session, TaskAgency, links)
    return out


def _denominator(rng: random.Random, kpi: KpiTemplate, kind: str) -> int:
    small = kind == COMMUNE
    code = kpi.national_code
    if code == "satisfaction":
        return rng.randint(150, 900) if small else rng.randint(600, 4000)
    if code in ("digital_skills", "data_governance") or kpi.leads == (C,):
        return rng.randint(25, 60) if small else rng.randint(60, 400)
    if code in ("online_services", "business_online", "boundary_free"):
        return rng.randint(60, 180) if small else rng.randint(40, 260)
    return rng.randint(40, 300)


def measurement_rows(  # noqa: ANN201 - a generator of row dicts
    data: list[ProvinceData], months: list[date], sent: ReportCalendar, rng: random.Random
):
    """Monthly figures of every reporting agency for every KPI but the headline ones (the refresh loads those)."""
    for p in data:
        for iid, kpi, target, ratio in p.indicators:
            if kpi.national_code in HEADLINE:
                continue
            for aid in p.expand(kpi.leads):
                skill = rng.choice((1.02, 1.0, 0.99, 0.97, 0.93, 0.86, 0.75))
                den = _denominator(rng, kpi, p.kinds[aid])
                goal = min(100.0, target * skill)
                for i, month in enumerate(months):
                    reported = sent(aid, month)
                    if reported is None:
                        continue
                    progress = min(1.0, (i + 1) / 10)
                    if ratio:
                        start = max(0.0, goal - 25)
                        pct = min(100.0, start + (goal - start) * progress**0.7)
                        month_den = den + i * rng.randint(0, 3)
                        num, den_value, value = min(month_den, round(month_den * pct / 100)), month_den, None
                    else:
                        num, den_value, value = None, None, round(target * skill * progress**0.8, 1)
                    yield (iid, aid, month, num, den_value, value, "form", reported, GENERATOR, 1)


def task_update_rows(  # noqa: ANN201 - a generator of row dicts
    tasks: list[tuple], months: list[date], as_of: date, sent: ReportCalendar, rng: random.Random
):
    """Monthly task updates like the demo's: recurring reports, progress to done/late/overdue, notes."""
    year_start = date(YEAR, 1, 1)

    def row(tid: int, aid: int | None, month: date, status: str, progress: int, note: str, **kw: object) -> tuple:
        created = kw.get("at") or (sent(aid, month) if aid is not None else None)
        if created is None:  # no report that month: the update came late, with the next one
            created = datetime.combine(month.replace(day=28), clock(9, rng.randint(0, 59)))
        kind = kw.get("kind", "update")
        return (tid, aid, kind, status, progress, note, None, month, kw.get("completed"), created, GENERATOR)

    for tid, task, p, leads, coordinating in tasks:
        lead = leads[0] if leads else None
        task_months = [m for m in months if not task["start_date"] or m >= task["start_date"].replace(day=1)]
        kind = task["deadline_kind"]
        last: tuple[str, int] = ("not_started", 0)
        if kind == RECURRING:
            for reporter in p.expand(n for n, i in p.agencies.items() if i in leads):
                for month in task_months:
                    at = sent(reporter, month)
                    if at is not None:
                        note = f"Báo cáo định kỳ tháng {month.month}/{month.year}" + (" (gửi muộn)" * (at.day > 25))
                        yield row(tid, reporter, month, "in_progress", 50, note, at=at)
            last = ("in_progress", 50)
        elif kind == CONDITIONAL:
            if rng.random() < 0.3 and task_months:
                yield row(tid, lead, task_months[-1], "not_started", 0, "Chưa có hướng dẫn của Trung ương")
        elif kind != DATE or task["due_date"] is None:
            if rng.random() < 0.5 and task_months:
                last = ("in_progress", rng.choice((20, 40, 60)))
                yield row(tid, lead, task_months[-1], *last, "Đang triển khai")
        else:
            due = task["due_date"]
            span = max(1, (due - year_start).days)
            finish, not_started = finish_date(rng, due, as_of, YEAR)  # the demo's odds of done, late, overdue
            if not_started:
                task_months = []
            progress = 0
            for month in task_months:
                if finish is not None and finish <= date(month.year, month.month, 28):
                    last = ("done", 100)
                    yield row(tid, lead, month, "done", 100, "Đã hoàn thành, có văn bản kèm theo", completed=finish)
                    break
                target = min(95, int(100 * min(1.0, (month - year_start).days / span)))
                if finish is None and due <= as_of:
                    target = min(target, rng.choice((30, 45, 60, 80)))
                if due > as_of:
                    target = min(target, int(100 * (as_of - year_start).days / span))
                progress = max(progress, target - rng.randint(0, 10))
                last = ("in_progress" if progress > 0 else "not_started", max(0, progress))
                yield row(tid, lead, month, *last, "Đang triển khai" if progress > 0 else "Chưa triển khai")
        # A coordinating agency now and then leaves a note; it never changes the status.
        if coordinating and months and rng.random() < 0.2:
            who = rng.choice(coordinating)
            month = rng.choice(months)
            yield row(tid, who, month, *last, "Đã phối hợp cung cấp thông tin, số liệu", kind="note")


def _accounts(session: Session, data: list[ProvinceData]) -> int:
    """The demo accounts (README passwords) and the demo wall-screen token, where their agencies exist."""
    by_name = {p.name: p for p in data}
    made = 0
    for username, password, role, where, full_name in DEMO_USERS:
        agency_id = province_id = None
        if where is not None:
            province = by_name.get(where[0])
            if province is None:
                continue
            if where[1] is None:  # a viewer of one province
                province_id = province.id
            else:
                agency_id = province.agencies[where[1]]
        create_user(session, SYSTEM, username, password, role, agency_id, full_name, province_id)
        made += 1
    session.add(KioskToken(name="Phòng điều hành", token_hash=token_hash(DEMO_KIOSK_TOKEN), created_by=GENERATOR))
    return made


MEASUREMENT_COLUMNS = (
    "indicator_id",
    "agency_id",
    "month",
    "numerator",
    "denominator",
    "value",
    "source",
    "recorded_at",
    "recorded_by",
    "version",
)
UPDATE_COLUMNS = (
    "task_id",
    "agency_id",
    "kind",
    "status",
    "progress",
    "note",
    "evidence_url",
    "month",
    "completed_on",
    "created_at",
    "created_by",
)


def build_store(engine: Engine, opts: Options, timer: Timer) -> tuple[list[ProvinceData], dict[str, int]]:
    """(Re)fill the app store; returns the provinces and the row counts."""
    upgrade(engine)
    _clear_store(engine, opts.force)
    timer.lap("schema + clear")
    rng = random.Random(opts.seed)
    counts: dict[str, int] = {}
    months = months_of(YEAR, opts.as_of)
    with transaction(engine) as s:
        data = _agencies(s, opts, rng)
        counts["provinces"] = len(data)
        counts["agencies"] = sum(len(p.agencies) for p in data)
        counts["communes"] = sum(len(p.communes) for p in data)
        timer.lap("provinces + agencies", f"{counts['agencies']:,} agencies, {counts['communes']:,} communes")
        counts["plans"] = len(data)
        counts["indicators"] = _plans(s, data, opts, rng)
        tasks = _tasks(s, data, opts, rng)
        counts["tasks"] = len(tasks)
        timer.lap("plans + KPIs + tasks", f"{counts['indicators']:,} KPIs, {counts['tasks']:,} tasks")
        sent = ReportCalendar(random.Random(opts.seed + 1))
        conn = s.connection()
        counts["measurements"] = copy_rows(
            conn, Measurement.__table__, MEASUREMENT_COLUMNS, measurement_rows(data, months, sent, rng)
        )
        timer.lap("measurements", f"{counts['measurements']:,} rows")
        counts["task_updates"] = copy_rows(
            conn, TaskUpdate.__table__, UPDATE_COLUMNS, task_update_rows(tasks, months, opts.as_of, sent, rng)
        )
        timer.lap("task updates", f"{counts['task_updates']:,} rows")
        latest.rebuild(s)  # loaded in bulk: every plan's kept latest reports, recent figures and receipts
        timer.lap("kept latest rows")
        counts["users"] = _accounts(s, data)
        for key, value in (
            ("dataset", "demo"),  # generated figures: the pages label them "Dữ liệu mẫu"
            ("demo_as_of", opts.as_of.isoformat()),
            ("benchmark", "national"),
            ("benchmark_seed", str(opts.seed)),
            ("benchmark_scale", f"{opts.scale:g}"),
            ("data_version", str(int(time.time()))),  # never a version a page cache has seen
            ("data_changed_at", datetime.now().isoformat(timespec="seconds")),
        ):
            set_meta(s, key, value)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    timer.lap("accounts + analyze")
    return data, counts


# ---------------------------------------------------------------------------------------------------------------
# The source database


def _spelling(rng: random.Random, name: str, kind: str) -> str:
    """How the source system writes an agency: mostly its full name, sometimes a known short spelling."""
    if rng.random() < 0.15:
        if kind == COMMUNE and name.startswith("UBND "):
            rest = name.removeprefix("UBND ")
            return rest[0].upper() + rest[1:]
        for full, _, aliases in STANDARD_AGENCIES:
            if full == name and aliases:
                return aliases[0]
    return name


def _reporters(data: list[ProvinceData]) -> list[tuple[str, str, str, str]]:
    """(plan code, headline KPI, agency spelling in the source, agency kind) for every reporter."""
    rng = random.Random(606)
    spelled: dict[int, str] = {}
    out = []
    for p in data:
        names = {aid: n for n, aid in p.agencies.items()}
        for _, kpi, _, _ in p.indicators:
            if kpi.national_code not in HEADLINE:
                continue
            for aid in p.expand(kpi.leads):
                if aid not in spelled:
                    spelled[aid] = _spelling(rng, names[aid], p.kinds[aid])
                out.append((p.plan_code, kpi.national_code, spelled[aid], p.kinds[aid]))
        # Records still filed under a district of before the 2025 merger: the refresh reports them as unknown.
        if p.id % 10 == 1:
            out.append((p.plan_code, "satisfaction", f"UBND huyện {p.name} cũ", OTHER))
    return out


def _source_sizes(
    rng: random.Random, procs: list, people: list, raters: list, n_months: int, target: int
) -> tuple[list[int], list[int], list[list[int]]]:
    """Natural sizes: procedures and staff per agency; applications (per agency and month) fill the rest of the
    target exactly."""
    n_procs = [rng.randint(60, 140) if k == COMMUNE else rng.randint(80, 260) for *_, k in procs]
    n_staff = [rng.randint(20, 60) if k == COMMUNE else rng.randint(60, 400) for *_, k in people]
    fixed = sum(n_procs) + sum(n_staff)
    if fixed > 0.3 * target:
        shrink = 0.3 * target / fixed
        n_procs = [max(1, math.floor(n * shrink)) for n in n_procs]
        n_staff = [max(1, math.floor(n * shrink)) for n in n_staff]
    weights = [rng.uniform(0.6, 1.4) * (1 if k == COMMUNE else 3) for *_, k in raters]
    remaining = max(0, target - sum(n_procs) - sum(n_staff))
    per_month = [remaining * w / (sum(weights) * n_months) for w in weights]
    n_apps = [[math.floor(x)] * n_months for x in per_month]
    short = remaining - sum(map(sum, n_apps))
    for i in range(short):  # the remainder, one by one, so the total is exact
        n_apps[i % len(n_apps)][(i // len(n_apps)) % n_months] += 1
    return n_procs, n_staff, n_apps


def _load_sources(engine: Engine, months: list[str], loads: tuple, timer: Timer) -> dict[str, int]:
    """The raw tables recreated and filled by COPY, their indexes built after the load (faster)."""
    source_meta.drop_all(engine)
    source_meta.create_all(engine)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for table in source_meta.sorted_tables:
            for index in table.indexes:
                index.drop(conn)
        counts["calendar"] = copy_rows(conn, calendar, ("month",), ((m,) for m in months))
        for table, rows in loads:
            counts[table.name] = copy_rows(conn, table, [c.name for c in table.columns], rows)
            timer.lap(f"source {table.name}", f"{counts[table.name]:,} rows")
        for table in source_meta.sorted_tables:
            for index in table.indexes:
                index.create(conn)
        create_source_indexes(conn)
    return counts


def build_sources(url: str, data: list[ProvinceData], opts: Options, timer: Timer) -> dict[str, int]:
    """(Re)create the raw tables and fill them with about ``source_records × scale`` records."""
    engine = make_engine(url, timeout_s=0)  # bulk loads may run longer than a page may
    rng = random.Random(opts.seed + 606)
    months = [m.strftime("%Y-%m") for m in months_of(YEAR, opts.as_of)]
    target = max(1_000, round(opts.source_records * opts.scale))
    reporters = _reporters(data)
    procs = [r for r in reporters if r[1] == "online_services"]
    people = [r for r in reporters if r[1] == "digital_skills"]
    raters = [r for r in reporters if r[1] == "satisfaction"]
    n_procs, n_staff, n_apps = _source_sizes(rng, procs, people, raters, len(months), target)
    pace: dict[tuple[str, str], float] = {}

    def pace_of(plan: str, agency: str) -> float:
        return pace.setdefault((plan, agency), rng.choice((1.05, 1.0, 0.97, 0.92, 0.85, 0.75)))

    proc_ids: dict[tuple[str, str], tuple[int, int]] = {}

    def procedure_rows() -> Iterator[tuple]:
        next_id = 1
        for (plan, _, agency, _), n in zip(procs, n_procs, strict=True):
            p = pace_of(plan, agency)
            proc_ids[(plan, agency)] = (next_id, n)
            for k in range(n):
                online = rng.choice(months) if rng.random() < min(0.98, 0.82 * p) else None
                yield (next_id, plan, agency, f"TTHC-{k:03d}", online)
                next_id += 1

    def application_rows() -> Iterator[tuple]:
        next_id = 1
        rand, randint = rng.random, rng.randint
        for (plan, _, agency, _), counts in zip(raters, n_apps, strict=True):
            p = 0.93 * pace_of(plan, agency)
            first, n_proc = proc_ids.get((plan, agency), (0, 0))
            for month, n in zip(months, counts, strict=True):
                for _ in range(n):
                    rating = None
                    if rand() < 0.6:  # most citizens leave no rating
                        rating = 5 if rand() < p else randint(1, 3)
                    proc = first + int(rand() * n_proc) if n_proc else None
                    yield (next_id, plan, agency, proc, month, int(rand() < 0.7), rating)
                    next_id += 1

    def staff_rows() -> Iterator[tuple]:
        next_id = 1
        for (plan, _, agency, _), n in zip(people, n_staff, strict=True):
            p = pace_of(plan, agency)
            for _ in range(n):
                trained = rng.choice(months) if rng.random() < min(1.0, 0.97 * p) else None
                yield (next_id, plan, agency, trained)
                next_id += 1

    loads = ((procedure, procedure_rows()), (application, application_rows()), (staff, staff_rows()))
    counts = _load_sources(engine, months, loads, timer)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    timer.lap("source indexes + analyze")
    engine.dispose()
    return counts


# Covering indexes for the source queries: each GROUP BY reads an index in order, with no sort and no heap.
SOURCE_INDEXES = (
    ("ix_procedure_group", "procedure", ("plan", "agency"), ("online_from",)),
    ("ix_application_group", "application", ("plan", "agency", "month"), ("rating",)),
    ("ix_staff_group", "staff", ("plan", "agency"), ("trained_month",)),
)
SATISFACTION = """
SELECT 'satisfaction' AS indicator, a.agency, a.month,
       SUM(CASE WHEN a.rating >= 4 THEN 1 ELSE 0 END) AS numerator,
       COUNT(a.rating) AS denominator, a.plan
FROM application a
WHERE a.rating IS NOT NULL
GROUP BY a.plan, a.agency, a.month
"""
# The demo's queries with the records counted per (plan, agency, month online / trained) before the calendar
# join: the same figures from a join of ~46,000 rows instead of 4.6 million.
TUNED = {
    "mot-cua-dvc": """
SELECT 'online_services' AS indicator, p.agency, c.month,
       SUM(CASE WHEN p.online_from IS NOT NULL AND p.online_from <= c.month THEN p.n ELSE 0 END) AS numerator,
       SUM(p.n) AS denominator, p.plan
FROM (SELECT plan, agency, online_from, COUNT(*) AS n FROM procedure GROUP BY plan, agency, online_from) p
CROSS JOIN calendar c
GROUP BY p.plan, p.agency, c.month
UNION ALL"""
    + SATISFACTION,
    "nhan-su": """
SELECT 'digital_skills' AS indicator, s.agency, c.month,
       SUM(CASE WHEN s.trained_month IS NOT NULL AND s.trained_month <= c.month THEN s.n ELSE 0 END) AS numerator,
       SUM(s.n) AS denominator, s.plan
FROM (SELECT plan, agency, trained_month, COUNT(*) AS n FROM staff GROUP BY plan, agency, trained_month) s
CROSS JOIN calendar c
GROUP BY s.plan, s.agency, c.month
""",
}


def create_source_indexes(conn: Connection) -> None:
    """The covering indexes (INCLUDE on PostgreSQL; the included columns last in the key elsewhere)."""
    for name, table, keys, include in SOURCE_INDEXES:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"CREATE INDEX {name} ON {table} ({', '.join(keys)}) INCLUDE ({', '.join(include)})"))
        else:
            conn.execute(text(f"CREATE INDEX {name} ON {table} ({', '.join(keys + include)})"))


def write_toml(path: Path, sources_url: str, queries: str = "tuned") -> str:
    """The sources file of the national dataset: the demo's sources (``data/sources.demo.toml``) pointed at
    ``sources_url``, with the tuned queries unless ``queries="demo"``. A URL with a password is written as
    ``${BENCH_SOURCES_URL}``."""
    url = sources_url if make_url(sources_url).password is None else "${BENCH_SOURCES_URL}"
    parts = [
        "# SQL sources of the national benchmark (written by benchmarks/national.py; see benchmarks/README.md).\n"
        f"# Queries: {queries}. Each aggregates the raw records on the source side and returns: indicator, agency,\n"
        "# month, numerator, denominator, plan.\n"
    ]
    for src in load_sources(ROOT / "data" / "sources.demo.toml"):
        query = TUNED[src.name] if queries == "tuned" else src.query
        parts.append(
            f'\n[[source]]\nname = "{src.name}"\ntitle = "{src.title}"\nurl = "{url}"\n'
            f"interval_minutes = {src.interval_minutes:g}\ntimeout_seconds = 300\n"
            f'query = """{query.rstrip()}\n"""\n'
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), encoding="utf-8")
    return url


def database_size(url: str) -> str:
    """The size of a database: pg_database_size on PostgreSQL, the file's size for SQLite."""
    engine = make_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                size = conn.scalar(select(func.pg_database_size(func.current_database())))
        else:
            size = Path(engine.url.database or "").stat().st_size
    finally:
        engine.dispose()
    return f"{size / 2**20:,.0f} MB"


def check_templates() -> None:
    """Every catalogue KPI is in the set, and each name is recognised as its national code."""
    for kpi in KPIS:
        found = classify(kpi.name)
        assert (found.code if found else None) == kpi.national_code, kpi.name
    assert {k.code for k in CATALOG} <= {k.national_code for k in KPIS}


def build(opts: Options) -> dict[str, int]:
    check_templates()
    timer = Timer()
    print(f"store   {make_url(opts.database_url).render_as_string(hide_password=True)}")
    print(f"sources {make_url(opts.sources_url).render_as_string(hide_password=True)}")
    engine = make_engine(opts.database_url, timeout_s=0)
    data, counts = build_store(engine, opts, timer)
    engine.dispose()
    raw = build_sources(opts.sources_url, data, opts, timer)
    url = write_toml(opts.toml, opts.sources_url, opts.queries)
    counts.update({f"source {k}": v for k, v in raw.items()})
    counts["source records"] = raw["procedure"] + raw["application"] + raw["staff"]
    print(f"\nbuilt in {timer.total:.1f} s; sources file {opts.toml} (url {url})")
    for key, value in counts.items():
        print(f"  {key:<22} {value:>12,}")
    print(f"  store size            {database_size(opts.database_url):>12}")
    print(f"  sources size          {database_size(opts.sources_url):>12}")
    return counts


def parse_args(argv: list[str] | None = None) -> Options:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.national", description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", required=True, help="the app store to (re)fill")
    ap.add_argument("--sources-url", required=True, help="the source database of raw records to (re)create")
    ap.add_argument("--provinces", type=int, default=34, help="how many provinces (34 real ones, then generated)")
    ap.add_argument("--seed", type=int, default=57)
    ap.add_argument("--scale", type=float, default=1.0, help="shrink communes, tasks and raw records (0.01: smoke)")
    ap.add_argument("--communes", type=int, default=None, help="communes per province (default: the real counts)")
    ap.add_argument("--tasks", type=int, default=TASKS_PER_PLAN, help="tasks per plan")
    ap.add_argument("--source-records", type=int, default=SOURCE_RECORDS, help="raw records at scale 1")
    ap.add_argument("--toml", type=Path, default=DEFAULT_TOML, help="where to write the sources file")
    ap.add_argument("--as-of", type=date.fromisoformat, default=AS_OF, help="figures and updates up to this day")
    ap.add_argument("--force", action="store_true", help="replace a store this generator did not make")
    ap.add_argument(
        "--queries", choices=("tuned", "demo"), default="tuned", help="the sources file's queries (default tuned)"
    )
    a = ap.parse_args(argv)
    if not 1 <= a.provinces <= 200 or a.scale <= 0:
        ap.error("--provinces must lie within 1..200 and --scale must be positive")
    return Options(
        a.database_url,
        a.sources_url,
        a.provinces,
        a.seed,
        a.scale,
        a.communes,
        a.tasks,
        a.source_records,
        a.toml,
        a.as_of,
        a.force,
        a.queries,
    )


def main(argv: list[str] | None = None) -> int:
    build(parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
