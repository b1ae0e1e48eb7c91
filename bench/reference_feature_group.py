"""Reference app (b): streamlit-folium's documented best pattern for changing layers.

A static base map, and only the date's layers in a feature group:
``st_folium(m, feature_group_to_add=fg, returned_objects=[])``, so the map is not
remounted and the app is not rerun by map events. ``streamlit run
bench/reference_feature_group.py``; the benchmark (``bench/bench_apps.py``) starts it.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `streamlit run` puts bench/ on the path, not the repository

import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from bench.reference_files import MAP_HEIGHT_PX, OPENING_DAY, serve_reference_files  # noqa: E402
from bench.reference_map import build_date_group, build_reference_base_map, load_reference_dataset  # noqa: E402

st.set_page_config(page_title="Reference: st_folium feature_group_to_add", layout="wide")
dataset = st.cache_resource(load_reference_dataset)()
first, last = dataset.first_date.date(), dataset.last_date.date()
vendor_url, basemap_url = serve_reference_files()
day = st.slider("Date", min_value=first, max_value=last, value=OPENING_DAY, step=dt.timedelta(days=1),
                format="ddd D MMM YYYY")
# Built every run (a cached folium map is shared and mutable: STYLE.md), byte-identical each time.
base_map = build_reference_base_map(vendor_url, basemap_url)
st_folium(base_map, key="map", height=MAP_HEIGHT_PX, use_container_width=True, returned_objects=[],
          feature_group_to_add=build_date_group(dataset, day))
