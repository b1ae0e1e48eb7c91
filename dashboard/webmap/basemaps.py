"""The base layers the map offers: the embedded offline basemap first, online tiles as options."""

from __future__ import annotations

from dataclasses import dataclass

from layers.basemap import BASEMAP_ATTRIBUTION


@dataclass(frozen=True)
class Basemap:
    """A base layer: the embedded Natural Earth countries (``url`` None) or a tile service."""

    label: str
    url: str | None
    attribution: str  # static HTML written here, never data
    max_zoom: int = 18
    subdomains: str = "abc"

    @property
    def offline(self) -> bool:
        """True for the embedded basemap, which needs no network."""
        return self.url is None


BASEMAPS: dict[str, Basemap] = {
    "natural_earth": Basemap("Natural Earth (offline)", None, BASEMAP_ATTRIBUTION, max_zoom=12),
    "osm": Basemap("OpenStreetMap (online)", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                   '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
                   max_zoom=19),
    "esri_imagery": Basemap("Esri World Imagery (online)",
                            "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
                            "Tiles &copy; Esri &mdash; Esri, Maxar, Earthstar Geographics, and the GIS User Community",
                            max_zoom=18),
    "carto_dark": Basemap("CartoDB dark (online)", "https://{s}.basemaps.cartocdn.com/dark_all/{z}/{x}/{y}{r}.png",
                          '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
                          '&copy; <a href="https://carto.com/attributions">CARTO</a>', max_zoom=20, subdomains="abcd"),
}
DEFAULT_BASEMAP = "natural_earth"
