"""``python -m dashboard.export``: files for one date or a series; one-line errors, no partial files.

One test runs the real command; the others call its ``main(argv)`` in this process and
check what the user would see: the exit status, the messages and the files.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CommandResult
from tests.export_cases import MINI, ROOT

from dashboard.export.atomic import write_atomically
from dashboard.export.cli import main
from dashboard.export.errors import ExportInputError, ExportWriteError
from dashboard.export.series import parse_dates


@pytest.fixture
def export(run_main: Callable[..., CommandResult]) -> Callable[..., CommandResult]:
    """``python -m dashboard.export --data tests/data/mini ARGS``, run in this process."""
    return lambda *args: run_main(main, "--data", str(MINI), *args)


def test_the_command_writes_one_file_for_one_date_and_says_so(tmp_path: Path) -> None:
    # The one run of the real command (`python -m`, a fresh interpreter, a bare environment).
    out = tmp_path / "day.geojson"
    result = subprocess.run([sys.executable, "-m", "dashboard.export", "--data", str(MINI), "--as-of", "2024-12-20",
                             "--format", "geojson", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"wrote {out}\n" and result.stdout == ""
    assert out.stat().st_size > 1000
    assert list(tmp_path.iterdir()) == [out]


def test_a_missing_suffix_is_added(export, tmp_path: Path) -> None:
    result = export("--as-of", "2024-12-20", "--format", "kml", "--out", str(tmp_path / "day"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"wrote {tmp_path / 'day.kml'}\n"
    assert list(tmp_path.iterdir()) == [tmp_path / "day.kml"]


def test_a_series_writes_one_file_per_date_with_progress(export, tmp_path: Path) -> None:
    out = tmp_path / "weekly"
    result = export("--as-of", "2024-12-08..2024-12-29/7d", "--format", "png", "--out", str(out),
                    "--extent", "syria", "--size", "1280x720")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        f"airbridge-2024-12-{day}-syria.png" for day in ("08", "15", "22", "29")]
    assert "4/4" in result.stderr and "#" in result.stderr


def test_export_does_not_import_streamlit() -> None:
    code = ("import sys, tempfile, pathlib\n"
            "from dashboard.export.cli import main\n"
            "out = pathlib.Path(tempfile.mkdtemp()) / 'x.png'\n"
            f"assert main(['--data', {str(MINI)!r}, '--as-of', '2024-12-20', '--format', 'png',"
            " '--out', str(out)]) == 0\n"
            "for key in ('pdf', 'pptx', 'html', 'kml', 'gpkg', 'geojson'):\n"
            f"    assert main(['--data', {str(MINI)!r}, '--as-of', '2024-12-20', '--format', key,"
            " '--out', str(out.with_suffix('.' + key))]) == 0\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(("args", "says"), [
    (["--as-of", "2024-02-30"], "is not a date"),
    (["--as-of", "20-12-2024"], "is not a date"),
    (["--as-of", "2024-12-29..2024-12-08"], "ends before it starts"),
    (["--format", "docx"], "invalid choice"),
    (["--extent", "50,10,40,20"], "makes no sense"),
    (["--extent", "atlantis"], "use one of theatre"),
    (["--size", "1920by1080"], "WIDTHxHEIGHT"),
    (["--size", "100x100"], "give a width"),
    (["--window-days", "0"], "whole number of days"),
    (["--out", "/nonexistent-folder/briefing.png"], "does not exist"),
    (["--out", "/etc/hostname/briefing.png"], "does not exist"),
    (["--out", "{tmp}/briefing.pdf"], "does not end in .png"),
])
def test_bad_input_gets_one_line_and_a_non_zero_exit(export, tmp_path: Path, args: list[str], says: str) -> None:
    defaults = {"--as-of": "2024-12-20", "--format": "png", "--out": str(tmp_path / "briefing.png")}
    given = dict(zip(args[::2], (a.replace("{tmp}", str(tmp_path)) for a in args[1::2]), strict=True))
    argv = [part for key, value in {**defaults, **given}.items() for part in (key, value)]
    result = export(*argv)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    def write_half(path: Path) -> None:
        path.write_bytes(b"half a PNG")
        raise RuntimeError("renderer crashed")

    (tmp_path / "old.png").write_bytes(b"previous version")
    with pytest.raises(RuntimeError, match="renderer crashed"):
        write_atomically(tmp_path / "old.png", write_half)
    with pytest.raises(RuntimeError):
        write_atomically(tmp_path / "new.png", write_half)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.png"]
    assert (tmp_path / "old.png").read_bytes() == b"previous version"


def test_writing_into_a_missing_folder_is_an_export_write_error(tmp_path: Path) -> None:
    with pytest.raises(ExportWriteError, match="does not exist"):
        write_atomically(tmp_path / "missing" / "x.png", lambda path: path.write_bytes(b""))


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-12-20", ["2024-12-20"]),
    ("2024-12-20,2024-12-08", ["2024-12-08", "2024-12-20"]),
    ("2024-12-08..2024-12-10", ["2024-12-08", "2024-12-09", "2024-12-10"]),
    ("2024-12-08..2024-12-29/7d", ["2024-12-08", "2024-12-15", "2024-12-22", "2024-12-29"]),
    ("2024-12-08..2024-12-28/7d", ["2024-12-08", "2024-12-15", "2024-12-22"]),
    ("2024-12-01..2024-12-31/2w", ["2024-12-01", "2024-12-15", "2024-12-29"]),
    ("2024-12-08,2024-12-08..2024-12-15/7d", ["2024-12-08", "2024-12-15"]),
])
def test_date_syntax(text: str, expected: list[str]) -> None:
    assert parse_dates(text) == [dt.date.fromisoformat(d) for d in expected]


@pytest.mark.parametrize(("text", "says"), [
    ("2024-12-08,", "empty item"),
    ("2024-12-08..2024-12-29/0d", "step must be"),
    ("2024-12-08..2024-12-29/7x", "is not a date"),
    ("2000-01-01..2024-12-31", "more than 1000 dates"),
])
def test_date_syntax_errors_say_what_to_write(text: str, says: str) -> None:
    with pytest.raises(ExportInputError, match=says):
        parse_dates(text)
