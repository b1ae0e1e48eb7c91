"""Files the map needs in the browser: its own script and style, and the published map data.

Two folders, both served by the app (``dashboard.app.served_files``) and never written
into the source tree:

* :data:`WEBMAP_STATIC_DIR` (read-only, shipped): the map's script and style sheet
  (:data:`LIBRARY_FILES`) and the vendored Leaflet files under ``vendor/``;
* the published folder under the cache directory (:func:`find_cache_dir`): the
  catalogue and the basemap of one data version, named by content hash, so the browser
  fetches each once and a slider step never carries them. Files of older versions are
  pruned when a new version is published. The two JSON files also have a gzip copy beside
  them (:func:`name_gzip_copy`), which the map fetches and unpacks itself.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from layers.atomic_file import replace_atomically
from layers.cache_folder import find_cache_dir
from layers.escaping import dump_script_json

from dashboard.webmap.vendor_assets import BUNDLED_VENDOR_SCRIPTS

WEBMAP_STATIC_DIR = Path(__file__).resolve().parent / "static"
LIBRARY_FILES = (  # the map's scripts in load order (each file uses the ones before it), then its style sheet
    "airbridge/airbridge-core.js", "airbridge/airbridge-base.js", "airbridge/airbridge-layers.js",
    "airbridge/airbridge-sync.js",
    "airbridge/airbridge-tracks.js", "airbridge/airbridge-observations.js", "airbridge/airbridge-labels.js",
    "airbridge/airbridge-layout.js",
    "airbridge/airbridge-scrub.js", "airbridge/airbridge-view.js", "airbridge/airbridge-search.js",
    "airbridge/airbridge-measure.js",
    "airbridge/airbridge-map.css",
)


def find_published_dir(data_dir: Path | str, cache_dir: Path | None = None, variant: str = "") -> Path:
    """Return the published folder of one data folder (and workspace, named by ``variant``).

    Each has its own, so that pruning one leaves the others' files alone.
    """
    key = hashlib.sha256(f"{Path(data_dir).resolve()}\n{variant}".encode()).hexdigest()[:12]
    return (cache_dir or find_cache_dir()) / "published" / key


GZIP_SUFFIX = ".gz"


def name_gzip_copy(name: str) -> str:
    """Return the name of the gzip copy of the published file ``name`` (``catalogue-<hash>.json.gz``)."""
    return name + GZIP_SUFFIX


PRUNE_AFTER_S = 24 * 3600.0
"""A published file nobody has published again for a day may be removed."""


def publish_file(content: bytes, stem: str, suffix: str, directory: Path, *, gzip_copy: bool = False) -> str:
    """Write ``content`` as ``<stem>-<hash><suffix>`` in ``directory`` unless it is there; return the name.

    Parameters
    ----------
    content : bytes
        The file content.
    stem, suffix : str
        Name parts, e.g. ``"catalogue"`` and ``".json"``.
    directory : Path
        The published folder (:func:`find_published_dir`); created when missing.
    gzip_copy : bool
        Also write the content gzipped, as :func:`name_gzip_copy` of the name. Streamlit's
        server gzips every response of its component file route again on each request (the
        10,000-record catalogue, 18.6 MB: 0.1 s of the server's time a visitor), and sends
        a gzip file as it is; the map unpacks it in the browser (``DecompressionStream``).

    Raises
    ------
    OSError
        If the folder cannot be written.
    """
    digest = hashlib.sha256(content).hexdigest()[:16]
    path = directory / f"{stem}-{digest}{suffix}"
    written = [(path, lambda: content)]
    if gzip_copy:  # mtime 0: the same content gives the same bytes
        written.append((directory / name_gzip_copy(path.name), lambda: gzip.compress(content, 9, mtime=0)))
    for target, make in written:
        if not target.is_file():
            directory.mkdir(parents=True, exist_ok=True)
            write_published(target, make())
        else:
            target.touch()  # published again: a pruner elsewhere sees it is in use
    return path.name


def write_published(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` by a temporary file renamed into place, readable by all.

    A concurrent reader never sees half a file.

    Raises
    ------
    OSError
        If the folder cannot be written.
    """
    with replace_atomically(path) as temporary:  # readable by all: the server may run as another user
        temporary.write_bytes(content)


IN_USE_REFRESH_S = 3600.0
"""How often a file being served has its time refreshed, so that no pruning takes it from under the page."""


def mark_in_use(directory: Path, names: Iterable[str]) -> None:
    """Refresh the modification time of published files a page is serving (at most hourly).

    :func:`prune_published` removes files nobody has published for a day. A file published
    once and then served from a cache (the unfiltered catalogue of a server up for days) is
    never published again, so another publish (a new filter) would remove it while pages
    still load it. Serving it counts as use.

    Raises
    ------
    OSError
        If a file's time cannot be changed.
    """
    now = time.time()
    for name in names:
        path = directory / name
        if path.is_file() and path.stat().st_mtime < now - IN_USE_REFRESH_S:
            os.utime(path, (now, now))


def prune_published(directory: Path, keep: Iterable[str], *, min_age_s: float = PRUNE_AFTER_S) -> list[str]:
    """Remove the published files of ``directory`` not named in ``keep`` and unused for ``min_age_s``.

    Another server (an older version, another data folder) may share the cache folder and
    still serve a file this one does not need: only files nobody has published for
    :data:`PRUNE_AFTER_S` are removed. Returns the names removed.

    Raises
    ------
    OSError
        If a file cannot be removed.
    """
    wanted = set(keep)
    removed = []
    cutoff = time.time() - min_age_s
    if directory.is_dir():
        for path in sorted(directory.iterdir()):
            if path.is_file() and path.name not in wanted and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed.append(path.name)
    return removed


def find_library_url(relative: str, base_url: str) -> str:
    """Return the URL of a file of :data:`WEBMAP_STATIC_DIR` with a content hash as cache buster.

    Parameters
    ----------
    relative : str
        Path inside the folder, e.g. ``"airbridge/airbridge-core.js"``.
    base_url : str
        Where the app serves the folder.
    """
    path = WEBMAP_STATIC_DIR / relative
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{base_url.rstrip('/')}/{relative}?v={digest}"


def read_library_file(relative: str) -> str:
    """Return the text of a file of :data:`WEBMAP_STATIC_DIR` (for embedding in a standalone page)."""
    return (WEBMAP_STATIC_DIR / relative).read_text(encoding="utf-8")


def build_library_bundle(shared_options: Mapping[str, Any]) -> bytes:
    """Return Leaflet, its full-screen control and the map's scripts (:data:`LIBRARY_FILES` but the style sheet).

    One script, in load order. The live page loads a map's scripts one after the other
    (each waits for the one before), about 50-70 ms a file on the 2-core machine: one file
    instead of eleven took half a second off every first map, and Leaflet and the
    full-screen control (``vendor_assets.BUNDLED_VENDOR_SCRIPTS``, whose separate links the
    live map then leaves out) two more round trips (issue 11). Each file keeps its own
    scope (Airbridge's ``"use strict"`` functions, the vendored files' UMD wrappers, which
    set ``L`` on the window as before), so joining them changes nothing else; the vendored
    files' source-map comments are dropped (their maps are not vendored). At its end,
    ``Airbridge.init`` gets ``shared_options`` (``folium_map.build_static_options``) under
    the page's own, so those need not travel with the map on every rerun.
    """
    parts = [f"/* ---- vendor/{name} (static/vendor/MANIFEST.md) ---- */\n"
             f"{_drop_source_map(read_library_file(f'vendor/{name}'))}\n;" for name in BUNDLED_VENDOR_SCRIPTS]
    parts += [f"/* ---- {name} ---- */\n{read_library_file(name)}\n;"
              for name in LIBRARY_FILES if name.endswith(".js")]
    parts.append("/* ---- the options every page shares (dashboard.webmap.folium_map.build_static_options) ---- */\n"
                 "(function () {\n  \"use strict\";\n  var init = Airbridge.init;\n"
                 f"  var shared = {dump_script_json(dict(shared_options))};\n"
                 "  Airbridge.init = function (map, options) {\n"
                 "    return init(map, Object.assign({}, shared, options));\n  };\n"
                 "})();")
    return "\n".join(parts).encode("utf-8")


def _drop_source_map(script: str) -> str:
    """Return ``script`` without its ``//# sourceMappingURL=`` line (the bundle's URL would point it nowhere)."""
    return "\n".join(line for line in script.splitlines() if not line.startswith("//# sourceMappingURL="))
