"""What the map's script draws: a catalogue sent once, and a small state for each date.

A slider step must not re-send popups, sources and geometries that the browser already
has (the sites' popups alone are about 40 KB on the shipped data). So the map data is
split in two:

* the **catalogue** (``dashboard.webmap.catalogue``): every geometry, popup and tooltip
  text and site symbol that the map can show on any date of the data, numbered. The live
  page publishes it once as a static JSON file; the standalone HTML export embeds it.
* the **state** of one date and window: for each layer, its features as named columns
  that refer to catalogue entries by number, plus what changes with the date (status
  symbol, route width, events in the window). A text or geometry missing from the
  catalogue is sent inline instead of its number, so a state is always complete.

Every field name of both is declared once, in ``dashboard.webmap.map_contract``, and the
script reads the same names (``tests/test_map_contract.py`` checks it). Layers are
columnar, so a name travels once per layer, not once per feature; see ``map_contract``
for the layout and the meaning of each field.

Every HTML text comes from ``dashboard.webmap.popups`` (escaped there); every symbol from
``dashboard.webmap.symbols``. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from shapely.geometry.base import BaseGeometry

from layers import LAYER_NAMES, Dataset, Snapshot, TimeSelection, build_snapshot
from layers.escaping import dump_script_json
from layers.features import build_corridor_layer, build_site_layer
from layers.names import shorten_site_name
from layers.route_ends import split_route_line
from layers.style import CONFIDENCE_MARKS, ROUTE_STYLES, choose_actor_mark, dash_pattern, route_width
from layers.timeline import list_status_change_days

from dashboard.webmap.catalogue import Catalogue, CatalogueBuilder, InlineReferences, References, StateReferences
from dashboard.webmap.coordinates import POINT_DECIMALS, encode_lines, encode_point, iter_features
from dashboard.webmap.legend import build_legend_html
from dashboard.webmap.map_contract import (
    FEATURE_TYPES,
    CorridorFeature,
    DateState,
    Feature,
    MapView,
    RouteFeature,
    SiteFeature,
    encode_columns,
)
from dashboard.webmap.measure_tools import ToolTable, build_tool_table
from dashboard.webmap.place_features import (
    GROUP_NOUNS,
    LABEL_RANK_BUSY,
    Circles,
    add_circle,
    compact_number,
    encode_event_group,
    encode_flight_group,
    encode_observation_group,
    group_by_place,
)
from dashboard.webmap.popups import (
    build_group_tooltip,
    build_map_caption,
    build_popup,
    build_route_popup_parts,
    build_tooltip,
    escape_text,
)
from dashboard.webmap.scrub_index import build_scrub_index
from dashboard.webmap.symbols import build_site_symbol, build_site_symbol_key
from dashboard.webmap.track_payload import encode_track_features

__all__ = [  # Catalogue and dump_script_json stay importable from here, where callers import them
    "Catalogue", "Focus", "attach_view", "build_catalogue", "build_map_state", "collect_catalogue_snapshots",
    "count_features", "dump_script_json", "encode_layers", "encode_lines", "encode_point", "encode_state_layers",
]

FOCUS_ZOOM = 7
# Label priority of a site (lower is more important, placed first when labels collide; a busy
# site, an end of a route or flight in the window, has place_features.LABEL_RANK_BUSY).
STATUS_LABEL_RANK = {"active": 1, "reported": 1, "suspended": 1, "drawdown": 1, "withdrawn": 2, "captured": 2,
                     "not_reported": 3}
OTHER_ACTOR_LABEL_RANK = 2  # another actor's site is labelled as a site Russia left, not as a Russian one


@dataclass(frozen=True)
class Focus:
    """What the map should show once, with a number that changes per request.

    An event (its place ``lat``, ``lon`` and its own ``popup`` HTML, opened first), a map
    view (``centre`` (lat, lon) at exactly ``zoom``), or both (a shared URL). With neither,
    the map goes back to its opening extent (Back to an address without a view).
    """

    lat: float | None = None
    lon: float | None = None
    zoom: float = FOCUS_ZOOM
    request: int = 0
    popup: str | None = None
    centre: tuple[float, float] | None = None


def build_catalogue(snapshots: Iterable[Snapshot], scrub_dataset: Dataset | None = None) -> Catalogue:
    """Return the catalogue of everything the given snapshots show.

    Parameters
    ----------
    snapshots : iterable of Snapshot
        For the live page, :func:`collect_catalogue_snapshots` of the dataset; for a
        standalone map, the one snapshot it shows.
    scrub_dataset : Dataset, optional
        The live page's data: the catalogue then carries its scrub index
        (:func:`dashboard.webmap.scrub_index.build_scrub_index`), so the browser draws any date.
    """
    builder = CatalogueBuilder()
    tools: ToolTable | None = None
    for snapshot in snapshots:
        tools = tools or build_tool_table(snapshot.sites)  # every snapshot holds every site
        layers = encode_layers(snapshot, builder)
        for kind, noun in GROUP_NOUNS.items():
            # A window shows part of a place's group: its heading may count any smaller number.
            largest = max((len(popups) for popups in layers[kind].get("popups", [])), default=0)
            for count in range(2, largest):
                builder.text(build_group_tooltip(count, noun))
    scrub = build_scrub_index(scrub_dataset, builder) if scrub_dataset is not None else None
    return builder.build(build_legend_html(), scrub, dict(tools) if tools else None)


def collect_catalogue_snapshots(dataset: Dataset) -> Iterator[Snapshot]:
    """Yield snapshots that together show every state a date in the data can show.

    The cumulative snapshot on the last date holds every flight, route leg and event. A
    site's status changes only on its timeline dates and a corridor is the same whenever
    it is shown, so a second snapshot holds each site once per status in force on some
    date of the data, and each corridor once. That one is a catalogue, never drawn.
    """
    first, last = dataset.first_date.date(), dataset.last_date.date()
    cumulative = build_snapshot(dataset, TimeSelection(last, None))
    yield cumulative
    changes = list_status_change_days(dataset.site_status)
    status_days = sorted({first} | {d for d in changes if first < d <= last})
    sites = pd.concat([build_site_layer(dataset, TimeSelection(day, 1)) for day in status_days])
    sites = sites.drop_duplicates(subset=["id", "status", "status_date", "status_note", "status_stale",
                                          "status_pending_date"])
    corridor_days = sorted({first} | {d.date() for d in dataset.corridors["valid_from"].dropna()
                                      if first < d.date() <= last})
    corridors = pd.concat([build_corridor_layer(dataset, TimeSelection(day, 1)) for day in corridor_days])
    corridors = corridors.drop_duplicates(subset=["id"])
    yield Snapshot(selection=TimeSelection(last, None), sites=sites, routes=cumulative.routes.iloc[0:0],
                   flights=cumulative.flights.iloc[0:0], corridors=corridors, events=cumulative.events.iloc[0:0])


def build_map_state(snapshot: Snapshot, catalogue: Catalogue | None, *, visible_layers: Iterable[str] = LAYER_NAMES,
                    basemap: str, focus: Focus | None = None) -> dict[str, Any]:
    """Return the state the map draws for ``snapshot``.

    Parameters
    ----------
    snapshot : Snapshot
        The layers on the date.
    catalogue : Catalogue or None
        What the browser already holds: the state refers to its entries by number and
        sends only what it lacks. None sends every text, geometry and symbol inline (the
        browser still needs a catalogue for the legend and the event stars).
    visible_layers : iterable of str
        The layers switched on.
    basemap : str
        Key of the base layer to show.
    focus : Focus, optional
        A point to centre on (an event chosen in the list).
    """
    state = encode_state_layers(snapshot, catalogue)
    return attach_view(state, visible_layers=visible_layers, basemap=basemap, focus=focus, catalogue=catalogue)


def encode_state_layers(snapshot: Snapshot, catalogue: Catalogue | None) -> dict[str, Any]:
    """Return the date-dependent part of a state (:class:`~dashboard.webmap.map_contract.DateState`).

    Parameters
    ----------
    snapshot : Snapshot
        The layers on the date.
    catalogue : Catalogue or None
        The catalogue to refer to; None sends everything inline.
    """
    references: References = InlineReferences() if catalogue is None else StateReferences(catalogue)
    selection = snapshot.selection
    state: DateState = {
        "asOf": selection.as_of.isoformat(), "window": selection.window_days,
        "caption": build_map_caption(selection.as_of, selection.window_days, selection.start),
        "layers": encode_layers(snapshot, references),
    }
    return dict(state)  # a plain dict: callers cache it and add the view to it


def attach_view(state: Mapping[str, Any], *, visible_layers: Iterable[str], basemap: str,
                focus: Focus | None = None, catalogue: Catalogue | None = None) -> dict[str, Any]:
    """Return ``state`` with the visible layers, basemap and focus of the view added.

    The focus names its point (and so the event marker to open) by the point's reference
    in ``catalogue``, as the event's ``geom``; without a catalogue, by the point itself.

    Raises
    ------
    ValueError
        If a layer name is unknown.
    """
    visible = [name for name in LAYER_NAMES if name in set(visible_layers)]
    unknown = set(visible_layers) - set(LAYER_NAMES)
    if unknown:
        raise ValueError(f"unknown layers {sorted(unknown)}: use {', '.join(LAYER_NAMES)}")
    view: MapView = {"visible": visible, "basemap": basemap}
    if focus is not None:
        references: References = InlineReferences() if catalogue is None else StateReferences(catalogue)
        point = (None if focus.lat is None or focus.lon is None
                 else [round(focus.lon, POINT_DECIMALS), round(focus.lat, POINT_DECIMALS)])
        view["focus"] = {
            "geom": references.geometry(point) if point is not None else None,
            "popup": references.text(focus.popup) if focus.popup is not None and point is not None else None,
            "centre": [focus.centre[1], focus.centre[0]] if focus.centre is not None else None,
            "zoom": compact_number(float(focus.zoom)), "request": focus.request}
    return {**state, **view}


def count_features(snapshot: Snapshot) -> dict[str, int]:
    """Return how many features of each layer the map draws (those with a geometry)."""
    return {name: int(frame.geometry.notna().sum() - frame.geometry.is_empty.sum()) if len(frame) else 0
            for name, frame in snapshot.layers().items()}


def encode_layers(snapshot: Snapshot, refs: References) -> dict[str, dict[str, list[Any]]]:
    """Return the layers of ``snapshot`` as named columns, referring through ``refs``.

    Kinds and fields are those of ``dashboard.webmap.map_contract.FEATURE_TYPES``. Flights
    and events are grouped by place (one badge or star per point); circles are the
    uncertainty circles of the places that routes, flights and events name only roughly;
    the ADS-B layers are encoded by :func:`dashboard.webmap.track_payload.encode_track_features`.
    """
    busy = _list_busy_sites(snapshot)
    circles: Circles = {}
    features: dict[str, list[Feature]] = {kind: [] for kind in FEATURE_TYPES}
    for props, geometry in iter_features(snapshot.sites):
        mark = choose_actor_mark(props["status"], props.get("status_actor"))  # another actor's row: drawn apart
        grade = props.get("status_confidence") if props.get("status_confidence") in CONFIDENCE_MARKS else None
        stale = bool(props.get("status_stale"))
        key = build_site_symbol_key(props["kind"], props["group"], props["status"], mark, grade=grade, stale=stale)
        features["site"].append(SiteFeature(
            geom=refs.geometry(encode_point(geometry)), popup=refs.text(build_popup(props)),
            tip=refs.text(build_tooltip(props)), label=refs.text(escape_text(shorten_site_name(str(props["name"])))),
            symbol=refs.symbol(key, build_site_symbol(props["kind"], props["group"], props["status"], mark=mark,
                                                      grade=grade, stale=stale)),
            rank=LABEL_RANK_BUSY if props["id"] in busy else max(STATUS_LABEL_RANK.get(props["status"], 3),
                                                                  OTHER_ACTOR_LABEL_RANK if mark else 0)))
    routes = sorted(iter_features(snapshot.routes), key=lambda item: -int(item[0]["flights"]))
    for props, geometry in routes:  # thick lines first, so thin ones stay on top
        features["route"].append(encode_route(props, geometry, refs, circles))
    features["flight"].extend(encode_flight_group(group, refs, circles)
                              for group in group_by_place(iter_features(snapshot.flights)))
    features["event"].extend(encode_event_group(group, refs, circles)
                             for group in group_by_place(iter_features(snapshot.events), newest_first=True))
    features["observation"].extend(encode_observation_group(group, refs, circles)
                                   for group in group_by_place(iter_features(snapshot.observations), newest_first=True))
    for props, geometry in iter_features(snapshot.corridors):
        features["corridor"].append(CorridorFeature(
            geom=refs.geometry(encode_lines(geometry)), popup=refs.text(build_popup(props)),
            tip=refs.text(build_tooltip(props))))
    features["circle"].extend(circles.values())
    features.update(encode_track_features(snapshot, refs))
    return {kind: encode_columns(kind, items) for kind, items in features.items()}


def encode_route(props: dict[str, Any], geometry: BaseGeometry, refs: References,
                 circles: Circles) -> RouteFeature:
    """Return the feature of one route leg (a row of ``layers.build_route_layer``); add its ends' circles.

    ``circles`` gathers the uncertainty circles of the map (one per place and layer).
    """
    width = compact_number(round(route_width(int(props["flights"])), 1))
    # The line stops at the edge of an uncertain end's area; its last stretch there is
    # drawn apart, dashed and faded (layers/route_ends.py, layers/route_marks.py).
    parts = split_route_line(geometry, bool(props["from_uncertain"]), bool(props["to_uncertain"]))
    stubs = [line for stub in parts.uncertain for line in encode_lines(stub)]
    feature = RouteFeature(
        geom=refs.geometry(encode_lines(parts.certain)),
        popup=[refs.text(piece) for piece in build_route_popup_parts(props)],
        tip=refs.text(build_tooltip(props)), kind=props["record_type"], width=width,
        dash=dash_pattern(ROUTE_STYLES[props["record_type"]], width),
        stubs=refs.geometry(stubs) if stubs else None, unstated=int(props["reports_unstated"] or 0) > 0)
    for end in ("from", "to"):  # the circle is centred on the place, not where the line stops
        add_circle(circles, refs, (float(props[f"{end}_lon"]), float(props[f"{end}_lat"])),
                   props.get(f"{end}_radius_km"), props[f"{end}_name"], layer="route")
    return feature


def _list_busy_sites(snapshot: Snapshot) -> set[str]:
    busy: set[str] = set()
    if not snapshot.routes.empty:
        busy |= set(snapshot.routes["from_id"]) | set(snapshot.routes["to_id"])
    if not snapshot.flights.empty:
        for column in ("origin", "destination"):
            busy |= {v for v in snapshot.flights[column] if isinstance(v, str)}
    return busy
