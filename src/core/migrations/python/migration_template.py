"""{title}

A b2m migration. b2m runs it once for each database, as

    python <this file> <path of a scratch copy of the database>

and records it in the database's _b2m_migrations table (leave that table alone). When every
pending migration has succeeded, the copy replaces the database; if anything fails, the copy is
thrown away and the database stays exactly as it was.

How to write it:
- Put SQL in SQL and/or Python in migrate(conn). Both run in ONE transaction that is committed
  at the end: never commit part way (no BEGIN/COMMIT in SQL, no conn.commit() in migrate).
- To fail, raise an exception (or exit non-zero): everything rolls back and b2m stops there.
- It need not be idempotent: it runs exactly once per database, never twice.
- Work through conn only; don't copy, move or reopen the database file.
- Print freely; b2m shows the output. Keep it deterministic: it is replayed on newer versions
  of the database when someone else pushes first.
- Once pushed, don't edit it (b2m reports a changed checksum); write a new migration instead.
"""
import sqlite3
import sys

SQL = ""


def migrate(conn: sqlite3.Connection) -> None:
    """Python steps, run after SQL inside the same transaction."""


def main(db_path: str) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.executescript("BEGIN IMMEDIATE;\n" + SQL + "\n;")
        migrate(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


if __name__ == "__main__":
    main(sys.argv[1])
