"""The briefing's map panel as a GeoTIFF, so that it drops onto QGIS or ATAK in place.

The picture is the PNG slide's map panel, cropped to its frame (symbols, labels, scale
bar and north arrow included; title, legend, footnotes and the locator inset left out,
since the inset would lie on the ground it covers), in the slide's own
conformal projection. The georeferencing is written as GeoTIFF 1.0 keys with Pillow's
TIFF writer: ``ModelPixelScale`` and ``ModelTiepoint`` place the pixels, and the
projection is a user-defined Lambert conformal conic (two standard parallels) or Mercator
on the WGS 84 datum, spelt out key by key, because no EPSG code names a projection fitted
to the extent. GDAL (and so QGIS) reads these keys; ``tests/test_export_geotiff.py`` opens
the file with GDAL itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from PIL import Image, TiffImagePlugin, TiffTags

from layers import Snapshot

from dashboard.export.briefing import BriefingSpec
from dashboard.export.export_style import use_export_style
from dashboard.export.projection import MapProjection
from dashboard.export.static_map import render_briefing_figure

# TIFF tags of the GeoTIFF 1.0 specification.
MODEL_PIXEL_SCALE, MODEL_TIEPOINT = 33550, 33922
GEO_KEY_DIRECTORY, GEO_DOUBLE_PARAMS, GEO_ASCII_PARAMS = 34735, 34736, 34737
# GeoKey ids and codes (GeoTIFF 1.0, section 6).
GT_MODEL_TYPE, GT_RASTER_TYPE, GT_CITATION = 1024, 1025, 1026
GEOGRAPHIC_TYPE, GEOG_CITATION, GEOG_ANGULAR_UNITS = 2048, 2049, 2054
PROJECTED_CS_TYPE, PCS_CITATION, PROJECTION, PROJ_COORD_TRANS, PROJ_LINEAR_UNITS = 3072, 3073, 3074, 3075, 3076
PROJ_STD_PARALLEL_1, PROJ_STD_PARALLEL_2 = 3078, 3079
PROJ_NAT_ORIGIN_LONG, PROJ_NAT_ORIGIN_LAT = 3080, 3081
PROJ_FALSE_EASTING, PROJ_FALSE_NORTHING = 3082, 3083
PROJ_FALSE_ORIGIN_LONG, PROJ_FALSE_ORIGIN_LAT = 3084, 3085
PROJ_FALSE_ORIGIN_EASTING, PROJ_FALSE_ORIGIN_NORTHING = 3086, 3087
PROJ_SCALE_AT_NAT_ORIGIN = 3092
MODEL_TYPE_PROJECTED, RASTER_PIXEL_IS_AREA, USER_DEFINED = 1, 1, 32767
GCS_WGS_84, ANGULAR_DEGREE, LINEAR_METRE = 4326, 9102, 9001
CT_MERCATOR, CT_LAMBERT_CONFORMAL_CONIC_2SP = 7, 8


class UnsupportedProjectionError(ValueError):
    """The map's projection is not one this writer can describe in GeoKeys."""


@dataclass(frozen=True)
class GeoImage:
    """A picture of the map panel and where its pixels are.

    ``origin`` is the map (x, y) of the upper-left corner of the upper-left pixel and
    ``pixel_size`` the (width, height) of one pixel in map metres.
    """

    pixels: np.ndarray  # rows x columns x 3, uint8, the first row at the top
    origin: tuple[float, float]
    pixel_size: tuple[float, float]
    projection: MapProjection


def write_geotiff(snapshot: Snapshot, spec: BriefingSpec, path: Path) -> None:
    """Write the map panel of the spec's slide as a GeoTIFF (RGB, deflate-compressed)."""
    geo = render_geo_image(snapshot, spec)
    directory = build_geotiff_tags(geo)
    image = Image.fromarray(geo.pixels, mode="RGB")
    # Deflate goes through libtiff, which writes the typed GeoTIFF tags as given (GDAL reads them back).
    image.save(path, format="TIFF", tiffinfo=directory, compression="tiff_deflate")


def render_geo_image(snapshot: Snapshot, spec: BriefingSpec) -> GeoImage:
    """Render the slide and return its map panel, cropped to whole pixels, with their map positions."""
    briefing = render_briefing_figure(snapshot, spec)
    with use_export_style():
        # The locator inset sits on the map panel: in QGIS it would lie on the ground it
        # covers. Every other panel is hidden too; the crop keeps only the map's pixels.
        for axes in briefing.figure.axes:
            axes.set_visible(axes is briefing.map_axes)
        canvas = briefing.figure.canvas
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba())  # type: ignore[attr-defined]
        left, bottom, right, top = _panel_pixels(briefing.map_axes, rgba.shape[0])
        pixels = np.ascontiguousarray(rgba[top:bottom, left:right, :3])
        # The map position of the crop's corners, from the axes' own transform, so the
        # georeferencing is that of the pixels kept, not of the panel's fractional edges.
        height = rgba.shape[0]
        to_map = briefing.map_axes.transData.inverted()
        (x0, y0), (x1, y1) = to_map.transform([(left, height - top), (right, height - bottom)])
    columns, rows = right - left, bottom - top
    return GeoImage(pixels, (float(x0), float(y0)), ((x1 - x0) / columns, (y0 - y1) / rows),
                    briefing.projection)


