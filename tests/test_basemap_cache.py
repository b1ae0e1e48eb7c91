"""The basemap is read once per process and kept as an Arrow copy for the next one, keyed by its content.

What a user notices: the countries drawn and looked up are those of the file as it is now
(a changed file is read again, a broken or foreign copy is replaced), an export still works
where the cache folder cannot be written, and a later process does not start GDAL to read
the shipped basemap again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from geopandas.testing import assert_geodataframe_equal

from layers.basemap import BASEMAP_PATH, read_basemap
from layers.cache_folder import CACHE_DIR_ENV

ROOT = Path(__file__).resolve().parent.parent


def write_countries(path: Path, name: str) -> Path:
    """Write a one-country GeoJSON (a square) named ``name``."""
    square = [[[10.0, 20.0], [11.0, 20.0], [11.0, 21.0], [10.0, 21.0], [10.0, 20.0]]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": name, "id": "999"},
        "geometry": {"type": "Polygon", "coordinates": square}}]}), encoding="utf-8")
    return path


def kept_copies(cache: Path) -> list[Path]:
    return sorted((cache / "basemap").glob("*.feather"))


def test_a_later_process_reads_the_kept_copy_without_gdal_and_gets_the_same_countries(tmp_path: Path) -> None:
    code = ("import sys\n"
            "from layers.basemap import BASEMAP_PATH, read_basemap\n"
            "frame = read_basemap()\n"
            "print('pyogrio' in sys.modules)\n"
            "import geopandas, shapely\n"
            "fresh = geopandas.read_file(BASEMAP_PATH)\n"
            "from geopandas.testing import assert_geodataframe_equal\n"
            "assert_geodataframe_equal(frame, fresh)\n"
            "assert (shapely.to_wkb(frame.geometry.values) == shapely.to_wkb(fresh.geometry.values)).all()\n"
            "print(str(frame.crs) == str(fresh.crs))\n")
    env = {**os.environ, CACHE_DIR_ENV: str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    runs = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=300, check=False) for _ in range(2)]
    assert [run.returncode for run in runs] == [0, 0], runs[-1].stderr
    assert runs[0].stdout.split() == ["True", "True"]  # the first run reads the GeoJSON with GDAL
    assert runs[1].stdout.split() == ["False", "True"]  # the second reads its copy: identical frame and CRS
    assert len(kept_copies(tmp_path / "cache")) == 1


def test_a_changed_basemap_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    path = write_countries(tmp_path / "countries.geojson", "Alphaland")
    assert read_basemap(path)["name"].tolist() == ["Alphaland"]
    write_countries(path, "Gammaland")  # the same size, possibly the same modification time
    assert read_basemap(path)["name"].tolist() == ["Gammaland"]
    assert len(kept_copies(tmp_path / "cache")) == 2


def test_each_read_is_a_copy_the_caller_may_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    path = write_countries(tmp_path / "countries.geojson", "Alphaland")
    first = read_basemap(path)
    first.loc[0, "name"] = "Changed"
    assert read_basemap(path)["name"].tolist() == ["Alphaland"]


def test_a_broken_copy_is_replaced_by_the_file_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "first"))
    read_basemap(write_countries(tmp_path / "a.geojson", "Alphaland"))
    (kept,) = kept_copies(tmp_path / "first")
    broken = tmp_path / "second" / "basemap" / kept.name
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"not an arrow file")  # as an interrupted or foreign write would leave it
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "second"))
    # The same content at another path: a new read in this process, the same name of copy.
    frame = read_basemap(write_countries(tmp_path / "b.geojson", "Alphaland"))
    assert frame["name"].tolist() == ["Alphaland"]
    assert_geodataframe_equal(gpd.read_feather(broken), gpd.read_file(tmp_path / "b.geojson"), check_crs=False)


def test_the_basemap_is_read_where_the_cache_folder_cannot_be_made(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocker))
    frame = read_basemap(write_countries(tmp_path / "countries.geojson", "Alphaland"))
    assert frame["name"].tolist() == ["Alphaland"] and frame.crs == "EPSG:4326"
    assert blocker.read_text(encoding="utf-8") == "a file where the folder should be"


def test_the_shipped_basemap_holds_the_countries_of_the_theatre() -> None:
    names = set(read_basemap(BASEMAP_PATH)["name"])
    assert {"Libya", "Syria", "Russia", "Mali"} <= names
