"""The air-gapped bundle: ``scripts/bundle.sh`` builds it, ``scripts/setup.sh --offline`` installs it
with the package index off, and the dashboard then draws its map in Chromium from that install.

The bundle is built for real (``pip download``; pip's cache and configured mirrors make it quick),
from the files on disk (``--worktree``: in CI the same as ``git archive HEAD``), then unpacked in an
empty folder as on the closed machine, where the install lines of its INSTALL.txt run with every
package index and proxy pointed at a closed port. The module takes a couple of minutes.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser import open_offline_page
from tests.dashboard_page import DashboardPage
from tests.streamlit_server import run_streamlit

ROOT = Path(__file__).resolve().parent.parent
NAME = "airbridge-bundle"
CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens, a connection fails at once
NO_NETWORK = {"PIP_NO_INDEX": "1", "PIP_INDEX_URL": f"{CLOSED}/simple", "PIP_EXTRA_INDEX_URL": "",
              "http_proxy": CLOSED, "https_proxy": CLOSED, "HTTP_PROXY": CLOSED, "HTTPS_PROXY": CLOSED,
              "no_proxy": "", "NO_PROXY": ""}
TAMPERED_PIN = "folium"  # the requirement whose wheel the tampering tests alter or remove
BUILD_TIMEOUT_S = 900
INSTALL_TIMEOUT_S = 900


@dataclass(frozen=True)
class Bundle:
    """A built bundle: its folder and the .tar.gz of it."""

    folder: Path
    archive: Path


@dataclass(frozen=True)
class Install:
    """The closed machine after the offline install: its folder and the unpacked Airbridge tree."""

    machine: Path
    tree: Path
    bundle: Path


def offline_env() -> dict[str, str]:
    return {**os.environ, **NO_NETWORK}


def run(command: list[str], cwd: Path, timeout: float = INSTALL_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=offline_env(), capture_output=True, text=True, timeout=timeout,
                          check=False)


def read_install_lines(install_txt: Path) -> list[str]:
    """The indented command lines under INSTALL.txt's "Install on ..." paragraph."""
    lines = install_txt.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Install on"))
    commands = []
    for line in lines[start + 1:]:
        if line.startswith("    "):
            commands.append(line.strip())
        elif commands:
            break
    return commands


def read_checksums(folder: Path) -> dict[str, str]:
    sums = {}
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    return sums


def read_pins(path: Path) -> dict[str, str]:
    """``name==version`` lines of a requirements file, by normalised name."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Za-z0-9._-]+)(?:\[[\w,-]+\])?==(\S+)", line.strip())
        if match:
            pins[normalise(match[1])] = match[2]
    return pins


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def wheel_of(folder: Path, requirement: str) -> Path:
    wheels = [w for w in (folder / "wheels").glob("*.whl") if normalise(w.name.split("-")[0]) == normalise(requirement)]
    assert len(wheels) == 1, f"one wheel for {requirement}: {wheels}"
    return wheels[0]


def copy_bundle(bundle: Path, target: Path) -> Path:
    """A copy of the bundle made of hard links: cheap, and safe as long as files are replaced, not written."""
    shutil.copytree(bundle, target, copy_function=os.link)
    return target


def replace_file(path: Path, data: bytes) -> None:
    path.unlink()  # a new file, so the hard-linked original keeps its content
    path.write_bytes(data)


def unpack_tree(bundle: Path, machine: Path) -> Path:
    machine.mkdir(parents=True)
    with tarfile.open(bundle / "airbridge-src.tar.gz") as archive:
        archive.extractall(machine, filter="data")
    return machine / "airbridge"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bundle]:
    out = tmp_path_factory.mktemp("bundle-build") / NAME
    result = subprocess.run(["bash", "scripts/bundle.sh", str(out), "--worktree"], cwd=ROOT, capture_output=True,
                            text=True, timeout=BUILD_TIMEOUT_S, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    yield Bundle(out, out.with_name(NAME + ".tar.gz"))
    shutil.rmtree(out.parent)  # some 470 MB


@pytest.fixture(scope="module")
def installed(built: Bundle, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Install]:
    """An empty folder given only the .tar.gz, where INSTALL.txt's unpack and setup lines ran offline."""
    machine = tmp_path_factory.mktemp("closed-machine")
    (machine / built.archive.name).symlink_to(built.archive)
    unpack, setup, _app = read_install_lines(built.folder / "INSTALL.txt")
    for line in (unpack, setup):
        result = run(["bash", "-c", line], cwd=machine)
        assert result.returncode == 0, f"{line}\n{result.stdout}{result.stderr}"
    yield Install(machine, machine / "airbridge", machine / NAME)
    shutil.rmtree(machine)  # some 1.2 GB with the new .venv


def test_install_notes_give_three_lines_unpack_setup_offline_and_the_app(built: Bundle) -> None:
    assert read_install_lines(built.folder / "INSTALL.txt") == [
        f"tar -xzf {NAME}.tar.gz && tar -xzf {NAME}/airbridge-src.tar.gz",
        f"bash airbridge/scripts/setup.sh --offline {NAME}",
        "bash airbridge/scripts/app.sh",
    ]


def test_install_notes_name_the_system_packages_and_how_to_bring_them(built: Bundle) -> None:
    text = (built.folder / "INSTALL.txt").read_text(encoding="utf-8")
    for package in ("chromium", "postgresql", "postgresql-15-postgis-3"):
        assert re.search(rf"^    {re.escape(package)} \S", text, re.MULTILINE), f"{package} and its version"
    assert "apt-get download" in text and "dpkg -i" in text


