"""``--format geotiff``: the slide's map panel, placed by GDAL where the sites are.

GDAL is what QGIS reads rasters with; the test opens the file with the GDAL library that
pyogrio ships (through ctypes, as GDAL's C API), takes GDAL's geotransform and GDAL's
spatial reference, and checks that the pixels GDAL puts at Hmeimim and al-Khadim hold
those sites' symbols.
"""

from __future__ import annotations

import ctypes
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio
import pyproj
import pytest
from PIL import Image

from layers import load_dataset
from tests.conftest import CommandResult

from dashboard.export.cli import main

DAY = dt.date(2024, 12, 20)


@dataclass(frozen=True)
class GdalRaster:
    width: int
    height: int
    geotransform: tuple[float, ...]
    crs: pyproj.CRS


@pytest.fixture(scope="module")
def gdal() -> ctypes.CDLL:
    libraries = sorted((Path(pyogrio.__file__).parent.parent / "pyogrio.libs").glob("libgdal*.so*"))
    assert libraries, "pyogrio's wheel ships no GDAL library to read the GeoTIFF with"
    library = ctypes.CDLL(str(libraries[0]))
    library.GDALAllRegister()
    library.GDALOpen.restype = ctypes.c_void_p
    library.GDALOpen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    library.GDALGetGeoTransform.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    library.GDALGetProjectionRef.restype = ctypes.c_char_p
    library.GDALGetProjectionRef.argtypes = [ctypes.c_void_p]
    library.GDALGetRasterXSize.argtypes = library.GDALGetRasterYSize.argtypes = [ctypes.c_void_p]
    library.GDALClose.argtypes = [ctypes.c_void_p]
    return library


def read_with_gdal(gdal: ctypes.CDLL, path: Path) -> GdalRaster:
    handle = gdal.GDALOpen(str(path).encode(), 0)
    assert handle, f"GDAL cannot open {path}"
    try:
        transform = (ctypes.c_double * 6)()
        assert gdal.GDALGetGeoTransform(handle, transform) == 0, "GDAL finds no georeferencing"
        wkt = gdal.GDALGetProjectionRef(handle).decode()
        assert wkt, "GDAL finds no spatial reference"
        return GdalRaster(gdal.GDALGetRasterXSize(handle), gdal.GDALGetRasterYSize(handle), tuple(transform),
                          pyproj.CRS.from_wkt(wkt))
    finally:
        gdal.GDALClose(handle)


def pixel_at(raster: GdalRaster, lon: float, lat: float) -> tuple[int, int]:
    x, y = pyproj.Transformer.from_crs("EPSG:4326", raster.crs, always_xy=True).transform(lon, lat)
    origin_x, size_x, _, origin_y, _, size_y = raster.geotransform
    return int((y - origin_y) / size_y), int((x - origin_x) / size_x)


@pytest.fixture
def export(run_main: Callable[..., CommandResult], tmp_path: Path) -> Callable[..., Path]:
    def run(*args: str) -> Path:
        out = tmp_path / "map.tif"
        result = run_main(main, "--as-of", DAY.isoformat(), "--format", "geotiff", "--out", str(out), *args)
        assert result.returncode == 0, result.stderr
        return out
    return run


def test_gdal_places_the_sites_symbols_where_the_sites_are(export, gdal) -> None:
    path = export()
    raster = read_with_gdal(gdal, path)
    pixels = np.asarray(Image.open(path).convert("RGB"))
    assert (raster.height, raster.width) == pixels.shape[:2]
    assert raster.crs.coordinate_operation.method_name == "Lambert Conic Conformal (2SP)"
    assert raster.geotransform[2] == raster.geotransform[4] == 0
    # About 4.7 km a pixel on the theatre slide: square pixels within 1 %.
    assert raster.geotransform[1] == pytest.approx(-raster.geotransform[5], rel=0.01)
    sites = load_dataset().sites
    for site_id in ("hmeimim", "al_khadim", "benina"):
        site = sites.loc[site_id]
        row, column = pixel_at(raster, site.geometry.x, site.geometry.y)
        assert 0 <= row < raster.height and 0 <= column < raster.width
        around = pixels[row - 3: row + 4, column - 3: column + 4].astype(int)
        # Every site symbol has a black or dark grey outline; the basemap has none that dark.
        assert around.max(axis=2).min() < 90, f"no symbol where GDAL puts {site_id}"
    # Open sea (Ionian, Gulf of Sirte, south of Crete, off Malta): light where nothing is drawn.
    # A label placed out over the sea may cover one of them, not most.
    clear = 0
    for lon, lat in ((16.0, 35.0), (18.5, 33.8), (24.5, 34.3), (14.5, 35.5)):
        sea = pixel_at(raster, lon, lat)
        patch = pixels[sea[0] - 3: sea[0] + 4, sea[1] - 3: sea[1] + 4].astype(int)
        clear += patch.max(axis=2).min() > 150
    assert clear >= 3


def test_a_map_across_the_equator_is_written_in_mercator(export, gdal) -> None:
    raster = read_with_gdal(gdal, export("--extent=10,-5,40,12"))
    operation = raster.crs.coordinate_operation
    assert operation.method_name == "Mercator (variant A)"
    assert {p.name: p.value for p in operation.params}["Longitude of natural origin"] == pytest.approx(25.0)
    row, column = pixel_at(raster, 25.0, 3.5)  # the extent's centre
    assert abs(row - raster.height / 2) < 2 and abs(column - raster.width / 2) < 2
