"""A PNG briefing from a fresh ``python -m dashboard.export`` loads only what a PNG needs.

The command's start-up is most of its time (issue 13: a PNG in 3 s on two cores), so the
writers of the other formats, the browser and the page stay unloaded, and from the second
run on GDAL is not started to read the basemap again (its Arrow copy is read instead).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from layers.cache_folder import CACHE_DIR_ENV
from tests.export_cases import MINI, ROOT

NOT_FOR_A_PNG = ("pyogrio", "pptx", "playwright", "streamlit", "folium", "matplotlib.backends.backend_pdf")


def test_a_second_png_command_loads_no_other_writer_and_no_gdal(tmp_path: Path) -> None:
    code = ("import sys\n"
            "from dashboard.export.cli import main\n"
            f"status = main(['--data', {str(MINI)!r}, '--as-of', '2024-12-20', '--format', 'png',"
            " '--out', sys.argv[1]])\n"
            f"print(status, [name for name in {NOT_FOR_A_PNG!r} if name in sys.modules])\n")
    env = {**os.environ, CACHE_DIR_ENV: str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path / f"{index}.png")], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300, check=False) for index in range(2)]
    assert runs[0].stdout.strip() == "0 ['pyogrio']", runs[0].stderr  # the first run reads the GeoJSON
    assert runs[1].stdout.strip() == "0 []", runs[1].stderr
    assert (tmp_path / "1.png").stat().st_size > 50_000
