"""The contract between Python and the map's script: the same field names on both sides.

Python declares every name once (``dashboard.webmap.map_contract.CONTRACT``). The script
lists the feature fields in its ``FIELDS`` literal (``airbridge-core.js``) and reads every
field through a variable named after the object (``site.popup``, ``state.caption``,
``focus.zoom``, ``stars.now``, ``ab.catalogue.texts``). These tests parse the script's
source (comments and string contents blanked) and check, object by object, that the
names it declares and reads are exactly the names Python declares, and that Python
writes exactly those names.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from layers import TimeSelection, build_snapshot
from layers.workspace import load_workspace_dataset
from tests.conftest import MINI_DATA
from tests.track_samples import import_sample_track

from dashboard.webmap.map_contract import CONTRACT, FEATURE_FIELDS
from dashboard.webmap.map_payload import Focus, build_catalogue, build_map_state, collect_catalogue_snapshots
from dashboard.webmap.static_files import LIBRARY_FILES, read_library_file

SCRIPT_FILES = [name for name in LIBRARY_FILES if name.endswith(".js")]
# How the script names each object Python sends; every other object is a variable of its name.
OBJECT_PATTERNS = {"catalogue": r"\bab\.catalogue"}
IDENTIFIER = r"[A-Za-z_$][\w$]*"


def read_script() -> str:
    """The map's script as the browser gets it: the files in load order."""
    return "\n".join(read_library_file(name) for name in SCRIPT_FILES)


def blank_strings_and_comments(source: str) -> str:
    """Return ``source`` with comments and the contents of string literals replaced by spaces.

    So that text such as ``"ab-site"`` or a comment mentioning ``site.popup`` is never taken
    for a read. The script has no regular-expression literals.
    """
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        char, pair = source[i], source[i:i + 2]
        if pair == "//":
            end = source.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif pair == "/*":
            end = source.index("*/", i + 2) + 2
            out.append(re.sub(r"[^\n]", " ", source[i:end]))
            i = end
        elif char in "'\"`":
            j = i + 1
            while source[j] != char:
                j += 2 if source[j] == "\\" else 1
            out.append(char + " " * (j - i - 1) + char)
            i = j + 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def parse_fields_literal(source: str) -> dict[str, tuple[str, ...]]:
    """Return the script's ``FIELDS`` object literal: kind -> field names, in order."""
    match = re.search(r"var FIELDS = \{(.*?)\};", source, re.DOTALL)
    assert match, "the script declares no FIELDS literal"
    return {kind: tuple(re.findall(r'"(\w+)"', names))
            for kind, names in re.findall(r"(\w+):\s*\[([^\]]*)\]", match.group(1))}


def find_reads(code: str, name: str) -> set[str]:
    """Return the properties the (blanked) script reads by name on the object ``name``."""
    prefix = OBJECT_PATTERNS.get(name, rf"(?<![\w$.]){re.escape(name)}")
    return set(re.findall(rf"{prefix}\s*\.\s*({IDENTIFIER})", code))


def find_indexed_reads(code: str, name: str) -> list[str]:
    """Return the places where the script indexes ``name`` with brackets (a read this test cannot name)."""
    prefix = OBJECT_PATTERNS.get(name, rf"(?<![\w$.]){re.escape(name)}")
    return [code[max(m.start() - 30, 0):m.end() + 10] for m in re.finditer(rf"{prefix}\s*\[", code)]


def list_contract_problems(contract: dict[str, tuple[str, ...]], source: str) -> list[str]:
    """Return every disagreement between a Python contract and a script source (none: they agree)."""
    problems = []
    declared = parse_fields_literal(source)
    features = {kind: names for kind, names in contract.items() if kind in FEATURE_FIELDS}
    if declared != features:
        problems.append(f"the script's FIELDS {declared} are not Python's {features}")
    code = blank_strings_and_comments(source)
    for name, fields in contract.items():
        reads = find_reads(code, name)
        if reads - set(fields):
            problems.append(f"the script reads {sorted(reads - set(fields))} on {name}, which Python does not write")
        if set(fields) - reads:
            problems.append(f"Python writes {sorted(set(fields) - reads)} on {name}, which the script never reads")
        problems.extend(f"the script indexes {name} with brackets: {where!r}"
                        for where in find_indexed_reads(code, name))
    return problems


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory):
    """The mini dataset with the sample ADS-B track (Hmeimim -> al-Khadim, 26 Dec 2024), so every kind is drawn."""
    workspace = import_sample_track(tmp_path_factory.mktemp("tracked") / "ws")
    return load_workspace_dataset(MINI_DATA, workspace)


