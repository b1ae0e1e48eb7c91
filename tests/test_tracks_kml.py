"""KML tracks: FlightAware gx:Track, Flightradar24 Route placemarks, safety and problems."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from layers.tracks import fr24, track_kml
from layers.tracks.track_kml import looks_like_track_kml, read_track_kml

KML_OPEN = ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2" '
            'xmlns:gx="http://www.google.com/kml/ext/2.2">\n')


def flightaware(track_name: str = "RYR5580", coords: tuple[str, ...] = ("-3.36 55.95 304.8", "-3.30 55.90 3048"),
                whens: tuple[str, ...] = ("2022-10-15T06:10:00Z", "2022-10-15T06:11:00Z")) -> bytes:
    track = "".join(f"<when>{w}</when>" for w in whens) + "".join(f"<gx:coord>{c}</gx:coord>" for c in coords)
    return (KML_OPEN + "<Document><name>FlightAware ✈ RYR5580 15-Oct-2022 (EDI / EGPH-ALC / LEAL)</name>"
            "<Placemark><name>EGPH Airport</name><Point><coordinates>-3.37,55.95,41</coordinates></Point></Placemark>"
            "<Placemark><name>LEAL Airport</name><Point><coordinates>-0.55,38.28,43</coordinates></Point></Placemark>"
            f"<Placemark><name>{track_name}</name><gx:Track><altitudeMode>absolute</altitudeMode>{track}</gx:Track>"
            "</Placemark></Document></kml>").encode()


def fr24_placemark(when: str, coordinates: str, altitude: str, speed: str, heading: str) -> str:
    description = (f"<div><div><span><b>Altitude:</b></span> <span>{altitude}</span></div>"
                   f"<div><span><b>Speed:</b></span> <span>{speed}</span></div>"
                   f"<div><span><b>Heading:</b></span> <span>{heading}</span></div></div>")
    return (f"<Placemark><name>{when[:19].replace('T', ' ')} UTC</name>"
            f"<description><![CDATA[{description}]]></description><TimeStamp><when>{when}</when></TimeStamp>"
            f"<Point><altitudeMode>absolute</altitudeMode><coordinates>{coordinates}</coordinates></Point></Placemark>")


def flightradar24(*placemarks: str) -> bytes:
    return (KML_OPEN + "<Document><name>SDM3751</name><Folder><name>Route</name>" + "".join(placemarks)
            + "</Folder><Folder><name>Trail</name><Placemark><LineString><coordinates>37.41,55.97,0 37.5,56.0,0"
            "</coordinates></LineString></Placemark></Folder></Document></kml>").encode()


FR24_ROUTE = flightradar24(
    fr24_placemark("2024-12-27T10:15:02+00:00", "37.413,55.972,0", "0 ft", "12 kt", "250&deg;"),
    fr24_placemark("2024-12-27T10:25:02+00:00", "37.5,56.0,3657.6", "12,000 ft", "310 kt", "271&deg;"),
    fr24_placemark("2024-12-27T10:26:02+00:00", "37.6,56.1,3962.4", "", "fast", "272&deg;"),
)


def test_flightaware_track_times_feet_and_ident(tmp_path: Path) -> None:
    track = read_track_kml(tmp_path / "FlightAware_RYR5580_EGPH_LEAL_20221015.kml", flightaware())
    assert track.format == "FlightAware KML"
    assert track.problems == ()
    positions = track.positions
    assert positions["time"].tolist() == [pd.Timestamp("2022-10-15T06:10:00Z"), pd.Timestamp("2022-10-15T06:11:00Z")]
    assert positions["alt_baro_ft"].tolist() == pytest.approx([1000.0, 10_000.0])
    assert (positions["lon"].iloc[0], positions["lat"].iloc[0]) == (-3.36, 55.95)
    assert positions["callsign"].unique().tolist() == ["RYR5580"]
    assert positions["point"].tolist() == [1, 2]  # the airports' Points have no time: not positions


def test_flightaware_hyphenated_name_is_a_registration(tmp_path: Path) -> None:
    positions = read_track_kml(tmp_path / "track.kml", flightaware(track_name="RA-82038")).positions
    assert positions["registration"].unique().tolist() == ["RA-82038"]
    assert positions["callsign"].unique().tolist() == ["RYR5580"]  # from the Document name


def test_flightaware_document_name_gives_the_ident_when_the_placemark_has_none(tmp_path: Path) -> None:
    positions = read_track_kml(tmp_path / "track.kml", flightaware(track_name="")).positions
    assert positions["callsign"].unique().tolist() == ["RYR5580"]


def test_another_gx_track_keeps_kml_altitude_as_geometric(tmp_path: Path) -> None:
    raw = flightaware().replace("FlightAware ✈ RYR5580".encode(), b"My flight")
    track = read_track_kml(tmp_path / "track.kml", raw)
    assert track.format == "KML gx:Track"
    assert track.positions["alt_geom_ft"].tolist() == pytest.approx([1000.0, 10_000.0])
    assert track.positions["alt_baro_ft"].isna().all()
    assert track.positions["callsign"].unique().tolist() == [""]


def test_flightradar24_route_reads_description_fields_and_the_ground(tmp_path: Path) -> None:
    track = read_track_kml(tmp_path / "fr24_154076_SDM3751.kml", FR24_ROUTE)
    assert track.format == "Flightradar24 KML"
    assert track.problems == ()
    positions = track.positions
    assert positions["time"].iloc[1] == pd.Timestamp("2024-12-27T10:25:02Z")
    assert (positions["lon"].iloc[1], positions["lat"].iloc[1]) == (37.5, 56.0)
    assert positions["alt_baro_ft"].iloc[1] == 12_000  # the description's feet, thousands separator read
    assert positions["alt_baro_ft"].iloc[2] == pytest.approx(13_000.0)  # no Altitude: the Point's metres
    assert positions["ground_speed_kt"].iloc[1] == 310 and math.isnan(positions["ground_speed_kt"].iloc[2])
    assert positions["track_deg"].tolist() == [250, 271, 272]
    assert positions["on_ground"].tolist() == [True, False, False]
    assert math.isnan(positions["alt_baro_ft"].iloc[0])
    assert len(positions) == 3  # the Trail folder's LineString has no times
    assert any("speed" in note and "not read" in note for note in track.notes)


def test_kml_uses_the_fr24_icao24_rule(tmp_path: Path) -> None:
    assert track_kml.resolve_icao24 is fr24.resolve_icao24  # written once
    named = read_track_kml(tmp_path / "fr24_154076_SDM3751.kml", FR24_ROUTE)
    assert named.positions["icao24"].unique().tolist() == ["154076"]
    assert any("taken from its name" in note for note in named.notes)
    unnamed = read_track_kml(tmp_path / "SDM3751-38a1b2c3.kml", FR24_ROUTE)
    assert unnamed.positions["icao24"].unique().tolist() == [""]
    assert any("--icao24" in note for note in unnamed.notes)
    given = read_track_kml(tmp_path / "SDM3751-38a1b2c3.kml", FR24_ROUTE, icao24="154076")
    assert given.positions["icao24"].unique().tolist() == ["154076"]


def test_bad_times_and_coordinates_name_the_point_field_and_value(tmp_path: Path) -> None:
    raw = flightaware(coords=("-3.36 55.95 304.8", "-3.30 north 3048", "-3.2 55.8 3100"),
                      whens=("2022-10-15T06:10:00Z", "2022-10-15T06:11:00Z", "soon"))
    track = read_track_kml(tmp_path / "track.kml", raw)
    found = {(p.field, p.value, p.message.split(":")[0]) for p in track.problems}
    assert found == {("coordinates", "-3.30 north 3048", "point 2"), ("when", "soon", "point 3")}
    assert all(p.line == 0 for p in track.problems)


def test_a_track_whose_times_and_positions_do_not_pair_is_a_problem(tmp_path: Path) -> None:
    raw = flightaware(whens=("2022-10-15T06:10:00Z",))
    track = read_track_kml(tmp_path / "track.kml", raw)
    problem, = track.problems
    assert problem.field == "gx:Track"
    assert "placemark 3 (RYR5580)" in problem.message and "1 <when> and 2 <gx:coord>" in problem.message
    assert track.positions.empty


def test_a_dtd_with_an_external_entity_is_refused(tmp_path: Path) -> None:
    raw = (b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
           b'<kml><Document><name>&secret;</name></Document></kml>')
    track = read_track_kml(tmp_path / "evil.kml", raw)
    problem, = track.problems
    assert "DTD" in problem.message
    assert track.positions.empty


def test_xml_that_is_not_well_formed_is_one_problem(tmp_path: Path) -> None:
    problem, = read_track_kml(tmp_path / "cut.kml", flightaware()[:200]).problems
    assert problem.message.startswith("not readable as XML")


def test_detection_needs_kml_with_a_track_or_time_stamped_points() -> None:
    assert looks_like_track_kml(flightaware())
    assert looks_like_track_kml(FR24_ROUTE)
    sites = KML_OPEN + "<Document><Placemark><Point><coordinates>1,2</coordinates></Point></Placemark></Document></kml>"
    assert not looks_like_track_kml(sites.encode())
    assert not looks_like_track_kml(b'<gpx><trk><trkpt lat="1" lon="2"><time>x</time></trkpt></trk></gpx>')
