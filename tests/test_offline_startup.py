"""Starting the server as the README says sends nothing off the machine.

Streamlit looks up the machine's addresses when it prints its start-up banner: a UDP
"connect" to 8.8.8.8 for the network address and, headless, an HTTP request to
checkip.amazonaws.com for the external one. On an air-gapped network the second waits for
a time-out and, on a watched one, is a request the analyst did not ask for. The server
here is the real ``streamlit run`` with the repository's ``.streamlit/config.toml``, as
``scripts/app.sh`` starts it (no address options on the command line), run under a Python
audit hook that writes down every name look-up and socket connection to a host that is
not this machine.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import open_offline_page
from tests.dashboard_page import MAP_FRAME, MAP_READY
from tests.streamlit_server import ROOT, ServerStartError, _stop, _wait_until_healthy, find_free_port

FIRST_MAP_MS = 120_000  # a cold start publishes the catalogue first: slow on a busy 2-core machine
# Every socket connection and name look-up the server makes, except to this machine.
AUDITED_LAUNCH = textwrap.dedent("""
    import runpy, sys

    LOCAL = {None, "", "localhost", "127.0.0.1", "::1", "0.0.0.0", "::"}
    log = open(sys.argv[1], "a", buffering=1)

    def audit(event, args):
        if event == "socket.connect":
            address = args[1]
            host = address[0] if isinstance(address, tuple) else None
            if host not in LOCAL:
                log.write(f"connect {address!r}\\n")
        elif event == "socket.getaddrinfo":
            host = args[0].decode() if isinstance(args[0], bytes) else args[0]
            if host not in LOCAL:
                log.write(f"getaddrinfo {host!r}\\n")

    sys.addaudithook(audit)
    sys.argv = ["streamlit", *sys.argv[2:]]
    runpy.run_module("streamlit", run_name="__main__")
""")


@pytest.fixture(scope="module")
def audited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    folder = tmp_path_factory.mktemp("startup")
    launcher, requests_log, output = folder / "launch.py", folder / "outside.log", folder / "server.log"
    launcher.write_text(AUDITED_LAUNCH)
    requests_log.touch()
    port = find_free_port()
    # The command of scripts/app.sh: only the port on the command line, the rest from config.toml.
    command = [sys.executable, str(launcher), str(requests_log), "run", "dashboard/app/page.py",
               "--server.port", str(port)]
    with open(output, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        try:
            _wait_until_healthy(process, f"http://127.0.0.1:{port}/", output)
        except ServerStartError:
            _stop(process)
            raise
        yield f"http://127.0.0.1:{port}/", requests_log, output
    finally:
        _stop(process)


def test_server_start_and_first_page_send_nothing_off_the_machine(audited_server, browser) -> None:
    url, requests_log, output = audited_server
    offline = open_offline_page(browser)
    try:
        offline.page.goto(url)
        handle = offline.page.wait_for_selector(MAP_FRAME, timeout=FIRST_MAP_MS)
        frame = handle.content_frame() if handle else None
        assert frame is not None, "the map component is not on the page"
        frame.wait_for_function(MAP_READY, timeout=FIRST_MAP_MS)
        assert offline.blocked == []
    finally:
        offline.page.context.close()
    assert requests_log.read_text() == "", "the server looked up or connected to an outside host"
    banner = output.read_text(errors="replace")
    assert "URL: http://localhost:" in banner
    assert "External URL" not in banner and "Network URL" not in banner
