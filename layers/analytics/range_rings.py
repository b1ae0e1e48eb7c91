"""Range rings: how far a type can fly from a site, for each documented range, as geodesic circles.

The ranges are the published figures of :mod:`layers.tracks.performance` (each with its
payload and source): still air, no reserves beyond what the figure includes, a one-way
distance. A ring is the set of points at that geodesic distance from the site on the
WGS84 ellipsoid (pyproj.Geod), drawn as a line of :data:`RING_VERTICES` vertices and split
at the antimeridian; a ring wider than the distance to a pole goes round it, which a
line draws correctly and a filled polygon in longitude/latitude would not.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, MultiLineString

from layers.dataset import CRS, Dataset
from layers.geodesic import WGS84, build_geodesic_line
from layers.tracks.performance import RangeFigure, find_performance

RING_VERTICES = 180
RING_COLUMNS = ("layer", "id", "name", "sources", "confidence", "provenance", "site_id", "aircraft_type",
                "label", "range_km", "range_nm")


def list_range_figures(aircraft_type: str) -> tuple[RangeFigure, ...]:
    """Return the documented ranges of a type (ICAO designator or plain name); empty when none is documented."""
    return find_performance(aircraft_type).ranges


def build_range_ring(lon: float, lat: float, radius_km: float,
                     vertices: int = RING_VERTICES) -> LineString | MultiLineString:
    """Return the closed geodesic circle of ``radius_km`` around (lon, lat).

    Raises
    ------
    ValueError
        If the radius is not positive or reaches the antipode (about 20,000 km).
    """
    if not 0 < radius_km < 19_900:
        raise ValueError(f"a range ring needs a radius between 0 and 19,900 km; got {radius_km}")
    azimuths = np.linspace(0.0, 360.0, vertices, endpoint=False)
    lons, lats, _ = WGS84.fwd(np.full(vertices, lon), np.full(vertices, lat), azimuths,
                              np.full(vertices, radius_km * 1000.0))
    points = [(float(x), float(y)) for x, y in zip(lons, lats, strict=True)]
    # Joined vertex to vertex along short geodesics, so the antimeridian split is the shared one.
    return build_geodesic_line([*points, points[0]], max_segment_km=max(radius_km * 6.3 / vertices, 1.0))


def build_range_ring_layer(dataset: Dataset, site_id: str, aircraft_type: str) -> gpd.GeoDataFrame:
    """Return one ring per documented range of ``aircraft_type`` around a site or named place.

    Properties: the common ones (``layer`` = ``range_ring``, ``id``, ``name``,
    ``sources`` (the range's source), ``confidence`` (``medium``: published type data,
    not this aircraft's load), ``provenance``) and ``site_id``, ``aircraft_type`` (the
    type's name), ``label`` (the payload the figure is for), ``range_km``, ``range_nm``.

    Raises
    ------
    KeyError
        If ``site_id`` is neither a site nor a named place.
    """
    if site_id not in dataset.locations:
        raise KeyError(f"{site_id!r} is not a site or named place id")
    where = dataset.locations[site_id]
    performance = find_performance(aircraft_type)
    rows, geometries = [], []
    for number, figure in enumerate(performance.ranges, start=1):
        rows.append({"layer": "range_ring", "id": f"ring-{site_id}-{performance.designator.lower()}-{number}",
                     "name": f"{performance.name} from {where.name}: {figure.km:,.0f} km ({figure.label})",
                     "sources": [figure.source], "confidence": "medium", "provenance": "shipped",
                     "site_id": site_id, "aircraft_type": performance.name, "label": figure.label,
                     "range_km": figure.km, "range_nm": round(figure.km / 1.852, 1)})
        geometries.append(build_range_ring(where.lon, where.lat, figure.km))
    frame = pd.DataFrame(rows, columns=list(RING_COLUMNS), dtype=object)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometries, crs=CRS), crs=CRS)
