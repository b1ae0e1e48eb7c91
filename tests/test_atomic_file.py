"""A file written through ``replace_atomically`` is there whole or not at all, and readable by all."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from layers.atomic_file import replace_atomically


def test_a_clean_write_replaces_the_file_readable_by_all(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text("old", encoding="utf-8")
    with replace_atomically(path) as temporary:
        assert temporary.parent == tmp_path and temporary != path
        temporary.write_text("new", encoding="utf-8")
        assert path.read_text(encoding="utf-8") == "old"  # a reader still sees the old file meanwhile
    assert path.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(tmp_path.iterdir()) == [path]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "countries.feather"
    path.write_bytes(b"old")
    def write_half() -> None:
        with replace_atomically(path) as temporary:
            temporary.write_bytes(b"half")
            raise RuntimeError("the disk filled up")

    with pytest.raises(RuntimeError, match="disk"):
        write_half()
    assert path.read_bytes() == b"old"
    assert sorted(tmp_path.iterdir()) == [path]
