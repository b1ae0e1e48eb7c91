"""Airbridge data layers: read, validate, filter by time and build map layers.

Plain Python: nothing here imports streamlit, so the command line, the exports and the
tests use it as the live page does.
"""

from layers.dataset import DEFAULT_DATA_DIR, Dataset, Location, load_dataset
from layers.errors import DataValidationError, Problem
from layers.features import LAYER_NAMES, Snapshot, build_snapshot
from layers.geojson import build_feature_collection, dump_feature_collection
from layers.timeline import DEFAULT_WINDOW_DAYS, TimeSelection

__all__ = [
    "DEFAULT_DATA_DIR", "DEFAULT_WINDOW_DAYS", "LAYER_NAMES", "DataValidationError", "Dataset",
    "Location", "Problem", "Snapshot", "TimeSelection", "build_feature_collection", "build_snapshot",
    "dump_feature_collection", "load_dataset",
]
