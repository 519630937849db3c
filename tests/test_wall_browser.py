"""The wall screen in headless Chromium: it pages through every red flag, sizes its text from the screen and
never scrolls (split from test_pages_browser so that the two test processes share the browser work)."""

import time

import pytest
from demo_copy import demo_url
from test_pages_browser import TN, TODAY, core, no_console_errors

from dashboard.config import Config
from dashboard.kpi import red_flags as rf
from dashboard.reads.page_data import flag_counts
from dashboard.store.database import make_engine
from webapp import create_app

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(tmp_path):  # noqa: ANN001, ANN201
    url = demo_url(tmp_path, "demo.db")
    app = create_app(Config(database_url=url, secret_key="test", today=TODAY, demo_source_scale=0.05))
    return app, make_engine(url)


WATCH_FLAG_PAGES = """
window.wallSeen = {titles: {}, pages: {}, most: 0};
function record() {
  var list = document.getElementById('wall-flag-list');
  if (!list) { return; }
  list.querySelectorAll('.wall-flag-page:not(.wall-hidden)').forEach(function (page) {
    if (!page.getClientRects().length) { return; }  // its view is not on screen
    var titles = page.querySelectorAll('.wall-flag-title');
    window.wallSeen.most = Math.max(window.wallSeen.most, titles.length);
    window.wallSeen.pages[Array.prototype.indexOf.call(list.children, page)] = true;
    titles.forEach(function (e) { window.wallSeen.titles[e.textContent] = true; });
  });
}
record();
// a page turns, or its view comes on screen (the view's own class changes after its first page's)
if (!window.wallWatch) {
  window.wallWatch = new MutationObserver(function () { record(); });
  window.wallWatch.observe(document.getElementById('wall-root'),
                           {attributes: true, subtree: true, attributeFilter: ['class']});
}
var name = document.getElementById('wall-view-name');
return name ? name.textContent : '';
"""


SMALLEST_WALL_TEXT = """
var scale = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--wall-scale')) || 1;
var sizes = [];
document.querySelectorAll('#wall-root *').forEach(function (el) {
  if (!el.getClientRects().length) { return; }
  var own = Array.prototype.some.call(el.childNodes, function (n) {
    return n.nodeType === 3 && n.textContent.trim();
  });
  if (own) { sizes.push([parseFloat(getComputedStyle(el).fontSize) * scale, el.textContent.trim().slice(0, 40)]); }
});
sizes.sort(function (a, b) { return a[0] - b[0]; });
return [scale, sizes.slice(0, 3), document.documentElement.scrollHeight > window.innerHeight];
"""


@pytest.mark.parametrize(
    ("width", "height", "smallest"),
    [(1920, 1080, 28), (3840, 2160, 56), (390, 844, None)],
    ids=["1080p", "4k", "phone"],
)
def test_the_wall_shows_every_flag_in_one_rotation_sized_from_the_screen(
    dash_duo,  # noqa: ANN001
    demo,  # noqa: ANN001
    width: int,
    height: int,
    smallest: int | None,
) -> None:
    """On a 1080p TV, a 4K TV and a phone, within one rotation: every red flag is on screen (five at most at a
    time), the tiles add up to the flag count, nothing scrolls, and every text the wall shows, chart text
    included, is at least 28 px on the 1080p screen and twice that on the 4K one, in each of its views."""
    app, engine = demo
    dash_duo.start_server(app, navigate=False)
    # the screen itself, as a TV in kiosk mode shows the page: no window frame takes a part of it
    phone = width < 768
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 3 if phone else 1, "mobile": phone},
    )
    dash_duo.driver.get(dash_duo.server.url + f"/wall?token=man-hinh-demo-2026&plan={TN}&rotate=2")
    dash_duo.wait_for_element("#wall-root", timeout=30)
    # The flags view turns its pages within the rotation: every flag is on screen before the next view. The
    # page itself records what it shows (a poll from the test can miss a two-second page on a loaded machine),
    # from the first view on, so no page of the flags view has been shown yet.
    if dash_duo.driver.execute_script(WATCH_FLAG_PAGES) != "Tổng quan":
        # a slow start let the rotation pass the flags already: watch from the view before them next time
        dash_duo.wait_for_text_to_equal("#wall-view-name", "Xếp hạng đơn vị", timeout=60)
        dash_duo.driver.execute_script(WATCH_FLAG_PAGES)
    inner = dash_duo.driver.execute_script("return [window.innerWidth, window.innerHeight]")
    assert inner == [width, height]
    _, flags, _ = core(engine, TN)
    counts = flag_counts(flags)
    dash_duo.wait_for_element("#wall-gauge-online_services .indicatorlayer .trace", timeout=30)
    # textContent: on a slow machine the two-second rotation may already have hidden the view
    overdue = dash_duo.driver.execute_script("return document.getElementById('wall-count-overdue').textContent")
    assert overdue == str(counts["overdue"])
    tiles = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('[id^=wall-count-]')).map(e => +e.textContent)"
    )
    assert len(tiles) == len(rf.KINDS) and sum(tiles) == len(flags) > 10  # every kind has a tile, "06 rõ" too
    measured: dict = {}
    views = ("Tổng quan", "Cảnh báo", "Tiến độ theo quý", "Xếp hạng đơn vị")
    deadline = time.time() + 90
    # each view as it comes round (the overview may have gone by before the charts drew: it follows the ranking)
    while set(measured) != set(views) and time.time() < deadline:
        view = dash_duo.find_element("#wall-view-name").text
        if view in views and view not in measured:
            time.sleep(0.5)  # the view's charts draw
            scale, sizes, scrolls = dash_duo.driver.execute_script(SMALLEST_WALL_TEXT)
            assert abs(scale - min(inner[0] / 1920, inner[1] / 1080)) < 0.01
            assert not scrolls, view
            measured[view] = sizes[0]
        time.sleep(0.2)
    seen = dash_duo.driver.execute_script("return window.wallSeen")
    assert set(seen["titles"]) == {fl.title for fl in flags} and len(seen["pages"]) > 2 and seen["most"] <= 5
    assert set(measured) == set(views), measured
    if smallest is not None:
        assert all(size >= smallest - 0.5 for size, _ in measured.values()), measured
    assert dash_duo.find_elements("#wall-ranking-table tbody tr")  # drawn, though the overview may be showing
    clock = dash_duo.find_element("#wall-clock-text").text
    assert clock.endswith(TODAY.strftime("%d/%m/%Y")) or "/" in clock
    root = dash_duo.driver.execute_script(
        "var r = document.getElementById('wall-root'); return [r.scrollHeight, r.clientHeight];"
    )
    assert root[0] <= root[1]  # nothing cut off at the bottom
    assert "wall-hidden" in dash_duo.find_element("#wall-stale").get_attribute("class")
    no_console_errors(dash_duo)
