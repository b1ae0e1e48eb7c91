"""KML export for Google Earth: styled placemarks with TimeStamp/TimeSpan, routes as lines.

Written with the standard library (``xml.etree``). Google Earth's time slider works from
the time elements: a flight, count report or event carries its date (or its date range),
a route the range of the records on it, a site the date its status took effect (a partial
date such as ``2025-05`` is valid KML time), a corridor its documented validity. Sites
without a dated status and features without dates are shown at every time.

Google Earth renders a placemark's balloon as HTML, name and data values included, so
every text this module writes is HTML-escaped (``<img ...>`` in a name reaches the file
as ``&amp;lt;img ...&gt;`` and is shown as text, never run); the descriptions are HTML
built here from escaped parts. Characters that XML 1.0 forbids (control characters but
tab and newline, lone surrogates, U+FFFE/U+FFFF) are removed from every text and attribute,
so the file is always well-formed whatever the data holds.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from layers import Snapshot
from layers.missing import is_present
from layers.sources import parse_source
from layers.style import (
    CORRIDOR_STYLE,
    EVENT_COLOUR,
    FLIGHT_COLOUR,
    GROUP_COLOURS,
    ROUTE_STYLES,
    STATUS_STYLES,
    route_width,
)

from dashboard.export.briefing import BriefingSpec
from dashboard.export.dtg import format_day
from dashboard.export.visibility import filter_layers

KML_NS = "http://www.opengis.net/kml/2.2"
ICON_ROOT = "http://maps.google.com/mapfiles/kml/shapes/"  # Google Earth's own icon set
KIND_ICONS = {
    "air_base": "triangle.png", "airport": "placemark_circle.png", "naval_base": "square.png",
    "port": "polygon.png", "army_base": "open-diamond.png", "logistics_hub": "target.png",
}
FOLDERS = {"site": "Sites", "route": "Routes", "flight": "Flight records", "corridor": "Corridors",
           "event": "Events"}
EXTENDED_FIELDS = ("layer", "id", "confidence", "status", "status_date", "kind", "group", "country", "icao",
                   "record_type", "flights", "records", "date", "end_date", "first_date", "count",
                   "aircraft_type", "registration", "operator", "origin_name", "destination_name",
                   "category", "uncertainty_km", "conflict", "provenance")
# Everything outside XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] |
# [#xE000-#xFFFD] | [#x10000-#x10FFFF].
XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write_kml(snapshot: Snapshot, spec: BriefingSpec, path: Path) -> None:
    """Write every visible feature as a KML document, one folder per layer."""
    ET.register_namespace("", KML_NS)
    root = ET.Element(_tag("kml"))
    document = ET.SubElement(root, _tag("Document"))
    _text(document, "name", spec.title)
    _markup(document, "description", _describe_document(spec))
    visible = filter_layers(snapshot, spec.visible_layers)
    styles: set[str] = set()
    for name, frame in visible.layers().items():
        folder = ET.SubElement(document, _tag("Folder"))
        _text(folder, "name", FOLDERS[name])
        for _, row in frame.iterrows() if not frame.empty else []:
            style_id = _style_id(name, row)
            if style_id not in styles:
                styles.add(style_id)
                document.insert(2, _build_style(style_id, name, row))
            folder.append(build_placemark(name, row, style_id))
    tree = ET.ElementTree(root)
    ET.indent(tree, space=" ")
    tree.write(path, encoding="UTF-8", xml_declaration=True)


def build_placemark(layer: str, row: pd.Series, style_id: str) -> ET.Element:
    """Return the Placemark of one feature: name, description, time, data, style and geometry."""
    placemark = ET.Element(_tag("Placemark"), id=remove_xml_forbidden(str(row["id"])))
    _text(placemark, "name", str(row["name"]))
    _markup(placemark, "description", _describe_feature(row))
    _add_time(placemark, layer, row)
    _text(placemark, "styleUrl", f"#{style_id}")
    data = ET.SubElement(placemark, _tag("ExtendedData"))
    for field in EXTENDED_FIELDS:
        value = row.get(field)
        if not is_present(value):
            continue
        item = ET.SubElement(data, _tag("Data"), name=field)
        _text(item, "value", str(value))
    geometry = row.geometry
    if geometry is not None and not geometry.is_empty:
        placemark.append(_build_geometry(geometry))
    return placemark


def _add_time(placemark: ET.Element, layer: str, row: pd.Series) -> None:
    if layer == "site":
        begin, end = row.get("status_date"), None
        if not is_present(begin):
            return
        span = ET.SubElement(placemark, _tag("TimeSpan"))
        _text(span, "begin", str(begin))
        return
    if layer == "route":
        begin, end = row["first_date"], row["date"]
    elif layer == "corridor":
        begin, end = row.get("valid_from"), row.get("valid_to")
        if not is_present(begin) and not is_present(end):
            return
    else:
        begin, end = row["date"], row.get("end_date")
    if not is_present(end) or end == begin:
        stamp = ET.SubElement(placemark, _tag("TimeStamp"))
        _text(stamp, "when", str(begin))
        return
    span = ET.SubElement(placemark, _tag("TimeSpan"))
    if is_present(begin):
        _text(span, "begin", str(begin))
    _text(span, "end", str(end))


def _build_geometry(geometry: BaseGeometry) -> ET.Element:
    if isinstance(geometry, Point):
        point = ET.Element(_tag("Point"))
        _text(point, "coordinates", _coordinates([(geometry.x, geometry.y)]))
        return point
    if isinstance(geometry, LineString):
        line = ET.Element(_tag("LineString"))
        _text(line, "tessellate", "1")
        _text(line, "coordinates", _coordinates(geometry.coords))
        return line
    if isinstance(geometry, MultiLineString):
        multi = ET.Element(_tag("MultiGeometry"))
        for part in geometry.geoms:
            multi.append(_build_geometry(part))
        return multi
    raise TypeError(f"KML export has no rule for {geometry.geom_type} geometries")


def _style_id(layer: str, row: pd.Series) -> str:
    if layer == "site":
        return f"site-{row['kind']}-{row['group']}-{row['status']}"
    if layer == "route":
        return f"route-{row['record_type']}-{int(row['flights'])}"
    return layer


def _build_style(style_id: str, layer: str, row: pd.Series) -> ET.Element:
    style = ET.Element(_tag("Style"), id=remove_xml_forbidden(style_id))
    if layer == "site":
        status = STATUS_STYLES[row["status"]]
        icon_style = ET.SubElement(style, _tag("IconStyle"))
        _text(icon_style, "color", _kml_colour(GROUP_COLOURS[row["group"]], max(status.fill_opacity, 0.35)))
        _text(icon_style, "scale", "1.1" if row["status"] in {"active", "reported"} else "0.8")
        icon = ET.SubElement(icon_style, _tag("Icon"))
        _text(icon, "href", ICON_ROOT + KIND_ICONS[row["kind"]])
    elif layer in {"flight", "event"}:
        icon_style = ET.SubElement(style, _tag("IconStyle"))
        colour = FLIGHT_COLOUR if layer == "flight" else EVENT_COLOUR
        _text(icon_style, "color", _kml_colour(colour, 1.0))
        icon = ET.SubElement(icon_style, _tag("Icon"))
        _text(icon, "href", ICON_ROOT + ("airports.png" if layer == "flight" else "star.png"))
    else:
        line_style = ET.SubElement(style, _tag("LineStyle"))
        if layer == "route":
            _text(line_style, "color", _kml_colour(ROUTE_STYLES[row["record_type"]].colour, 1.0))
            _text(line_style, "width", f"{route_width(int(row['flights'])):g}")
        else:
            _text(line_style, "color", _kml_colour(CORRIDOR_STYLE.colour, 0.8))
            _text(line_style, "width", "3")
    return style


def _describe_document(spec: BriefingSpec) -> str:
    """Return the document's description as HTML: marking, data date, flight window, generation."""
    selection = spec.selection
    return (f"<p><b>{html.escape(spec.marking)}</b></p><p>Data as of {format_day(selection.as_of)}; "
            f"flights: {html.escape(selection.describe())}. Generated "
            f"{spec.generated_at:%Y-%m-%d %H:%M} UTC by Airbridge.</p>")


