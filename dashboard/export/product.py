"""Write one briefing product: the snapshot as the spec's format, to a file or to bytes."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd

from layers import Snapshot
from layers.tracks.trackset import TrackSet

from dashboard.export.atomic import write_atomically
from dashboard.export.briefing import BriefingSpec
from dashboard.export.formats import FORMATS


def write_product(snapshot: Snapshot, spec: BriefingSpec, path: Path | str, *,
                  tracks: TrackSet | None = None, site_status: pd.DataFrame | None = None) -> Path:
    """Write ``snapshot`` as ``spec.format`` to ``path``, atomically; return the path.

    ``tracks`` (``dataset.tracks``) gives the formats that list every ADS-B position
    (``ExportFormat.takes_positions``: the GeoPackage) the positions no map layer holds;
    ``site_status`` (``dataset.site_status``) gives the formats that show each site's
    status history (``ExportFormat.takes_history``: KML and KMZ) the earlier statuses.
    A PNG slide whose sources do not all fit also gets its sources pages beside it
    (:func:`write_product_files` lists them).

    Raises
    ------
    ExportWriteError
        If the file cannot be written; nothing is left at ``path`` then.
    ExportError
        For other failures of a writer (each names what to do).
    """
    return write_product_files(snapshot, spec, path, tracks=tracks, site_status=site_status)[0]


def write_product_files(snapshot: Snapshot, spec: BriefingSpec, path: Path | str, *,
                        tracks: TrackSet | None = None, site_status: pd.DataFrame | None = None) -> list[Path]:
    """Write the product as :func:`write_product` does; return its files, ``path`` first, then any sources pages.

    Raises
    ------
    ExportWriteError, ExportError
        As :func:`write_product`.
    """
    path = Path(path)
    export_format = FORMATS[spec.format]
    writer = export_format.load_writer()
    pages: list[Path] = []
    if export_format.takes_positions:
        write_atomically(path, lambda temporary: writer(snapshot, spec, temporary, tracks=tracks))
    elif export_format.takes_history:
        write_atomically(path, lambda temporary: writer(snapshot, spec, temporary, site_status=site_status))
    elif export_format.writes_pages:
        try:
            write_atomically(path, lambda temporary: pages.extend(writer(snapshot, spec, temporary, pages_beside=path)))
        except BaseException:  # the slide was not put in place (a stop as it was renamed): nor are its pages
            for page in pages:
                page.unlink(missing_ok=True)
            raise
    else:
        write_atomically(path, lambda temporary: writer(snapshot, spec, temporary))
    return [path, *pages]


def render_product(snapshot: Snapshot, spec: BriefingSpec, *, tracks: TrackSet | None = None,
                   site_status: pd.DataFrame | None = None) -> bytes:
    """Return the product as bytes (for a download button), via a private temporary folder."""
    return render_product_files(snapshot, spec, tracks=tracks, site_status=site_status)[0][1]


def render_product_files(snapshot: Snapshot, spec: BriefingSpec, *, tracks: TrackSet | None = None,
                         site_status: pd.DataFrame | None = None) -> list[tuple[str, bytes]]:
    """Return each file of the product (name under ``name_product``, bytes): the product, then any sources pages."""
    name = name_product(spec)
    with tempfile.TemporaryDirectory(prefix="airbridge-export-") as folder:
        paths = write_product_files(snapshot, spec, Path(folder) / name, tracks=tracks, site_status=site_status)
        return [(path.name, path.read_bytes()) for path in paths]


def name_product(spec: BriefingSpec, *, last: dt.date | None = None) -> str:
    """Return the default file name of a product, e.g. ``airbridge-2024-12-20-theatre.png``.

    A custom extent is named by its box (``airbridge-2024-12-20-10W30N40E45N.png``), so two
    custom extents never share a name; ``last`` names a deck of dates from the spec's to it
    (``airbridge-2024-12-08-to-2024-12-29-theatre.pdf``).
    """
    extent = "" if not FORMATS[spec.format].is_map else f"-{name_extent(spec)}"
    dates = spec.selection.as_of.isoformat() + (f"-to-{last.isoformat()}" if last else "")
    return f"airbridge-{dates}{extent}{spec.suffix}"


def name_extent(spec: BriefingSpec) -> str:
    """Return the extent's part of a file name: the preset's name, or the box of a custom extent.

    Examples
    --------
    >>> from layers import TimeSelection
    >>> from layers.extents import Extent
    >>> import datetime
    >>> name_extent(BriefingSpec(TimeSelection(datetime.date(2024, 12, 20)), extent=Extent(-10, 30, 40, 45.5),
    ...                          extent_name="custom"))
    '10W30N40E45.5N'
    """
    if spec.extent_name != "custom":
        return spec.extent_name
    box = spec.extent
    return "".join(f"{abs(value):g}{positive if value >= 0 else negative}" for value, positive, negative in (
        (box.west, "E", "W"), (box.south, "N", "S"), (box.east, "E", "W"), (box.north, "N", "S")))
