"""migration_template.py: what `b2m migrations create` writes (its title and SQL filled in)."""
import hashlib
import sqlite3

from support import HARNESS, ROOT, TempDirTestCase, create_db, fingerprint, load_module, query, run

TEMPLATE = ROOT / "src" / "core" / "migrations" / "python" / "migration_template.py"


class MigrationTemplateTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.db = create_db(self.dir / "app.db", "CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('before');")
        self.migration = load_module(TEMPLATE)

    def test_as_shipped_it_is_a_migration_that_changes_nothing_but_its_record(self):
        before = query(self.db, "SELECT type, name, sql FROM sqlite_master")
        checksum = hashlib.sha256(TEMPLATE.read_bytes()).hexdigest()
        done = run(HARNESS, TEMPLATE, self.db, "20250101000000000000001", "noop", checksum, "ada")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(query(self.db, "SELECT v FROM t"), [("before",)])
        self.assertEqual(
            query(self.db, "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE '%b2m_migrations%'"), before
        )
        self.assertEqual(query(self.db, "SELECT name FROM _b2m_migrations"), [("noop",)])

    def test_runs_sql_then_migrate_in_one_transaction(self):
        self.migration.SQL = "INSERT INTO t VALUES ('from sql');"
        self.migration.migrate = lambda conn: conn.execute("UPDATE t SET v = v || ' and migrate'")
        self.migration.main(self.db)
        self.assertEqual(query(self.db, "SELECT v FROM t ORDER BY rowid"), [("before and migrate",), ("from sql and migrate",)])

    def test_commits_nothing_when_a_statement_fails_part_way(self):
        self.migration.SQL = "INSERT INTO t VALUES ('first');\nINSERT INTO missing_table VALUES (1);"
        before = fingerprint(self.db)
        with self.assertRaises(sqlite3.OperationalError):
            self.migration.main(self.db)
        self.assertEqual(fingerprint(self.db)[0], before[0])

    def test_commits_nothing_when_migrate_raises(self):
        self.migration.SQL = "INSERT INTO t VALUES ('from sql');"

        def migrate(conn):
            raise ValueError("the price column is missing")

        self.migration.migrate = migrate
        with self.assertRaises(ValueError):
            self.migration.main(self.db)
        self.assertEqual(query(self.db, "SELECT v FROM t"), [("before",)])
