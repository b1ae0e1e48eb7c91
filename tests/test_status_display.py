"""How a site's status is shown: the time rule of partial dates, stale statuses, evidence apart, one symbol each.

Issue 12, point 2, on the shipped data: on 1 Dec 2024 Qamishli's month-only ``2024-12`` row
must not have taken effect yet, Tartus has the status of its 2017 agreement, and Tiyas's
2021 status says it is old. The rule is documented in docs/data.md ("The time rule of a
status").
"""

from __future__ import annotations

import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.text import Text

from layers import TimeSelection, build_snapshot, load_dataset
from layers.features import build_site_layer
from layers.style import CONFIDENCE_MARK_LABEL, STALE_LABEL, STATUS_STYLES
from layers.timeline import list_status_change_days
from layers.vocabulary import STALE_STATUS_DAYS, STATUS_LABELS
from tests.export_cases import GENERATED

from dashboard.export.briefing import BriefingSpec
from dashboard.export.product import write_product
from dashboard.export.static_map import render_briefing_figure
from dashboard.webmap.catalogue import CatalogueBuilder, InlineReferences
from dashboard.webmap.legend import build_legend_html
from dashboard.webmap.map_payload import encode_layers
from dashboard.webmap.popups import build_popup, build_tooltip
from dashboard.webmap.scrub_index import build_scrub_index
from dashboard.webmap.symbols import build_site_symbol

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini"
FIRST_DEC, KML_NS = dt.date(2024, 12, 1), "{http://www.opengis.net/kml/2.2}"
TARTUS_AP = "http://hosted.ap.org/dynamic/stories/E/EU_RUSSIA_SYRIA"


@pytest.fixture(scope="module")
def shipped():
    return load_dataset()


def site_on(dataset, site_id: str, day: dt.date) -> dict:
    """Return one site's properties on ``day``, as the map and the exports get them."""
    row = build_site_layer(dataset, TimeSelection(day, 7)).set_index("id").loc[site_id]
    return {**row.to_dict(), "id": site_id}


# --- The time rule of partial dates -------------------------------------------------------

def test_qamishli_keeps_its_earlier_status_through_december_2024_and_says_the_month_row_is_pending(shipped) -> None:
    first = site_on(shipped, "qamishli", FIRST_DEC)
    assert (first["status"], first["status_date"]) == ("active", "2019-11")
    assert (first["status_pending"], first["status_pending_date"]) == ("reported", "2024-12")
    popup = build_popup(first)
    assert "In December 2024, day not known:</b> Presence reported, unconfirmed" in popup
    assert site_on(shipped, "qamishli", dt.date(2024, 12, 31))["status"] == "active"


def test_qamishli_shows_the_december_row_from_1_january_2025_since_the_month(shipped) -> None:
    row = site_on(shipped, "qamishli", dt.date(2025, 1, 1))
    assert (row["status"], row["status_date"], row["status_pending"]) == ("reported", "2024-12", None)
    assert "since December 2024, day not known" in build_popup(row)


def test_a_partial_row_never_overrides_a_day_row_of_its_period(tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "data")
    with (tmp_path / "data" / "site_status.csv").open("a", encoding="utf-8") as file:
        file.write("qamishli,2024-12,reported,russia,Force shrank,,https://example.org/a (Example 2025-08-12),low\n"
                   "qamishli,2024-12-15,drawdown,russia,Convoy leaves,,"
                   "https://example.org/b (Example 2024-12-16),high\n")
    dataset = load_dataset(tmp_path / "data")
    before = site_on(dataset, "qamishli", dt.date(2024, 12, 14))
    assert (before["status"], before["status_pending"]) == ("active", "reported")
    on_day = site_on(dataset, "qamishli", dt.date(2024, 12, 15))
    assert (on_day["status"], on_day["status_pending"]) == ("drawdown", None)
    after = site_on(dataset, "qamishli", dt.date(2025, 1, 1))
    assert (after["status"], after["status_date"]) == ("drawdown", "2024-12-15")


def test_the_scrub_index_days_include_the_end_of_a_pending_month_and_the_day_a_status_turns_stale(shipped) -> None:
    days = set(list_status_change_days(shipped.site_status))
    assert dt.date(2025, 1, 1) in days  # Qamishli's and Maaten al-Sarra's Dec 2024 rows take effect
    assert dt.date(2024, 12, 1) in days  # ... and turn pending
    assert dt.date(2021, 2, 17) + dt.timedelta(days=STALE_STATUS_DAYS + 1) in days  # Tiyas's 2021 row turns stale


