"""b2m's SQLite helper: the small jobs b2m does on database files, through Python's sqlite3.

    python b2m_sqlite.py snapshot SOURCE DEST      consistent copy of SOURCE at DEST (backup API)
    python b2m_sqlite.py applied DB                the rows of _b2m_migrations, in id order
    python b2m_sqlite.py check DB LIMIT [MODE]     integrity (MODE "full") or quick check, and foreign keys
    python b2m_sqlite.py serve                     answers requests, one JSON line each, until stdin closes

A command prints {"result": ...} as JSON, or {"error": "..."} and exits with 2 when SQLite
cannot read the file (sqlite3.DatabaseError). `serve` reads {"id", "command", "args"} lines and
answers each with one line: {"id", "result"}, {"id", "error"} as above, or {"id", "failure"}
with the traceback of any other exception; it keeps no database open between requests.

Every job only reads the databases it is given (SOURCE, DB): see open_read_only.
"""
import json
import os
import pathlib
import sqlite3
import sys
import traceback

MIGRATIONS_TABLE = "_b2m_migrations"


def open_read_only(path):
    """A connection that never writes to `path` or beside it.

    A read-only connection to a WAL-mode database would create -wal/-shm files, so when none
    exist (nobody has the file open) it is opened as immutable; otherwise the existing ones are
    used, read-only, and writes still in the log are seen.
    """
    with open(path, "rb") as f:
        header = f.read(20)
    is_wal = len(header) == 20 and header[18] == 2
    in_use = os.path.exists(path + "-wal") or os.path.exists(path + "-shm")
    mode = "immutable=1" if is_wal and not in_use else "mode=ro"
    return sqlite3.connect(pathlib.Path(path).resolve().as_uri() + "?" + mode, uri=True)


def snapshot(source_path, dest_path):
    """Copies a database with SQLite's backup API into a single rollback-journal file.

    The copy is consistent even while another process writes to the source, or when writes are
    still in its write-ahead log.
    """
    source = open_read_only(source_path)
    try:
        dest = sqlite3.connect(dest_path)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE").fetchall()
        finally:
            dest.close()
    finally:
        source.close()
    return True


def applied(path):
    """The migrations recorded in a database, in id order ([] without the table)."""
    conn = open_read_only(path)
    try:
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
        ).fetchone()
        if exists is None:
            return []
        rows = conn.execute(
            "SELECT id, name, checksum, applied_at, applied_by FROM %s ORDER BY id" % MIGRATIONS_TABLE
        ).fetchall()
        return [
            {"id": r[0], "name": r[1], "checksum": r[2], "appliedAt": r[3], "appliedBy": r[4]}
            for r in rows
        ]
    finally:
        conn.close()


CHECK_PRAGMAS = {"full": "integrity_check", "quick": "quick_check"}


def check(path, limit, mode="full"):
    """Problems found by the integrity check ("full") or quick check, then foreign key violations.

    Lists at most `limit` of each kind; [] means the database is sound. quick_check is faster on
    large databases but does not check that indexes match their tables.
    """
    limit = int(limit)
    pragma = CHECK_PRAGMAS[mode]
    problems = []
    conn = open_read_only(path)
    try:
        problems += [row[0] for row in conn.execute("PRAGMA %s(%d)" % (pragma, limit)) if row[0] != "ok"]
        violations = 0
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
            violations += 1
            if violations <= limit:
                problems.append(
                    "foreign key violation: row %s of table %s refers to a missing row in %s" % (rowid, table, parent)
                )
        if violations > limit:
            problems.append("... %d foreign key violations in all" % violations)
    except sqlite3.DatabaseError as e:
        # A badly damaged file makes the checks themselves fail; that is their finding.
        problems.append(str(e))
    finally:
        conn.close()
    return problems


COMMANDS = {"snapshot": snapshot, "applied": applied, "check": check}


def answer(request):
    """The reply to one request of `serve`, without its id."""
    try:
        return {"result": COMMANDS[request["command"]](*request["args"])}
    except sqlite3.DatabaseError as e:
        return {"error": str(e)}
    except Exception:
        return {"failure": traceback.format_exc()}


def serve(requests, replies):
    """Answers each JSON line of `requests` with one JSON line on `replies`, until end of input."""
    for line in iter(requests.readline, ""):
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            reply = answer(request)
            reply["id"] = request.get("id")
        except Exception:
            reply = {"id": None, "failure": traceback.format_exc()}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


def main(argv):
    if argv[:1] == ["serve"] and len(argv) == 1:
        serve(sys.stdin, sys.stdout)
        return 0
    if not argv or argv[0] not in COMMANDS:
        sys.stderr.write(__doc__)
        return 64
    try:
        result = COMMANDS[argv[0]](*argv[1:])
    except sqlite3.DatabaseError as e:
        print(json.dumps({"error": str(e)}))
        return 2
    print(json.dumps({"result": result}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
