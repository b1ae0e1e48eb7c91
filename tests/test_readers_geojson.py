"""The GeoJSON import reader: the sample, the point mapping, and every refusal."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import box

from layers.readers import countries, read_import
from layers.readers.geojson_import import read_geojson_import
from layers.schema import EVENTS, SITES, parse_id, parse_record_id

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "docs" / "samples"
BENINA = [20.2695, 32.0968]


def feature(properties: dict[str, Any] | None = None, coordinates: Any = None, *, geometry: Any = "point",
            **members: Any) -> dict[str, Any]:
    if geometry == "point":
        geometry = {"type": "Point", "coordinates": BENINA if coordinates is None else coordinates}
    return {"type": "Feature", "properties": properties, "geometry": geometry, **members}


def write(tmp_path: Path, *features: dict[str, Any], name: str = "points.geojson", **members: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features), **members}),
                    encoding="utf-8")
    return path


SITE = {"name": "Benina", "kind": "airport", "country": "LY"}


def test_the_sample_reads_into_sites_and_an_event_with_its_site() -> None:
    imported = read_import(SAMPLES / "airstrips.geojson")
    assert imported.problems == ()
    assert imported.guessed_kind == "events"
    assert imported.notes == ("properties not in the schema, not imported: marker-color",)
    assert [(r.kind, r.line, r.where) for r in imported.rows] == [
        ("sites", 0, "feature 1 (Waw al-Kabir airstrip (sample feature))"),
        ("sites", 0, "feature 2 (Zella 74 airstrip (sample feature))"),
        ("sites", 0, "feature 3 (Sample: aircraft reported on the Zella …)"),
        ("events", 0, "feature 3 (Sample: aircraft reported on the Zella …)"),
    ]
    waw, zella, companion, event = (r.cells for r in imported.rows)
    assert tuple(waw) == SITES.columns and tuple(event) == EVENTS.columns
    assert waw | {"role": ""} == {
        "id": "sample_waw_al_kabir", "name": "Waw al-Kabir airstrip (sample feature)", "alt_names": "Waw Al Kabir;HL79",
        "kind": "air_base", "group": "libya", "country": "LY", "icao": "HL79", "lat": "25.35680", "lon": "16.81000",
        "coord_source": "airstrips.geojson, feature 1: airportsdata HL79 position", "role": "", "notes": "",
        "conflict": "", "sources": "", "confidence": "",
    }
    assert zella["group"] == "other" and zella["role"] == "Not stated in airstrips.geojson"
    assert companion["id"] == "e_2025_02_03_airstrips_3_site"
    assert companion["notes"] == "Place of event e-2025-02-03-airstrips-3 (airstrips.geojson, feature 3)"
    assert event["id"] == "e-2025-02-03-airstrips-3"
    assert event["date"] == "2025-02-03"  # from the timestamp 2025-02-03T14:20:00Z
    assert event["places"] == "e_2025_02_03_airstrips_3_site;sample_zella_74"
    assert event["category"] == "flight" and event["sources"] == event["confidence"] == ""


def test_a_single_feature_and_its_member_id_are_read(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(feature(SITE, id="benina_point")), encoding="utf-8")
    (row,) = read_import(path).rows
    assert row.cells["id"] == "benina_point"
    assert row.cells["lat"] == "32.09680" and row.cells["lon"] == "20.26950"
    assert row.cells["coord_source"] == "one.json, feature 1"


def test_derived_ids_pass_the_schema_id_rules(tmp_path: Path) -> None:
    path = write(tmp_path, feature(SITE), feature(SITE | {"date": "2024-12-20T23:30:00-05:00", "title": "Arrival",
                                                          "description": "Seen"}), name="Flugplätze Ost-Libyen.geojson")
    site, companion, event = read_geojson_import(path, None).rows
    assert site.cells["id"] == parse_id("flugplatze_ost_libyen_1")
    assert event.cells["id"] == parse_record_id("e-2024-12-21-flugplatze-ost-libyen-2")  # the UTC day
    assert companion.cells["id"] == parse_id("e_2024_12_21_flugplatze_ost_libyen_2_site")
    assert event.cells["date"] == "2024-12-21"


@pytest.mark.parametrize("name", ["date", "time", "timestamp", "when"])
def test_each_date_property_makes_an_event(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, feature(SITE | {name: "2025-01-02", "title": "Arrival", "description": "Seen"}))
    assert [r.kind for r in read_geojson_import(path, None).rows] == ["sites", "events"]


def test_lists_and_numbers_become_text(tmp_path: Path) -> None:
    sources = ["https://a.example/1", "https://b.example/2"]
    path = write(tmp_path, feature(SITE | {"alt_names": ["Benghazi-Benina", "Baninah"], "sources": sources,
                                           "notes": 42, "conflict": True}))
    cells = read_geojson_import(path, "sites").rows[0].cells
    assert cells["alt_names"] == "Benghazi-Benina;Baninah"
    assert cells["sources"] == "https://a.example/1 | https://b.example/2"
    assert (cells["notes"], cells["conflict"]) == ("42", "true")


def test_labels_of_the_vocabulary_become_keys(tmp_path: Path) -> None:
    path = write(tmp_path, feature(SITE | {"kind": "Naval bases", "group": "Russian sites in Syria"}))
    cells = read_geojson_import(path, None).rows[0].cells
    assert (cells["kind"], cells["group"]) == ("naval_base", "syria")


def test_kind_sites_ignores_dates_and_kind_events_needs_one(tmp_path: Path) -> None:
    path = write(tmp_path, feature(SITE | {"date": "2025-01-02"}), feature(SITE))
    as_sites = read_geojson_import(path, "sites")
    assert [r.kind for r in as_sites.rows] == ["sites", "sites"]
    assert as_sites.notes == ("1 dated features read as sites: their dates are not imported",)
    as_events = read_geojson_import(path, "events")
    messages = [p.message for p in as_events.problems]
    assert "feature 2 (Benina): no date: an event needs its first day" in messages
    assert not any("no title" in m for m in messages)  # the name serves
    (event,) = (r.cells for r in read_geojson_import(write(tmp_path, feature(SITE | {"date": "2025-01-02"})),
                                                     "events").rows if r.kind == "events")
    assert event["description"] == "Not stated in points.geojson"


def test_flights_and_statuses_are_not_read_from_geojson(tmp_path: Path) -> None:
    (problem,) = read_geojson_import(write(tmp_path, feature(SITE)), "flights").problems
    assert problem.message == "a GeoJSON file holds sites and events, not flights"


@pytest.mark.parametrize("kind", ["LineString", "Polygon", "MultiPoint", "GeometryCollection"])
def test_other_geometry_types_are_refused(tmp_path: Path, kind: str) -> None:
    path = write(tmp_path, feature(SITE, geometry={"type": kind, "coordinates": [BENINA, BENINA]}))
    imported = read_geojson_import(path, None)
    (problem,) = imported.problems
    assert imported.rows == ()
    assert (problem.file, problem.line, problem.field, problem.value) == (path, 0, "(geometry)", kind)
    assert problem.message == "feature 1 (Benina): unknown geometry type for an import: use Point"


@pytest.mark.parametrize(("coordinates", "field", "message"), [
    ([200.0, 32.0], "lon", "feature 1 (Benina): lon out of range -180..180"),
    ([20.0, -95.5], "lat", "feature 1 (Benina): lat out of range -90..90"),
    ([20.0, float("nan")], "lat", "feature 1 (Benina): lat out of range -90..90"),
    (["20", "32"], "(geometry)", "feature 1 (Benina): the Point's coordinates are not [lon, lat] numbers"),
    ([20.0], "(geometry)", "feature 1 (Benina): the Point's coordinates are not [lon, lat] numbers"),
])
def test_bad_coordinates_are_refused(tmp_path: Path, coordinates: Any, field: str, message: str) -> None:
    (problem,) = read_geojson_import(write(tmp_path, feature(SITE, coordinates)), None).problems
    assert (problem.field, problem.message) == (field, message)


def test_a_feature_without_geometry_or_not_a_feature_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, feature(SITE, geometry=None), {"type": "Point", "coordinates": BENINA})
    assert [p.message for p in read_geojson_import(path, None).problems] == [
        "feature 1 (Benina): no geometry", "feature 2: not a GeoJSON Feature"]


def test_a_missing_kind_is_a_problem_naming_the_fix(tmp_path: Path) -> None:
    (problem,) = read_geojson_import(write(tmp_path, feature({"name": "Benina", "country": "LY"})), None).problems
    assert (problem.line, problem.field, problem.message) == (0, "kind", "feature 1 (Benina): kind not given")
    assert problem.hint == "add a 'kind' property: air_base, naval_base, airport, army_base, port, logistics_hub"


def test_the_country_comes_from_the_airfield_code(tmp_path: Path) -> None:
    path = write(tmp_path, feature({"name": "Benina", "kind": "airport", "icao": "hllb"}))
    assert read_geojson_import(path, None).rows[0].cells["country"] == "LY"


def test_the_shipped_basemap_names_the_country_but_gives_no_code(tmp_path: Path) -> None:
    path = write(tmp_path, feature({"name": "Benina", "kind": "airport"}),
                 feature({"name": "Sea", "kind": "port"}, [18.0, 34.0]))
    benina, sea = read_geojson_import(path, None).problems
    assert (benina.field, benina.value) == ("country", "Libya")
    assert benina.message == ("feature 1 (Benina): country not given; the point lies in Libya (basemap), but the "
                              "basemap holds no ISO alpha-2 codes to fill it in")
    assert benina.hint == "add a 'country' property with the ISO 3166-1 alpha-2 code"
    assert sea.message == "feature 2 (Sea): country not given, and the point lies in no country of the basemap"


def test_a_basemap_with_alpha_2_codes_fills_the_country(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = gpd.GeoDataFrame({"name": ["Libya"], "ISO_A2": ["LY"]}, geometry=[box(9, 19, 26, 34)], crs="EPSG:4326")
    monkeypatch.setattr(countries, "_load_countries", lambda: (frame, frame.sindex, "ISO_A2"))
    path = write(tmp_path, feature({"name": "Benina", "kind": "airport"}))
    assert read_geojson_import(path, None).rows[0].cells["country"] == "LY"


def test_a_property_holding_an_object_is_refused(tmp_path: Path) -> None:
    (problem,) = read_geojson_import(write(tmp_path, feature(SITE | {"kind": {"a": 1}})), None).problems
    assert (problem.field, problem.message) == ("kind", "feature 1 (Benina): an object where text is expected")


def test_a_hostile_name_is_reported_and_shown_escaped(tmp_path: Path) -> None:
    path = write(tmp_path, feature(SITE | {"name": "Ben\u202eina\x07"}))
    imported = read_geojson_import(path, None)
    assert imported.rows == ()
    (problem,) = imported.problems  # the first forbidden character of a cell is reported
    assert (problem.line, problem.field, problem.value) == (0, "name", "Ben\u202eina\x07")
    assert problem.message == ("feature 1 (Ben?ina?): bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) "
                               "at character 4")


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
    ("[1, 2]", "not a GeoJSON FeatureCollection or Feature (type 'list')"),
    ('{"type": "Point", "coordinates": [1, 2]}', "not a GeoJSON FeatureCollection or Feature (type 'Point')"),
    ('{"type": "FeatureCollection"}', "the FeatureCollection has no 'features' list"),
    ('{"type": "FeatureCollection", "features": [], "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}}',
     "coordinates in another reference system ('EPSG:3857')"),
])
def test_files_that_are_not_point_geojson_are_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(text, encoding="utf-8")
    (problem,) = read_geojson_import(path, None).problems
    assert (problem.line, problem.field, problem.message) == (0, "(file)", message)


def test_binary_deep_and_truncated_files_are_refused_quickly(tmp_path: Path) -> None:
    cases = {"binary.geojson": b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "deep.geojson": b"[" * 200_000,
             "truncated.geojson": json.dumps({"type": "FeatureCollection", "features": [feature(SITE)]}).encode()[:50]}
    messages = {}
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        started = time.perf_counter()
        (problem,) = read_import(path).problems
        assert time.perf_counter() - started < 1.0
        messages[name] = problem.message
    assert messages["binary.geojson"] == "not UTF-8 (byte 1, line 1)"
    assert messages["deep.geojson"] == "the JSON nests too deeply to read"
    assert messages["truncated.geojson"].startswith("not valid JSON: ")


def test_an_event_without_a_kind_says_its_place_needs_one(tmp_path: Path) -> None:
    path = write(tmp_path, feature({"title": "Arrival", "date": "2025-01-02", "description": "Seen", "country": "LY"}))
    imported = read_geojson_import(path, None)
    assert imported.rows == ()  # neither the event nor its site
    (problem,) = imported.problems
    assert problem.message == "feature 1 (Arrival): kind not given: the event's place becomes a site, which needs one"


def test_an_end_date_without_a_date_is_an_event_missing_its_date(tmp_path: Path) -> None:
    path = write(tmp_path, feature(SITE | {"end_date": "2025-01-02", "description": "Seen"}))
    (problem,) = read_geojson_import(path, None).problems
    assert (problem.field, problem.message) == ("date", "feature 1 (Benina): no date: an event needs its first day")
    assert problem.hint == "add a 'date' property"


def test_an_empty_collection_says_so(tmp_path: Path) -> None:
    imported = read_geojson_import(write(tmp_path), None)
    assert (imported.rows, imported.problems, imported.notes) == ((), (), ("the file holds no features",))


def test_a_missing_basemap_is_a_problem_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from layers.basemap import BasemapMissingError
    from layers.readers import points

    def missing(lon: float, lat: float) -> None:
        raise BasemapMissingError("offline basemap missing")

    monkeypatch.setattr(points, "find_country", missing)
    (problem,) = read_geojson_import(write(tmp_path, feature({"name": "Benina", "kind": "airport"})), None).problems
    assert problem.message == "feature 1 (Benina): country not given, and the basemap to look it up is missing"
