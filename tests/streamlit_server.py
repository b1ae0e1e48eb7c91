"""A real dashboard server (``python -m dashboard.app.serve``, as ``scripts/app.sh`` starts it), for browser tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT_S = 60.0


class ServerStartError(RuntimeError):
    """The Streamlit server did not answer its health check in time."""


class ServerDiedError(RuntimeError):
    """The Streamlit server exited while a test used it (a crash: the end of its log, in the message, says where)."""


def find_free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def run_streamlit(data_dir: Path | None = None, port: int | None = None,
                  cache_dir: Path | None = None, workspace: Path | None = None,
                  root: Path = ROOT, python: Path | None = None, script: Path | None = None,
                  prebuild: bool = False) -> Iterator[str]:
    """Start the dashboard, wait until it is healthy, yield its URL, stop it afterwards.

    Parameters
    ----------
    data_dir : Path, optional
        Passed as ``AIRBRIDGE_DATA_DIR``; the shipped ``data/`` when None.
    port : int, optional
        A free port is chosen when None.
    cache_dir : Path, optional
        Passed as ``AIRBRIDGE_CACHE_DIR`` (published map files); the user's cache folder when None.
    workspace : Path, optional
        Passed as ``AIRBRIDGE_WORKSPACE`` (the analyst's imports); none when None.
    root : Path, optional
        The Airbridge tree to run (its ``dashboard/app/page.py``); this checkout by default.
    python : Path, optional
        The interpreter to run it with (another tree's ``.venv/bin/python``); this one when None.
    script : Path, optional
        Another Streamlit script to run instead of the dashboard (the benchmark's reference apps).
    prebuild : bool, optional
        Run the start-up step of ``scripts/app.sh`` first (``python -m dashboard.app.prebuild``:
        the map's data published before the server starts), as a user's server does.

    Raises
    ------
    ServerStartError
        If the server exits or does not become healthy within a minute; the message
        carries the end of its log.
    ServerDiedError
        If what ran with the server failed and the server had exited meanwhile (the test's
        error, a closed socket, says nothing of why); the message carries the end of its log.
    """
    port = port or find_free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("AIRBRIDGE_DATA_DIR", None)
    if data_dir is not None:
        env["AIRBRIDGE_DATA_DIR"] = str(data_dir)
    if cache_dir is not None:
        env["AIRBRIDGE_CACHE_DIR"] = str(cache_dir)
    env.pop("AIRBRIDGE_WORKSPACE", None)
    if workspace is not None:
        env["AIRBRIDGE_WORKSPACE"] = str(workspace)
    # The dashboard starts as scripts/app.sh starts it (dashboard.app.serve: its libraries
    # imported before the server listens); another script with a plain ``streamlit run``.
    launch = ["-m", "streamlit", "run", str(script)] if script is not None else ["-m", "dashboard.app.serve"]
    command = [str(python or sys.executable), *launch,
               "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    if prebuild:
        subprocess.run([str(python or sys.executable), "-m", "dashboard.app.prebuild"], cwd=root, env=env,
                       check=True, capture_output=True)
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"airbridge-streamlit-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_healthy(process, url, log_path)
        try:
            yield url
        except Exception as error:
            _raise_if_died(process, log_path, error)
            raise
    finally:
        _stop(process)


def _raise_if_died(process: subprocess.Popen, log_path: Path, error: Exception) -> None:
    try:
        process.wait(timeout=2)  # a crashed server has gone, or goes, within moments of its socket
    except subprocess.TimeoutExpired:
        return
    raise ServerDiedError(f"streamlit exited with {process.returncode} while the test ran:\n"
                          f"{_tail(log_path, 150)}") from error


def _wait_until_healthy(process: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerStartError(f"streamlit exited with {process.returncode}:\n{_tail(log_path)}")
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise ServerStartError(f"streamlit did not become healthy in {READY_TIMEOUT_S:.0f} s:\n{_tail(log_path)}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # its own session: the server and nothing else
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"(no log: {exc})"
