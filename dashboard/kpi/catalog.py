"""The national KPI set that almost every provincial plan carries, recognised by the KPI's wording.

A plan writes each KPI its own way; the catalogue code (``national_code``) lets the pages find the
headline KPIs of any plan and lets SQL sources report against a code that does not depend on the
plan's own numbering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.kpi.rules import is_percent
from dashboard.text import fold_key


@dataclass(frozen=True)
class CatalogKpi:
    code: str
    label_vi: str
    label_en: str
    kind: str  # "ratio" (numerator/denominator), "share" or "count"
    pattern: re.Pattern[str]


CATALOG: tuple[CatalogKpi, ...] = (
    CatalogKpi(
        "online_services",
        "DVC trực tuyến toàn trình",
        "Full online public services",
        "ratio",
        re.compile(r"dich vu cong truc tuyen toan trinh|dvc truc tuyen toan trinh"),
    ),
    CatalogKpi(
        "satisfaction",
        "Hài lòng với DVC trực tuyến",
        "Satisfaction with online services",
        "ratio",
        re.compile(r"hai long"),
    ),
    CatalogKpi(
        "digital_skills",
        "CBCCVC được đào tạo kỹ năng số",
        "Civil servants trained in digital skills",
        "ratio",
        re.compile(r"(dao tao|boi duong).*ky nang so"),
    ),
    CatalogKpi(
        "data_governance",
        "Đào tạo quản trị dữ liệu",
        "IT staff trained in data governance",
        "ratio",
        re.compile(r"quan tri du lieu"),
    ),
    CatalogKpi("coverage_5g", "Phủ sóng 5G", "5G coverage", "ratio", re.compile(r"\b5g\b")),
    CatalogKpi(
        "e_end_to_end",
        "Văn bản, hồ sơ xử lý toàn trình điện tử",
        "Documents processed end-to-end electronically",
        "ratio",
        re.compile(r"van ban.*xu ly toan trinh"),
    ),
    CatalogKpi(
        "e_files",
        "Hồ sơ công việc xử lý trên môi trường điện tử",
        "Work files processed electronically",
        "ratio",
        re.compile(r"ho so cong viec.*moi truong dien tu"),
    ),
    CatalogKpi(
        "business_online",
        "TTHC liên quan doanh nghiệp trực tuyến",
        "Business procedures online",
        "ratio",
        re.compile(r"lien quan den doanh nghiep"),
    ),
    CatalogKpi(
        "boundary_free",
        "TTHC không phụ thuộc địa giới hành chính",
        "Procedures independent of administrative boundaries",
        "ratio",
        re.compile(r"khong phu thuoc (vao )?dia gioi"),
    ),
    CatalogKpi(
        "digital_economy",
        "Kinh tế số trong GRDP",
        "Digital economy share of GRDP",
        "share",
        re.compile(r"kinh te so trong (grdp|gdp)"),
    ),
    CatalogKpi(
        "strategic_products",
        "Sản phẩm công nghệ chiến lược thương mại hóa",
        "Strategic-technology products commercialised",
        "count",
        re.compile(r"(thuong mai hoa|san pham).*cong nghe chien luoc"),
    ),
    CatalogKpi(
        "innovation_centre",
        "Trung tâm đổi mới sáng tạo",
        "Innovation and start-up centre",
        "count",
        re.compile(r"trung tam doi moi sang tao"),
    ),
)
BY_CODE = {k.code: k for k in CATALOG}
HEADLINE = ("online_services", "satisfaction", "digital_skills")


def classify(name: str) -> CatalogKpi | None:
    """The catalogue KPI a plan's KPI name stands for, if any (first match wins)."""
    key = fold_key(name)
    for kpi in CATALOG:
        if kpi.pattern.search(key):
            return kpi
    return None


def is_ratio(name: str, unit: str | None) -> bool:
    """A KPI is a numerator/denominator ratio when measured in % and not a share or a growth rate."""
    kpi = classify(name)
    if kpi is not None:
        return kpi.kind == "ratio"
    key = fold_key(name)
    return is_percent(unit) and not re.match(r"(ty trong|tang|giam)\b", key)
