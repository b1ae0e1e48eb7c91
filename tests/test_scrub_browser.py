"""The date control draws, in the browser, exactly what Python's ``build_snapshot`` gives.

The live page runs on the shipped data with the sample ADS-B track imported (RA-82038,
Hmeimim -> al-Khadim on 26 Dec 2024, dark for 40 min), in real headless Chromium with
every outside request aborted. For many dates and every window the map is moved by its
date control's code (``Airbridge.parts.scrub``), and the features it draws are compared,
field by field with every catalogue number resolved, with the state Python encodes for
the same date and window (``map_payload.encode_state_layers``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.generate_flights import import_flights, write_flights_csv
from layers import DEFAULT_DATA_DIR, TimeSelection, build_snapshot
from layers.workspace import load_workspace_dataset
from tests.browser import OfflinePage, open_offline_page
from tests.conftest import warm_up
from tests.dashboard_page import DashboardPage
from tests.streamlit_server import run_streamlit
from tests.track_samples import import_sample_track

from dashboard.webmap.catalogue import Catalogue
from dashboard.webmap.map_contract import FEATURE_FIELDS
from dashboard.webmap.map_payload import build_catalogue, collect_catalogue_snapshots, encode_state_layers

WINDOWS = {"1": 1, "7": 7, "30": 30, "all": None}
TRACK_DAYS = [dt.date(2024, 12, 25) + dt.timedelta(days=i) for i in range(5)]  # the track is flown on the 26th
TEXT_FIELDS = {"popup", "tip", "label"}
DRAWN = """() => Object.fromEntries(Object.entries(Airbridge.parts.ab.keyed).map(([k, m]) => [k, [...m.keys()]]))"""
MOVE = "([day, window]) => { Airbridge.parts.scrub.moveTo(day, window); return Airbridge.summary && 1; }"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return import_sample_track(tmp_path_factory.mktemp("scrub") / "ws")


@pytest.fixture(scope="module")
def dataset(workspace: Path):
    return load_workspace_dataset(DEFAULT_DATA_DIR, workspace)


@pytest.fixture(scope="module")
def catalogue(dataset) -> Catalogue:
    return build_catalogue(collect_catalogue_snapshots(dataset), scrub_dataset=dataset)


@pytest.fixture(scope="module")
def scrub_url(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with run_streamlit(workspace=workspace, cache_dir=tmp_path_factory.mktemp("cache")) as url:
        warm_up(url)
        yield url


@pytest.fixture
def offline(browser) -> Iterator[OfflinePage]:
    page = open_offline_page(browser, 1280, 900)
    yield page
    page.page.context.close()


def resolve(kind: str, feature: dict[str, Any], catalogue: Catalogue) -> str:
    """Return the feature as JSON with every catalogue number replaced by what it numbers."""
    def text(ref: Any) -> Any:
        return catalogue.texts[ref] if isinstance(ref, int) else ref

    resolved = {}
    for name in FEATURE_FIELDS[kind]:
        value = feature[name]
        if name == "geom" and isinstance(value, int):
            value = catalogue.geometries[value]
        elif name == "symbol" and isinstance(value, int):
            value = catalogue.symbols[value]
        elif name in TEXT_FIELDS:  # a route's popup comes in pieces, joined as the script joins them
            value = "".join(text(ref) for ref in value) if isinstance(value, list) else text(value)
        elif name in ("popups", "tips"):
            value = [text(ref) for ref in value]
        resolved[name] = value
    return json.dumps(resolved, sort_keys=True)


def python_features(dataset, catalogue: Catalogue, day: dt.date, window: int | None) -> dict[str, list[str]]:
    layers = encode_state_layers(build_snapshot(dataset, TimeSelection(day, window)), catalogue)["layers"]
    return {kind: sorted(resolve(kind, {name: columns[name][i] for name in FEATURE_FIELDS[kind]}, catalogue)
                         for i in range(len(columns[FEATURE_FIELDS[kind][0]])))
            if columns else [] for kind, columns in layers.items()}


def browser_features(frame, catalogue: Catalogue) -> dict[str, list[str]]:
    drawn = frame.evaluate(DRAWN)
    return {kind: sorted(resolve(kind, json.loads(key), catalogue) for key in keys) for kind, keys in drawn.items()}


def describe_difference(kind: str, day: dt.date, window: str, drawn: list[str], wanted: list[str]) -> str:
    def short(item: str) -> str:
        return json.dumps({k: v for k, v in json.loads(item).items() if k not in ("popup", "popups", "symbol")})[:300]

    only_drawn = [short(i) for i in drawn if i not in wanted]
    only_python = [short(i) for i in wanted if i not in drawn]
    return f"{kind} on {day} ({window}): only drawn {only_drawn}; only in Python {only_python}"


def sample_days(dataset) -> list[dt.date]:
    first, last = dataset.first_date.date(), dataset.last_date.date()
    days = [first + dt.timedelta(days=n) for n in range(0, (last - first).days + 1, 9)]
    return sorted({*days, first, last, *TRACK_DAYS})


def test_the_map_draws_what_python_builds_for_every_window_and_many_dates(offline, scrub_url, dataset,
                                                                          catalogue) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(scrub_url)
    frame = dashboard.map_frame
    compared = 0
    kinds_seen: set[str] = set()
    for key, window in WINDOWS.items():
        for day in sample_days(dataset):
            frame.evaluate(MOVE, [day.isoformat(), key])
            expected = python_features(dataset, catalogue, day, window)
            drawn = browser_features(frame, catalogue)
            for kind, features in expected.items():
                # Drawn features are keyed by their content: a feature Python sends twice is drawn once.
                wanted = sorted(set(features))
                assert drawn.get(kind, []) == wanted, describe_difference(kind, day, key, drawn.get(kind, []), wanted)
                kinds_seen |= {kind} if features else set()
            summary = frame.evaluate("() => Airbridge.summary")
            assert (summary["asOf"], summary["window"]) == (day.isoformat(), key)
            compared += 1
    assert compared > 200
    assert {"site", "route", "flight", "event", "observation", "corridor", "circle", "track", "gap", "reach",
            "position"} <= kinds_seen
    assert dashboard.script_errors() == [] and offline.blocked == []


def test_the_date_control_is_a_slider_named_date_that_keys_move(offline, scrub_url) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{scrub_url}?date=2024-12-20&window=7")
    control = dashboard.date_control()
    assert control.get_attribute("aria-valuetext") == "Fri 20 Dec 2024"
    dashboard.focus_slider()
    dashboard.step_right(dt.date(2024, 12, 21))
    dashboard.press("ArrowLeft", dt.date(2024, 12, 20))
    dashboard.press("PageUp", dt.date(2025, 1, 19))
    dashboard.press("PageDown", dt.date(2024, 12, 20))
    assert dashboard.slider_date() == dt.date(2024, 12, 20)
    # Python heard the settled date: the URL follows it.
    offline.page.wait_for_function("() => new URLSearchParams(location.search).get('date') === '2024-12-20'")
    assert dashboard.script_errors() == [] and offline.blocked == []


def test_dragging_redraws_the_map_on_the_way(offline, scrub_url) -> None:
    dashboard = DashboardPage(offline.page)
    dashboard.open(f"{scrub_url}?date=2024-12-01&window=7")
    box = dashboard.date_control().bounding_box()
    assert box is not None
    frame = dashboard.map_frame
    frame.evaluate("() => { window.__abDates = []; const m = document.querySelector('#map_div');"
                   " new MutationObserver(() => window.__abDates.push(m.dataset.abAsOf))"
                   ".observe(m, {attributes: true, attributeFilter: ['data-ab-as-of']}); }")
    y = box["y"] + box["height"] / 2
    offline.page.mouse.move(box["x"] + box["width"] * 0.3, y)
    offline.page.mouse.down()
    for step in range(1, 11):
        offline.page.mouse.move(box["x"] + box["width"] * (0.3 + 0.03 * step), y, steps=2)
    offline.page.mouse.up()
    dates = frame.evaluate("() => window.__abDates")
    assert len(set(dates)) >= 5, "the map shows the dates the hand passes over, not only the last"


# Each route's and flight badge's Leaflet layers as drawn: their id, texts and size.
DRAWN_LAYERS = """() => { const ab = Airbridge.parts.ab; const out = [];
  ab.keyed.route.forEach((layers, key) => { const line = layers[1];
    out.push({kind: 'route', key, id: L.stamp(line), popup: line.getPopup().getContent(),
              tip: line.getTooltip().getContent(), weight: line.options.weight, halo: layers[0].options.weight,
              dash: line.options.dashArray}); });
  ab.keyed.flight.forEach((layers, key) => { const marker = layers[0]; const element = marker.getElement();
    out.push({kind: 'flight', key, id: L.stamp(marker), popup: marker.getPopup().getContent(),
              tip: marker.getTooltip().getContent(), badge: element ? element.textContent : null}); });
  return out; }"""


@pytest.fixture(scope="module")
def busy_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Where legs carry a few flights a day, their counts (route widths, badge numbers)
    # change from one day to the next: 400 SYNTHETIC records (bench/generate_flights.py).
    folder = tmp_path_factory.mktemp("busy")
    import_flights(write_flights_csv(folder / "synthetic-flights-400.csv", 400), folder / "ws")
    return folder / "ws"


@pytest.fixture(scope="module")
def busy_url(busy_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with run_streamlit(workspace=busy_workspace, cache_dir=tmp_path_factory.mktemp("busy-cache")) as url:
        warm_up(url)
        yield url


def test_a_route_or_badge_whose_count_changes_is_redrawn_in_place_with_the_dates_texts(offline, busy_url,
                                                                                       busy_workspace) -> None:
    # The same layers refreshed, not rebuilt (a drag with 10,000 records spent most of a
    # date removing and adding them); what they show is what their feature says, and the
    # features are Python's (test above).
    dataset = load_workspace_dataset(DEFAULT_DATA_DIR, busy_workspace)
    catalogue = build_catalogue(collect_catalogue_snapshots(dataset), scrub_dataset=dataset)

    def text(ref: Any) -> str:
        return catalogue.texts[ref] if isinstance(ref, int) else ref

    dashboard = DashboardPage(offline.page)
    dashboard.open(busy_url)
    frame = dashboard.map_frame
    keys_by_id: dict[int, str] = {}
    refreshed = {"route": 0, "flight": 0}
    for day in (dt.date(2025, 2, 1) + dt.timedelta(days=n) for n in range(20)):
        frame.evaluate(MOVE, [day.isoformat(), "7"])
        for drawn in frame.evaluate(DRAWN_LAYERS):
            feature = json.loads(drawn["key"])
            if drawn["kind"] == "route":
                assert drawn["popup"] == "".join(text(ref) for ref in feature["popup"]), day
                assert drawn["tip"] == text(feature["tip"]), day
                assert (drawn["weight"], drawn["halo"], drawn["dash"]) == (
                    feature["width"], feature["width"] + 3, feature["dash"]), day
            else:
                tips = [text(ref) for ref in feature["tips"]]
                assert drawn["badge"] == str(len(feature["popups"])), day
                assert drawn["popup"] == '<hr class="ab-sep">'.join(text(ref) for ref in feature["popups"]), day
                assert drawn["tip"] == "<br>".join(tips[:7]) + ("<br>…" if len(tips) > 7 else ""), day
            if keys_by_id.get(drawn["id"], drawn["key"]) != drawn["key"]:
                refreshed[drawn["kind"]] += 1  # the same layer, now showing another count
            keys_by_id[drawn["id"]] = drawn["key"]
    assert refreshed["route"] > 5 and refreshed["flight"] > 5, refreshed
    assert dashboard.script_errors() == [] and offline.blocked == []
