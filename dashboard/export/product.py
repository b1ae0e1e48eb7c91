"""Write one briefing product: the snapshot as the spec's format, to a file or to bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from layers import Snapshot
from layers.tracks.trackset import TrackSet

from dashboard.export.atomic import write_atomically
from dashboard.export.briefing import BriefingSpec
from dashboard.export.formats import FORMATS


def write_product(snapshot: Snapshot, spec: BriefingSpec, path: Path | str, *,
                  tracks: TrackSet | None = None) -> Path:
    """Write ``snapshot`` as ``spec.format`` to ``path``, atomically; return the path.

    ``tracks`` (``dataset.tracks``) gives the formats that list every ADS-B position
    (``ExportFormat.takes_positions``: the GeoPackage) the positions no map layer holds.

    Raises
    ------
    ExportWriteError
        If the file cannot be written; nothing is left at ``path`` then.
    ExportError
        For other failures of a writer (each names what to do).
    """
    export_format = FORMATS[spec.format]
    writer = export_format.load_writer()
    if export_format.takes_positions:
        return write_atomically(Path(path), lambda temporary: writer(snapshot, spec, temporary, tracks=tracks))
    return write_atomically(Path(path), lambda temporary: writer(snapshot, spec, temporary))


def render_product(snapshot: Snapshot, spec: BriefingSpec, *, tracks: TrackSet | None = None) -> bytes:
    """Return the product as bytes (for a download button), via a private temporary folder."""
    with tempfile.TemporaryDirectory(prefix="airbridge-export-") as folder:
        path = write_product(snapshot, spec, Path(folder) / f"briefing{spec.suffix}", tracks=tracks)
        return path.read_bytes()


def name_product(spec: BriefingSpec) -> str:
    """Return the default file name of a product, e.g. ``airbridge-2024-12-20-theatre.png``."""
    extent = "" if not FORMATS[spec.format].is_map else f"-{spec.extent_name}"
    return f"airbridge-{spec.selection.as_of.isoformat()}{extent}{spec.suffix}"
