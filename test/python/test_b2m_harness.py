"""b2m_harness.py: runs one migration script on a database and records it, or refuses."""
import hashlib
import time

from support import HARNESS, TempDirTestCase, create_db, load_module, query, run

OPEN_TRANSACTION_EXIT = load_module(HARNESS).OPEN_TRANSACTION_EXIT
MIGRATION_ID = "20250101000000000000001"


class HarnessTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.db = create_db(self.dir / "scratch.db", "CREATE TABLE t (v TEXT);")

    def write_script(self, body, name="20250101000000000000001_x.py"):
        script = self.dir / name
        script.write_text("import sqlite3, sys\n" + body + "\n")
        return script

    def run_harness(self, script, migration_id=MIGRATION_ID, checksum=None):
        if checksum is None:
            checksum = hashlib.sha256(script.read_bytes()).hexdigest()
        return run(HARNESS, script, self.db, migration_id, "x", checksum, "ada@laptop", cwd=self.dir)

    def recorded(self):
        return query(self.db, "SELECT id, name, applied_by FROM _b2m_migrations")

    def test_runs_the_script_on_the_database_and_records_it(self):
        script = self.write_script(
            "conn = sqlite3.connect(sys.argv[1])\n"
            "with conn:\n"
            "    conn.execute(\"INSERT INTO t VALUES ('migrated')\")\n"
            "conn.close()\n"
            "print('done')"
        )
        done = self.run_harness(script)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout, "done\n")
        self.assertEqual(query(self.db, "SELECT v FROM t"), [("migrated",)])
        self.assertEqual(self.recorded(), [(MIGRATION_ID, "x", "ada@laptop")])
        checksum, applied_at = query(self.db, "SELECT checksum, applied_at FROM _b2m_migrations")[0]
        self.assertEqual(checksum, hashlib.sha256(script.read_bytes()).hexdigest())
        self.assertRegex(applied_at, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

    def test_runs_it_as_main_with_the_database_as_its_argument_and_its_folder_importable(self):
        (self.dir / "_shared.py").write_text("GREETING = 'hello'\n")
        script = self.write_script(
            "from _shared import GREETING\n"
            "if __name__ == '__main__':\n"
            "    print(sys.argv == [__file__, sys.argv[1]], GREETING)"
        )
        done = self.run_harness(script)
        self.assertEqual((done.returncode, done.stdout), (0, "True hello\n"), done.stderr)

    def test_a_script_that_exits_with_0_is_recorded(self):
        done = self.run_harness(self.write_script("sys.exit(0)"))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(len(self.recorded()), 1)

    def assert_failed_unrecorded(self, done, status, stderr):
        self.assertEqual(done.returncode, status)
        self.assertIn(stderr, done.stderr)
        self.assertEqual(query(self.db, "SELECT count(*) FROM sqlite_master WHERE name = '_b2m_migrations'"), [(0,)])

    def test_a_script_that_exits_non_zero_keeps_its_status_and_is_not_recorded(self):
        self.assert_failed_unrecorded(self.run_harness(self.write_script("sys.exit(3)")), 3, "")

    def test_a_script_that_raises_fails_with_its_traceback_and_is_not_recorded(self):
        done = self.run_harness(self.write_script("raise ValueError('no price column')"))
        self.assert_failed_unrecorded(done, 1, "ValueError: no price column")

    def test_refuses_a_script_whose_bytes_changed_without_running_it(self):
        script = self.write_script("open(sys.argv[1] + '.ran', 'w').close()")
        done = self.run_harness(script, checksum="0" * 64)
        self.assertEqual(done.returncode, 1)
        self.assertIn("changed after b2m read it", done.stderr)
        self.assertFalse((self.dir / "scratch.db.ran").exists())

    def test_refuses_a_migration_the_database_already_recorded_without_running_it(self):
        self.assertEqual(self.run_harness(self.write_script("pass")).returncode, 0)
        script = self.write_script("open(sys.argv[1] + '.ran', 'w').close()", name="again.py")
        done = self.run_harness(script)
        self.assertEqual(done.returncode, 1)
        self.assertIn("already recorded", done.stderr)
        self.assertFalse((self.dir / "scratch.db.ran").exists())

    def assert_stopped_at_once_for_open_transaction(self, body):
        started = time.monotonic()
        done = self.run_harness(self.write_script(body))
        # SQLite's busy timeout (5 s) must not be what ends it.
        self.assertLess(time.monotonic() - started, 4)
        self.assertNotIn("database is locked", done.stderr)
        self.assert_failed_unrecorded(done, OPEN_TRANSACTION_EXIT, "20250101000000000000001_x.py returned with a transaction still open")
        self.assertEqual(query(self.db, "SELECT count(*) FROM t"), [(0,)])
        return done

    def test_stops_at_once_on_a_script_that_never_commits(self):
        self.assert_stopped_at_once_for_open_transaction(
            "conn = sqlite3.connect(sys.argv[1])\nconn.execute(\"INSERT INTO t VALUES ('lost')\")"
        )

    def test_stops_at_once_on_a_script_that_runs_begin_itself_and_never_commits(self):
        self.assert_stopped_at_once_for_open_transaction(
            "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\nconn.execute('BEGIN')\nconn.execute(\"INSERT INTO t VALUES ('lost')\")"
        )

    def test_finds_an_open_transaction_on_a_connection_kept_anywhere_and_keeps_the_output(self):
        done = self.assert_stopped_at_once_for_open_transaction(
            "connections = [sqlite3.connect(sys.argv[1])]\nconnections[0].execute(\"INSERT INTO t VALUES ('lost')\")\nprint('printed before')"
        )
        self.assertEqual(done.stdout, "printed before\n")

    def test_a_connection_left_open_after_committing_is_fine(self):
        script = self.write_script(
            "conn = sqlite3.connect(sys.argv[1])\n"
            "conn.execute(\"INSERT INTO t VALUES ('kept')\")\n"
            "conn.commit()"
        )
        done = self.run_harness(script)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(query(self.db, "SELECT v FROM t"), [("kept",)])
        self.assertEqual(len(self.recorded()), 1)
