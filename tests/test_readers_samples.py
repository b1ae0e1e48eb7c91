"""The import samples in docs/samples are valid with the shipped data, and the readers' examples hold."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

from layers.readers import read_import
from layers.validation import ExtraRow, validate_dataset
from layers.workspace import apply_defaults

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "docs" / "samples"
SAMPLE_FILES = ("sites.csv", "events.csv", "airstrips.geojson", "placemarks.kml", "placemarks.kmz")
READER_MODULES = ("files", "points", "markup", "csv_import", "geojson_import", "kml_import", "kmz", "countries",
                  "dispatch")


def test_every_sample_is_there_and_reads_without_problems() -> None:
    assert sorted(p.name for p in SAMPLES.iterdir()) == sorted(SAMPLE_FILES)
    for name in SAMPLE_FILES:
        imported = read_import(SAMPLES / name)
        assert imported.problems == (), name
        assert imported.rows, name


def test_the_samples_together_pass_validation_with_the_shipped_data() -> None:
    extra = []
    for name in SAMPLE_FILES:
        imported = apply_defaults(read_import(SAMPLES / name))
        for row in imported.rows:
            file = imported.path if row.line else Path(f"{imported.path} {row.where}")
            extra.append(ExtraRow(row.kind, file, row.line, row.cells, f"sample {name}"))
    records = validate_dataset(ROOT / "data", extra)
    ids = {rec["id"] for rec in records["sites.csv"]}
    assert {"sample_misrata", "sample_waw_al_kabir", "sample_ghat", "sample_zwara"} <= ids


def test_the_samples_say_they_are_samples() -> None:
    for name in SAMPLE_FILES:
        for row in read_import(SAMPLES / name).rows:
            text = " ".join(row.cells.values()).lower()
            assert "sample" in text, f"{name} {row.where} does not say it is a sample"


@pytest.mark.parametrize("name", READER_MODULES)
def test_the_examples_in_the_readers_docstrings_hold(name: str) -> None:
    module = importlib.import_module(f"layers.readers.{name}")
    result = doctest.testmod(module)
    assert result.failed == 0
