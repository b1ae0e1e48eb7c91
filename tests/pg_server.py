"""A throwaway PostgreSQL cluster with PostGIS for the tests, and the two-backend ``workspace`` fixture.

``pg_server`` (session scope) runs ``initdb`` into a fresh folder under the system's
temporary directory, starts the server with ``pg_ctl`` on a Unix socket in that folder and
on 127.0.0.1 at a free port (``fsync`` off: a test cluster needs no durability), and stops
and removes it at the end. As root it runs the server as the ``postgres`` user (``runuser``),
since PostgreSQL refuses to run as root. Logins: the superuser ``postgres`` on the socket
without a password (``trust``), every other role by password (SCRAM), on the socket and on
TCP.

Tests that need it fail when PostgreSQL or PostGIS is missing (a skipped backend would hide
a broken one); ``AIRBRIDGE_NO_POSTGRES=1`` skips them on purpose. ``bash scripts/test.sh``
installs Debian's ``postgresql`` and ``postgresql-15-postgis-3`` when they are missing.

``tests/conftest.py`` registers this module as a plugin, so every test module may take
``pg_server``, ``workspace``, ``team_logins`` and ``team_database`` as arguments.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

SKIP_ENV = "AIRBRIDGE_NO_POSTGRES"
PG_BIN_DIRS = (Path("/usr/lib/postgresql/15/bin"),)
SERVICE_USER = "postgres"
TEMPLATE = "airbridge_postgis_template"
BACKENDS = ("gpkg", "postgis")
_names = itertools.count(1)
_HBA = """local all postgres trust
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
"""


@dataclass(frozen=True)
class PgServer:
    """A running test cluster: its socket folder, TCP port and tools."""

    socket_dir: Path
    port: int
    bin_dir: Path

    def url(self, database: str, user: str = "postgres", password: str = "") -> str:
        """Return a ``postgresql://`` URL for ``database`` on the Unix socket (password inline only if given)."""
        secret = f":{quote(password, safe='')}" if password else ""
        return (f"postgresql://{quote(user, safe='')}{secret}@/{database}"
                f"?host={quote(str(self.socket_dir), safe='')}&port={self.port}")

    def tcp_url(self, database: str, user: str) -> str:
        """Return a URL for ``database`` over TCP on 127.0.0.1 (no password in it)."""
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def admin_sql(self, statement: str, database: str = "postgres") -> list[tuple]:
        """Run one statement as the superuser (autocommit) and return its rows ([] when it returns none)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            cursor = connection.execute(statement.encode())
            return cursor.fetchall() if cursor.description else []

    def create_database(self, *, postgis: bool = True) -> str:
        """Create an empty database (with the PostGIS extension unless told not to); return its name."""
        name = f"ws_{os.getpid()}_{next(_names)}"
        template = TEMPLATE if postgis else "template0"
        self.admin_sql(f"CREATE DATABASE {name} TEMPLATE {template}")
        return name

    def create_login(self, name: str, password: str, *, member_of: str = "") -> None:
        """Create a login role with a password, optionally a member of a group role."""
        self.admin_sql(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'"
                       + (f" IN ROLE {member_of}" if member_of else ""))


def find_pg_bin_dir() -> Path | None:
    """Return the folder of initdb and pg_ctl (Debian's PostgreSQL 15), or None when not installed."""
    for folder in PG_BIN_DIRS:
        if (folder / "initdb").is_file():
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_service_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVICE_USER, "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def run_pg_server() -> Iterator[PgServer]:
    """Start a throwaway cluster (see the module docstring); stop and remove it afterwards."""
    bin_dir = find_pg_bin_dir()
    if bin_dir is None:
        pytest.fail("PostgreSQL is not installed: bash scripts/test.sh installs Debian's postgresql and "
                    f"postgresql-15-postgis-3 (or set {SKIP_ENV}=1 to skip the PostGIS tests on purpose)")
    if not any(Path("/usr/share/postgresql/15/extension").glob("postgis.control")):
        pytest.fail(f"PostGIS is not installed: apt-get install postgresql-15-postgis-3 (or set {SKIP_ENV}=1)")
    root = Path(tempfile.mkdtemp(prefix="airbridge-pg-"))
    data = root / "data"
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        owner = pwd.getpwnam(SERVICE_USER)
        os.chown(root, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    try:
        subprocess.run(_as_service_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                                         "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True, text=True)
        (data / "pg_hba.conf").write_text(_HBA, encoding="utf-8")
        options = (f"-k {root} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=60")
        subprocess.run(_as_service_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
                                         "-o", options, "-w", "-t", "60", "start"]),
                       check=True, capture_output=True, text=True)
        server = PgServer(root, port, bin_dir)
        server.admin_sql(f"CREATE DATABASE {TEMPLATE}")
        server.admin_sql("CREATE EXTENSION postgis", TEMPLATE)
        yield server
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"the test PostgreSQL did not start: {exc.stderr or exc.stdout}")
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_service_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                                             "stop"]), check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's throwaway PostgreSQL cluster (skipped only when ``AIRBRIDGE_NO_POSTGRES=1``)."""
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{SKIP_ENV}=1: the PostGIS backend is not tested in this run")
    with run_pg_server() as server:
        yield server


@pytest.fixture(params=BACKENDS)
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty workspace of each backend: a GeoPackage folder, then a new PostGIS database's URL."""
    if request.param == "gpkg":
        return str(tmp_path / "ws")
    server: PgServer = request.getfixturevalue("pg_server")
    return server.url(server.create_database())


EDITOR = ("ana_editor", "editor-secret")
VIEWER = ("vic_viewer", "viewer-secret")


@pytest.fixture(scope="session")
def team_logins(pg_server: PgServer) -> PgServer:
    """The team roles (made by the first workspace's migration, as in production) and two logins.

    ``ana_editor`` is a member of ``airbridge_editor``, ``vic_viewer`` of ``airbridge_viewer``;
    their passwords are :data:`EDITOR` and :data:`VIEWER`.
    """
    from layers.workspace_copy import init_workspace

    init_workspace(pg_server.url(pg_server.create_database()))
    pg_server.create_login(*EDITOR, member_of="airbridge_editor")
    pg_server.create_login(*VIEWER, member_of="airbridge_viewer")
    return pg_server


@pytest.fixture
def team_database(team_logins: PgServer) -> str:
    """A new database with a workspace made by its owner (the superuser) and granted to the team roles."""
    from layers.workspace_copy import init_workspace

    name = team_logins.create_database()
    init_workspace(team_logins.url(name))
    return name
