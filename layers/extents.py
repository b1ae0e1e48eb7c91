"""Named map extents shared by the live map and the exports (west, south, east, north)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Extent:
    """A lon/lat box in degrees (EPSG:4326)."""

    west: float
    south: float
    east: float
    north: float

    def __post_init__(self) -> None:
        if not (-180 <= self.west < self.east <= 180 and -90 <= self.south < self.north <= 90):
            raise ValueError(
                f"extent {self.west},{self.south},{self.east},{self.north} makes no sense: "
                "give W,S,E,N in degrees with W < E and S < N"
            )

    @property
    def centre(self) -> tuple[float, float]:
        """(lat, lon) of the middle of the box."""
        return (self.south + self.north) / 2, (self.west + self.east) / 2


# Boxes chosen to frame the sites of data/ with a margin; "theatre" (the default view)
# takes in Libya, Syria and the eastern Mediterranean, "route" adds the Russian origins.
EXTENTS: dict[str, Extent] = {
    "theatre": Extent(8.0, 19.0, 44.0, 40.0),
    "syria": Extent(34.5, 32.0, 43.0, 38.0),
    "libya": Extent(8.5, 18.5, 26.5, 34.0),
    "route": Extent(8.0, 18.0, 52.0, 58.5),
}
DEFAULT_EXTENT = "theatre"
# What the live map's extent buttons (``airbridge-view.js``) and the export panel call
# each box, in the order they offer them.
EXTENT_LABELS: dict[str, str] = {
    "theatre": "Theatre (Libya to Syria)", "syria": "Syria", "libya": "Libya", "route": "Russia to Libya",
}


def parse_extent(text: str) -> Extent:
    """Return a named extent, or parse ``W,S,E,N`` in degrees.

    Raises
    ------
    ValueError
        With a message saying what to write instead.
    """
    if text in EXTENTS:
        return EXTENTS[text]
    parts = text.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4:
        raise ValueError(f"extent {text!r}: use one of {', '.join(EXTENTS)} or W,S,E,N in degrees")
    return Extent(*numbers)
