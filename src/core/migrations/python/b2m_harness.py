"""Runs one b2m migration script on a scratch copy of a database and records it there.

    python b2m_harness.py SCRIPT DB ID NAME CHECKSUM AUTHOR

It refuses a script whose bytes changed since b2m read them (SHA-256 CHECKSUM) or whose ID the
database already recorded, runs it as `python SCRIPT DB` would (as __main__, its folder on
sys.path), checks that it left no transaction open, and then records it in _b2m_migrations.
Exit status: 0 when the migration ran and was recorded; the script's own status when it failed;
OPEN_TRANSACTION_EXIT when it returned with uncommitted changes; 1 for the refusals above.
b2m runs one harness process per migration, so scripts cannot affect each other.
"""
import gc
import hashlib
import os
import runpy
import sqlite3
import sys
from datetime import datetime, timezone

MIGRATIONS_TABLE = "_b2m_migrations"
MIGRATIONS_TABLE_DDL = (
    "CREATE TABLE IF NOT EXISTS _b2m_migrations ("
    "id TEXT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL, applied_by TEXT NOT NULL)"
)
# Chosen to differ from the statuses scripts commonly exit with; b2m reads it (run-script.ts).
OPEN_TRANSACTION_EXIT = 113


def is_recorded(db_path, migration_id):
    conn = sqlite3.connect(db_path)
    try:
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
        ).fetchone()
        return has_table is not None and conn.execute(
            "SELECT 1 FROM %s WHERE id = ?" % MIGRATIONS_TABLE, (migration_id,)
        ).fetchone() is not None
    finally:
        conn.close()


def run_script(script, db_path):
    """Runs the script as `python SCRIPT DB` would; an exit with status 0 or None is success."""
    sys.argv = [script, db_path]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as e:
        if e.code not in (None, 0):
            raise


def connections_in_transaction():
    """sqlite3 connections still alive in this process with a transaction neither committed nor rolled back.

    Such a connection holds the database's write lock, so recording the migration would wait for
    it in vain, and its changes would be rolled back when the process ends.
    """
    found = []
    for obj in gc.get_objects():
        if isinstance(obj, sqlite3.Connection):
            try:
                if obj.in_transaction:
                    found.append(obj)
            except sqlite3.ProgrammingError:
                pass  # closed
    return found


def record(db_path, migration_id, name, checksum, author):
    applied_at = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(MIGRATIONS_TABLE_DDL)
        conn.execute(
            "INSERT INTO %s (id, name, checksum, applied_at, applied_by) VALUES (?, ?, ?, ?, ?)" % MIGRATIONS_TABLE,
            (migration_id, name, checksum, applied_at, author),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def main(argv):
    script, db_path, migration_id, name, checksum, author = argv
    with open(script, "rb") as f:
        if hashlib.sha256(f.read()).hexdigest() != checksum:
            sys.exit("b2m: %s changed after b2m read it; run again." % script)
    if is_recorded(db_path, migration_id):
        sys.exit("b2m: migration %s is already recorded in this database; it was not run again." % migration_id)
    run_script(script, db_path)
    if connections_in_transaction():
        sys.stderr.write("b2m: %s returned with a transaction still open on the database.\n" % script)
        sys.exit(OPEN_TRANSACTION_EXIT)
    record(db_path, migration_id, name, checksum, author)


if __name__ == "__main__":
    main(sys.argv[1:])
