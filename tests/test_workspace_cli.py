"""``python -m layers import / imports / undo`` and ``--workspace`` everywhere, as an analyst runs them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from layers import cli
from tests.export_cases import MINI

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "docs" / "samples"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("sample", ["sites.csv", "events.csv", "airstrips.geojson", "placemarks.kml",
                                    "placemarks.kmz"])
def test_each_sample_format_imports_and_shows_in_geojson(sample: str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", str(SAMPLES / sample), "--workspace", str(tmp_path), "--source", "sample")
    assert code == 0, out
    assert "imported" in out and "as batch b0001" in out
    code, out, _ = run(capsys, "geojson", "--as-of", "2026-01-27", "--window-days", "cumulative",
                       "--workspace", str(tmp_path))
    provenances = {f["properties"]["provenance"] for f in json.loads(out)["features"]}
    assert f"batch b0001 ({sample})" in provenances


def test_the_guessed_kind_is_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "import", str(SAMPLES / "sites.csv"), "--workspace", str(tmp_path), "--dry-run")
    assert "kind guessed from the file: sites" in out
    assert "dry run: nothing was written" in out
    assert not (tmp_path / "workspace.gpkg").exists()


def test_imports_lists_and_undo_removes_a_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(SAMPLES / "sites.csv"), "--workspace", str(tmp_path))
    run(capsys, "import", str(SAMPLES / "events.csv"), "--workspace", str(tmp_path))
    _, out, _ = run(capsys, "imports", "--workspace", str(tmp_path))
    assert [line.split()[0] for line in out.splitlines()] == ["b0001", "b0002"]
    assert "sites.csv  sites  2 rows" in out
    code, out, _ = run(capsys, "undo", "b0001", "--workspace", str(tmp_path))
    assert code == 0 and "removed batch b0001 (sites.csv, 2 rows)" in out
    _, out, _ = run(capsys, "imports", "--workspace", str(tmp_path))
    assert [line.split()[0] for line in out.splitlines()] == ["b0002"]


def test_importing_the_same_file_twice_is_refused_and_changes_nothing(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(SAMPLES / "sites.csv"), "--workspace", str(tmp_path))
    before = digest(tmp_path / "workspace.gpkg")
    code, out, err = run(capsys, "import", str(SAMPLES / "sites.csv"), "--workspace", str(tmp_path))
    assert code == 1 and "sites.csv: refused" in out
    assert "sites.csv:2: field 'id': duplicate id (also on" in err and "batch b0001 (sites.csv):1" in err
    assert digest(tmp_path / "workspace.gpkg") == before


def test_a_bad_file_is_refused_whole_with_file_line_and_field(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    text = (SAMPLES / "sites.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    bad.write_text("\n".join([lines[0], lines[1].replace(",LY,", ",Libya,", 1), *lines[2:]]) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(bad), "--workspace", str(tmp_path / "ws"))
    assert code == 1
    assert f"{bad}:2: field 'country'" in err
    assert "add --keep-valid" in err
    code, out, _ = run(capsys, "import", str(bad), "--workspace", str(tmp_path / "ws"), "--keep-valid")
    assert code == 0 and "bad.csv: would add 1 site" in out and "imported 1 row as batch b0001" in out


def test_a_file_of_rows_given_as_a_track_is_refused_naming_the_kind(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", str(SAMPLES / "sites.csv"), "--workspace", str(tmp_path / "ws"),
                       "--kind", "track")
    assert code == 1
    assert "sites.csv: field '(kind)': not a track format Airbridge reads" in err
    assert not (tmp_path / "ws").exists()


def test_validate_and_export_take_the_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(SAMPLES / "sites.csv"), "--workspace", str(tmp_path / "ws"))
    code, out, _ = run(capsys, "validate", "--data", str(MINI), "--workspace", str(tmp_path / "ws"))
    assert code == 0 and "with workspace" in out
    from dashboard.export import cli as export_cli

    out_file = tmp_path / "x.geojson"
    assert export_cli.main(["--as-of", "2026-01-27", "--format", "geojson", "--out", str(out_file),
                            "--workspace", str(tmp_path / "ws")]) == 0
    provenances = {f["properties"]["provenance"] for f in json.loads(out_file.read_text())["features"]}
    assert "batch b0001 (sites.csv)" in provenances


def test_a_missing_workspace_is_one_line_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "imports", "--workspace", str(tmp_path / "none"))
    assert code == 1 and err.strip().startswith("no workspace at") and "Traceback" not in err


def test_exports_say_which_import_a_claim_comes_from(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import xml.etree.ElementTree as ET

    from pypdf import PdfReader

    from dashboard.export import cli as export_cli

    run(capsys, "import", str(SAMPLES / "placemarks.kml"), "--workspace", str(tmp_path / "ws"))
    pdf, kml = tmp_path / "x.pdf", tmp_path / "x.kml"
    for out in (pdf, kml):
        assert export_cli.main(["--as-of", "2025-03-04", "--format", out.suffix[1:], "--out", str(out),
                                "--workspace", str(tmp_path / "ws")]) == 0
    text = " ".join((page.extract_text() or "") for page in PdfReader(pdf).pages)
    assert "(imported: b0001)" in " ".join(text.split())
    values = [d.findtext("{http://www.opengis.net/kml/2.2}value") for d in ET.parse(kml).iter(
        "{http://www.opengis.net/kml/2.2}Data") if d.get("name") == "provenance"]
    assert "batch b0001 (placemarks.kml)" in values
