"""b2m_sqlite.py: its jobs, its command line and its serve mode."""
import io
import json
import os
import sqlite3
import subprocess
import sys

from support import HELPER, PYTHON_ENV, TempDirTestCase, create_db, fingerprint, load_module, query, run

b2m_sqlite = load_module(HELPER)

MIGRATIONS = """
CREATE TABLE _b2m_migrations (id TEXT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL, applied_by TEXT NOT NULL);
INSERT INTO _b2m_migrations VALUES ('20250102030405000000002', 'second', 'c2', '2025-01-02T03:04:06.000Z', 'bob');
INSERT INTO _b2m_migrations VALUES ('20250102030405000000001', 'first', 'c1', '2025-01-02T03:04:05.000Z', 'ada');
"""
SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));
INSERT INTO users VALUES (1, 'ada');
INSERT INTO orders VALUES (1, 1);
"""
# The index holds column a while the schema says it indexes b: only integrity_check sees it.
INDEX_MISMATCH = """
CREATE TABLE t (a, b); CREATE INDEX t_b ON t (a); INSERT INTO t VALUES (1, 10), (2, 20);
PRAGMA writable_schema=ON; UPDATE sqlite_master SET sql = 'CREATE INDEX t_b ON t (b)' WHERE name = 't_b';
PRAGMA writable_schema=OFF;
"""


class AppliedTest(TempDirTestCase):
    def test_lists_the_recorded_migrations_in_id_order(self):
        db = create_db(self.dir / "rows.db", MIGRATIONS)
        self.assertEqual(
            [(row["id"], row["name"], row["checksum"], row["appliedAt"], row["appliedBy"]) for row in b2m_sqlite.applied(db)],
            [
                ("20250102030405000000001", "first", "c1", "2025-01-02T03:04:05.000Z", "ada"),
                ("20250102030405000000002", "second", "c2", "2025-01-02T03:04:06.000Z", "bob"),
            ],
        )

    def test_is_empty_without_the_table(self):
        self.assertEqual(b2m_sqlite.applied(create_db(self.dir / "plain.db", "CREATE TABLE t (a);")), [])

    def test_leaves_a_closed_wal_database_untouched_and_creates_no_sidecars(self):
        db = create_db(self.dir / "wal.db", "PRAGMA journal_mode=WAL;" + MIGRATIONS)
        before = fingerprint(db)
        self.assertEqual(len(b2m_sqlite.applied(db)), 2)
        self.assertEqual(fingerprint(db), before)
        self.assertEqual(sorted(os.listdir(self.dir)), ["wal.db"])

    def test_sees_rows_still_in_the_write_ahead_log_of_an_open_database(self):
        db = create_db(self.dir / "open.db", "PRAGMA journal_mode=WAL;" + MIGRATIONS)
        self.commit_into_wal(db, "INSERT INTO _b2m_migrations VALUES ('20250102030405000000009', 'late', 'c9', 't', 'eve')")
        before = fingerprint(db)
        self.assertEqual([row["name"] for row in b2m_sqlite.applied(db)], ["first", "second", "late"])
        self.assertEqual(fingerprint(db), before)


class SnapshotTest(TempDirTestCase):
    def test_copies_uncheckpointed_writes_into_one_rollback_journal_file(self):
        source = create_db(self.dir / "wal.db", "PRAGMA journal_mode=WAL; CREATE TABLE t (v); INSERT INTO t VALUES ('checkpointed');")
        self.commit_into_wal(source, "INSERT INTO t VALUES ('only in the wal')")
        before = fingerprint(source)
        dest = str(self.dir / "copy.db")
        self.assertIs(b2m_sqlite.snapshot(source, dest), True)
        self.assertEqual(fingerprint(source), before)
        self.assertEqual(query(dest, "SELECT v FROM t ORDER BY rowid"), [("checkpointed",), ("only in the wal",)])
        self.assertEqual(query(dest, "PRAGMA journal_mode"), [("delete",)])
        self.assertFalse(os.path.exists(dest + "-wal") or os.path.exists(dest + "-journal"))

    def test_refuses_a_file_that_is_not_a_database(self):
        text = self.dir / "text.db"
        text.write_text("hello, this is not SQLite at all, but it is long enough to have a header " * 4)
        with self.assertRaises(sqlite3.DatabaseError):
            b2m_sqlite.snapshot(str(text), str(self.dir / "copy.db"))


class CheckTest(TempDirTestCase):
    def test_passes_a_sound_database(self):
        self.assertEqual(b2m_sqlite.check(create_db(self.dir / "good.db", SCHEMA), "100"), [])

    def test_reports_foreign_key_violations_up_to_the_limit_then_the_total(self):
        db = create_db(self.dir / "fk.db", SCHEMA + "INSERT INTO orders VALUES (2, 98), (3, 99), (4, 97);")
        self.assertEqual(
            b2m_sqlite.check(db, "2"),
            [
                "foreign key violation: row 2 of table orders refers to a missing row in users",
                "foreign key violation: row 3 of table orders refers to a missing row in users",
                "... 3 foreign key violations in all",
            ],
        )

    def test_full_checks_indexes_against_their_tables_and_quick_does_not(self):
        db = create_db(self.dir / "index.db", INDEX_MISMATCH)
        self.assertEqual(b2m_sqlite.check(db, "100"), ["row 1 missing from index t_b", "row 2 missing from index t_b"])
        self.assertEqual(b2m_sqlite.check(db, "100", "full"), b2m_sqlite.check(db, "100"))
        self.assertEqual(b2m_sqlite.check(db, "100", "quick"), [])

    def test_quick_still_reports_foreign_key_violations(self):
        db = create_db(self.dir / "fk.db", SCHEMA + "INSERT INTO orders VALUES (2, 99);")
        self.assertEqual(len(b2m_sqlite.check(db, "100", "quick")), 1)

    def test_reports_a_file_sqlite_cannot_read_as_its_finding(self):
        damaged = self.dir / "damaged.db"
        damaged.write_bytes(b"SQLite format 3\0" + b"\xff" * 200)
        problems = b2m_sqlite.check(str(damaged), "100")
        self.assertEqual(len(problems), 1)
        self.assertRegex(problems[0], "not a database|malformed")


class CommandLineTest(TempDirTestCase):
    def test_prints_the_result_as_json(self):
        db = create_db(self.dir / "rows.db", MIGRATIONS)
        done = run(HELPER, "applied", db)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual([row["name"] for row in json.loads(done.stdout)["result"]], ["first", "second"])

    def test_prints_sqlites_complaint_and_exits_with_2(self):
        damaged = self.dir / "damaged.db"
        damaged.write_bytes(b"SQLite format 3\0" + b"\xff" * 200)
        done = run(HELPER, "applied", damaged)
        self.assertEqual(done.returncode, 2)
        self.assertIn("error", json.loads(done.stdout))

    def test_shows_its_usage_for_an_unknown_command(self):
        done = run(HELPER, "vacuum", "x.db")
        self.assertEqual(done.returncode, 64)
        self.assertIn("serve", done.stderr)


class ServeTest(TempDirTestCase):
    def serve(self, *requests):
        """The replies of serve() to the given request lines."""
        replies = io.StringIO()
        b2m_sqlite.serve(io.StringIO("".join(line + "\n" for line in requests)), replies)
        return [json.loads(line) for line in replies.getvalue().splitlines()]

    def test_answers_each_request_with_its_id(self):
        db = create_db(self.dir / "rows.db", MIGRATIONS)
        copy = str(self.dir / "copy.db")
        replies = self.serve(
            json.dumps({"id": 1, "command": "applied", "args": [db]}),
            "",
            json.dumps({"id": 2, "command": "snapshot", "args": [db, copy]}),
            json.dumps({"id": 3, "command": "check", "args": [copy, "100", "quick"]}),
        )
        self.assertEqual([reply["id"] for reply in replies], [1, 2, 3])
        self.assertEqual(len(replies[0]["result"]), 2)
        self.assertEqual(replies[1], {"id": 2, "result": True})
        self.assertEqual(replies[2], {"id": 3, "result": []})

    def test_tells_sqlite_errors_from_other_failures_and_goes_on(self):
        damaged = self.dir / "damaged.db"
        damaged.write_bytes(b"SQLite format 3\0" + b"\xff" * 200)
        good = create_db(self.dir / "good.db", "CREATE TABLE t (a);")
        replies = self.serve(
            json.dumps({"id": 1, "command": "applied", "args": [str(damaged)]}),
            json.dumps({"id": 2, "command": "vacuum", "args": [good]}),
            json.dumps({"id": 3, "command": "applied", "args": [str(self.dir / "missing.db")]}),
            "this is not JSON",
            json.dumps({"id": 5, "command": "applied", "args": [good]}),
        )
        self.assertEqual([reply["id"] for reply in replies], [1, 2, 3, None, 5])
        self.assertIn("error", replies[0])
        self.assertIn("KeyError: 'vacuum'", replies[1]["failure"])
        self.assertIn("FileNotFoundError", replies[2]["failure"])
        self.assertIn("JSONDecodeError", replies[3]["failure"])
        self.assertEqual(replies[4], {"id": 5, "result": []})

    def test_serves_a_process_line_by_line_until_its_input_closes(self):
        db = create_db(self.dir / "rows.db", MIGRATIONS)
        server = subprocess.Popen(
            [sys.executable, str(HELPER), "serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=PYTHON_ENV,
        )
        self.addCleanup(server.kill)
        for request_id in (1, 2):
            # Each answer comes while the input is still open: the server does not wait for more.
            server.stdin.write(json.dumps({"id": request_id, "command": "applied", "args": [db]}) + "\n")
            server.stdin.flush()
            reply = json.loads(server.stdout.readline())
            self.assertEqual((reply["id"], len(reply["result"])), (request_id, 2))
        server.stdin.close()
        self.assertEqual(server.wait(timeout=30), 0)
        self.assertEqual(server.stdout.read(), "")
        self.assertEqual(server.stderr.read(), "")
        server.stdout.close()
        server.stderr.close()
