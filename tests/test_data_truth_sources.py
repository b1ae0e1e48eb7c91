"""The source check and source kinds: fragile sources warned about, kinds read once, the shipped data's count."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from layers import DataValidationError, load_dataset
from layers import source_check as sc
from layers.cli import main
from layers.source_check import check_dataset_sources, check_row, check_source, is_aggregator
from layers.sources import find_source_problem, parse_source, split_sources
from layers.vocabulary import SOURCE_KINDS
from tests.conftest import call_main

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "data" / "mini"
SHIPPED_WARNINGS = 80
"""The warnings the shipped data gives today: each is explained in docs/data.md ("Sources kept, and why")."""


def messages(text: str) -> list[str]:
    return [message for message, _ in check_source(text)]


@pytest.mark.parametrize(("text", "message"), [
    ("http://3.127.128.221/2025/01/24/syria-cancels-port-management (Reuters 2025-01-24)",
     "the host is a raw IP address"),
    ("http://185.21.17.249/g/2015151119866/x (Visir 2015)", "the host is a raw IP address"),
    ("https://uat.apnews.com/article/x (AP, 2025-05-21)",
     "the host is a staging or app-hosting copy, not the publisher's site"),
    ("https://preproduction.printyourfood.com/f22 (FT repost 2024-12-15)",
     "the host is a staging or app-hosting copy, not the publisher's site"),
    ("https://eremnews-fe-app-production.azurewebsites.net/videos/y62dhrx (Erem News, 2025-02-03)",
     "the host is a staging or app-hosting copy, not the publisher's site"),
    ("https://www.aberfoylesecurity.com/?cat=28 (Jamestown EDM 2025-04-17)",
     "the link is a listing or search page, whose content changes"),
    ("https://longwarjournal.org/tags/kweiris-air-base (Long War Journal 2015)",
     "the link is a listing or search page, whose content changes"),
    ("https://example.org/category/libya/ (Example 2025)",
     "the link is a listing or search page, whose content changes"),
    ("https://github.com/mborsetti/airportsdata/ (airportsdata 2026)", "the link is a repository's front page"),
    ("https://itamilradar.com/2024/12/27/x", "the source has no label naming its outlet and date"),
    ("https://www.reuters.com/x (Reuters)", "the label gives no date"),
    ("https://gplusss.com/2025/03/28/x (2025-03-28)", "the label names no outlet"),
])
def test_each_kind_of_fragile_source_is_warned_about(text: str, message: str) -> None:
    assert message in messages(text)


@pytest.mark.parametrize("text", [
    "https://www.reuters.com/world/x (Reuters, 2024-12-14)",
    "https://github.com/wiedehopf/tar1090-db/blob/c6a8036/db/1.js (tar1090-db, commit c6a8036 2026-04-06)",
    "https://www.timesofisrael.com/liveblog_entry/x/ (Times of Israel, Reuters copy, 2025-01-24 [wire])",
    "https://libyasecuritymonitor.com/?p=9173 (Libya Security Monitor, 2026-01-19)",
    "file:sightings.csv (my notes)",
])
def test_a_sound_source_gives_no_warning(text: str) -> None:
    assert check_source(text) == []


def test_a_row_of_only_aggregators_is_warned_about_once() -> None:
    row = ["https://www.brighteon.com/3520fda9 (Brighteon repost, 2024-11-30)",
           "https://tgstat.com/channel/@x/46707 (TGStat summary, 2024-12)"]
    warnings = [w for w in check_row("events.csv", 7, "sources", row)
                if w.message == "every source of the row is an aggregator or a forum"]
    assert len(warnings) == 1 and str(warnings[0]).startswith("warning: events.csv:7: field 'sources': every source")


def test_an_aggregator_beside_an_original_is_not_warned_about() -> None:
    row = ["https://www.brighteon.com/3520fda9 (Brighteon repost, 2024-11-30)",
           "https://iha.news/?p=190158 (IHA, 2024-12-01)"]
    assert not any("aggregator" in w.message for w in check_row("events.csv", 7, "sources", row))


def test_a_source_marked_aggregator_counts_as_one_whatever_its_host() -> None:
    assert is_aggregator("https://example.org/x (Example cluster, 2025 [aggregator])")
    assert is_aggregator("https://italy.news-pravda.com/russia/2025/07/24/241703.html (news-pravda, 2025-07-24)")
    assert not is_aggregator("https://www.reuters.com/x (Reuters, 2024-12-14)")


# --- Source kinds --------------------------------------------------------------------------

def test_a_kind_is_read_from_the_end_of_the_label_and_kept_out_of_it() -> None:
    source = parse_source("https://www.5.ua/ru/x.html (5 Kanal citing Ukraine's HUR, 2024-12 [party])")
    assert (source.label, source.kind) == ("5 Kanal citing Ukraine's HUR, 2024-12", "party")
    assert source.display == "5 Kanal citing Ukraine's HUR, 2024-12, via 5.ua [party to the conflict]"


def test_a_source_without_a_kind_reads_as_before() -> None:
    source = parse_source("https://www.reuters.com/x (Reuters, 2024-12-14)")
    assert (source.label, source.kind, source.display) == ("Reuters, 2024-12-14", None, "Reuters, 2024-12-14")


def test_an_unknown_kind_is_a_problem() -> None:
    assert find_source_problem("https://a.org/x (A, 2024 [rumour])") == (
        f"names the unknown kind [rumour] (use one of {', '.join(SOURCE_KINDS)})")


def test_an_unknown_kind_fails_validation_naming_file_line_and_field(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    path = data / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("(Reuters 2024-12-14)", "(Reuters 2024-12-14 [rumour])")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        load_dataset(data)
    assert "events.csv:2: field 'sources'" in str(caught.value.problems[0])


def test_every_shipped_kind_is_known_and_every_hur_claim_is_marked_as_a_party() -> None:
    dataset = load_dataset()
    for frame in (dataset.sites, dataset.site_status, dataset.flights, dataset.events, dataset.observations):
        for cell in frame["sources"]:
            for text in cell:
                source = parse_source(text)
                assert source.kind is None or source.kind in SOURCE_KINDS, text
                if source.label and re.search(r"\bHUR\b", source.label):
                    assert source.kind == "party", text


# --- The command line and the shipped data --------------------------------------------------

def test_validate_prints_the_warnings_after_the_ok_line_and_still_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    status = call_main(main, ["validate", "--data", str(MINI)])
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert out[0].startswith("OK: ")
    assert re.fullmatch(r"\d+ source warnings \(docs/data.md, 'The source check'\):", out[1])
    assert all(line.startswith("warning: ") for line in out[2:]) and len(out) == int(out[1].split()[0]) + 2


def test_the_shipped_data_gives_its_known_number_of_warnings() -> None:
    warnings = check_dataset_sources(load_dataset())
    assert len(warnings) == SHIPPED_WARNINGS, "\n".join(map(str, warnings))


@pytest.mark.parametrize("message", [
    "the host is a raw IP address", "the link is a repository's front page",
])
def test_the_shipped_data_has_no_raw_ip_or_repository_front_page_left(message: str) -> None:
    assert not [w for w in check_dataset_sources(load_dataset()) if w.message == message]


def test_the_fragile_hosts_the_issue_named_are_gone_from_the_shipped_data() -> None:
    dataset = load_dataset()
    cells = [text for frame in (dataset.sites, dataset.events) for cell in frame["sources"] for text in cell]
    hosts = {parse_source(text).host for text in cells}
    assert not hosts & {"preproduction.printyourfood.com", "flashback.org", "sinodefenceforum.com", "askwikinow.com",
                        "mlm2.listserve.net", "3.127.128.221", "185.21.17.249"}


def test_the_docs_list_every_word_of_the_check() -> None:
    docs = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    section = docs[docs.index("## The source check"):docs.index("## Provenance of the shipped data")]
    words = (*sc.STAGING_HOST_LABELS, *sc.APP_HOST_SUFFIXES, *sc.LISTING_PATH_SEGMENTS, *sc.LISTING_QUERY_KEYS,
             *sc.REPOSITORY_HOSTS, *sc.AGGREGATOR_HOSTS)
    assert [w for w in words if f"`{w}`" not in section] == []


def test_split_sources_still_reads_a_cell_with_kinds() -> None:
    cell = "https://a.org/x (A, 2024 [wire]) | https://b.org/y (B, 2025 [repost])"
    assert [parse_source(s).kind for s in split_sources(cell)] == ["wire", "repost"]
