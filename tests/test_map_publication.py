"""The map's data is published once per data version and read back by later processes (issue 11)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from layers import DEFAULT_DATA_DIR, Dataset, TimeSelection, build_snapshot, load_dataset
from layers.escaping import dump_script_json

from dashboard.webmap.folium_map import MapSources, build_base_map, build_static_options
from dashboard.webmap.map_payload import build_catalogue, build_map_state, collect_catalogue_snapshots
from dashboard.webmap.map_publication import StaleManifestWarning, compute_build_key, publish_map_data, read_publication
from dashboard.webmap.static_files import LIBRARY_FILES, name_gzip_copy, read_library_file
from dashboard.webmap.vendor_assets import BUNDLED_VENDOR_SCRIPTS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(DEFAULT_DATA_DIR)


def test_a_published_catalogue_read_back_gives_the_same_map_states(dataset: Dataset, tmp_path: Path) -> None:
    built = publish_map_data(dataset, tmp_path, "k1")
    again = read_publication(tmp_path, "k1")
    assert built.built and again is not None and not again.built
    assert again.catalogue_file == built.catalogue_file
    assert again.catalogue.to_json() == built.catalogue.to_json()
    # The server keeps no scrub index (only the browser reads it); the published file has it all.
    assert built.catalogue.scrub is None and again.catalogue.scrub is None
    published = json.loads((tmp_path / built.catalogue_file).read_text(encoding="utf-8"))
    whole = build_catalogue(collect_catalogue_snapshots(dataset), scrub_dataset=dataset)
    assert published == json.loads(whole.to_json())
    for day in (dt.date(2024, 12, 8), dt.date(2025, 6, 1)):
        snapshot = build_snapshot(dataset, TimeSelection(day, 7))
        states = [build_map_state(snapshot, publication.catalogue, basemap="natural_earth")
                  for publication in (built, again)]
        assert json.dumps(states[0], sort_keys=True) == json.dumps(states[1], sort_keys=True)
    assert publish_map_data(dataset, tmp_path, "k1").built is False  # a second publish reads it back


def test_the_catalogue_and_basemap_have_gzip_copies_that_unpack_to_them(dataset: Dataset, tmp_path: Path) -> None:
    # The map fetches the copies (the server would gzip the JSON again on every request).
    built = publish_map_data(dataset, tmp_path, "kz")
    for name in (built.catalogue_file, built.basemap_file):
        copy = tmp_path / name_gzip_copy(name)
        assert gzip.decompress(copy.read_bytes()) == (tmp_path / name).read_bytes()
        assert copy.stat().st_size < (tmp_path / name).stat().st_size / 2
    assert set(built.list_files()) | {built.manifest_file} == {path.name for path in tmp_path.iterdir()}
    # A publication whose copy is gone (pruned, or published before copies existed) is published again.
    (tmp_path / name_gzip_copy(built.basemap_file)).unlink()
    assert read_publication(tmp_path, "kz") is None
    assert publish_map_data(dataset, tmp_path, "kz").built is True
    assert (tmp_path / name_gzip_copy(built.basemap_file)).is_file()


def test_an_unreadable_manifest_is_built_again_with_a_warning(dataset: Dataset, tmp_path: Path) -> None:
    built = publish_map_data(dataset, tmp_path, "k2")
    (tmp_path / built.manifest_file).write_text("{not json", encoding="utf-8")
    with pytest.warns(StaleManifestWarning, match="manifest-k2.json"):
        assert read_publication(tmp_path, "k2") is None
    with pytest.warns(StaleManifestWarning):
        assert publish_map_data(dataset, tmp_path, "k2").built is True
    assert read_publication(tmp_path, "k2") is not None  # the manifest was written again


def test_the_build_key_changes_with_the_data_version() -> None:
    assert compute_build_key("a") == compute_build_key("a")
    assert compute_build_key("a") != compute_build_key("b")


def test_the_start_up_step_publishes_what_the_page_reads_back(tmp_path: Path) -> None:
    env = {**os.environ, "AIRBRIDGE_CACHE_DIR": str(tmp_path / "cache"), "AIRBRIDGE_WORKSPACE": str(tmp_path / "ws")}
    env.pop("AIRBRIDGE_DATA_DIR", None)
    command = [sys.executable, "-m", "dashboard.app.prebuild"]
    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert "built and published" in first.stderr
    second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert "already published, up to date" in second.stderr
    manifests = list((tmp_path / "cache" / "published").glob("*/manifest-*.json"))
    assert len(manifests) == 1


def test_the_start_up_step_reports_bad_data_on_one_line_and_lets_the_server_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for path in DEFAULT_DATA_DIR.glob("*.csv"):
        (data / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    flights = data / "flights.csv"
    lines = flights.read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[2] = "not-a-date"  # the date column
    lines[1] = ",".join(fields)
    flights.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "AIRBRIDGE_CACHE_DIR": str(tmp_path / "cache"), "AIRBRIDGE_DATA_DIR": str(data),
           "AIRBRIDGE_WORKSPACE": str(tmp_path / "ws")}
    done = subprocess.run([sys.executable, "-m", "dashboard.app.prebuild"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    assert "problem(s); the page lists them" in done.stderr
    assert not list((tmp_path / "cache").rglob("manifest-*.json"))


def test_the_map_scripts_are_published_as_one_file_in_load_order(dataset: Dataset, tmp_path: Path) -> None:
    published = publish_map_data(dataset, tmp_path, "k3")
    bundle = (tmp_path / published.library_file).read_text(encoding="utf-8")
    scripts = [name for name in LIBRARY_FILES if name.endswith(".js")]
    starts = [bundle.index(read_library_file(name)) for name in scripts]
    assert starts == sorted(starts) and len(scripts) == 12
    # Leaflet, then its full-screen control, ahead of the code that uses them: the live map
    # links no script but this one (one round trip instead of three).
    vendor = [bundle.index(read_library_file(f"vendor/{name}").split("//# sourceMappingURL=")[0])
              for name in BUNDLED_VENDOR_SCRIPTS]
    assert vendor == sorted(vendor) and vendor[-1] < starts[0]
    assert "sourceMappingURL" not in bundle
    linked = build_base_map("theatre", sources=MapSources(catalogue_url="c.json", basemap_url="b.json",
                                                          library_url="/p/a.js"), asset_base_url="/static")
    scripts_linked = [url for element in [linked, *linked._children.values()]
                      for _, url in getattr(element, "default_js", [])]
    assert scripts_linked == ["/p/a.js"]


def test_the_published_script_sets_the_options_every_page_shares(dataset: Dataset, tmp_path: Path) -> None:
    published = publish_map_data(dataset, tmp_path, "k4")
    bundle = (tmp_path / published.library_file).read_text(encoding="utf-8")
    shared = build_static_options()
    assert set(shared) == {"basemaps", "layerTitles", "styles"}
    assert dump_script_json(shared) in bundle.rsplit("var shared = ", 1)[1]
    # The live page's map then carries only its own options (they travel on every rerun).
    linked = build_base_map("theatre", sources=MapSources(catalogue_url="c.json", basemap_url="b.json",
                                                          library_url="a.js"), asset_base_url="/static")
    html = linked.get_root().render()
    assert '"layerTitles"' not in html and '"catalogueUrl":"c.json"' in html
    standalone = build_base_map("theatre", sources=MapSources(catalogue_url="c.json", basemap_url="b.json"),
                                asset_base_url="/static")
    assert '"layerTitles"' in standalone.get_root().render()
