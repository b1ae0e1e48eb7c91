"""QGIS layer styles for the GeoPackage: one QML document per layer in a ``layer_styles`` table.

QGIS keeps the styles it saves into a GeoPackage in ``layer_styles`` (the QGIS GeoPackage
styling extension, https://github.com/pka/qgpkg/blob/master/qgis_geopackage_extension.md):
``id``, ``f_table_catalog``, ``f_table_schema``, ``f_table_name``, ``f_geometry_column``,
``styleName``, ``styleQML``, ``styleSLD``, ``useAsDefault``, ``description``, ``owner``,
``ui`` and ``update_time``. A row with ``useAsDefault`` true is applied when the layer is
opened, so QGIS shows the file in the map's own symbology (``layers.style``): sites
coloured by group, shaped by kind, filled by status; routes by record type with a width
by flights; uncertainty areas as dashed amber circles. The QML holds no data text, only
the vocabulary's keys and colours, built with ``xml.etree`` (escaped).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pyogrio

from layers.style import (
    CORRIDOR_STYLE,
    EVENT_COLOUR,
    FLIGHT_COLOUR,
    GAP_STYLE,
    GROUP_COLOURS,
    KIND_SYMBOLS,
    OBSERVATION_STYLE,
    POSITION_COLOUR,
    REACH_STYLE,
    ROUTE_STYLES,
    STATUS_STYLES,
    TRACK_STYLE,
    UNCERTAINTY_COLOUR,
)

STYLES_TABLE = "layer_styles"
GEOMETRY_COLUMN = "geom"  # what pyogrio names a GeoPackage geometry column
QGIS_MARKERS = {"^": "triangle", "o": "circle", "s": "square", "p": "pentagon", "D": "diamond", "h": "hexagon"}
QGIS_VERSION = "3.28.0-Firenze"
MM_PER_PX = 0.26  # a CSS pixel at 96 dpi


def write_layer_styles(path: Path, layers: list[str]) -> None:
    """Add ``layer_styles`` to the GeoPackage at ``path``: a default QML style for each of ``layers``."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    rows = [{"f_table_catalog": "", "f_table_schema": "", "f_table_name": layer,
             "f_geometry_column": GEOMETRY_COLUMN, "styleName": f"Airbridge {layer}", "styleQML": build_qml(layer),
             "styleSLD": "", "useAsDefault": True, "description": f"Airbridge map symbology for {layer}",
             "owner": "", "ui": "", "update_time": now} for layer in layers]
    table = pd.DataFrame(rows)
    table["update_time"] = pd.to_datetime(table["update_time"], utc=True)
    pyogrio.write_dataframe(table, path, layer=STYLES_TABLE, driver="GPKG", append=True, use_arrow=True,
                            layer_options={"FID": "id"})


def build_qml(layer: str) -> str:
    """Return the QML style document of one GeoPackage layer (its renderer only)."""
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories="Symbology")
    root.append(_RENDERERS.get(layer, _single_marker_renderer)(layer))
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode")


def _site_renderer(_: str) -> ET.Element:
    """Categories ``group/status``: the group's colour, the status's fill and outline, the kind's shape."""
    renderer = ET.Element("renderer-v2", type="categorizedSymbol", attr="\"group\" || '/' || \"status\"",
                          symbollevels="0", forceraster="0", enableorderby="0")
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    shape = "CASE " + " ".join(f"WHEN \"kind\" = '{kind}' THEN '{QGIS_MARKERS.get(symbol.marker, 'circle')}'"
                               for kind, symbol in KIND_SYMBOLS.items()) + " ELSE 'circle' END"
    index = 0
    for group, colour in GROUP_COLOURS.items():
        for status, style in STATUS_STYLES.items():
            ET.SubElement(categories, "category", value=f"{group}/{status}", symbol=str(index),
                          label=f"{group.capitalize()}: {style.label}", render="true")
            symbols.append(_marker(str(index), _rgba(colour, style.fill_opacity), _rgba(style.outline, 1.0),
                                   size=4.2 if status in {"active", "reported"} else 3.4,
                                   dashed=style.dashed, shape_expression=shape))
            index += 1
    return renderer


def _route_renderer(_: str) -> ET.Element:
    renderer = ET.Element("renderer-v2", type="categorizedSymbol", attr="record_type", symbollevels="0",
                          forceraster="0", enableorderby="0")
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for index, (key, style) in enumerate(ROUTE_STYLES.items()):
        ET.SubElement(categories, "category", value=key, symbol=str(index), label=style.label, render="true")
        # Width by flights, as layers.style.route_width (3 + 2 log2(flights) px, capped at 12), in mm.
        symbols.append(_line(str(index), style.colour, 0.8, dashed=style.dash is not None,
                             width_expression=f"min(3 + 2 * log(2, max(\"flights\", 1)), 12) * {MM_PER_PX}"))
    return renderer


