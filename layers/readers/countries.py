"""The country of an imported point, looked up in the shipped Natural Earth basemap.

A site needs an ISO 3166-1 alpha-2 ``country``. When the file gives none, the point is
looked up in the basemap's country polygons (:func:`layers.basemap.read_basemap`, read
once per process). The lookup only reports a code the basemap itself holds, in a column
named like Natural Earth's ``ISO_A2``: the basemap shipped today (world-atlas) carries only
``name`` and the ISO *numeric* ``id``, so it gives the country's name, never a code, and
the reader asks for the code instead of guessing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

# Column names that hold an ISO alpha-2 code in Natural Earth and its repackagings.
ALPHA2_COLUMNS = ("iso_a2", "ISO_A2", "iso_a2_eh", "ISO_A2_EH", "iso2", "ISO2", "alpha2")
_ALPHA2 = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class CountryMatch:
    """The basemap country a point lies in.

    Attributes
    ----------
    name : str
        The basemap's name for it, e.g. ``Libya``.
    code : str or None
        Its ISO 3166-1 alpha-2 code, when the basemap holds one.
    """

    name: str
    code: str | None


@cache
def _load_countries() -> tuple[Any, Any, str | None]:
    # Read lazily: geopandas and a 1.6 MB file are needed only when a point lacks a country.
    from layers.basemap import read_basemap

    frame = read_basemap()
    column = next((c for c in ALPHA2_COLUMNS if c in frame.columns), None)
    return frame, frame.sindex, column


def find_country(lon: float, lat: float) -> CountryMatch | None:
    """Return the basemap country holding the point, or None at sea or off every polygon.

    Parameters
    ----------
    lon, lat : float
        WGS84 degrees.

    Raises
    ------
    layers.basemap.BasemapMissingError
        If the basemap file is missing from the checkout.
    """
    from shapely.geometry import Point

    frame, index, column = _load_countries()
    hits = index.query(Point(lon, lat), predicate="intersects")
    if len(hits) == 0:
        return None
    row = frame.iloc[int(min(hits))]
    code = str(row[column]) if column is not None and row[column] is not None else None
    return CountryMatch(str(row["name"]), code if code is not None and _ALPHA2.match(code) else None)
