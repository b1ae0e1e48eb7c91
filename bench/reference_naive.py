"""Reference app (a): the naive streamlit-folium pattern, a new folium map every rerun and ``st_folium(m)``.

``streamlit run bench/reference_naive.py``; the benchmark (``bench/bench_apps.py``) starts
it. The dataset is cached (``st.cache_resource``), the map is rebuilt on every move of the
"Date" slider with that date's layers (``bench/reference_map.py``).
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

st.set_page_config(page_title="Reference: naive st_folium", layout="wide")
dataset = st.cache_resource(load_reference_dataset)()
first, last = dataset.first_date.date(), dataset.last_date.date()
vendor_url, basemap_url = serve_reference_files()
day = st.slider("Date", min_value=first, max_value=last, value=OPENING_DAY, step=dt.timedelta(days=1),
                format="ddd D MMM YYYY")
folium_map = build_reference_base_map(vendor_url, basemap_url)
build_date_group(dataset, day).add_to(folium_map)
st_folium(folium_map, height=MAP_HEIGHT_PX, use_container_width=True)
