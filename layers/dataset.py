"""The validated dataset as GeoDataFrames: sites, statuses, places, flights, events, corridors."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from layers.airfields import airportsdata_version, find_airfield
from layers.geodesic import build_geodesic_line, distance_km, find_spherical_centre
from layers.schema import AIRCRAFT, CORRIDORS, EVENTS, FLIGHTS, OBSERVATIONS, PLACES, SITE_STATUS, SITES, FileSpec
from layers.tracks.positions import empty_positions
from layers.tracks.trackset import TrackSet
from layers.validation import SHIPPED, ExtraRow, Record, validate_dataset

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CRS = "EPSG:4326"
PLACE_RADIUS_STEP_KM = 5.0


@dataclass(frozen=True)
class Location:
    """Where a site or named place is drawn, and how uncertain that is."""

    id: str
    name: str
    lon: float
    lat: float
    radius_km: float  # 0 for a site; the uncertainty radius of a named place


@dataclass(frozen=True)
class Dataset:
    """Every validated table of the dataset, in EPSG:4326 where it has geometry.

    Attributes
    ----------
    sites : GeoDataFrame
        One row per site (index ``id``), Point geometry; ``coord_origin`` says whether the
        position is from airportsdata or a cited hand coordinate.
    site_status : DataFrame
        The status timeline: ``site_id``, ``start`` (first day the row takes effect),
        ``date`` (as written), ``precision``, ``status``, ``actor`` (None for a workspace
        row imported without one), ``note`` and the sourcing columns.
    places : GeoDataFrame
        Named places (index ``id``): centre Point and ``radius_km``.
    flights, events : DataFrame
        Records with ``date`` and ``end_date`` as datetime64 (``end_date`` NaT when open).
    corridors : GeoDataFrame
        Reference lines (index ``id``), geodesic through their waypoints.
    locations : dict
        Site and place id -> Location, for drawing flight endpoints and events.
    aircraft : DataFrame
        The watchlist (index ``icao24``): registration, type, operator, note, source.
    tracks : TrackSet
        ADS-B positions from the workspace, with the flights and gaps made from them
        (:mod:`layers.tracks.trackset`); empty for the shipped data alone.
    observations : DataFrame
        What sources saw at a place: the columns of ``observations.csv`` with ``date`` as
        written, ``precision``, and ``start`` / ``end`` (first and last day the date can mean).
    """

    data_dir: Path
    sites: gpd.GeoDataFrame
    site_status: pd.DataFrame
    places: gpd.GeoDataFrame
    flights: pd.DataFrame
    events: pd.DataFrame
    corridors: gpd.GeoDataFrame
    locations: dict[str, Location]
    aircraft: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(AIRCRAFT.columns[1:])))
    tracks: TrackSet = field(default_factory=lambda: TrackSet(empty_positions()))
    observations: pd.DataFrame = field(default_factory=lambda: _build_observations([]))

    # cached_property writes the instance __dict__ directly, which a frozen dataclass allows.
    @cached_property
    def first_date(self) -> pd.Timestamp:
        """The earliest flight or event date; the earliest status date when there are neither."""
        return _list_dates(self).min()

    @cached_property
    def last_date(self) -> pd.Timestamp:
        """The latest flight or event date (start or end); the latest status date when there are neither."""
        return _list_dates(self).max()


def load_dataset(data_dir: Path | str = DEFAULT_DATA_DIR, extra_rows: Sequence[ExtraRow] = ()) -> Dataset:
    """Read and validate the dataset in ``data_dir``, with any workspace rows.

    Parameters
    ----------
    data_dir : Path or str
        Folder holding the CSV files described in docs/data.md.
    extra_rows : sequence of ExtraRow
        Rows of an analyst's workspace (``layers.workspace.list_workspace_rows``), shown
        with the shipped rows; every frame says where each row came from (``provenance``).

    Returns
    -------
    Dataset

    Raises
    ------
    DataValidationError
        Listing every problem (file, line, field, value, fix). Nothing is dropped or fixed.
    """
    data_dir = Path(data_dir)
    records = validate_dataset(data_dir, extra_rows)
    sites = _build_sites(records[SITES.filename])
    places = _build_places(records[PLACES.filename])
    locations = {
        **{sid: Location(sid, row["name"], row.geometry.x, row.geometry.y, 0.0)
           for sid, row in sites.iterrows()},
        **{pid: Location(pid, row["name"], row.geometry.x, row.geometry.y, row["radius_km"])
           for pid, row in places.iterrows()},
    }
    return Dataset(
        data_dir=data_dir,
        sites=sites,
        site_status=_build_site_status(records[SITE_STATUS.filename]),
        places=places,
        flights=_build_dated(records[FLIGHTS.filename], FLIGHTS),
        events=_build_dated(records[EVENTS.filename], EVENTS),
        corridors=_build_corridors(records[CORRIDORS.filename], sites),
        locations=locations,
        aircraft=_frame(records[AIRCRAFT.filename], AIRCRAFT).set_index("icao24"),
        observations=_build_observations(records[OBSERVATIONS.filename]),
    )


def _list_dates(dataset: Dataset) -> pd.Series:
    # Series.min/max skip NaT, where the built-in min/max would return it whenever it
    # comes first; an empty flights or events table must not blank the range.
    dates = pd.concat([frame[column] for frame in (dataset.flights, dataset.events, dataset.tracks.flights)
                       for column in ("date", "end_date")]).dropna()
    if dates.empty:
        # Validation guarantees a status row then (see _check_dated_records).
        dates = dataset.site_status["start"].dropna()
    return dates


def _frame(records: list[Record], spec: FileSpec) -> pd.DataFrame:
    # The columns come from the spec, so a header-only file gives an empty table with the
    # right columns rather than one with none.
    return pd.DataFrame([{k: v for k, v in r.items() if not k.startswith("_")}
                         | {"line": r["_line"], "provenance": r.get("_provenance", SHIPPED)}
                         for r in records], columns=[*spec.columns, "line", "provenance"])


def _build_sites(records: list[Record]) -> gpd.GeoDataFrame:
    frame = _frame(records, SITES)
    points, origins = [], []
    for rec in records:
        if rec["lat"] is not None:
            points.append(Point(rec["lon"], rec["lat"]))
            origins.append(f"hand coordinate: {rec['coord_source']}")
        else:
            airfield = find_airfield(rec["icao"])
            points.append(Point(airfield.lon, airfield.lat))
            origins.append(f"airportsdata {airportsdata_version()} {airfield.code}")
    frame["coord_origin"] = origins
    return gpd.GeoDataFrame(frame.drop(columns=["lat", "lon"]), geometry=points, crs=CRS).set_index("id")


def _build_places(records: list[Record]) -> gpd.GeoDataFrame:
    frame = _frame(records, PLACES)
    points, radii = [], []
    for rec in records:
        airfields = [find_airfield(code) for code in rec["airfields"]]
        lon, lat = find_spherical_centre([(a.lon, a.lat) for a in airfields])
        farthest = max(distance_km(lon, lat, a.lon, a.lat) for a in airfields)
        points.append(Point(lon, lat))
        radii.append(max(math.ceil(farthest / PLACE_RADIUS_STEP_KM), 1) * PLACE_RADIUS_STEP_KM)
    frame["radius_km"] = radii
    return gpd.GeoDataFrame(frame, geometry=points, crs=CRS).set_index("id")


def _build_site_status(records: list[Record]) -> pd.DataFrame:
    frame = _frame(records, SITE_STATUS)
    frame["start"] = pd.to_datetime([r["date"].start for r in records])
    frame["precision"] = [r["date"].precision for r in records]
    frame["date"] = [r["date"].text for r in records]
    # Stable sort: rows with the same start keep file order, so the later row wins.
    return frame.sort_values(["site_id", "start"], kind="stable").reset_index(drop=True)


def _build_observations(records: list[Record]) -> pd.DataFrame:
    frame = _frame(records, OBSERVATIONS)
    frame["start"] = pd.to_datetime([r["date"].start for r in records])
    frame["end"] = pd.to_datetime([r["date"].end for r in records])
    frame["precision"] = [r["date"].precision for r in records]
    frame["date"] = [r["date"].text for r in records]
    return frame.sort_values("start", kind="stable").reset_index(drop=True)


def _build_dated(records: list[Record], spec: FileSpec) -> pd.DataFrame:
    frame = _frame(records, spec)
    for column in ("date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _build_corridors(records: list[Record], sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = _frame(records, CORRIDORS)
    lines = []
    for rec in records:
        points = []
        for waypoint in rec["waypoints"]:
            if waypoint in sites.index:
                geom = sites.geometry[waypoint]
                points.append((geom.x, geom.y))
            else:
                airfield = find_airfield(waypoint)
                points.append((airfield.lon, airfield.lat))
        lines.append(build_geodesic_line(points))
    for column in ("valid_from", "valid_to"):
        frame[column] = pd.to_datetime(frame[column])
    return gpd.GeoDataFrame(frame, geometry=lines, crs=CRS).set_index("id")
