"""The server's start-up step: publish the map's data of the default view before the first visitor comes.

``python -m dashboard.app.prebuild`` (``scripts/app.sh`` runs it before ``streamlit run``)
reads the data folder and workspace the server will show (``$AIRBRIDGE_DATA_DIR``,
``$AIRBRIDGE_WORKSPACE``, ``$AIRBRIDGE_CACHE_DIR``, as the page reads them), and builds and
publishes the unfiltered catalogue under its build key
(``dashboard.webmap.map_publication``). The page's first request then reads it back
instead of building it: the first visitor after a start waits for no catalogue. It does
nothing when the data version was published before.

Data that breaks a rule, a missing basemap or an unwritable cache folder are reported on
one line and the command exits 0: the server still starts, and its page shows the problem
in full (the page is where the analyst fixes it). No Streamlit here.
"""

from __future__ import annotations

import argparse
import sys
import time

from layers import DataValidationError
from layers.basemap import BasemapMissingError
from layers.filters import NO_FILTERS, apply_filters
from layers.store import WorkspaceError, redact_location

from dashboard.app.data_version import (
    find_data_dir,
    fingerprint_files,
    load_version_dataset,
    locate_publication,
    resolve_workspace,
)
from dashboard.webmap.map_publication import publish_map_data


def main(argv: list[str] | None = None) -> int:
    """Publish the default view's map data; report on stderr; return the exit code (0 unless misused)."""
    argparse.ArgumentParser(prog="python -m dashboard.app.prebuild", description=__doc__.split("\n")[0]).parse_args(
        argv)
    started = time.perf_counter()
    data_dir = find_data_dir()
    workspace = resolve_workspace()
    shown = redact_location(str(workspace))
    print(f"Airbridge: preparing the map of {data_dir} (workspace {shown})...", file=sys.stderr, flush=True)
    try:
        fingerprint = fingerprint_files(data_dir, workspace)
        dataset = apply_filters(load_version_dataset(str(data_dir), fingerprint), NO_FILTERS)
        directory, build_key = locate_publication(str(data_dir), fingerprint, NO_FILTERS)
        publication = publish_map_data(dataset, directory, build_key)
    except DataValidationError as error:
        print(f"Airbridge: the data has {len(error.problems)} problem(s); the page lists them "
              "(or run `python -m layers validate`).", file=sys.stderr)
        return 0
    except (WorkspaceError, BasemapMissingError, OSError) as error:
        print(f"Airbridge: the map could not be prepared ({error}); the page shows what to do.", file=sys.stderr)
        return 0
    seconds = time.perf_counter() - started
    what = "built and published" if publication.built else "already published, up to date"
    print(f"Airbridge: map catalogue {publication.catalogue_file} {what} in {seconds:.1f} s.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
