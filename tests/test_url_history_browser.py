"""The address bar and the browser's history of the live map, in real Chromium (outside requests aborted).

A shared link carries the zoom, the centre and the chosen event; a slider step or a pan
replaces the history entry, a window change pushes one, and Back brings the previous
window and map view back. The extent buttons on the map frame the presets of
``layers/extents.py``. The dashboard runs as ``streamlit run`` (conftest's ``dashboard_url``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from layers import TimeSelection, build_snapshot, load_dataset
from layers.extents import EXTENT_LABELS, EXTENTS
from tests.browser import OfflinePage, open_offline_page
from tests.dashboard_page import DashboardPage

from dashboard.app.view_state import VIEW_DECIMALS, format_number

OPENING_DAY = dt.date(2024, 12, 20)
# The chosen event's popup heading, and every heading of the open popup in order.
POPUP_HEADINGS = ("() => [...document.querySelectorAll('.leaflet-popup-content h4')]"
                  ".map(h => h.textContent.trim())")
MAP_BOUNDS = ("() => { const b = window.map.getBounds();"
              " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }")


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture
def offline(browser) -> Iterator[OfflinePage]:
    page = open_offline_page(browser)
    yield page
    page.page.context.close()


def find_grouped_event(dataset, day: dt.date, window: int) -> tuple[str, str, float, float]:
    """Return (id, title, lat, lon) of an event in the window that shares its place and is not its place's newest."""
    events = build_snapshot(dataset, TimeSelection(day, window)).events
    located = events[events.geometry.notna()].copy()
    located["place"] = [(round(p.x, 4), round(p.y, 4)) for p in located.geometry]
    for _, group in located.groupby("place"):
        ordered = group.sort_values(["date", "id"], ascending=[False, False])
        in_window = ordered[ordered["in_window"]]
        if len(ordered) > 1 and len(in_window) and in_window.iloc[-1]["id"] != ordered.iloc[0]["id"]:
            row = in_window.iloc[-1]
            return str(row["id"]), str(row["name"]), float(row.geometry.y), float(row.geometry.x)
    raise AssertionError("the shipped data has a place with several events in the window")


def query_of(offline: OfflinePage) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(offline.page.url).query,
                                                         keep_blank_values=True).items()}


def history_length(offline: OfflinePage) -> int:
    return int(offline.page.evaluate("() => history.length"))


def now_ms(offline: OfflinePage) -> float:
    return float(offline.page.evaluate("() => performance.timeOrigin + performance.now()"))


def wait_for_param(offline: OfflinePage, name: str, value: str | None) -> None:
    offline.page.wait_for_function("([n, v]) => new URLSearchParams(location.search).get(n) === v",
                                   arg=[name, value], timeout=30_000)


def wait_for_url_view(offline: OfflinePage, dashboard: DashboardPage) -> None:
    """Wait until the page's URL holds the map's view (its zoom and center, as Python writes them)."""
    dashboard.map_frame.wait_for_function(
        "() => { const v = window.Airbridge.parts.describeView();"
        " const q = new URLSearchParams(window.parent.location.search);"
        " return v.zoom !== null && q.get('zoom') === v.zoom && q.get('center') === v.center; }", timeout=30_000)
    lat, lon, zoom = dashboard.map_view()
    query = query_of(offline)
    assert query["zoom"] == format_number(zoom, VIEW_DECIMALS["zoom"])
    assert query["center"] == ",".join(format_number(v, VIEW_DECIMALS["center"]) for v in (lat, lon))


def assert_clean(offline: OfflinePage, dashboard: DashboardPage) -> None:
    assert offline.blocked == [], "the page tried to leave the machine"
    assert offline.console_errors == []
    assert dashboard.script_errors() == []


def test_a_shared_link_opens_at_its_zoom_and_centre_with_the_events_own_popup(
        offline, dashboard_url, dataset, artifacts_dir) -> None:
    event_id, title, lat, lon = find_grouped_event(dataset, OPENING_DAY, 30)
    centre = (round(lat + 0.9, 4), round(lon, 4))  # the event below the middle: room for its popup above
    query = urlencode({"date": OPENING_DAY.isoformat(), "window": "30", "zoom": "7.5",
                       "center": f"{centre[0]},{centre[1]}", "event": event_id})
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{dashboard_url}?{query}")
    dashboard.map_frame.wait_for_function("() => !!document.querySelector('.leaflet-popup-content h4')",
                                          timeout=30_000)
    dashboard.wait_until_settled()
    view_lat, view_lon, zoom = dashboard.map_view()
    assert zoom == 7.5
    assert (round(view_lat, 4), round(view_lon, 4)) == centre
    headings = dashboard.map_frame.evaluate(POPUP_HEADINGS)
    assert headings[0] == title, "the chosen event's own popup comes first"
    assert len(headings) > 1, "then the other events of its place"
    assert query_of(offline)["event"] == event_id
    assert offline.page.get_by_role("combobox", name="Centre the map on an event").input_value() != ""
    dashboard.screenshot(str(artifacts_dir / "dashboard-url-shared-event.png"))
    assert_clean(offline, dashboard)


