"""Publishing the map's data once per data version: the catalogue, the basemap, and a manifest to find them again.

Building the catalogue (texts, geometries and the scrub index) takes seconds; a server that
did it on the first request kept its first visitor waiting (issue 11). So the start-up step
(``python -m dashboard.app.prebuild``, run by ``scripts/app.sh`` before the server starts)
builds and publishes it, and writes a small manifest named by the **build key**: a digest
of the data version (the caller's fingerprint and filters) and of this code. A server
process that finds the manifest of its key reads the published catalogue back instead of
building it again, so a restart with unchanged data and code costs a file read.

The manifest and the catalogue are JSON, never pickles: the cache folder may be shared, and
reading it must not run anything. A manifest that cannot be read is a cache miss (with a
:class:`StaleManifestWarning`), and the catalogue is built again. No Streamlit here.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from layers import Dataset
from layers.basemap import read_basemap_text

from dashboard.webmap.catalogue import Catalogue
from dashboard.webmap.folium_map import build_static_options
from dashboard.webmap.map_payload import build_catalogue, collect_catalogue_snapshots
from dashboard.webmap.static_files import (
    build_library_bundle,
    name_gzip_copy,
    prune_published,
    publish_file,
    write_published,
)

MANIFEST_STEM = "manifest"
MANIFEST_VERSION = 1
# The code a catalogue depends on: the layer builders and the map's encoders (the page's own
# modules decide nothing the catalogue holds).
CODE_PACKAGES = ("layers", "dashboard/webmap")
ROOT = Path(__file__).resolve().parents[2]
__all__ = ["Publication", "StaleManifestWarning", "compute_build_key", "publish_map_data", "read_publication"]


class StaleManifestWarning(UserWarning):
    """A manifest of the published folder could not be read; the catalogue is built again."""


@dataclass(frozen=True)
class Publication:
    """A published data version: its catalogue and the names of its files in the published folder."""

    catalogue: Catalogue
    """Without its scrub index (``scrub`` is None): only the browser reads that, from the
    published file, and in a server's memory it is the largest part (about 38 MB of
    Python lists at 10,000 flight records)."""
    catalogue_file: str
    basemap_file: str
    library_file: str
    """The map's scripts in one file (``static_files.build_library_bundle``)."""
    manifest_file: str
    built: bool
    """True when this call built the catalogue, False when it was read back from an earlier publish."""

    def list_files(self) -> tuple[str, ...]:
        """Return the names of the files the browser fetches (:func:`list_published_files`)."""
        return list_published_files(self.catalogue_file, self.basemap_file, self.library_file)


def list_published_files(catalogue_file: str, basemap_file: str, library_file: str) -> tuple[str, ...]:
    """Return the names of a publication's files the browser fetches: catalogue, basemap, their gzip copies, scripts."""
    return (catalogue_file, name_gzip_copy(catalogue_file), basemap_file, name_gzip_copy(basemap_file), library_file)


@cache
def _code_digest() -> str:
    digest = hashlib.sha256()
    for package in CODE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".js", ".css"}:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def compute_build_key(data_version: str) -> str:
    """Return the build key of a data version (any stable text, e.g. the ``repr`` of a frozen fingerprint).

    It changes when the data version changes or when any file of :data:`CODE_PACKAGES` does.
    """
    return hashlib.sha256(f"{data_version}\n{_code_digest()}".encode()).hexdigest()[:16]


def _manifest_name(build_key: str) -> str:
    return f"{MANIFEST_STEM}-{build_key}.json"


def read_publication(directory: Path, build_key: str) -> Publication | None:
    """Return the publication of ``build_key`` in ``directory``, or None when it was not published (or is gone).

    Warns
    -----
    StaleManifestWarning
        If the manifest or its catalogue is there but cannot be read.
    """
    manifest_path = directory / _manifest_name(build_key)
    if not manifest_path.is_file():
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("version") != MANIFEST_VERSION:
            raise ValueError(f"manifest version {manifest.get('version')!r}, not {MANIFEST_VERSION}")
        catalogue_file, basemap_file = str(manifest["catalogue_file"]), str(manifest["basemap_file"])
        library_file = str(manifest["library_file"])
        needed = list_published_files(catalogue_file, basemap_file, library_file)
        if not all((directory / name).is_file() for name in needed):
            return None  # pruned (or published before the gzip copies): publish again
        payload = json.loads((directory / catalogue_file).read_text(encoding="utf-8"))
        payload.pop("scrub", None)  # see Publication.catalogue
        catalogue = Catalogue.from_payload(payload, [str(key) for key in manifest["symbol_keys"]])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        warnings.warn(f"{manifest_path}: {error}; building the map catalogue again", StaleManifestWarning,
                      stacklevel=2)
        return None
    manifest_path.touch()  # in use: no other server's pruning takes it
    return Publication(catalogue, catalogue_file, basemap_file, library_file, manifest_path.name, built=False)


def publish_map_data(dataset: Dataset, directory: Path, build_key: str) -> Publication:
    """Return the publication of ``build_key``: read back when published before, else built and published now.

    Publishing writes the catalogue and the basemap (each with a gzip copy) and the map's
    scripts in one file (each named by content hash) and then the
    manifest, each to a temporary file renamed into place, and prunes other versions'
    files unused for a day (``static_files.prune_published``).

    Raises
    ------
    layers.basemap.BasemapMissingError
        If the offline basemap is missing.
    OSError
        If the published folder cannot be written.
    """
    found = read_publication(directory, build_key)
    if found is not None:
        return found
    catalogue = build_catalogue(collect_catalogue_snapshots(dataset), scrub_dataset=dataset)
    catalogue_file = publish_file(catalogue.to_json().encode("utf-8"), "catalogue", ".json", directory, gzip_copy=True)
    basemap_file = publish_file(read_basemap_text().encode("utf-8"), "countries", ".json", directory, gzip_copy=True)
    library_file = publish_file(build_library_bundle(build_static_options()), "airbridge", ".js", directory)
    manifest = {"version": MANIFEST_VERSION, "catalogue_file": catalogue_file, "basemap_file": basemap_file,
                "library_file": library_file, "symbol_keys": list(catalogue.symbol_keys())}
    manifest_file = _write_manifest(directory, build_key, json.dumps(manifest).encode("utf-8"))
    publication = Publication(replace(catalogue, scrub=None), catalogue_file, basemap_file, library_file,
                              manifest_file, built=True)
    prune_published(directory, keep={*publication.list_files(), manifest_file})
    return publication


def _write_manifest(directory: Path, build_key: str, content: bytes) -> str:
    """Write the manifest last (by temporary file and rename): it names only files already in place."""
    path = directory / _manifest_name(build_key)
    write_published(path, content)
    return path.name
