"""The live dashboard in real headless Chromium, with every non-loopback request aborted.

Each test opens ``streamlit run dashboard/app/page.py`` (started once per session, see
conftest) and checks the map against ``layers.build_snapshot`` of the same data.
Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from urllib.parse import urlencode, urlsplit

import pytest

from layers import LAYER_NAMES, TimeSelection, build_snapshot, load_dataset
from tests.browser import OfflinePage, open_offline_page
from tests.conftest import MALICIOUS_NAME
from tests.dashboard_page import DashboardPage

from dashboard.webmap.map_payload import count_features

OPENING_DAY = dt.date(2024, 12, 20)


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture
def offline(browser) -> Iterator[OfflinePage]:
    page = open_offline_page(browser)
    yield page
    page.page.context.close()


def open_dashboard(offline: OfflinePage, url: str) -> DashboardPage:
    dashboard = DashboardPage(offline.page)
    dashboard.open(url)
    return dashboard


def assert_clean(offline: OfflinePage, dashboard: DashboardPage) -> None:
    assert offline.blocked == [], "the page tried to leave the machine"
    assert offline.console_errors == []
    assert dashboard.script_errors() == []


def expected_counts(dataset, day: dt.date, window: int | None = 7) -> dict[str, int]:
    return count_features(build_snapshot(dataset, TimeSelection(day, window)))


def test_default_view_draws_every_site_offline(offline, dashboard_url, dataset, artifacts_dir) -> None:
    dashboard = open_dashboard(offline, dashboard_url)
    summary = dashboard.summary()
    expected = expected_counts(dataset, OPENING_DAY)
    assert summary["asOf"] == OPENING_DAY.isoformat() and summary["window"] == "7"
    assert dashboard.count(".ab-site") == len(dataset.sites) == summary["sites"]
    assert (summary["routes"], summary["flights"], summary["corridors"]) == (
        expected["route"], expected["flight"], expected["corridor"])
    assert dashboard.count(".ab-route") == expected["route"]
    assert dashboard.count("canvas") >= 1, "the Natural Earth basemap is drawn on a canvas"
    dashboard.screenshot(str(artifacts_dir / "dashboard-default.png"))
    dashboard.map_frame.locator(".ab-legend summary").click()
    assert dashboard.map_frame.locator(".ab-legend section[data-ab-layer='site']").first.is_visible()
    dashboard.screenshot(str(artifacts_dir / "dashboard-legend.png"))
    assert_clean(offline, dashboard)


def test_slider_steps_change_the_flights_as_the_data_says(offline, dashboard_url, dataset) -> None:
    dashboard = open_dashboard(offline, dashboard_url)
    dashboard.wait_until_settled()
    dashboard.focus_slider()
    fetched: list[str] = []  # a step draws from the catalogue the map holds: no file is fetched
    offline.page.on("request", lambda request: fetched.append(request.url))
    seen = set()
    day = OPENING_DAY
    for _ in range(4):
        day += dt.timedelta(days=1)
        dashboard.step_right(day)
        summary = dashboard.summary()
        expected = expected_counts(dataset, day)
        assert (summary["flights"], summary["routes"]) == (expected["flight"], expected["route"]), day
        assert dashboard.count(".ab-route") == expected["route"]
        seen.add(summary["flights"])
    assert len(seen) > 1, "four days after 20 Dec 2024 the window's flights change in the data"
    assert dashboard.date_control().get_attribute("aria-valuetext") == "Tue 24 Dec 2024"
    assert fetched == [], "Streamlit's default favicon.png was fetched again on every settled date"
    assert_clean(offline, dashboard)


PUBLISHED_DATA = ("/catalogue-", "/countries-")


def list_published_fetches(urls: list[str]) -> list[str]:
    """Return the file names of the catalogue and basemap requests among ``urls``."""
    return sorted(url.rsplit("/", 1)[1].split("-")[0] + url[url.rindex("."):]
                  for url in urls if any(part in url for part in PUBLISHED_DATA))


@pytest.mark.parametrize(("streams", "expected"), [
    (True, ["catalogue.gz", "countries.gz"]),  # the server would gzip the JSON again for every visitor
    (False, ["catalogue.json", "countries.json"]),  # a browser without DecompressionStream reads the JSON
], ids=["gzip-copies", "no-decompression-stream"])
def test_the_map_fetches_the_gzip_copies_of_its_data_where_it_can(offline, dashboard_url, dataset, streams: bool,
                                                                    expected: list[str]) -> None:
    if not streams:
        offline.page.context.add_init_script("delete window.DecompressionStream;")  # every frame, before its scripts
    requested: list[str] = []
    offline.page.on("request", lambda request: requested.append(request.url))
    dashboard = open_dashboard(offline, dashboard_url)
    assert list_published_fetches(requested) == expected
    assert dashboard.map_frame.evaluate("() => Airbridge.parts.ab.basemapState") == "ready"
    assert dashboard.summary()["sites"] == len(dataset.sites)  # drawn from the catalogue
    assert_clean(offline, dashboard)


def test_the_server_compresses_what_each_step_sends(dashboard_url) -> None:
    # A settled date re-sends the map element and the event list (~10 KB of messages);
    # .streamlit/config.toml turns on WebSocket compression, which sends about 4 KB.
    address = urlsplit(dashboard_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(("GET /_stcore/stream HTTP/1.1\r\n"
                            f"Host: {address.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                            "Sec-WebSocket-Protocol: streamlit\r\n"
                            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n").encode())
        answer = connection.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 101"), answer
    assert "sec-websocket-extensions: permessage-deflate" in answer.lower(), answer


def test_choosing_an_event_centres_the_map_on_it(offline, dashboard_url, dataset, artifacts_dir) -> None:
    dashboard = open_dashboard(offline, dashboard_url)
    before = dashboard.map_view()
    events = build_snapshot(dataset, TimeSelection(OPENING_DAY, 7)).events
    located = events[events["in_window"] & events.geometry.notna()].sort_values(["date", "id"], ascending=[False, True])
    target = located.iloc[0]
    offline.page.get_by_role("combobox", name="Centre the map on an event").click()
    offline.page.get_by_role("option").filter(has_text=target["name"][:40]).first.click()
    # Centred across, a little below the middle (room for the popup above it).
    dashboard.map_frame.wait_for_function(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); const s = window.map.getSize();"
        " return Math.abs(p.x - s.x / 2) < 3 && p.y > s.y / 2 && p.y < s.y * 0.8; }",
        arg=[target.geometry.y, target.geometry.x], timeout=15_000)
    after = dashboard.map_view()
    assert after != before and after[2] >= 7
    dashboard.screenshot(str(artifacts_dir / "dashboard-event-focus.png"))
    assert_clean(offline, dashboard)


def test_a_shared_url_reproduces_the_view(offline, dashboard_url, dataset) -> None:
    query = urlencode({"date": "2024-12-20", "window": "30", "layers": "site,event", "basemap": "natural_earth"})
    dashboard = open_dashboard(offline, f"{dashboard_url}?{query}")
    summary = dashboard.summary()
    expected = expected_counts(dataset, OPENING_DAY, 30)
    assert (summary["asOf"], summary["window"], summary["flights"]) == ("2024-12-20", "30", expected["flight"])
    assert dashboard.count(".ab-site") == len(dataset.sites)
    assert dashboard.count(".ab-flight") == 0 and dashboard.count(".ab-route") == 0, "switched off in the URL"
    assert_clean(offline, dashboard)


def test_a_malformed_date_in_the_url_shows_a_notice_and_opens_on_the_default(offline, dashboard_url) -> None:
    dashboard = open_dashboard(offline, f"{dashboard_url}?date=2024-13-45&window=9")
    alerts = offline.page.locator("[data-testid='stAlert']:visible")  # not those in folded panels
    alerts.first.wait_for()
    text = " ".join(alerts.all_inner_texts())
    assert "2024-13-45" in text and "not a date" in text and "window" in text
    assert dashboard.summary()["asOf"] == OPENING_DAY.isoformat()
    assert_clean(offline, dashboard)


def test_switching_a_layer_off_on_the_map_goes_into_the_url(offline, dashboard_url) -> None:
    dashboard = open_dashboard(offline, dashboard_url)
    frame = dashboard.map_frame
    frame.locator(".leaflet-control-layers").hover()  # a folded layer list opens on hover
    frame.get_by_label("Flights").uncheck()
    offline.page.wait_for_function(
        "(expected) => new URLSearchParams(location.search).get('layers') === expected",
        arg=",".join(name for name in LAYER_NAMES if name != "flight"), timeout=15_000)
    assert dashboard.count(".ab-flight") == 0
    assert_clean(offline, dashboard)


def test_data_text_never_runs_as_script(offline, malicious_dashboard_url, artifacts_dir) -> None:
    dashboard = open_dashboard(offline, f"{malicious_dashboard_url}?date=2024-12-26&window=7")
    frame = dashboard.map_frame
    marker = frame.locator(".ab-site", has=frame.locator(".ab-label", has_text="onerror")).first
    assert marker.locator(".ab-label").text_content() == MALICIOUS_NAME, "the label shows the name literally"
    symbol = marker.locator("svg").first  # what a user points at: its label may sit away on a leader line
    symbol.hover()
    assert MALICIOUS_NAME in frame.locator(".leaflet-tooltip").first.text_content()
    symbol.click()
    heading = frame.locator(".leaflet-popup-content h4")
    heading.wait_for()
    assert heading.text_content() == MALICIOUS_NAME
    event_titles = offline.page.locator(".ab-event-title")
    event_titles.first.wait_for()
    assert event_titles.first.text_content() == "Title " + MALICIOUS_NAME
    frame.locator(".ab-event").first.dispatch_event("click")  # the star may sit under a label
    event_popup = frame.locator(".leaflet-popup-content", has_text="Title ")
    event_popup.wait_for()
    assert "Title " + MALICIOUS_NAME in event_popup.text_content()
    dashboard.screenshot(str(artifacts_dir / "dashboard-malicious-data.png"))
    for context in (offline.page, frame):
        assert context.evaluate("() => [window.__xss, window.__xss2, window.__xss3]") == [None, None, None]
        assert context.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert_clean(offline, dashboard)


def test_play_moves_the_date_on_and_pause_stops_it(offline, dashboard_url) -> None:
    dashboard = open_dashboard(offline, f"{dashboard_url}?date=2024-12-20")
    play = dashboard.map_frame.get_by_role("button", name="Play")
    play.click()
    dashboard.wait_for_date(dt.date(2024, 12, 22))  # one day a second, in the browser
    dashboard.map_frame.get_by_role("button", name="Pause").click()
    stopped = dashboard.slider_date()
    assert dashboard.summary()["asOf"] == stopped.isoformat(), "the map is never a step behind the date"
    # Proving a negative takes a bounded wait: playing steps once a second, so a date change
    # would come within about 1 s; none in 2.5 s means the timer stopped. It returns early,
    # and fails, the moment the date moves.
    assert not dashboard.date_changes_within(stopped, timeout_ms=2_500), "the date moved on after Pause"
    offline.page.wait_for_function("(d) => new URLSearchParams(location.search).get('date') === d",
                                   arg=stopped.isoformat(), timeout=15_000)  # Python heard where it stopped
    assert_clean(offline, dashboard)


def test_play_stops_on_the_last_day_with_the_map_on_it(offline, dashboard_url, dataset) -> None:
    last = dataset.last_date.date()
    dashboard = open_dashboard(offline, f"{dashboard_url}?date={last - dt.timedelta(days=4)}")
    dashboard.map_frame.get_by_role("combobox", name="Speed").select_option("7")
    dashboard.map_frame.get_by_role("button", name="Play").click()
    dashboard.map_frame.get_by_role("button", name="Play").wait_for()  # stopped by itself
    assert dashboard.slider_date() == last and dashboard.summary()["asOf"] == last.isoformat()
    assert_clean(offline, dashboard)


WINDOW_CHOICES_SEEN = """() => [...document.querySelectorAll('[data-testid="stButtonGroup"] button')]
  .filter((button) => button.innerText.trim()).map((button) => {
  const box = button.getBoundingClientRect(), row = button.parentElement.getBoundingClientRect();
  return [button.innerText.trim(), box.left >= row.left - 1 && box.right <= row.right + 1
          && box.right <= window.innerWidth]; })"""


@pytest.mark.parametrize("width", [800, 1280])
def test_every_window_choice_is_on_screen_at_laptop_and_narrow_widths(browser, dashboard_url, artifacts_dir,
                                                                       width: int) -> None:
    # At 800 px the four choices did not fit their column, which scrolled "Cumulative" out of sight.
    offline = open_offline_page(browser, width=width)
    try:
        dashboard = open_dashboard(offline, dashboard_url)
        assert offline.page.evaluate(WINDOW_CHOICES_SEEN) == [
            ["1 day", True], ["7 days", True], ["30 days", True], ["Cumulative", True]]
        dashboard.screenshot(str(artifacts_dir / f"window-choices-{width}.png"))
    finally:
        offline.page.context.close()
