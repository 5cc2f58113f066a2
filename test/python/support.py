"""Shared by the Python tests: where b2m's Python programs are, temp folders, small SQLite jobs."""
import importlib.util
import os
import pathlib
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
HELPER = ROOT / "src" / "core" / "sqlite" / "python" / "b2m_sqlite.py"
HARNESS = ROOT / "src" / "core" / "migrations" / "python" / "b2m_harness.py"
# What b2m sets for every Python it starts (python-process.ts).
PYTHON_ENV = dict(os.environ, PYTHONUTF8="1", PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1")


def load_module(path):
    """Imports a program as a module (its `if __name__ == "__main__"` part does not run)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(program, *args, **kwargs):
    """Runs a program with this Python, as b2m would, and returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, str(program), *map(str, args)],
        capture_output=True, text=True, env=PYTHON_ENV, timeout=60, **kwargs
    )


def create_db(path, sql):
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return str(path)


def query(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def fingerprint(path):
    """Bytes and mtime of a file, to prove it was not touched."""
    with open(path, "rb") as f:
        return f.read(), os.stat(path).st_mtime_ns


class TempDirTestCase(unittest.TestCase):
    """Gives each test a fresh folder `self.dir` (a pathlib.Path), deleted afterwards."""

    def setUp(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="b2m-pytest-"))
        self.addCleanup(shutil.rmtree, self.dir, True)

    def commit_into_wal(self, db, sql):
        """Commits `sql` to a WAL-mode database through a connection kept open (and never
        checkpointed) until the test ends, so the change is only in the -wal file."""
        writer = sqlite3.connect(db)
        self.addCleanup(writer.close)
        writer.execute("PRAGMA wal_autocheckpoint=0")
        with writer:
            writer.execute(sql)
