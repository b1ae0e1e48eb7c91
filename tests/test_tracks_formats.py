"""One flight in every track format, through the real command line: what the analyst sees on the map.

The files are :mod:`tests.track_formats`' renderings of one constructed trace (An-124
154076, Hmeimim OSLK -> al-Khadim HL59, 26 Dec 2024, dark for 40 minutes over the sea),
built from the readers' documented layouts, not downloaded. Each is imported with
``python -m layers import FILE --kind track`` (and, where :mod:`layers.tracks.guess`
recognises the format, checked without ``--kind``), then the day is printed with
``python -m layers geojson`` and read as a user would: the flown track, the gap, and the
flight record with its departure and arrival.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from layers import cli
from layers.tracks.guess import looks_like_track
from tests import track_formats as formats

GAP_START, GAP_END = "2024-12-26T18:32:30Z", "2024-12-26T19:12:30Z"  # the trace's silence over the sea
ON_THE_GROUND = "first seen on the ground"
LANDED = "last seen on the ground"


@dataclass(frozen=True)
class Case:
    """One format: how to write it, how to import it, and what the map must then show."""

    write: Callable[[Path], Path]
    args: tuple[str, ...] = ()
    guessed: bool = True  # layers.tracks.guess recognises it without --kind
    dry_run_guess: bool = True  # check the guess with a dry run without --kind (else looks_like_track)
    track: bool = True  # a track feature (not for /flights: it has no positions)
    gap: bool = True  # the 40-minute silence is a gap (not in a simplified /tracks answer)
    callsign: str | None = "RFF8038"
    departure: str = ON_THE_GROUND  # how the flight's departure reason starts
    arrival: str = LANDED  # and its arrival reason
    notes: tuple[str, ...] = field(default_factory=tuple)  # import notes the user must see


CASES = {
    "readsb trace_full (gzip)": Case(formats.write_readsb_trace),
    "readsb aircraft.json folder": Case(formats.write_aircraft_json_folder,
                                        notes=("2 positions repeated in consecutive snapshots kept once",)),
    # Reading 200 snapshots takes a second: guess.py's rule for any folder (a track) is run
    # through the command line once, on the aircraft.json folder, and asked directly here.
    "ADS-B Exchange v2 folder": Case(formats.write_adsbx_v2_folder, dry_run_guess=False,
                                     notes=("2 positions repeated in consecutive snapshots kept once",)),
    # As OpenSky gives them, with the last vector before each silence repeated for 300 s
    # (kept once, with a note); then with the repeats removed, so the rest of the reader is
    # checked on its own.
    "OpenSky state vectors CSV": Case(formats.write_opensky_states_csv,
                                      notes=("rows repeat the position before them",)),
    "OpenSky state vectors Parquet": Case(formats.write_opensky_states_parquet,
                                          notes=("rows repeat the position before them",)),
    "OpenSky state vectors CSV, repeats removed": Case(partial(formats.write_opensky_states_csv,
                                                               stale_repeats=False)),
    "OpenSky state vectors, Impala shell tabs, repeats removed": Case(partial(
        formats.write_opensky_states_csv, stale_repeats=False, separator="\t")),
    "OpenSky state vectors Parquet, repeats removed": Case(partial(formats.write_opensky_states_parquet,
                                                                   stale_repeats=False)),
    "traffic Parquet": Case(formats.write_traffic_parquet),
    "Flightradar24 CSV, icao24 from the name": Case(formats.write_fr24_csv,
                                                    notes=("154076 taken from its name",)),
    "Flightradar24 CSV, --icao24": Case(partial(formats.write_fr24_csv, name="RA82038_38a1b2c3.csv"),
                                        args=("--icao24", "154076")),
    # A Flightradar24 KML is time-stamped placemarks, which a KML of events also is: guess.py
    # documents that it is read as rows unless --kind track is given. track_kml reads no
    # callsign from it (where Flightradar24 writes one is not known).
    "Flightradar24 KML": Case(formats.write_fr24_kml, guessed=False, callsign=None,
                              notes=("154076 taken from its name",)),
    # FlightAware's log has no ground positions and no ground flag: the first position is
    # 1,001 ft up 3.9 km from OSLK and the last 1,499 ft up 2.2 km from HL59. airfield_match
    # puts an endpoint at the nearest airfield within 15 km and no more than 4,000 ft above
    # it, so both ends are still inferred, from height and distance rather than the ground.
    "FlightAware KML": Case(formats.write_flightaware_kml, args=("--icao24", "154076"),
                            departure="first seen at 1,001 ft 3.9 km from",
                            arrival="last seen at 1,499 ft 2.2 km from"),
    # OpenSky thins its tracks (a waypoint every 5 minutes here): trackset makes no gaps of
    # a simplified batch, so the 40-minute silence is not shown as one. Its waypoints keep
    # on_ground, so the take-off and landing still put the ends at OSLK and HL59.
    "OpenSky /tracks JSON": Case(formats.write_opensky_tracks, gap=False,
                                 notes=("the track is simplified by OpenSky",)),
    # A /flights answer states a leg and no positions: a flight record from OpenSky's own
    # airport estimates, no track, no gap.
    "OpenSky /flights JSON": Case(formats.write_opensky_flights, track=False, gap=False,
                                  departure="OpenSky's estimate (estDepartureAirport OSLK)",
                                  arrival="OpenSky's estimate (estArrivalAirport HL59)"),
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def show_day(capsys: pytest.CaptureFixture[str], workspace: Path) -> list[dict]:
    code, out, err = run(capsys, "geojson", "--as-of", "2024-12-26", "--window-days", "1", "--workspace",
                         str(workspace))
    assert code == 0, err
    return [feature["properties"] for feature in json.loads(out)["features"]]


@pytest.mark.parametrize("name", list(CASES))
def test_each_format_shows_the_flight_its_gap_and_its_airfields(tmp_path: Path, capsys, name: str) -> None:
    case = CASES[name]
    path = case.write(tmp_path / "files")
    workspace = tmp_path / "ws"
    assert looks_like_track(path) is case.guessed
    if case.guessed and case.dry_run_guess:
        code, out, err = run(capsys, "import", str(path), *case.args, "--workspace", str(workspace), "--dry-run")
        assert code == 0, err
        assert "kind guessed from the file: track" in out and "dry run: nothing was written" in out
    code, out, err = run(capsys, "import", str(path), "--kind", "track", *case.args, "--workspace", str(workspace))
    assert code == 0, err
    assert "kind guessed" not in out
    assert (" positions as batch b0001" if case.track else "imported 1 flight legs as batch b0001") in out
    for note in case.notes:
        assert note in out

    shown = show_day(capsys, workspace)
    tracks = [f for f in shown if f["layer"] == "track"]
    gaps = [f for f in shown if f["layer"] == "gap"]
    flights = [f for f in shown if f["layer"] == "flight" and f["id"].startswith(("trk-", "leg-"))]

    assert len(tracks) == (1 if case.track else 0)
    for track in tracks:
        assert track["icao24"] == "154076"
        assert track["callsign"] == case.callsign
        assert track["registration"] == "RA-82038"  # the file's, else the watchlist's (data/aircraft.csv)
    if case.gap:
        gap, = gaps
        assert 39 <= gap["duration_min"] <= 41
        assert (gap["start"], gap["end"]) == (GAP_START, GAP_END)
        assert gap["icao24"] == "154076"
    else:
        assert gaps == []
        assert not [f for f in shown if f["layer"] == "reach"]
    flight, = flights
    assert flight["icao24"] == "154076"
    assert flight["origin"] == "hmeimim"
    assert flight["destination"] == "al_khadim"
    assert f"Departure: {case.departure}" in flight["notes"]
    assert f"Arrival: {case.arrival}" in flight["notes"]
    assert flight["date"] == "2024-12-26"


def test_a_flightradar24_kml_without_kind_is_refused_not_imported_as_events(tmp_path: Path, capsys) -> None:
    path = formats.write_fr24_kml(tmp_path)
    code, out, err = run(capsys, "import", str(path), "--workspace", str(tmp_path / "ws"))
    assert code == 1
    assert "kind guessed" not in out and "nothing was written" in err
    assert "no batches in" in run(capsys, "imports", "--workspace", str(tmp_path / "ws"))[1]


def test_the_files_hold_the_trace_in_each_formats_units(tmp_path: Path) -> None:
    doc = formats.build_hmeimim_al_khadim_trace()
    points = len(doc["trace"])
    trace = formats.write_readsb_trace(tmp_path / "trace", doc)
    assert trace.name == "trace_full_154076.json" and json.loads(gzip.decompress(trace.read_bytes())) == doc

    snapshots = sorted(formats.write_adsbx_v2_folder(tmp_path / "v2", doc).iterdir())
    assert len(snapshots) == points + 2  # the last position before the sea and after landing, listed again
    first = json.loads(snapshots[0].read_text())
    assert first["now"] == 1735232400300 and first["ac"][0]["seen_pos"] == 0.3
    assert first["ac"][0]["alt_baro"] == "ground" and "track" not in first["ac"][0]

    with formats.write_opensky_states_csv(tmp_path / "csv", doc, stale_repeats=False).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == points
    assert (rows[0]["onground"], rows[0]["baroaltitude"], rows[0]["vertrate"]) == ("true", "NULL", "NULL")
    cruise = next(row for row in rows if float(row["velocity"]) > 200 and row["vertrate"] == "0.0")
    assert float(cruise["baroaltitude"]) == pytest.approx(9144.0)  # FL300 in metres
    assert float(cruise["velocity"]) == pytest.approx(430 * 1852 / 3600)
    climb = next(row for row in rows if row["vertrate"] not in ("NULL", "0.0"))
    assert float(climb["vertrate"]) == pytest.approx(10.16)  # 2,000 ft/min in m/s
    assert (int(climb["time"]) - float(climb["lastposupdate"])) == 1
    repeated = formats.build_state_vectors(doc)
    assert len(repeated) == points + 2 * 298  # each silence's last vector, repeated for 300 s
    assert {row["lastposupdate"] for row in repeated[186:186 + 298]} == {repeated[185]["lastposupdate"]}

    table = pq.read_table(formats.write_traffic_parquet(tmp_path / "traffic", doc)).to_pandas()
    assert table["altitude"].max() == pytest.approx(30_000.0) and table["groundspeed"].max() == pytest.approx(430)
    assert str(table["timestamp"].dtype) == "datetime64[ns, UTC]"

    waypoints = json.loads(formats.write_opensky_tracks(tmp_path / "tracks", doc).read_text())["path"]
    assert len(waypoints) == 21 and waypoints[-1][0] == doc["timestamp"] + doc["trace"][-1][0]
    assert waypoints[1][3] == pytest.approx(doc["trace"][10][3] * 0.3048)

    kml = formats.write_flightaware_kml(tmp_path / "fa", doc).read_text(encoding="utf-8")
    assert kml.count("<when>") == kml.count("<gx:coord>") == points - 9  # airborne only
    fr24 = formats.write_fr24_csv(tmp_path / "fr24", doc).read_text(encoding="utf-8").splitlines()
    assert fr24[0] == "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction"
    assert fr24[1] == '1735232400,2024-12-26T17:00:00Z,RFF8038,"35.4011,35.9487",0,8,259'
