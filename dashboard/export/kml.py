"""KML export for Google Earth: styled placemarks with TimeStamp/TimeSpan, routes as lines, tracks as gx:Track.

Written with the standard library (``xml.etree``). Google Earth's time slider works from
the time elements: a flight, count report or event carries its date (or its date range),
a route the range of the records on it, a site the date its status took effect (a partial
date such as ``2025-05`` is valid KML time), a corridor its documented validity, an ADS-B
track a time per vertex (:mod:`dashboard.export.kml_tracks`). Sites without a dated status
and features without dates are shown at every time. One folder per layer, titled as
``layers.vocabulary.LAYER_TITLES`` names it.

Google Earth renders a placemark's balloon as HTML, name and data values included, so
every text this module writes is HTML-escaped (``<img ...>`` in a name reaches the file
as ``&amp;lt;img ...&gt;`` and is shown as text, never run); the descriptions are HTML
built here from escaped parts. Characters that XML 1.0 forbids (control characters but
tab and newline, lone surrogates, U+FFFE/U+FFFF) are removed from every text and attribute,
so the file is always well-formed whatever the data holds (:mod:`dashboard.export.kml_markup`).
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from layers import Snapshot
from layers.filters import describe_filters
from layers.missing import is_present
from layers.route_ends import RouteParts, split_route_line
from layers.route_marks import UNCERTAIN_END_LABEL, UNCERTAIN_END_OPACITY, stub_width
from layers.sources import parse_source
from layers.style import (
    CORRIDOR_STYLE,
    EVENT_COLOUR,
    FLIGHT_COLOUR,
    GROUP_COLOURS,
    OBSERVATION_STYLE,
    OTHER_ACTOR_STYLE,
    ROUTE_STYLES,
    STALE_OPACITY,
    STATUS_STYLES,
    choose_actor_mark,
    route_width,
)
from layers.vocabulary import LAYER_TITLES

from dashboard.export.briefing import BriefingSpec
from dashboard.export.dtg import format_day
from dashboard.export.kml_areas import build_look_at, build_uncertainty_folder
from dashboard.export.kml_details import KML_DETAIL_FIELDS, ROUTE_NOTE_FIELD, describe_details, is_stale
from dashboard.export.kml_history import StatusSpan, build_status_spans
from dashboard.export.kml_markup import (
    GX_NS,
    KML_NS,
    add_markup,
    add_text,
    format_coordinates,
    format_kml_colour,
    remove_xml_forbidden,
    tag,
)
from dashboard.export.kml_tracks import (
    TRACK_FIELDS,
    TRACK_LAYERS,
    build_track_geometry,
    choose_track_style_id,
    describe_track_feature,
    fill_track_style,
    find_track_times,
)
from dashboard.export.route_notes import build_route_notes
from dashboard.export.visibility import filter_layers

__all__ = ["EXTENDED_FIELDS", "KIND_ICONS", "build_kml_tree", "build_placemark", "remove_xml_forbidden", "write_kml"]

ICON_ROOT = "http://maps.google.com/mapfiles/kml/shapes/"  # Google Earth's own icon set
KIND_ICONS = {
    "air_base": "triangle.png", "airport": "placemark_circle.png", "naval_base": "square.png",
    "port": "polygon.png", "army_base": "open-diamond.png", "logistics_hub": "target.png",
}
KML_ICONS = {"flight": "airports.png", "event": "star.png", "observation": "camera.png"}  # point layers' icons
EXTENDED_FIELDS = ("layer", "id", "confidence", "status", "status_date", "kind", "group", "country", "icao",
                   "record_type", "flights", "records", "date", "end_date", "first_date", "count",
                   "aircraft_type", "registration", "operator", "origin_name", "destination_name",
                   "category", "uncertainty_km", "conflict", "provenance", "from_uncertain", "to_uncertain",
                   "reports_unstated", *KML_DETAIL_FIELDS, *TRACK_FIELDS)


def write_kml(snapshot: Snapshot, spec: BriefingSpec, path: Path, *, site_status: pd.DataFrame | None = None) -> None:
    """Write every visible feature as a KML document, one folder per layer.

    ``site_status`` (``Dataset.site_status``) adds each site's earlier statuses, each a
    placemark with its own TimeSpan and style (:mod:`dashboard.export.kml_history`).
    """
    build_kml_tree(snapshot, spec, site_status=site_status).write(path, encoding="UTF-8", xml_declaration=True)


def build_kml_tree(snapshot: Snapshot, spec: BriefingSpec, *, site_status: pd.DataFrame | None = None,
                   ) -> ET.ElementTree:
    """Return the KML document of the snapshot: the opening view, the uncertainty areas, one folder per layer."""
    ET.register_namespace("", KML_NS)
    ET.register_namespace("gx", GX_NS)
    root = ET.Element(tag("kml"))
    document = ET.SubElement(root, tag("Document"))
    add_text(document, "name", spec.title)
    add_markup(document, "description", _describe_document(spec))
    document.append(build_look_at(spec.extent))
    visible = filter_layers(snapshot, spec.visible_layers)
    styles: set[str] = set()
    document.append(build_uncertainty_folder(visible, styles))
    route_lines = {note.ends: note.text for note in build_route_notes(visible)}
    for name, frame in visible.layers().items():
        folder = ET.SubElement(document, tag("Folder"))
        add_text(folder, "name", LAYER_TITLES[name])
        for _, feature in frame.iterrows() if not frame.empty else []:
            spans = (build_status_spans(feature, site_status, spec.selection.as_of) if name == "site"
                     else [StatusSpan(feature, None, None)])
            for span in spans:
                row = span.row
                if name == "route":  # the route's footnote line goes in its balloon (kml_details.describe_details)
                    row = row.copy()
                    row[ROUTE_NOTE_FIELD] = route_lines.get((row["from_id"], row["to_id"]))
                style_id = _style_id(name, row)
                if style_id not in styles:
                    styles.add(style_id)
                    document.insert(3, _build_style(style_id, name, row))  # after name, description, LookAt
                # A track stops where its flight went dark, whether the gap layer is shown or not.
                geometry = build_track_geometry(row, snapshot.gaps) if name == "track" else None
                stubs = _split_route(row) if name == "route" else None
                if stubs is not None:
                    geometry = _build_geometry(stubs.certain)
                placemark = build_placemark(name, row, style_id, geometry=geometry)
                end = placemark.find(f"{tag('TimeSpan')}")
                begin = end.find(tag("begin")) if end is not None else None
                if span.begin is not None and begin is not None:
                    begin.text = span.begin  # the day the status took effect (layers.timeline), not its date as written
                if span.end is not None and end is not None:
                    add_text(end, "end", span.end)
                folder.append(placemark)
                if stubs is not None:  # a route with no line (both ends' circles cover it) has no stubs
                    for side, stub in zip(_uncertain_sides(row), stubs.uncertain, strict=True):
                        folder.append(_build_stub_placemark(document, styles, row, side, stub))
    tree = ET.ElementTree(root)
    ET.indent(tree, space=" ")
    return tree


def build_placemark(layer: str, row: pd.Series, style_id: str, *, geometry: ET.Element | None = None) -> ET.Element:
    """Return the Placemark of one feature: name, description, time, data, style and geometry.

    ``geometry`` replaces the one made from the row's shapely geometry (a ``gx:Track``).
    """
    placemark = ET.Element(tag("Placemark"), id=remove_xml_forbidden(str(row["id"])))
    add_text(placemark, "name", str(row["name"]))
    add_markup(placemark, "description", _describe_feature(layer, row))
    _add_time(placemark, layer, row)
    add_text(placemark, "styleUrl", f"#{style_id}")
    data = ET.SubElement(placemark, tag("ExtendedData"))
    for field in EXTENDED_FIELDS:
        value = row.get(field)
        if not is_present(value):
            continue
        item = ET.SubElement(data, tag("Data"), name=field)
        add_text(item, "value", str(value))
    if geometry is not None:
        placemark.append(geometry)
    elif row.geometry is not None and not row.geometry.is_empty:
        placemark.append(_build_geometry(row.geometry))
    return placemark


def _add_time(placemark: ET.Element, layer: str, row: pd.Series) -> None:
    if layer == "site":
        begin, end = row.get("status_date"), None
        if not is_present(begin):
            return
        span = ET.SubElement(placemark, tag("TimeSpan"))
        add_text(span, "begin", str(begin))
        return
    if layer == "route":
        begin, end = row["first_date"], row.get("end_date") if is_present(row.get("end_date")) else row["date"]
    elif layer == "corridor":
        begin, end = row.get("valid_from"), row.get("valid_to")
        if not is_present(begin) and not is_present(end):
            return
    elif layer in TRACK_LAYERS:
        begin, end = find_track_times(layer, row)
    else:
        begin, end = row["date"], row.get("end_date")
    if not is_present(end) or end == begin:
        stamp = ET.SubElement(placemark, tag("TimeStamp"))
        add_text(stamp, "when", str(begin))
        return
    span = ET.SubElement(placemark, tag("TimeSpan"))
    if is_present(begin):
        add_text(span, "begin", str(begin))
    add_text(span, "end", str(end))


def _split_route(row: pd.Series) -> RouteParts | None:
    # The line stops at the edge of an uncertain end's area (layers/route_ends.py); the stretch
    # next to it is a placemark of its own, thin and faded, as the PNG and the live map draw it.
    if row.geometry is None or row.geometry.is_empty:
        return None
    return split_route_line(row.geometry, bool(row["from_uncertain"]), bool(row["to_uncertain"]))


def _uncertain_sides(row: pd.Series) -> list[str]:
    return [side for side in ("from", "to") if row.get(f"{side}_uncertain")]


def _build_stub_placemark(document: ET.Element, styles: set[str], row: pd.Series, side: str,
                          stub: BaseGeometry) -> ET.Element:
    style_id = f"route-uncertain-{row['record_type']}-{int(row['flights'])}"
    if style_id not in styles:
        styles.add(style_id)
        style = ET.Element(tag("Style"), id=remove_xml_forbidden(style_id))
        line_style = ET.SubElement(style, tag("LineStyle"))
        add_text(line_style, "color", format_kml_colour(ROUTE_STYLES[row["record_type"]].colour,
                                                        UNCERTAIN_END_OPACITY))
        add_text(line_style, "width", f"{stub_width(route_width(int(row['flights']))):g}")
        document.insert(3, style)
    place, radius = row[f"{side}_name"], float(row[f"{side}_radius_km"])
    placemark = ET.Element(tag("Placemark"), id=remove_xml_forbidden(f"{row['id']}-uncertain-{side}"))
    add_text(placemark, "name", f"{row['name']} (uncertain end)")
    add_markup(placemark, "description", f"<p>{html.escape(UNCERTAIN_END_LABEL)}: {html.escape(str(place))}, "
                                         f"within {radius:g} km. Route: {html.escape(str(row['name']))}.</p>")
    _add_time(placemark, "route", row)
    add_text(placemark, "styleUrl", f"#{style_id}")
    placemark.append(_build_geometry(stub))
    return placemark


def _build_geometry(geometry: BaseGeometry) -> ET.Element:
    if isinstance(geometry, Point):
        point = ET.Element(tag("Point"))
        add_text(point, "coordinates", format_coordinates([(geometry.x, geometry.y)]))
        return point
    if isinstance(geometry, LineString):
        line = ET.Element(tag("LineString"))
        add_text(line, "tessellate", "1")
        add_text(line, "coordinates", format_coordinates(geometry.coords))
        return line
    if isinstance(geometry, MultiLineString):
        multi = ET.Element(tag("MultiGeometry"))
        for part in geometry.geoms:
            multi.append(_build_geometry(part))
        return multi
    if isinstance(geometry, Polygon):
        polygon = ET.Element(tag("Polygon"))
        add_text(polygon, "tessellate", "1")
        ring = ET.SubElement(ET.SubElement(polygon, tag("outerBoundaryIs")), tag("LinearRing"))
        add_text(ring, "coordinates", format_coordinates(geometry.exterior.coords))
        return polygon
    raise TypeError(f"KML export has no rule for {geometry.geom_type} geometries")


def _style_id(layer: str, row: pd.Series) -> str:
    if layer == "site":
        mark = choose_actor_mark(row["status"], row.get("status_actor"))  # another actor's status: grey
        return (f"site-{row['kind']}-{row['group']}-{row['status']}" + (f"-{mark}" if mark else "")
                + ("-stale" if is_stale(row) else ""))
    if layer == "route":
        return f"route-{row['record_type']}-{int(row['flights'])}"
    if layer in TRACK_LAYERS:
        return choose_track_style_id(layer, row)
    return layer


def _build_style(style_id: str, layer: str, row: pd.Series) -> ET.Element:
    style = ET.Element(tag("Style"), id=remove_xml_forbidden(style_id))
    if layer == "site":
        status = STATUS_STYLES[row["status"]]
        icon_style = ET.SubElement(style, tag("IconStyle"))
        colour = OTHER_ACTOR_STYLE.outline if choose_actor_mark(row["status"], row.get("status_actor")) else \
            GROUP_COLOURS[row["group"]]
        stale = STALE_OPACITY if is_stale(row) else 1.0  # faded, as on the live map
        add_text(icon_style, "color", format_kml_colour(colour, max(status.fill_opacity, 0.35) * stale))
        add_text(icon_style, "scale", "1.1" if row["status"] in {"active", "reported"} else "0.8")
        icon = ET.SubElement(icon_style, tag("Icon"))
        add_text(icon, "href", ICON_ROOT + KIND_ICONS[row["kind"]])
    elif layer in TRACK_LAYERS:
        fill_track_style(style, layer, row)
    elif layer in {"flight", "event", "observation"}:
        icon_style = ET.SubElement(style, tag("IconStyle"))
        colour = {"flight": FLIGHT_COLOUR, "event": EVENT_COLOUR, "observation": OBSERVATION_STYLE.colour}[layer]
        add_text(icon_style, "color", format_kml_colour(colour, 1.0))
        icon = ET.SubElement(icon_style, tag("Icon"))
        add_text(icon, "href", ICON_ROOT + KML_ICONS[layer])
    elif layer not in {"route", "corridor"}:  # a layer with no KML symbol of its own yet: a plain placemark
        icon = ET.SubElement(ET.SubElement(style, tag("IconStyle")), tag("Icon"))
        add_text(icon, "href", ICON_ROOT + "placemark_circle.png")
    else:
        line_style = ET.SubElement(style, tag("LineStyle"))
        if layer == "route":
            add_text(line_style, "color", format_kml_colour(ROUTE_STYLES[row["record_type"]].colour, 1.0))
            add_text(line_style, "width", f"{route_width(int(row['flights'])):g}")
        else:
            add_text(line_style, "color", format_kml_colour(CORRIDOR_STYLE.colour, 0.8))
            add_text(line_style, "width", "3")
    return style


def _describe_document(spec: BriefingSpec) -> str:
    """Return the document's description as HTML: marking, data date, flight window, generation."""
    selection = spec.selection
    return (f"<p><b>{html.escape(spec.marking)}</b></p><p>Data as of {format_day(selection.as_of)}; "
            f"flights: {html.escape(selection.describe())}. {_describe_filtering(spec)}Generated "
            f"{spec.generated_at:%Y-%m-%d %H:%M} UTC by Airbridge.</p>")