def test_the_script_declares_and_reads_exactly_the_names_python_declares() -> None:
    assert list_contract_problems(CONTRACT, read_script()) == []


@pytest.mark.parametrize(("old", "new"), [
    ("text(site.popup)", "text(site.popupHtml)"),  # a read renamed in the drawing code only
    ("focus.zoom", "focus.z"),
    ("stars.now", "stars.current"),
    ("ab.catalogue.legend", "ab.catalogue.legendHtml"),
    ('circle: ["geom", "km"', 'circle: ["geom", "radius"'),  # a name renamed in FIELDS only
    ("state.caption", 'state["caption"]'),  # a read the test could not see
])
def test_a_name_changed_in_the_script_only_breaks_the_contract(old: str, new: str) -> None:
    source = read_script()
    assert old in source
    assert list_contract_problems(CONTRACT, source.replace(old, new, 1)) != []


@pytest.mark.parametrize(("name", "field"), [("site", "popup"), ("state", "caption"), ("catalogue", "geoms")])
def test_a_name_changed_in_python_only_breaks_the_contract(name: str, field: str) -> None:
    renamed = {key: tuple(f"{f}2" if (key, f) == (name, field) else f for f in fields)
               for key, fields in CONTRACT.items()}
    assert list_contract_problems(renamed, read_script()) != []
    dropped = {key: tuple(f for f in fields if (key, f) != (name, field)) for key, fields in CONTRACT.items()}
    assert list_contract_problems(dropped, read_script()) != []


def test_comments_and_strings_are_not_taken_for_reads() -> None:
    code = blank_strings_and_comments('var a = "site.x // y"; // site.popup\n/* state.z */ b = site.tip;')
    assert find_reads(code, "site") == {"tip"}
    assert find_reads(code, "state") == set()
    assert find_reads(blank_strings_and_comments("ab.groups.site.addLayer(x); features.event.length"), "site") == set()


@pytest.mark.parametrize(("day", "window"), [("2024-12-26", None), ("2024-12-20", 1)])  # full, and some empty
def test_python_writes_exactly_the_declared_names(mini, day: str, window: int | None) -> None:
    snapshot = build_snapshot(mini, TimeSelection(dt.date.fromisoformat(day), window))
    catalogue = build_catalogue(collect_catalogue_snapshots(mini))
    state = build_map_state(snapshot, catalogue, basemap="osm", focus=Focus(lat=35.4011, lon=35.9487, request=1))
    assert tuple(state) == CONTRACT["state"]
    assert tuple(state["focus"]) == CONTRACT["focus"]
    assert tuple(state["layers"]) == tuple(FEATURE_FIELDS)
    for kind, columns in state["layers"].items():
        assert tuple(columns) in {FEATURE_FIELDS[kind], ()}, kind  # () for a layer without features
        assert len({len(column) for column in columns.values()}) <= 1, f"{kind} columns of unequal length"
    payload = catalogue.to_payload()
    assert tuple(payload) == CONTRACT["catalogue"]
    assert tuple(payload["stars"]) == CONTRACT["stars"]


def test_every_kind_has_features_on_some_mini_date(mini) -> None:
    # So that the test above sees every layer's columns, not only empty layers.
    state = build_map_state(build_snapshot(mini, TimeSelection(dt.date(2024, 12, 26), None)), None, basemap="osm")
    assert all(state["layers"][kind] for kind in FEATURE_FIELDS), state["layers"]
