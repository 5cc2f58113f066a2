import { MIGRATIONS_TABLE, MIGRATIONS_TABLE_DDL } from '../sqlite/migrations-table';

/**
 * The Python program (run with `-c`) that runs one migration script on the scratch database:
 *   argv: <script> <scratch db> <id> <name> <checksum> <author>
 * It refuses a script whose bytes changed since discovery or whose id the database already
 * recorded, runs it as `python <script> <db>` would (runpy, `__main__`, its folder on sys.path),
 * and then records it in `_b2m_migrations`. A non-zero exit means the migration failed.
 */
export const MIGRATION_HARNESS = String.raw`
import hashlib, os, runpy, sqlite3, sys
from datetime import datetime, timezone

script, db_path, migration_id, name, checksum, author = sys.argv[1:]

def is_recorded(conn):
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '${MIGRATIONS_TABLE}'"
    ).fetchone()
    return has_table is not None and conn.execute(
        "SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE id = ?", (migration_id,)
    ).fetchone() is not None

with open(script, "rb") as f:
    if hashlib.sha256(f.read()).hexdigest() != checksum:
        sys.exit("b2m: %s changed after b2m read it; run again." % script)

conn = sqlite3.connect(db_path)
try:
    if is_recorded(conn):
        sys.exit("b2m: migration %s is already recorded in this database; it was not run again." % migration_id)
finally:
    conn.close()

sys.argv = [script, db_path]
sys.path[0] = os.path.dirname(os.path.abspath(script))
try:
    runpy.run_path(script, run_name="__main__")
except SystemExit as e:
    if e.code not in (None, 0):
        raise

conn = sqlite3.connect(db_path, isolation_level=None)
try:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("${MIGRATIONS_TABLE_DDL}")
    conn.execute(
        "INSERT INTO ${MIGRATIONS_TABLE} (id, name, checksum, applied_at, applied_by) VALUES (?, ?, ?, ?, ?)",
        (migration_id, name, checksum, datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"), author),
    )
    conn.execute("COMMIT")
finally:
    conn.close()
`;