def _describe_feature(row: pd.Series) -> str:
    """Return a placemark's description as HTML, every data value escaped.

    Each source is named as ``Source.display`` shows it (the label, with ``via HOST`` when
    the label does not name the link's host) and is a link only when ``Source.is_link``.
    """
    parts = []
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


def _kml_colour(hex_colour: str, opacity: float) -> str:
    red, green, blue = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"{round(opacity * 255):02x}{blue}{green}{red}".lower()


def _coordinates(points) -> str:
    return " ".join(f"{x:.5f},{y:.5f}" for x, y, *_ in points)


def _tag(name: str) -> str:
    return f"{{{KML_NS}}}{name}"


def remove_xml_forbidden(text: str) -> str:
    r"""Return ``text`` without the characters XML 1.0 forbids, which make a file not well-formed.

    Examples
    --------
    >>> remove_xml_forbidden("Hmeimim\x0b\x01\x1b Air Base")
    'Hmeimim Air Base'
    """
    return XML_FORBIDDEN.sub("", text)


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    """Add element ``name`` holding ``text`` as plain text: HTML-escaped for Google Earth's balloons."""
    return _markup(parent, name, html.escape(text, quote=False))


def _markup(parent: ET.Element, name: str, markup: str) -> ET.Element:
    """Add element ``name`` holding HTML built in this module from escaped parts."""
    element = ET.SubElement(parent, _tag(name))
    element.text = remove_xml_forbidden(markup)
    return element
