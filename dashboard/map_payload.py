"""What the map's script draws: a catalogue sent once, and a small state for each date.

A slider step must not re-send popups, sources and geometries that the browser already
has (the sites' popups alone are about 40 KB on the shipped data). So the map data is
split in two:

* the **catalogue**: every geometry, popup and tooltip text and site symbol that the map
  can show on any date of the data, numbered. The live page publishes it once as a static
  JSON file; the standalone HTML export embeds it.
* the **state** of one date and window: for each layer, one small array per feature that
  refers to catalogue entries by number, plus what changes with the date (status symbol,
  route width, counts). A text or geometry missing from the catalogue is sent inline
  instead of its number, so a state is always complete.

Every HTML text comes from ``dashboard.popups`` (escaped there); every symbol from
``dashboard.symbols``. No Streamlit here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from layers import LAYER_NAMES, Dataset, Snapshot, TimeSelection, build_snapshot
from layers.escaping import dump_script_json
from layers.features import build_corridor_layer, build_site_layer
from layers.style import ROUTE_STYLES, dash_pattern, route_width

from dashboard.export.labels import shorten_site_name
from dashboard.legend import build_legend_html
from dashboard.popups import build_group_tooltip, build_map_caption, build_popup, build_tooltip, build_uncertainty_tooltip, escape_text
from dashboard.symbols import build_event_symbol, build_site_symbol

STATE_VERSION = 1
POINT_DECIMALS = 4  # about 10 m
LINE_DECIMALS = 3  # about 100 m; route vertices are 100 km apart
FOCUS_ZOOM = 7
# Label priority of a site (lower is more important, placed first when labels collide).
LABEL_RANK_BUSY = 0  # an end of a route or flight in the window
STATUS_LABEL_RANK = {"active": 1, "reported": 1, "suspended": 1, "drawdown": 1, "withdrawn": 2, "captured": 2,
                     "not_reported": 3}

Geometry = list  # [lon, lat] for a point; [[[lon, lat], ...], ...] for lines


class References(Protocol):
    """How encoded features refer to texts, geometries and symbols."""

    def text(self, html: str) -> int | str:
        """Return the number of ``html`` in the catalogue, or the text itself."""

    def geometry(self, coords: Geometry) -> int | Geometry:
        """Return the number of ``coords`` in the catalogue, or the coordinates themselves."""

    def symbol(self, key: str, svg: str) -> int | str:
        """Return the number of the symbol ``key`` (drawn as ``svg``) in the catalogue, or the SVG."""


@dataclass
class CatalogueBuilder:
    """Collects texts, geometries and symbols, numbering each distinct one once."""

    texts: list[str] = field(default_factory=list)
    geometries: list[Geometry] = field(default_factory=list)
    symbols: list[str] = field(default_factory=list)
    _text_numbers: dict[str, int] = field(default_factory=dict)
    _geometry_numbers: dict[str, int] = field(default_factory=dict)
    _symbol_numbers: dict[str, int] = field(default_factory=dict)

    def text(self, html: str) -> int:
        """Add ``html`` if new; return its number."""
        if html not in self._text_numbers:
            self._text_numbers[html] = len(self.texts)
            self.texts.append(html)
        return self._text_numbers[html]

    def geometry(self, coords: Geometry) -> int:
        """Add the coordinates if new; return their number."""
        key = json.dumps(coords)
        if key not in self._geometry_numbers:
            self._geometry_numbers[key] = len(self.geometries)
            self.geometries.append(coords)
        return self._geometry_numbers[key]

    def symbol(self, key: str, svg: str) -> int:
        """Add the symbol if new; return its number."""
        if key not in self._symbol_numbers:
            self._symbol_numbers[key] = len(self.symbols)
            self.symbols.append(svg)
        return self._symbol_numbers[key]

    def build(self, legend_html: str) -> Catalogue:
        """Return the finished, immutable catalogue."""
        return Catalogue(tuple(self.texts), tuple(self.geometries), tuple(self.symbols), legend_html,
                         dict(self._text_numbers), dict(self._geometry_numbers), dict(self._symbol_numbers))


@dataclass(frozen=True)
class Catalogue:
    """Numbered texts (escaped HTML), geometries and site symbols, plus the legend."""

    texts: tuple[str, ...]
    geometries: tuple[Geometry, ...]
    symbols: tuple[str, ...]
    legend: str
    text_numbers: Mapping[str, int]
    geometry_numbers: Mapping[str, int]
    symbol_numbers: Mapping[str, int]

    def to_payload(self) -> dict[str, Any]:
        """Return the JSON-ready catalogue the map's script reads."""
        return {"version": STATE_VERSION, "texts": list(self.texts), "geoms": list(self.geometries),
                "symbols": list(self.symbols), "legend": self.legend,
                "stars": {"in": build_event_symbol(True), "out": build_event_symbol(False)}}

    def to_json(self) -> str:
        """Return the catalogue as compact JSON (safe to embed in a script element)."""
        return dump_script_json(self.to_payload())


