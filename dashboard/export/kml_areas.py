"""KML parts beyond the layers: the opening view (LookAt) of the extent and the uncertainty areas.

A flight "to Benghazi" (the airfield not named) is drawn at the centre of a named place,
which looks exact in Google Earth; the uncertainty area, a geodesic circle of the place's
radius as a Polygon, shows how vague it is, as the slide's dashed amber circles do.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from layers import Snapshot
from layers.extents import Extent
from layers.geodesic import WGS84
from layers.style import UNCERTAINTY_COLOUR

from dashboard.export.gpkg_columns import build_uncertainty_layer
from dashboard.export.kml_markup import add_markup, add_text, format_coordinates, format_kml_colour, tag

UNCERTAINTY_STYLE_ID = "uncertainty-area"
FIELD_OF_VIEW_DEG = 60.0  # Google Earth's default horizontal field of view
SCREEN_ASPECT = 16 / 9


def build_look_at(extent: Extent) -> ET.Element:
    """Return a ``LookAt`` straight down on the extent's centre, from a range that shows all of it."""
    lat, lon = extent.centre
    width_m = WGS84.line_length([extent.west, extent.east], [lat, lat])
    height_m = WGS84.line_length([lon, lon], [extent.south, extent.north])
    seen = max(width_m, height_m * SCREEN_ASPECT)
    look_at = ET.Element(tag("LookAt"))
    for name, value in (("longitude", f"{lon:.5f}"), ("latitude", f"{lat:.5f}"), ("altitude", "0"),
                        ("heading", "0"), ("tilt", "0"),
                        ("range", f"{seen / (2 * math.tan(math.radians(FIELD_OF_VIEW_DEG / 2))):.0f}"),
                        ("altitudeMode", "clampToGround")):
        add_text(look_at, name, value)
    return look_at


def build_uncertainty_folder(snapshot: Snapshot, styles: set[str]) -> ET.Element:
    """Return the folder "Uncertainty areas": one Polygon placemark per named place the layers use.

    The folder holds the areas' shared style (``styles`` records its id).
    """
    folder = ET.Element(tag("Folder"))
    add_text(folder, "name", "Uncertainty areas")
    style = ET.SubElement(folder, tag("Style"), id=UNCERTAINTY_STYLE_ID)
    add_text(ET.SubElement(style, tag("LineStyle")), "color", format_kml_colour(UNCERTAINTY_COLOUR, 1.0))
    poly = ET.SubElement(style, tag("PolyStyle"))
    add_text(poly, "color", format_kml_colour(UNCERTAINTY_COLOUR, 0.15))
    styles.add(UNCERTAINTY_STYLE_ID)
    areas = build_uncertainty_layer(snapshot)
    for _, area in areas.iterrows():
        placemark = ET.SubElement(folder, tag("Placemark"), id=str(area["id"]))
        add_text(placemark, "name", f"{area['name']} (uncertainty area)")
        add_markup(placemark, "description", "<p>The place is known to within "
                   f"{float(area['radius_km']):g} km: the circle covers every airfield it may be.</p>")
        add_text(placemark, "styleUrl", f"#{UNCERTAINTY_STYLE_ID}")
        polygon = ET.SubElement(placemark, tag("Polygon"))
        add_text(polygon, "tessellate", "1")
        ring = ET.SubElement(ET.SubElement(polygon, tag("outerBoundaryIs")), tag("LinearRing"))
        add_text(ring, "coordinates", format_coordinates(area.geometry.exterior.coords))
    return folder