def _describe_filtering(spec: BriefingSpec) -> str:
    """Return ``Filtered: ...`` for the document's description, escaped; empty without filters."""
    filtered = describe_filters(spec.filters)
    return f"{html.escape(filtered)}. " if filtered else ""


def _describe_feature(layer: str, row: pd.Series) -> str:
    """Return a placemark's description as HTML, every data value escaped.

    An ADS-B feature starts with what :func:`describe_track_feature` says of it. Each
    source is named as ``Source.display`` shows it (the label, with ``via HOST`` when the
    label does not name the link's host) and is a link only when ``Source.is_link``.
    """
    parts = [describe_track_feature(layer, row)] if layer in TRACK_LAYERS else describe_details(layer, row)
    for field in ("status_note", "role", "description", "notes", "conflict"):
        value = row.get(field)
        if is_present(value):
            label = "Conflict between sources" if field == "conflict" else field.replace("_", " ").capitalize()
            parts.append(f"<p><b>{label}:</b> {html.escape(str(value))}</p>")
    parts.append(f"<p><b>Confidence:</b> {html.escape(str(row['confidence']))}</p>")
    links = []
    for text in list(row.get("status_sources") or []) + list(row["sources"]):
        source = parse_source(text)
        shown = html.escape(source.display)
        links.append(f'<li><a href="{html.escape(source.url)}">{shown}</a></li>' if source.is_link
                     else f"<li>{shown}: {html.escape(source.url)}</li>")
    parts.append(f"<p><b>Sources:</b></p><ul>{''.join(dict.fromkeys(links))}</ul>")
    return "".join(parts)
