"""The PostGIS workspace's schema: PostGIS checked, numbered SQL migrations applied in order.

The workspace lives in the schema ``airbridge`` of one database. Its version is the
highest ``version`` in ``airbridge.schema_migrations``; each file
``layers/pg_migrations/NNNN_name.sql`` newer than it is applied in order, all in one
transaction under an advisory lock, so two analysts opening a new workspace at once
never apply a migration twice and nobody sees half a schema. A workspace made by a newer
Airbridge (a version this one does not know) is refused, never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import errors

from layers.store import NoWorkspaceError, WorkspaceError

SCHEMA = "airbridge"
MIGRATIONS_DIR = Path(__file__).with_name("pg_migrations")
SEARCH_PATH = f"{SCHEMA}, public"
EDITOR_ROLE = "airbridge_editor"
VIEWER_ROLE = "airbridge_viewer"
_LOCK_KEY = 0x41424753  # pg_advisory_xact_lock key of schema changes ("ABGS")
_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file: its version, name and text."""

    version: int
    name: str
    path: Path

    def read(self) -> str:
        """Return the file's SQL text."""
        return self.path.read_text(encoding="utf-8")


def list_migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Return the migration files in version order.

    Raises
    ------
    ValueError
        If a file name does not follow ``NNNN_name.sql`` or two files share a version.
    """
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            raise ValueError(f"{path}: a migration is named NNNN_name.sql (lower-case name)")
        found.append(Migration(int(match.group(1)), match.group(2), path))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError(f"{folder}: two migrations share a version ({versions})")
    return found


LATEST_VERSION = list_migrations()[-1].version
"""The schema version this Airbridge writes."""


def prepare_workspace(connection: psycopg.Connection, location: str, *, create: bool,
                      upto: int = LATEST_VERSION) -> int:
    """Check PostGIS, then create or migrate the workspace schema up to ``upto``; return its version.

    Parameters
    ----------
    connection : psycopg.Connection
        An autocommit connection to the workspace's database.
    location : str
        The workspace address as users see it (no password), for messages.
    create : bool
        Create the schema in a database that has none (else that is an error).
    upto : int
        The version to migrate to (tests stop early to exercise an upgrade).

    Raises
    ------
    WorkspaceError
        If PostGIS is missing, there is no workspace and ``create`` is false, the schema is
        newer than this Airbridge, or the user may not change it when it must be migrated.
    """
    check_postgis(connection, location, create=create)
    version = read_version(connection)
    if version is None and not create:
        raise NoWorkspaceError(f"no workspace at {location}: import a file first (python -m layers import FILE "
                             f"--workspace {location}), or run python -m layers workspace init {location}")
    if version is not None and version > LATEST_VERSION:
        raise WorkspaceError(f"{location} holds workspace schema {version}, newer than this Airbridge knows "
                             f"({LATEST_VERSION}): upgrade Airbridge")
    if version is not None and version >= upto:
        return version
    try:
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            connection.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
            connection.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA}.schema_migrations (version integer PRIMARY KEY, "
                               "name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())")
            connection.execute(f"SET LOCAL search_path = {SEARCH_PATH}")
            done = read_version(connection) or 0  # again, under the lock: another process may have migrated
            for migration in list_migrations():
                if done < migration.version <= upto:
                    connection.execute(migration.read().encode("utf-8"))
                    connection.execute(f"INSERT INTO {SCHEMA}.schema_migrations (version, name) VALUES (%s, %s)",
                                       (migration.version, migration.name))
                    done = migration.version
    except errors.InsufficientPrivilege as exc:
        user = connection.info.user
        raise WorkspaceError(f"{location}: the workspace schema must be {'created' if version is None else 'migrated'} "
                             f"to version {upto}, and {user} may not do it ({first_line(exc)}): its owner runs "
                             f"python -m layers workspace init {location}") from exc
    return done


def read_version(connection: psycopg.Connection) -> int | None:
    """Return the workspace schema's version, or None when the database holds no workspace."""
    row = connection.execute("SELECT to_regclass(%s) IS NOT NULL", (f"{SCHEMA}.schema_migrations",)).fetchone()
    if row is None or not row[0]:
        return None
    try:
        found = connection.execute(f"SELECT max(version) FROM {SCHEMA}.schema_migrations").fetchone()
    except errors.InsufficientPrivilege as exc:
        raise WorkspaceError(f"{connection.info.user} may not read the workspace in database "
                             f"{connection.info.dbname} ({first_line(exc)}): the owner grants a team role "
                             f"(GRANT {VIEWER_ROLE} TO {connection.info.user})") from exc
    return int(found[0]) if found and found[0] is not None else 0


def check_postgis(connection: psycopg.Connection, location: str, *, create: bool) -> None:
    """Make sure the database has the PostGIS extension (create it when allowed and possible).

    Raises
    ------
    WorkspaceError
        Naming the cause: PostGIS not installed on the server, or the extension missing in
        the database and the user may not create it.
    """
    if connection.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
        return
    database = connection.info.dbname
    if not connection.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").fetchone():
        raise WorkspaceError(f"PostGIS is not installed on the server of {location}: install it (Debian: apt-get "
                             f"install postgresql-15-postgis-3), then CREATE EXTENSION postgis in database {database}")
    missing = (f"the PostGIS extension is missing in database {database} ({location}): a superuser runs "
               f"CREATE EXTENSION postgis in it")
    if not create:
        raise WorkspaceError(missing)
    try:
        connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    except errors.InsufficientPrivilege as exc:
        raise WorkspaceError(f"{missing} ({connection.info.user} may not)") from exc


def grant_team_roles(connection: psycopg.Connection, location: str) -> str:
    """Create the editor and viewer roles when missing and grant them the workspace; return what was done.

    Raises
    ------
    WorkspaceError
        If the user may not create the roles (CREATEROLE) or grant the workspace (its owner).
    """
    try:
        with connection.transaction():
            row = connection.execute(f"SELECT {SCHEMA}.grant_team_roles()").fetchone()
    except errors.InsufficientPrivilege as exc:
        raise WorkspaceError(f"{location}: {connection.info.user} may not create the roles {EDITOR_ROLE} and "
                             f"{VIEWER_ROLE} or grant them the workspace ({first_line(exc)}): the workspace's owner "
                             "(with CREATEROLE) or a superuser runs workspace init") from exc
    return str(row[0]) if row else ""


def first_line(exc: BaseException) -> str:
    """Return an error's message as one line (libpq's messages span several)."""
    return " ".join(part.strip() for part in str(exc).splitlines() if part.strip()) or type(exc).__name__