# --- Tartus before the fall ------------------------------------------------------------

def test_tartus_has_the_status_of_its_2017_agreement_on_1_december_2024(shipped) -> None:
    tartus = site_on(shipped, "tartus", FIRST_DEC)
    assert (tartus["status"], tartus["status_date"], tartus["status_actor"]) == ("active", "2017-01-18", "russia")
    assert any(source.startswith(TARTUS_AP) for source in tartus["status_sources"])
    assert "Active · " in build_tooltip(tartus) and "last reported 2017" in build_tooltip(tartus)
    assert STATUS_LABELS["not_reported"] not in build_popup(tartus)


# --- Stale statuses --------------------------------------------------------------------

@pytest.mark.parametrize("day", [FIRST_DEC, dt.date(2024, 12, 6)])
def test_tiyas_2021_status_is_marked_last_reported_2021_before_its_december_row(shipped, day: dt.date) -> None:
    tiyas = site_on(shipped, "tiyas_t4", day)
    assert (tiyas["status"], tiyas["status_date"], tiyas["status_stale"]) == ("withdrawn", "2021-02-17", True)
    assert "Withdrawn · " in build_tooltip(tiyas) and "last reported 2021" in build_tooltip(tiyas)
    assert "since 17 Feb 2021 · " in build_popup(tiyas) and "last reported 2021" in build_popup(tiyas)


def test_tiyas_on_20_december_2024_shows_its_fresh_december_row_not_stale(shipped) -> None:
    tiyas = site_on(shipped, "tiyas_t4", dt.date(2024, 12, 20))
    assert (tiyas["status"], tiyas["status_date"], tiyas["status_stale"]) == ("drawdown", "2024-12-07", False)
    assert "last reported" not in build_tooltip(tiyas)


def test_a_status_turns_stale_the_day_after_it_is_two_years_old(shipped) -> None:
    two_years = dt.date(2021, 2, 17) + dt.timedelta(days=STALE_STATUS_DAYS)
    assert site_on(shipped, "tiyas_t4", two_years)["status_stale"] is False
    assert site_on(shipped, "tiyas_t4", two_years + dt.timedelta(days=1))["status_stale"] is True


def test_a_stale_site_symbol_is_faded_and_says_so_on_the_map(shipped) -> None:
    snapshot = build_snapshot(shipped, TimeSelection(FIRST_DEC, 7))
    sites = encode_layers(snapshot, InlineReferences())["site"]
    by_name = dict(zip(snapshot.sites["id"], sites["symbol"], strict=True))
    assert 'class="ab-stale"' in by_name["tiyas_t4"] and '<g opacity="0.4">' in by_name["tiyas_t4"]
    assert "ab-stale" not in by_name["kuweires"], "Kuweires's row of 1 Dec 2024 is fresh"


# --- Evidence apart from the status, and one symbol per status -------------------------

def test_the_status_label_says_only_the_status() -> None:
    assert STATUS_LABELS["reported"] == "Presence reported, unconfirmed"
    assert not any("sourced" in label or "confidence" in label.lower() for label in STATUS_LABELS.values())


def test_the_site_symbol_carries_its_status_rows_confidence_letter(shipped) -> None:
    snapshot = build_snapshot(shipped, TimeSelection(FIRST_DEC, 7))
    symbols = dict(zip(snapshot.sites["id"], encode_layers(snapshot, InlineReferences())["site"]["symbol"],
                       strict=True))
    assert 'data-ab-grade="L"' in symbols["tiyas_t4"] and ">L</text></svg>" in symbols["tiyas_t4"]
    assert 'data-ab-grade="H"' in symbols["tartus"]
    assert "data-ab-grade" not in symbols["benina"], "no status yet: no evidence to grade"
    popup = build_popup(site_on(shipped, "tiyas_t4", FIRST_DEC))
    assert "<b>Evidence for the status:</b> Low confidence (L on the symbol)" in popup


def test_every_status_has_its_own_symbol() -> None:
    symbols = {status: build_site_symbol("air_base", "syria", status) for status in STATUS_STYLES}
    assert len(set(symbols.values())) == len(symbols)
    assert symbols["withdrawn"] != symbols["captured"]