@dataclass(frozen=True)
class StateReferences:
    """References into a finished catalogue; anything missing is sent inline."""

    catalogue: Catalogue

    def text(self, html: str) -> int | str:
        """Return the catalogue number of ``html``, or ``html`` itself."""
        return self.catalogue.text_numbers.get(html, html)

    def geometry(self, coords: Geometry) -> int | Geometry:
        """Return the catalogue number of the coordinates, or the coordinates themselves."""
        return self.catalogue.geometry_numbers.get(json.dumps(coords), coords)

    def symbol(self, key: str, svg: str) -> int | str:
        """Return the catalogue number of the symbol ``key``, or its SVG."""
        return self.catalogue.symbol_numbers.get(key, svg)


@dataclass(frozen=True)
class Focus:
    """Where the map should centre once: a point, a zoom, and a number that changes per request."""

    lat: float
    lon: float
    zoom: int = FOCUS_ZOOM
    request: int = 0


def build_catalogue(snapshots: Iterable[Snapshot]) -> Catalogue:
    """Return the catalogue of everything the given snapshots show.

    Parameters
    ----------
    snapshots : iterable of Snapshot
        For the live page, :func:`collect_catalogue_snapshots` of the dataset; for a
        standalone map, the one snapshot it shows.
    """
    builder = CatalogueBuilder()
    for snapshot in snapshots:
        encode_layers(snapshot, builder)
    return builder.build(build_legend_html())


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
    starts = {d.date() for d in dataset.site_status["start"]}
    status_days = sorted({first} | {d for d in starts if first < d <= last})
    sites = pd.concat([build_site_layer(dataset, TimeSelection(day, 1)) for day in status_days])
    sites = sites.drop_duplicates(subset=["id", "status", "status_date", "status_note"])
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
        What the browser already holds; None sends everything inline.
    visible_layers : iterable of str
        The layers switched on.
    basemap : str
        Key of the base layer to show.
    focus : Focus, optional
        A point to centre on (an event chosen in the list).
    """
    if catalogue is None:
        catalogue = build_catalogue([snapshot])
    state = encode_state_layers(snapshot, catalogue)
    return attach_view(state, visible_layers=visible_layers, basemap=basemap, focus=focus, catalogue=catalogue)


def encode_state_layers(snapshot: Snapshot, catalogue: Catalogue | None) -> dict[str, Any]:
    """Return the date-dependent part of a state (layers, counts), for caching per date."""
    if catalogue is None:
        catalogue = build_catalogue([snapshot])
    references = StateReferences(catalogue)
    layers = encode_layers(snapshot, references)
    selection = snapshot.selection
    return {"v": STATE_VERSION, "asOf": selection.as_of.isoformat(), "window": selection.window_days,
            "caption": build_map_caption(selection.as_of, selection.window_days, selection.start),
            "layers": layers, "counts": count_features(snapshot)}


def attach_view(state: Mapping[str, Any], *, visible_layers: Iterable[str], basemap: str,
                focus: Focus | None = None, catalogue: Catalogue | None = None) -> dict[str, Any]:
    """Return ``state`` with the visible layers, basemap and focus of the view added.

    The focus names the event marker to open by its geometry reference in ``catalogue``.

    Raises
    ------
    ValueError
        If a layer name is unknown.
    """
    visible = [name for name in LAYER_NAMES if name in set(visible_layers)]
    unknown = set(visible_layers) - set(LAYER_NAMES)
    if unknown:
        raise ValueError(f"unknown layers {sorted(unknown)}: use {', '.join(LAYER_NAMES)}")
    view: dict[str, Any] = {"visible": visible, "basemap": basemap}
    if focus is not None:
        point = [round(focus.lon, POINT_DECIMALS), round(focus.lat, POINT_DECIMALS)]
        view["focus"] = {"ll": [point[1], point[0]], "z": focus.zoom, "n": focus.request,
                         "g": catalogue.geometry_numbers.get(json.dumps(point), point) if catalogue else point}
    return {**state, **view}


def count_features(snapshot: Snapshot) -> dict[str, int]:
    """Return how many features of each layer the map draws (those with a geometry)."""
    return {name: int(frame.geometry.notna().sum() - frame.geometry.is_empty.sum()) if len(frame) else 0
            for name, frame in snapshot.layers().items()}


def encode_layers(snapshot: Snapshot, refs: References) -> dict[str, list]:
    """Return the per-layer feature arrays of ``snapshot``, referring through ``refs``.

    Arrays (field order is what ``airbridge-map.js`` reads):

    * site: ``[geometry, popup, tooltip, label, symbol, label rank]``
    * route: ``[geometry, popup, tooltip, record type, width px, flights, dash array or None]``
    * flight: ``[geometry, [popups], [tooltips], records]`` grouped by place
    * event: ``[geometry, [popups], [tooltips], events, events in window]`` grouped by place
    * corridor: ``[geometry, popup, tooltip]``
    * circle: ``[geometry, radius km, tooltip, layer]`` uncertainty circles of named places
    """
    busy = _list_busy_sites(snapshot)
    circles: dict[tuple[str, float, str], list] = {}
    layers: dict[str, list] = {"site": [], "route": [], "flight": [], "event": [], "corridor": [], "circle": []}
    for props, geometry in _iter_features(snapshot.sites):
        key = "|".join((props["kind"], props["group"], props["status"]))
        rank = LABEL_RANK_BUSY if props["id"] in busy else STATUS_LABEL_RANK.get(props["status"], 3)
        layers["site"].append([
            refs.geometry(encode_point(geometry)), refs.text(build_popup(props)), refs.text(build_tooltip(props)),
            refs.text(escape_text(shorten_site_name(str(props["name"])))),
            refs.symbol(key, build_site_symbol(props["kind"], props["group"], props["status"])), rank])
    routes = sorted(_iter_features(snapshot.routes), key=lambda item: -int(item[0]["flights"]))
    for props, geometry in routes:  # thick lines first, so thin ones stay on top
        width = round(route_width(int(props["flights"])), 1)
        layers["route"].append([
            refs.geometry(encode_lines(geometry)), refs.text(build_popup(props)), refs.text(build_tooltip(props)),
            props["record_type"], width, int(props["flights"]), dash_pattern(ROUTE_STYLES[props["record_type"]], width)])
        coords = list(_iter_lines(geometry))
        for end, point in (("from", coords[0].coords[0]), ("to", coords[-1].coords[-1])):
            _add_circle(circles, refs, point, props.get(f"{end}_radius_km"), props[f"{end}_name"], "route")
    for group in _group_by_place(_iter_features(snapshot.flights)):
        props0, geometry = group[0]
        _add_circle(circles, refs, (geometry.x, geometry.y), props0.get("uncertainty_km"),
                    props0.get(f"{props0.get('located_at')}_name"), "flight")
        layers["flight"].append([
            refs.geometry(encode_point(geometry)), [refs.text(build_popup(p)) for p, _ in group],
            _group_tooltips(refs, group, "flight record"), len(group)])
    for group in _group_by_place(_iter_features(snapshot.events), newest_first=True):
        props0, geometry = group[0]
        names = props0.get("place_names") or []
        _add_circle(circles, refs, (geometry.x, geometry.y), props0.get("uncertainty_km"),
                    names[0] if len(names) else "", "event")
        layers["event"].append([
            refs.geometry(encode_point(geometry)), [refs.text(build_popup(p)) for p, _ in group],
            _group_tooltips(refs, group, "event"), len(group), sum(bool(p["in_window"]) for p, _ in group)])
    for props, geometry in _iter_features(snapshot.corridors):
        layers["corridor"].append([refs.geometry(encode_lines(geometry)), refs.text(build_popup(props)),
                                   refs.text(build_tooltip(props))])
    layers["circle"] = list(circles.values())
    return layers


def encode_point(geometry: Point) -> Geometry:
    """Return ``[lon, lat]`` rounded to about 10 m."""
    return [round(geometry.x, POINT_DECIMALS), round(geometry.y, POINT_DECIMALS)]


def encode_lines(geometry: BaseGeometry) -> Geometry:
    """Return the lines of a (Multi)LineString as lists of ``[lon, lat]`` rounded to about 100 m."""
    return [[[round(x, LINE_DECIMALS), round(y, LINE_DECIMALS)] for x, y, *_ in line.coords]
            for line in _iter_lines(geometry)]


def _iter_features(frame: pd.DataFrame) -> Iterator[tuple[dict[str, Any], BaseGeometry]]:
    if frame.empty:
        return
    columns = [c for c in frame.columns if c != frame.geometry.name]
    for values, geometry in zip(frame[columns].itertuples(index=False, name=None), frame.geometry):
        if geometry is None or geometry.is_empty:
            continue  # listed elsewhere, never drawn where the sources do not put it
        yield dict(zip(columns, values)), geometry


def _iter_lines(geometry: BaseGeometry) -> Iterator[LineString]:
    if isinstance(geometry, MultiLineString):
        yield from geometry.geoms
    else:
        yield geometry


def _group_by_place(features: Iterable[tuple[dict[str, Any], BaseGeometry]],
                    newest_first: bool = False) -> list[list[tuple[dict[str, Any], Point]]]:
    groups: dict[tuple[float, float], list] = {}
    for props, geometry in features:
        groups.setdefault(tuple(encode_point(geometry)), []).append((props, geometry))
    result = []
    for group in groups.values():
        group.sort(key=lambda item: (str(item[0].get("date")), str(item[0].get("id"))), reverse=newest_first)
        result.append(group)
    return result


def _group_tooltips(refs: References, group: list, noun: str) -> list:
    tips = [refs.text(build_tooltip(props)) for props, _ in group]
    if len(group) == 1:
        return tips
    return [refs.text(build_group_tooltip(len(group), noun)), *tips]


def _add_circle(circles: dict, refs: References, point: tuple[float, float], radius: object, name: object,
                layer: str) -> None:
    if radius is None or pd.isna(radius) or float(radius) <= 0:
        return
    coords = [round(point[0], POINT_DECIMALS), round(point[1], POINT_DECIMALS)]
    key = (json.dumps(coords), float(radius), layer)
    if key not in circles:
        circles[key] = [refs.geometry(coords), float(radius), refs.text(build_uncertainty_tooltip(name, float(radius))),
                        layer]


def _list_busy_sites(snapshot: Snapshot) -> set[str]:
    busy: set[str] = set()
    if not snapshot.routes.empty:
        busy |= set(snapshot.routes["from_id"]) | set(snapshot.routes["to_id"])
    if not snapshot.flights.empty:
        for column in ("origin", "destination"):
            busy |= {v for v in snapshot.flights[column] if isinstance(v, str)}
    return busy