def test_a_moved_map_and_a_chosen_event_come_back_on_reload(offline, dashboard_url, dataset) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{dashboard_url}?window=30")
    frame = dashboard.map_frame
    dashboard.wait_until_settled()
    start = history_length(offline)
    since = now_ms(offline)
    frame.locator(".leaflet-control-zoom-in").click()  # a zoom and a drag, as a user moves the map
    box = frame.locator("#map_div").bounding_box()
    assert box is not None
    offline.page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.7)
    offline.page.mouse.down()
    offline.page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.6, steps=8)
    offline.page.mouse.up()
    offline.page.wait_for_function("() => new URLSearchParams(location.search).has('zoom')", timeout=30_000)
    dashboard.wait_until_idle(since)  # the run after the map's report wrote the same address
    assert history_length(offline) == start, "the script wrote the view as Python writes it: no entry pushed"
    _, title, _, _ = find_grouped_event(dataset, OPENING_DAY, 30)
    since = now_ms(offline)
    offline.page.get_by_role("combobox", name="Centre the map on an event").click()
    offline.page.get_by_role("option").filter(has_text=title[:40]).first.click()
    frame.wait_for_function("(t) => { const h = document.querySelector('.leaflet-popup-content h4');"
                            " return !!h && h.textContent.trim() === t; }", arg=title, timeout=30_000)
    dashboard.wait_until_idle(since)  # the choice's run
    wait_for_url_view(offline, dashboard)  # the view after the popup opened (and panned) is in the URL
    assert "event" in query_of(offline)
    before = dashboard.map_view()
    url = offline.page.url
    dashboard.page.goto(url)
    dashboard.wait_for_map()
    dashboard.map_frame.wait_for_function("(t) => { const h = document.querySelector('.leaflet-popup-content h4');"
                                          " return !!h && h.textContent.trim() === t; }", arg=title, timeout=30_000)
    wait_for_url_view(offline, dashboard)
    after = dashboard.map_view()
    assert after[2] == before[2]
    assert abs(after[0] - before[0]) < 2e-4 and abs(after[1] - before[1]) < 2e-4
    assert query_of(offline) == {key: values[-1] for key, values in parse_qs(urlsplit(url).query,
                                                                              keep_blank_values=True).items()}
    assert_clean(offline, dashboard)


def test_slider_steps_replace_the_history_entry_a_window_change_pushes_one_and_back_restores_it(
        offline, dashboard_url) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{dashboard_url}?date={OPENING_DAY.isoformat()}&window=7&zoom=6&center=33.5,24")
    dashboard.wait_until_settled()
    opening_view = dashboard.map_view()
    assert opening_view == (33.5, 24.0, 6.0)
    start = history_length(offline)
    dashboard.focus_slider()
    day = OPENING_DAY
    for _ in range(3):
        day += dt.timedelta(days=1)
        dashboard.step_right(day)
    wait_for_param(offline, "date", day.isoformat())
    assert history_length(offline) == start, "slider steps replace the entry"
    since = now_ms(offline)
    offline.page.get_by_role("radio", name="30 days").click()
    wait_for_param(offline, "window", "30")
    dashboard.wait_until_idle(since)
    assert history_length(offline) == start + 1, "a window change pushes an entry"
    since = now_ms(offline)
    dashboard.map_frame.locator(".leaflet-control-zoom-in").click()
    wait_for_param(offline, "zoom", "6.5")
    dashboard.wait_until_idle(since)  # the run after the map's report
    assert history_length(offline) == start + 1, "a zoom replaces the entry"
    offline.page.go_back()
    dashboard.map_frame.wait_for_function("() => window.Airbridge.summary.window === '7'", timeout=30_000)
    wait_for_param(offline, "window", "7")
    dashboard.map_frame.wait_for_function("() => window.map.getZoom() === 6", timeout=30_000)
    dashboard.wait_until_settled()
    assert dashboard.map_view() == opening_view
    assert dashboard.summary()["asOf"] == day.isoformat() and query_of(offline)["date"] == day.isoformat()
    assert offline.page.get_by_role("radio", name="7 days").get_attribute("aria-checked") == "true"
    assert_clean(offline, dashboard)


@pytest.mark.parametrize("name", ["syria", "libya"])
def test_an_extent_button_frames_its_preset(offline, dashboard_url, name: str) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(dashboard_url)
    extent = EXTENTS[name]
    dashboard.map_frame.get_by_role("button", name=EXTENT_LABELS[name], exact=True).click()
    offline.page.wait_for_function("() => new URLSearchParams(location.search).has('center')", timeout=30_000)
    west, south, east, north = dashboard.map_frame.evaluate(MAP_BOUNDS)
    assert west <= extent.west and south <= extent.south and east >= extent.east and north >= extent.north
    # Around it, not far beyond: the preset fills the map in at least one direction.
    assert (east - west) < 2.2 * (extent.east - extent.west) or (north - south) < 1.3 * (extent.north - extent.south)
    lat, lon = (float(v) for v in query_of(offline)["center"].split(","))
    assert south < lat < north and west < lon < east
    assert_clean(offline, dashboard)