def test_the_legend_draws_every_status_with_a_distinct_labelled_symbol_and_explains_age_and_evidence() -> None:
    legend = build_legend_html(["site"])
    for style in STATUS_STYLES.values():
        assert f"</span>{style.label}</div>" in legend
    status_symbols = {build_site_symbol("air_base", None, status, 18) for status in STATUS_STYLES}
    assert len(status_symbols) == len(STATUS_STYLES) and all(symbol in legend for symbol in status_symbols)
    assert STALE_LABEL in legend and CONFIDENCE_MARK_LABEL in legend
    assert 'class="ab-stale"' in legend and 'data-ab-grade="M"' in legend


# --- Exports ---------------------------------------------------------------------------

def test_the_kml_marks_tiyas_stale_and_grades_its_evidence_on_1_december_2024(shipped, tmp_path: Path) -> None:
    selection = TimeSelection(FIRST_DEC, 7)
    spec = BriefingSpec(selection, generated_at=GENERATED, format="kml")
    path = write_product(build_snapshot(shipped, selection), spec, tmp_path / "status.kml",
                         site_status=shipped.site_status)
    marks = {p.get("id"): p for p in ET.parse(path).getroot().iter(f"{KML_NS}Placemark")}
    tiyas = marks["tiyas_t4"]
    assert (tiyas.findtext(f"{KML_NS}styleUrl") or "").endswith("-stale")
    text = tiyas.findtext(f"{KML_NS}description") or ""
    assert "Withdrawn since 17 Feb 2021 · last reported 2021" in text
    assert "<b>Evidence for the status:</b> Low confidence" in text
    # Qamishli's history begins when its 2019-11 row took effect; the Dec 2024 row is not in force yet.
    qamishli = marks["qamishli"]
    assert qamishli.findtext(f"{KML_NS}TimeSpan/{KML_NS}begin") == "2019-12-01"
    assert not any(str(key).startswith("qamishli@2024-12") for key in marks)


def test_the_briefing_slide_writes_the_evidence_letters_and_explains_fading(shipped) -> None:
    selection = TimeSelection(FIRST_DEC, 7)
    snapshot = build_snapshot(shipped, selection)
    briefing = render_briefing_figure(snapshot, BriefingSpec(selection, generated_at=GENERATED))
    texts = [t.get_text() for t in briefing.figure.findobj(Text)]
    assert STALE_LABEL in texts and CONFIDENCE_MARK_LABEL in texts
    drawn = snapshot.sites[snapshot.sites["status_confidence"].notna()]
    # Every graded site in the frame carries its letter (the frame may leave far sites out).
    assert 0 < sum(t in {"H", "M", "L"} for t in texts) <= len(drawn)
    assert pd.Series(texts).isin(["L"]).any(), "Tiyas's low-confidence 2021 row"


# --- The live map's date control draws the same statuses --------------------------------

@pytest.fixture(scope="module")
def scrub(shipped) -> tuple[CatalogueBuilder, dict]:
    builder = CatalogueBuilder()
    return builder, build_scrub_index(shipped, builder)


@pytest.mark.parametrize("day", [dt.date(2024, 12, 31), dt.date(2025, 1, 1),  # Dec 2024 rows take effect
                                 dt.date(2025, 11, 9), dt.date(2025, 11, 10)])  # Gardabiya's 2023 row turns stale
def test_the_scrub_index_site_variant_on_a_change_day_is_what_python_encodes(shipped, scrub, day: dt.date) -> None:
    builder, index = scrub
    number = (day - dt.date(1970, 1, 1)).days
    chosen = {entry["id"]: [f for start, f in entry["variants"] if start <= number][-1] for entry in index["sites"]}
    snapshot = build_snapshot(shipped, TimeSelection(day, 7))
    expected = encode_layers(snapshot, builder)["site"]
    for position, site_id in enumerate(snapshot.sites["id"]):
        drawn = chosen[site_id]
        assert drawn["symbol"] == expected["symbol"][position], site_id
        assert (drawn["popup"], drawn["tip"]) == (expected["popup"][position], expected["tip"][position]), site_id


def test_gardabiya_turns_stale_the_day_after_two_years_on_the_live_map(shipped) -> None:
    before = site_on(shipped, "gardabya_sirte", dt.date(2025, 11, 9))
    after = site_on(shipped, "gardabya_sirte", dt.date(2025, 11, 10))
    assert (before["status_stale"], after["status_stale"]) == (False, True)