def build_geotiff_tags(geo: GeoImage) -> TiffImagePlugin.ImageFileDirectory_v2:
    """Return the GeoTIFF tags that place ``geo``'s pixels in its projection."""
    shorts, doubles, ascii_text = _describe_projection(geo.projection)
    directory = TiffImagePlugin.ImageFileDirectory_v2()
    _set_tag(directory, MODEL_PIXEL_SCALE, TiffTags.DOUBLE, (geo.pixel_size[0], geo.pixel_size[1], 0.0))
    _set_tag(directory, MODEL_TIEPOINT, TiffTags.DOUBLE, (0.0, 0.0, 0.0, geo.origin[0], geo.origin[1], 0.0))
    entries: list[tuple[int, int, int, int]] = [(key, 0, 1, value) for key, value in shorts.items()]
    double_values: list[float] = []
    for key, value in doubles.items():
        entries.append((key, GEO_DOUBLE_PARAMS, 1, len(double_values)))
        double_values.append(value)
    ascii_params = ""
    for key, text in ascii_text.items():
        entry_text = text.replace("|", "/") + "|"
        entries.append((key, GEO_ASCII_PARAMS, len(entry_text), len(ascii_params)))
        ascii_params += entry_text
    entries.sort()
    header = (1, 1, 0, len(entries))
    _set_tag(directory, GEO_KEY_DIRECTORY, TiffTags.SHORT,
             tuple(v for entry in (header, *entries) for v in entry))
    _set_tag(directory, GEO_DOUBLE_PARAMS, TiffTags.DOUBLE, tuple(double_values))
    _set_tag(directory, GEO_ASCII_PARAMS, TiffTags.ASCII, ascii_params)
    return directory


# The CRS's own parameter names (PROJ's EPSG wording) for each GeoKey written.
LCC_KEYS = {PROJ_FALSE_ORIGIN_LAT: "Latitude of false origin", PROJ_FALSE_ORIGIN_LONG: "Longitude of false origin",
            PROJ_STD_PARALLEL_1: "Latitude of 1st standard parallel",
            PROJ_STD_PARALLEL_2: "Latitude of 2nd standard parallel",
            PROJ_FALSE_ORIGIN_EASTING: "Easting at false origin",
            PROJ_FALSE_ORIGIN_NORTHING: "Northing at false origin"}
MERCATOR_KEYS = {PROJ_NAT_ORIGIN_LAT: "Latitude of natural origin", PROJ_NAT_ORIGIN_LONG: "Longitude of natural origin",
                 PROJ_SCALE_AT_NAT_ORIGIN: "Scale factor at natural origin", PROJ_FALSE_EASTING: "False easting",
                 PROJ_FALSE_NORTHING: "False northing"}
METHODS = {"Lambert Conic Conformal (2SP)": (CT_LAMBERT_CONFORMAL_CONIC_2SP, LCC_KEYS),
           "Mercator (variant A)": (CT_MERCATOR, MERCATOR_KEYS)}


def _describe_projection(projection: MapProjection) -> tuple[dict[int, int], dict[int, float], dict[int, str]]:
    crs = projection.crs
    operation = crs.coordinate_operation
    if operation is None or operation.method_name not in METHODS or crs.datum is None \
            or crs.datum.name != "World Geodetic System 1984":
        raise UnsupportedProjectionError(f"{projection.name}: no GeoTIFF description for this projection")
    transformation, keys = METHODS[operation.method_name]
    values = {param.name: float(param.value) for param in operation.params}
    shorts = {GT_MODEL_TYPE: MODEL_TYPE_PROJECTED, GT_RASTER_TYPE: RASTER_PIXEL_IS_AREA,
              GEOGRAPHIC_TYPE: GCS_WGS_84, GEOG_ANGULAR_UNITS: ANGULAR_DEGREE,
              PROJECTED_CS_TYPE: USER_DEFINED, PROJECTION: USER_DEFINED, PROJ_COORD_TRANS: transformation,
              PROJ_LINEAR_UNITS: LINEAR_METRE}
    doubles = {key: values[name] for key, name in keys.items()}
    # GeoTIFF's ASCII parameters are 7-bit: the projection's name loses its degree signs.
    name = projection.name.replace("\u00b0", " deg")
    return shorts, doubles, {GT_CITATION: f"Airbridge briefing map: {name}", PCS_CITATION: name}


def _panel_pixels(axes: Axes, height: int) -> tuple[int, int, int, int]:
    """Return the map panel's whole pixels as (left, bottom, right, top), rows counted from the top."""
    box = axes.get_window_extent()
    left, right = int(np.ceil(box.x0)), int(np.floor(box.x1))
    top, bottom = int(np.ceil(height - box.y1)), int(np.floor(height - box.y0))
    return left, bottom, right, top


def _set_tag(directory: TiffImagePlugin.ImageFileDirectory_v2, tag: int, kind: int,
             value: Sequence[float] | Sequence[int] | str) -> None:
    directory.tagtype[tag] = kind
    directory[tag] = value