def test_checksums_cover_every_file_of_the_bundle_and_match(built: Bundle) -> None:
    files = {p.relative_to(built.folder).as_posix() for p in built.folder.rglob("*") if p.is_file()}
    sums = read_checksums(built.folder)
    assert set(sums) == files - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((built.folder / name).read_bytes()).hexdigest() == digest, name


def test_archive_holds_the_bundle_folder(built: Bundle) -> None:
    with tarfile.open(built.archive) as archive:
        names = {m.name for m in archive.getmembers() if m.isfile()}
    files = {f"{NAME}/{p.relative_to(built.folder).as_posix()}" for p in built.folder.rglob("*") if p.is_file()}
    assert names == files


def test_bundle_has_a_wheel_for_every_pin(built: Bundle) -> None:
    pins = read_pins(ROOT / "requirements.txt")
    if (ROOT / "requirements-team.txt").exists():
        pins |= read_pins(ROOT / "requirements-team.txt")
    wheels = {normalise(w.name.split("-")[0]): w.name.split("-")[1] for w in (built.folder / "wheels").glob("*.whl")}
    assert {name: wheels.get(name) for name in pins} == pins


def test_source_carries_the_data_and_the_vendored_map_assets(built: Bundle, tmp_path: Path) -> None:
    tree = unpack_tree(built.folder, tmp_path / "tree")
    for folder in ("data", "dashboard/webmap/static/vendor"):
        shipped = {p.relative_to(ROOT).as_posix(): p.read_bytes() for p in (ROOT / folder).rglob("*") if p.is_file()}
        carried = {p.relative_to(tree).as_posix(): p.read_bytes() for p in (tree / folder).rglob("*") if p.is_file()}
        assert carried == shipped, folder


def test_offline_install_draws_the_map_from_the_fresh_environment(installed: Install, browser,
                                                                  tmp_path: Path) -> None:
    python = installed.tree / ".venv" / "bin" / "python"
    where = run([str(python), "-c", "import streamlit, sys; print(sys.prefix); print(streamlit.__file__)"],
                cwd=installed.tree)
    assert where.stdout.splitlines() == [str(installed.tree / ".venv"), str(
        installed.tree / ".venv/lib/python3.11/site-packages/streamlit/__init__.py")]
    # The unpacked tree's own code reads its own data: the number of sites the map must draw.
    sites = run([str(python), "-c", "from layers import load_dataset; print(len(load_dataset().sites))"],
                cwd=installed.tree)
    assert sites.returncode == 0, sites.stderr
    with run_streamlit(root=installed.tree, python=python, cache_dir=tmp_path / "cache") as url:
        offline = open_offline_page(browser)
        try:
            dashboard = DashboardPage(offline.page)
            dashboard.open(url)
            assert dashboard.summary()["sites"] == dashboard.count(".ab-site") == int(sites.stdout)
            assert dashboard.count("canvas") >= 1, "the Natural Earth basemap is drawn on a canvas"
            assert offline.blocked == [], "the page tried to leave the machine"
            assert offline.console_errors == []
            assert dashboard.script_errors() == []
        finally:
            offline.page.context.close()


def test_after_the_offline_install_the_app_command_sets_up_nothing(installed: Install) -> None:
    result = run(["bash", "airbridge/scripts/setup.sh"], cwd=installed.machine)  # app.sh's first step
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_team_stores_driver_installs_offline_from_the_same_bundle(installed: Install) -> None:
    line = f"bash airbridge/scripts/setup.sh --offline {NAME} --team"
    assert f"    {line}\n" in (installed.bundle / "INSTALL.txt").read_text(encoding="utf-8")
    result = run(["bash", "-c", line], cwd=installed.machine)
    assert result.returncode == 0, result.stdout + result.stderr
    python = installed.tree / ".venv" / "bin" / "python"
    version = run([str(python), "-c", "import psycopg; print(psycopg.__version__)"], cwd=installed.tree)
    assert version.stdout.strip() == read_pins(installed.tree / "requirements-team.txt")["psycopg"]


def test_an_altered_wheel_stops_the_install_and_is_named(built: Bundle, tmp_path: Path) -> None:
    bundle = copy_bundle(built.folder, tmp_path / NAME)
    wheel = wheel_of(bundle, TAMPERED_PIN)
    data = wheel.read_bytes()
    replace_file(wheel, data[:-1] + bytes([data[-1] ^ 0xFF]))  # one byte flipped
    tree = unpack_tree(built.folder, tmp_path / "machine")
    result = run(["bash", "scripts/setup.sh", "--offline", str(bundle)], cwd=tree)
    assert result.returncode != 0
    assert f"altered: wheels/{wheel.name}" in result.stderr
    assert not (tree / ".venv").exists(), "checked before anything is installed"


def test_a_missing_wheel_names_the_requirement_and_says_to_rebuild(built: Bundle, tmp_path: Path) -> None:
    bundle = copy_bundle(built.folder, tmp_path / NAME)
    wheel = wheel_of(bundle, TAMPERED_PIN)
    wheel.unlink()
    sums = (bundle / "SHA256SUMS").read_text(encoding="utf-8").splitlines(keepends=True)
    replace_file(bundle / "SHA256SUMS", "".join(s for s in sums if not s.endswith(f"  wheels/{wheel.name}\n")).encode())
    tree = unpack_tree(built.folder, tmp_path / "machine")
    result = run(["bash", "scripts/setup.sh", "--offline", str(bundle)], cwd=tree)
    pin = f"{TAMPERED_PIN}=={read_pins(tree / 'requirements.txt')[TAMPERED_PIN]}"
    assert result.returncode != 0
    assert f"the bundle has no wheel for '{pin}', which requirements.txt needs" in result.stderr
    assert "bash scripts/bundle.sh OUT" in result.stderr
