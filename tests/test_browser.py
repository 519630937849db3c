"""The first page in a real headless Chromium (dash[testing]), failing on any console error."""

from datetime import date
from pathlib import Path

import pytest

from dashboard.config import Config
from webapp import create_app

pytestmark = pytest.mark.browser


def test_first_page_in_the_browser(dash_duo, tmp_path: Path) -> None:  # noqa: ANN001
    config = Config(database_url=f"sqlite:///{tmp_path / 'b.db'}", secret_key="test", today=date(2026, 11, 27))
    app = create_app(config)
    dash_duo.start_server(app)
    dash_duo.wait_for_text_to_equal("#demo-label", "Dữ liệu mẫu (demo) · đến ngày 27/11/2026", timeout=20)
    cards = dash_duo.find_elements("#plan-cards .card")
    assert len(cards) == 3
    dash_duo.wait_for_contains_text("#home-detail", "Nhiệm vụ (136)", timeout=20)
    assert len(dash_duo.find_elements("#task-table tbody tr")) == 136
    dash_duo.select_dcc_dropdown("#plan-select", index=2)
    dash_duo.wait_for_contains_text("#home-detail", "Nhiệm vụ (56)", timeout=20)
    assert len(dash_duo.find_elements("#task-table tbody tr")) == 56
    assert dash_duo.find_element("#no-kpis").text == "Kế hoạch này không có bảng chỉ tiêu."
    assert dash_duo.get_logs() == []
