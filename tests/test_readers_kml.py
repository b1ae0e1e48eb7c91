"""The KML/KMZ import reader: the samples, the placemark mapping, safe XML and every refusal."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from layers.readers import ImportedFile, read_import
from layers.readers.kml_import import MAX_FOLDER_DEPTH, read_kml_import
from layers.readers.kmz import MAX_KMZ_ENTRIES
from layers.readers.markup import convert_html_to_text
from layers.schema import EVENTS, SITES

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "docs" / "samples"
HOSTILE = ROOT / "tests" / "data" / "imports"
KML_NS = "http://www.opengis.net/kml/2.2"
POINT = "<Point><coordinates>20.2695,32.0968,0</coordinates></Point>"
SITE_DATA = ('<ExtendedData><Data name="kind"><value>airport</value></Data>'
             '<Data name="country"><value>LY</value></Data></ExtendedData>')


def kml(body: str, *, namespace: str = KML_NS, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> str:
    return f'{declaration}<kml xmlns="{namespace}"><Document><name>Test</name>{body}</Document></kml>\n'


def placemark(name: str = "Benina", inner: str = SITE_DATA, geometry: str = POINT, attributes: str = "") -> str:
    return f"<Placemark{attributes}><name>{name}</name>{inner}{geometry}</Placemark>"


def write(tmp_path: Path, text: str | bytes, name: str = "points.kml") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def read_timed(path: Path) -> ImportedFile:
    started = time.perf_counter()
    imported = read_import(path)
    assert time.perf_counter() - started < 1.0, "a hostile file is refused in under a second"
    return imported


def test_the_kml_sample_reads_into_sites_and_an_event_with_its_site() -> None:
    imported = read_import(SAMPLES / "placemarks.kml")
    assert imported.problems == () and imported.notes == ()
    assert imported.guessed_kind == "events"
    assert [(r.kind, r.where) for r in imported.rows] == [
        ("sites", "placemark 1 (Ghat Airport (sample placemark))"),
        ("sites", "placemark 2 (Hon airstrip (sample placemark))"),
        ("sites", "placemark 3 (Sample: activity reported at Hon (not a…)"),
        ("events", "placemark 3 (Sample: activity reported at Hon (not a…)"),
    ]
    ghat, hon, companion, event = (r.cells for r in imported.rows)
    assert tuple(ghat) == SITES.columns and tuple(event) == EVENTS.columns
    assert ghat | {"role": ""} == {
        "id": "sample_ghat", "name": "Ghat Airport (sample placemark)", "alt_names": "", "kind": "airport",
        "group": "libya", "country": "LY", "icao": "HLGT", "lat": "25.14560", "lon": "10.14260",
        "coord_source": "placemarks.kml, placemark 1: airportsdata HLGT position", "role": "",
        "notes": "Sample placemark: the folders name its group (Libya) and kind (Airports).\n\n"
                 "Position from airportsdata (https://github.com/mborsetti/airportsdata) HLGT.",
        "conflict": "", "sources": "", "confidence": "",
    }
    assert (hon["kind"], hon["alt_names"], hon["role"]) == ("air_base", "Hun; HUQ", "Not stated in placemarks.kml")
    assert companion["id"] == "e_2025_03_01_placemarks_3_site" and companion["kind"] == "air_base"
    assert (event["id"], event["date"], event["end_date"]) == ("e-2025-03-01-placemarks-3", "2025-03-01", "2025-03-04")
    assert event["places"] == "e_2025_03_01_placemarks_3_site;sample_hon"
    assert event["description"] == ("Sample placemark: a TimeSpan makes it an event (begin is its date, end its "
                                    "end_date) with a companion site at its position.")


def test_the_kmz_sample_reads_its_doc_kml() -> None:
    imported = read_import(SAMPLES / "placemarks.kmz")
    assert imported.problems == ()
    assert imported.guessed_kind == "sites"
    ghadames, zwara = (r.cells for r in imported.rows)
    assert (ghadames["id"], ghadames["country"], ghadames["icao"]) == ("sample_ghadames_east", "LY", "HLTD")
    assert ghadames["coord_source"] == "placemarks.kmz, placemark 1: airportsdata HLTD position"
    assert (zwara["id"], zwara["country"], zwara["kind"]) == ("sample_zwara", "LY", "airport")  # LY from HLZW


def test_a_timestamp_is_the_utc_day_and_folders_name_kind_group_and_category(tmp_path: Path) -> None:
    body = ("<Folder><name>Syria</name><Folder><name>Logistics hubs</name><Folder><name>Military</name>"
            + placemark("Hub", '<TimeStamp><when>2024-12-07T22:15:00-03:00</when></TimeStamp>'
                        '<description>Seen</description><ExtendedData><Data name="country"><value>SY</value>'
                        "</Data></ExtendedData>") + "</Folder></Folder></Folder>")
    site, event = read_kml_import(write(tmp_path, kml(body)), None).rows
    assert (site.cells["kind"], site.cells["group"]) == ("logistics_hub", "syria")
    assert (event.cells["date"], event.cells["category"]) == ("2024-12-08", "military")


def test_the_innermost_folder_wins_and_unmatched_folders_leave_the_defaults(tmp_path: Path) -> None:
    body = ("<Folder><name>Naval bases</name><Folder><name>Ports</name><Folder><name>My pins</name>"
            + placemark(inner='<ExtendedData><Data name="country"><value>LY</value></Data></ExtendedData>')
            + "</Folder></Folder></Folder>")
    (row,) = read_kml_import(write(tmp_path, kml(body)), None).rows
    assert (row.cells["kind"], row.cells["group"]) == ("port", "other")


def test_extended_data_overrides_and_unknown_fields_are_noted(tmp_path: Path) -> None:
    inner = ('<ExtendedData><Data name="kind"><value>airport</value></Data><Data name="country"><value>LY</value>'
             '</Data><Data name="name"><value>Benina International</value></Data><Data name="id"><value>benina_x'
             '</value></Data><Data name="colour"><value>red</value></Data></ExtendedData>')
    imported = read_kml_import(write(tmp_path, kml(placemark("Benina", inner, attributes=' id="ignored"'))), None)
    (row,) = imported.rows
    assert (row.cells["name"], row.cells["id"]) == ("Benina International", "benina_x")
    assert imported.notes == ("ExtendedData fields not in the schema, not imported: colour",)


def test_a_placemark_id_attribute_is_the_id_and_kml_without_namespace_reads(tmp_path: Path) -> None:
    path = write(tmp_path, kml(placemark(attributes=' id="benina_pin"'), namespace=""))
    assert read_kml_import(path, None).rows[0].cells["id"] == "benina_pin"


def test_descriptions_are_kept_as_plain_text(tmp_path: Path) -> None:
    html = ('<![CDATA[<h3>Benina</h3><p>LNA-held<br>see <a href="https://example.org/r">report</a> '
            '<a href="javascript:alert(1)">click</a></p><script>steal()</script><img src=x onerror=alert(1)]]>')
    (row,) = read_kml_import(write(tmp_path, kml(placemark(inner=f"<description>{html}</description>"
                                                            + SITE_DATA))), "sites").rows
    assert row.cells["notes"] == "Benina\n\nLNA-held\nsee report (https://example.org/r) click"
    assert "<" not in row.cells["notes"] and "steal" not in row.cells["notes"]


@pytest.mark.parametrize(("html", "text"), [
    ("plain &amp; simple\n  second line", "plain & simple\nsecond line"),
    ("<table><tr><td>A</td><td>B</td></tr></table>", "A B"),
    ("&lt;b&gt;decoded tags go too&lt;/b&gt; <i>x</i>", "decoded tags go too x"),
    ('<a href="https://a.example/">https://a.example/</a>', "https://a.example/"),
])
def test_html_becomes_text(html: str, text: str) -> None:
    assert convert_html_to_text(html) == text


def test_kind_sites_and_kind_events(tmp_path: Path) -> None:
    dated = placemark("Dated", "<TimeStamp><when>2025-01-02</when></TimeStamp>" + SITE_DATA)
    path = write(tmp_path, kml(dated + placemark("Undated")))
    as_sites = read_kml_import(path, "sites")
    assert [r.kind for r in as_sites.rows] == ["sites", "sites"]
    assert as_sites.notes == ("1 dated placemarks read as sites: their dates are not imported",)
    problems = read_kml_import(path, "events").problems
    date = next(p for p in problems if p.field == "date")
    assert date.message == "placemark 2 (Undated): no date: an event needs its first day"
    assert date.hint == "give the placemark a <TimeStamp><when>YYYY-MM-DD</when></TimeStamp>"
    assert read_kml_import(path, "statuses").problems[0].message == "a KML file holds sites and events, not statuses"


def test_a_timespan_without_begin_is_a_missing_date(tmp_path: Path) -> None:
    body = placemark(inner="<TimeSpan><end>2025-01-02</end></TimeSpan><description>x</description>" + SITE_DATA)
    (problem,) = read_kml_import(write(tmp_path, kml(body)), None).problems
    assert (problem.field, problem.message) == ("date", "placemark 1 (Benina): no date: an event needs its first day")


def test_a_missing_kind_names_the_folder_fix(tmp_path: Path) -> None:
    inner = '<ExtendedData><Data name="country"><value>LY</value></Data></ExtendedData>'
    (problem,) = read_kml_import(write(tmp_path, kml(placemark(inner=inner))), None).problems
    assert (problem.line, problem.field, problem.message) == (0, "kind", "placemark 1 (Benina): kind not given")
    assert problem.hint == ('add <Data name="kind"><value>...</value></Data> to the placemark\'s ExtendedData or put '
                            "the placemark in a folder named after a kind: air_base, naval_base, airport, army_base, "
                            "port, logistics_hub")


@pytest.mark.parametrize(("geometry", "field", "message", "value"), [
    ("<LineString><coordinates>1,2 3,4</coordinates></LineString>", "(geometry)",
     "unknown geometry type for an import: use Point", "LineString"),
    ("<Polygon><outerBoundaryIs/></Polygon>", "(geometry)", "unknown geometry type for an import: use Point",
     "Polygon"),
    ('<gx:Track xmlns:gx="http://www.google.com/kml/ext/2.2"/>', "(geometry)",
     "unknown geometry type for an import: use Point", "Track"),
    ("", "(geometry)", "no Point", ""),
    ("<Point><coordinates>1,2 3,4</coordinates></Point>", "(geometry)",
     "the Point's coordinates are not one lon,lat[,alt]", "1,2 3,4"),
    ("<Point><coordinates>east,north</coordinates></Point>", "(geometry)",
     "the Point's coordinates are not one lon,lat[,alt]", "east,north"),
    ("<Point><coordinates>20.2, 95</coordinates></Point>", "lat", "lat out of range -90..90", "95.0"),
])
def test_placemarks_that_are_not_one_valid_point_are_refused(tmp_path: Path, geometry: str, field: str,
                                                             message: str, value: str) -> None:
    path = write(tmp_path, kml(placemark("Bad", geometry=geometry) + placemark("Good")))
    imported = read_kml_import(path, None)
    (problem,) = imported.problems
    assert (problem.file, problem.line, problem.field, problem.value) == (path, 0, field, value)
    assert problem.message == f"placemark 1 (Bad): {message}"
    assert [r.where for r in imported.rows] == ["placemark 2 (Good)"]


def test_other_encodings_declared_by_the_file_are_read(tmp_path: Path) -> None:
    latin = kml(placemark("Aéroport"), declaration='<?xml version="1.0" encoding="ISO-8859-1"?>\n')
    utf16 = kml(placemark("Aéroport"), declaration='<?xml version="1.0" encoding="UTF-16"?>\n')
    for name, data in (("latin.kml", latin.encode("latin-1")), ("utf16.kml", utf16.encode("utf-16"))):
        assert read_kml_import(write(tmp_path, data, name), None).rows[0].cells["name"] == "Aéroport"


def test_xxe_is_refused_and_the_secret_never_appears(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7f3a", encoding="utf-8")
    aimed = write(tmp_path, (HOSTILE / "xxe_passwd.kml").read_text(encoding="utf-8")
                  .replace("file:///etc/passwd", secret.as_uri()), "aimed.kml")
    for path in (HOSTILE / "xxe_passwd.kml", aimed):
        imported = read_timed(path)
        assert imported.rows == ()
        (problem,) = imported.problems
        assert (problem.field, problem.message) == (
            "(file)", "the file declares a DTD or entities (<!DOCTYPE ...>), which an import refuses")
        shown = " ".join([str(problem), *imported.notes])
        assert "TOP-SECRET" not in shown and "root:" not in shown


@pytest.mark.parametrize("name", ["billion_laughs.kml", "xxe_parameter_entity.kml", "external_dtd.kml"])
def test_entity_expansion_and_external_dtds_are_refused_quickly(name: str) -> None:
    imported = read_timed(HOSTILE / name)
    assert imported.rows == ()
    assert [p.message for p in imported.problems] == [
        "the file declares a DTD or entities (<!DOCTYPE ...>), which an import refuses"]


def test_hostile_kml_inside_a_kmz_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "laughs.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(HOSTILE / "billion_laughs.kml", "doc.kml")
    assert "declares a DTD" in read_timed(path).problems[0].message


def test_a_zip_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("doc.kml", "w") as entry:
        for _ in range(40):
            entry.write(b"\0" * 1024 * 1024)
    assert path.stat().st_size < 100_000
    (problem,) = read_timed(path).problems
    assert problem.field == "(file)"
    assert problem.message.startswith("entry 'doc.kml' expands ")
    assert problem.message.endswith("times (41,943,040 bytes), more than 100 times: a zip bomb")


def test_a_kmz_expanding_past_the_limit_or_with_too_many_entries_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.kmz"
    document = kml(placemark()).encode("utf-8")
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", document)
        for index in range(60):  # 1 MiB each: under the size the ratio is checked at, 60 MiB in all
            archive.writestr(f"images/{index}.bin", b"\0" * 1024 * 1024)
    assert big.stat().st_size < 1_000_000
    total = 60 * 1024 * 1024 + len(document)
    assert read_timed(big).problems[0].message == f"the KMZ expands to {total:,} bytes, more than 52,428,800"
    many = tmp_path / "many.kmz"
    with zipfile.ZipFile(many, "w") as archive:
        archive.writestr("doc.kml", kml(placemark()))
        for index in range(MAX_KMZ_ENTRIES):
            archive.writestr(f"files/{index}.txt", "")
    assert read_timed(many).problems[0].message == "the KMZ has 1,001 entries, more than 1,000"


def test_a_kmz_prefers_doc_kml_and_else_takes_the_first_kml(tmp_path: Path) -> None:
    both = tmp_path / "both.kmz"
    with zipfile.ZipFile(both, "w") as archive:
        archive.writestr("other.kml", kml(placemark("Other")))
        archive.writestr("doc.kml", kml(placemark("Main")))
    assert read_import(both).rows[0].cells["name"] == "Main"
    first = tmp_path / "first.kmz"
    with zipfile.ZipFile(first, "w") as archive:
        archive.writestr("icon.png", b"\x89PNG")
        archive.writestr("layers/a.kml", kml(placemark("A")))
    assert read_import(first).rows[0].cells["name"] == "A"
    none = tmp_path / "none.kmz"
    with zipfile.ZipFile(none, "w") as archive:
        archive.writestr("icon.png", b"\x89PNG")
    assert read_import(none).problems[0].message == "the KMZ holds no .kml document"


def test_a_damaged_kmz_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "damaged.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", kml(placemark() * 50))
    data = path.read_bytes()
    path.write_bytes(data[:200])
    (problem,) = read_timed(path).problems
    assert problem.message.startswith("not a readable KMZ (zip) archive (")


def test_folders_nested_too_deep_are_refused(tmp_path: Path) -> None:
    def nest(depth: int) -> str:
        return "<Folder><name>f</name>" * depth + placemark() + "</Folder>" * depth

    # The Document counts as one level.
    assert read_kml_import(write(tmp_path, kml(nest(MAX_FOLDER_DEPTH - 1))), None).problems == ()
    (problem,) = read_timed(write(tmp_path, kml(nest(MAX_FOLDER_DEPTH)))).problems
    assert problem.message == "folders nested more than 32 deep"
    (problem,) = read_timed(write(tmp_path, kml("<a>" * 100_000 + "</a>" * 100_000))).problems
    assert problem.message == "elements nested more than 100 deep"


def test_truncated_binary_and_non_kml_files_are_problems_with_the_reason(tmp_path: Path) -> None:
    whole = kml(placemark("First") + placemark("Second"))
    truncated = write(tmp_path, whole[: whole.index("<Placemark><name>Second") + 30], "truncated.kml")
    imported = read_timed(truncated)
    assert [r.where for r in imported.rows] == ["placemark 1 (First)"]  # what came before the break
    (problem,) = imported.problems
    assert problem.message.startswith("not readable as XML: ")
    assert "at line 2, column" in problem.message or "at line 1, column" in problem.message
    binary = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.kml")
    assert read_timed(binary).problems[0].message == "the file is binary (it holds NUL bytes), not KML"
    garbage = write(tmp_path, b"\xff\xd8\xff\xe0 JFIF", "photo.kml")
    assert read_timed(garbage).problems[0].message.startswith("not readable as XML: ")
    empty = write(tmp_path, b"", "empty.kml")
    assert read_timed(empty).problems[0].message == "not readable as XML: no element found at line 1, column 1"
    svg = write(tmp_path, '<svg xmlns="http://www.w3.org/2000/svg"/>', "drawing.kml")
    assert read_timed(svg).problems[0].message == "not a KML document (root element <svg>)"


def test_a_hostile_placemark_name_is_reported_and_shown_escaped(tmp_path: Path) -> None:
    imported = read_kml_import(write(tmp_path, kml(placemark("Ben\u202eina"))), None)
    assert imported.rows == ()
    (problem,) = imported.problems
    assert (problem.line, problem.field) == (0, "name")
    assert problem.message == ("placemark 1 (Ben?ina): bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) "
                               "at character 4")


def test_an_empty_document_says_so(tmp_path: Path) -> None:
    imported = read_kml_import(write(tmp_path, kml("")), None)
    assert (imported.rows, imported.problems, imported.notes) == ((), (), ("the file holds no placemarks",))


def test_a_refused_file_guesses_no_kind() -> None:
    assert read_import(HOSTILE / "xxe_passwd.kml").guessed_kind is None