def _line_renderer(layer: str) -> ET.Element:
    style = {"corridors": CORRIDOR_STYLE, "tracks": TRACK_STYLE, "gaps": GAP_STYLE}[layer]
    renderer = ET.Element("renderer-v2", type="singleSymbol", symbollevels="0", forceraster="0",
                          enableorderby="0")
    ET.SubElement(renderer, "symbols").append(_line("0", style.colour, 0.8, dashed=style.dash is not None))
    return renderer


def _fill_renderer(layer: str) -> ET.Element:
    colour = UNCERTAINTY_COLOUR if layer == "uncertainty_areas" else REACH_STYLE.colour
    renderer = ET.Element("renderer-v2", type="singleSymbol", symbollevels="0", forceraster="0",
                          enableorderby="0")
    symbol = ET.SubElement(ET.SubElement(renderer, "symbols"), "symbol", type="fill", name="0", alpha="1",
                           clip_to_extent="1", force_rhr="0")
    symbol_layer = ET.SubElement(symbol, "layer", {"class": "SimpleFill", "enabled": "1", "locked": "0",
                                                   "pass": "0"})
    _options(symbol_layer, {"color": _rgba(colour, 0.09), "outline_color": _rgba(colour, 1.0),
                            "outline_style": "dash", "outline_width": "0.4", "outline_width_unit": "MM",
                            "style": "solid"})
    return renderer


def _single_marker_renderer(layer: str) -> ET.Element:
    colour, shape = {"events": (EVENT_COLOUR, "star"), "flights": (FLIGHT_COLOUR, "circle"),
                     "observations": (OBSERVATION_STYLE.colour, "circle"),
                     "positions": (POSITION_COLOUR, "arrowhead")}.get(layer, (FLIGHT_COLOUR, "circle"))
    renderer = ET.Element("renderer-v2", type="singleSymbol", symbollevels="0", forceraster="0",
                          enableorderby="0")
    ET.SubElement(renderer, "symbols").append(
        _marker("0", _rgba(colour, 1.0), "0,0,0,255", size=4.6 if layer == "events" else 2.6, shape=shape))
    return renderer


def _marker(name: str, fill: str, outline: str, *, size: float, dashed: bool = False, shape: str = "circle",
            shape_expression: str | None = None) -> ET.Element:
    symbol = ET.Element("symbol", type="marker", name=name, alpha="1", clip_to_extent="1", force_rhr="0")
    layer = ET.SubElement(symbol, "layer", {"class": "SimpleMarker", "enabled": "1", "locked": "0", "pass": "0"})
    _options(layer, {"color": fill, "name": shape, "outline_color": outline, "outline_style": "dash" if dashed
                     else "solid", "outline_width": "0.4", "outline_width_unit": "MM", "size": f"{size:g}",
                     "size_unit": "MM"})
    if shape_expression:
        _data_defined(layer, "name", shape_expression)
    return symbol


def _line(name: str, colour: str, width_mm: float, *, dashed: bool, width_expression: str | None = None) -> ET.Element:
    symbol = ET.Element("symbol", type="line", name=name, alpha="1", clip_to_extent="1", force_rhr="0")
    layer = ET.SubElement(symbol, "layer", {"class": "SimpleLine", "enabled": "1", "locked": "0", "pass": "0"})
    _options(layer, {"line_color": _rgba(colour, 1.0), "line_style": "dash" if dashed else "solid",
                     "line_width": f"{width_mm:g}", "line_width_unit": "MM", "capstyle": "round"})
    if width_expression:
        _data_defined(layer, "outlineWidth", width_expression)
    return symbol


def _options(parent: ET.Element, values: dict[str, str]) -> None:
    options = ET.SubElement(parent, "Option", type="Map")
    for key, value in values.items():
        ET.SubElement(options, "Option", name=key, type="QString", value=value)


def _data_defined(layer: ET.Element, prop: str, expression: str) -> None:
    """Add a data-defined property (QGIS's ``data_defined_properties`` collection) to a symbol layer."""
    outer = ET.SubElement(ET.SubElement(layer, "data_defined_properties"), "Option", type="Map")
    ET.SubElement(outer, "Option", name="name", type="QString", value="")
    props = ET.SubElement(outer, "Option", name="properties", type="Map")
    item = ET.SubElement(props, "Option", name=prop, type="Map")
    ET.SubElement(item, "Option", name="active", type="bool", value="true")
    ET.SubElement(item, "Option", name="expression", type="QString", value=expression)
    ET.SubElement(item, "Option", name="type", type="int", value="3")  # an expression
    ET.SubElement(outer, "Option", name="type", type="QString", value="collection")


def _rgba(hex_colour: str, opacity: float) -> str:
    """Return QGIS's ``r,g,b,a`` for ``#rrggbb`` at an opacity from 0 to 1."""
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"{red},{green},{blue},{round(opacity * 255)}"


_RENDERERS = {"sites": _site_renderer, "routes": _route_renderer, "corridors": _line_renderer,
              "tracks": _line_renderer, "gaps": _line_renderer, "reach": _fill_renderer,
              "uncertainty_areas": _fill_renderer}
