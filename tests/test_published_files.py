"""Published map files live in the cache folder, one folder per data folder, pruned to the current version."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from layers.cache_folder import CACHE_DIR_ENV, find_cache_dir

from dashboard.webmap.static_files import PRUNE_AFTER_S, find_published_dir, mark_in_use, prune_published, publish_file


def test_the_cache_folder_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "c"))
    assert find_cache_dir() == tmp_path / "c"


def test_the_default_cache_folder_is_the_users(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert find_cache_dir() == tmp_path / "airbridge"


def test_each_data_folder_publishes_into_its_own_folder(tmp_path: Path) -> None:
    assert find_published_dir("/data/a", tmp_path) != find_published_dir("/data/b", tmp_path)
    assert find_published_dir("/data/a", tmp_path).parent == tmp_path / "published"


def test_a_published_file_is_named_by_content_and_readable_by_all(tmp_path: Path) -> None:
    name = publish_file(b"{}", "catalogue", ".json", tmp_path)
    assert name == publish_file(b"{}", "catalogue", ".json", tmp_path)
    assert name.startswith("catalogue-") and name.endswith(".json")
    assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644


def test_publishing_a_new_version_prunes_the_old(tmp_path: Path) -> None:
    old = publish_file(b'{"v":1}', "catalogue", ".json", tmp_path)
    new = publish_file(b'{"v":2}', "catalogue", ".json", tmp_path)
    basemap = publish_file(b"[]", "countries", ".json", tmp_path)
    # Published a moment ago: another server may be serving it, so it stays.
    assert prune_published(tmp_path, keep={new, basemap}) == []
    day_old = time.time() - PRUNE_AFTER_S - 60
    os.utime(tmp_path / old, (day_old, day_old))
    assert prune_published(tmp_path, keep={new, basemap}) == [old]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([new, basemap])


def test_a_file_being_served_is_never_pruned_by_another_publish(tmp_path: Path) -> None:
    # The unfiltered catalogue of a server up for days: published once, served from a cache.
    served = publish_file(b'{"served": true}', "catalogue", ".json", tmp_path)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(tmp_path / served, (two_days_ago, two_days_ago))
    mark_in_use(tmp_path, [served])  # a page loads it
    other = publish_file(b'{"filtered": true}', "catalogue", ".json", tmp_path)  # a new filter's catalogue
    assert prune_published(tmp_path, keep={other}) == []
    assert (tmp_path / served).is_file()
    os.utime(tmp_path / served, (two_days_ago, two_days_ago))  # nobody has served it since
    assert prune_published(tmp_path, keep={other}) == [served]
