"""Builds a content database of about --mb megabytes for the benchmarks, fast.

    python3 content_db.py OUT.db --mb 1000

Tables like a content site's: users, articles (text bodies, the bulk of the bytes), tags,
article_tags and events (many small rows). Rows go in with executemany in one transaction, with
the journal off; text comes from slices of one random pool, so building 1 GB takes seconds, not
minutes. Prints one JSON line: {"bytes": ..., "rows": {table: count}}.
"""
import json
import os
import random
import sqlite3
import sys

WORDS = (
    "data sync bucket version lock migration table index page block change remote local team script "
    "review merge head base copy upload download backup schema column value row query report release"
).split()

SCHEMA = """
CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, created INTEGER NOT NULL, bio TEXT);
CREATE TABLE articles(id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES users(id), title TEXT NOT NULL,
                      body TEXT NOT NULL, published INTEGER NOT NULL, views INTEGER NOT NULL DEFAULT 0);
CREATE TABLE tags(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE article_tags(article_id INTEGER NOT NULL, tag_id INTEGER NOT NULL, PRIMARY KEY(article_id, tag_id)) WITHOUT ROWID;
CREATE TABLE events(id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, kind TEXT NOT NULL, at INTEGER NOT NULL, payload TEXT NOT NULL);
"""

# Share of the target size each table takes (measured: bytes per row on disk, with b-tree overhead).
ARTICLE_BYTES = 1725
EVENT_BYTES = 128
USER_BYTES = 187


def main() -> None:
    out = sys.argv[1]
    mb = float(sys.argv[sys.argv.index("--mb") + 1]) if "--mb" in sys.argv else 1000.0
    target = mb * 1_000_000
    rng = random.Random(20240601)
    pool = " ".join(rng.choice(WORDS) for _ in range(400_000))
    pool_len = len(pool) - 4000

    def text(length: int) -> str:
        start = rng.randrange(pool_len)
        return pool[start : start + length]

    users = max(1000, int(target * 0.04 / USER_BYTES))
    articles = max(1000, int(target * 0.55 / ARTICLE_BYTES))
    events = max(10_000, int(target * 0.38 / EVENT_BYTES))
    tags = 500
    kinds = ["view", "like", "share", "comment", "login", "logout", "edit", "publish"]
    start_time = 1_700_000_000

    if os.path.exists(out):
        os.remove(out)
    db = sqlite3.connect(out, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -200000")
    db.execute("BEGIN")
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    db.executemany(
        "INSERT INTO users(id, name, email, created, bio) VALUES (?, ?, ?, ?, ?)",
        ((i, f"user {i}", f"user{i}@example.com", start_time + i * 17, text(rng.randrange(60, 160))) for i in range(1, users + 1)),
    )
    db.executemany("INSERT INTO tags(id, name) VALUES (?, ?)", ((i, f"tag-{i}") for i in range(1, tags + 1)))
    db.executemany(
        "INSERT INTO articles(id, author_id, title, body, published, views) VALUES (?, ?, ?, ?, ?, ?)",
        (
            (i, rng.randrange(1, users + 1), text(rng.randrange(20, 80)), text(rng.randrange(1200, 2000)), start_time + i * 61, rng.randrange(100_000))
            for i in range(1, articles + 1)
        ),
    )
    db.executemany(
        "INSERT INTO article_tags(article_id, tag_id) VALUES (?, ?)",
        sorted({(rng.randrange(1, articles + 1), rng.randrange(1, tags + 1)) for _ in range(articles * 2)}),
    )
    db.executemany(
        "INSERT INTO events(id, user_id, kind, at, payload) VALUES (?, ?, ?, ?, ?)",
        ((i, rng.randrange(1, users + 1), kinds[i % len(kinds)], start_time + i * 3, text(rng.randrange(40, 110))) for i in range(1, events + 1)),
    )
    db.execute("CREATE INDEX articles_by_author ON articles(author_id)")
    db.execute("COMMIT")
    rows = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("users", "articles", "tags", "article_tags", "events")}
    db.close()
    print(json.dumps({"bytes": os.path.getsize(out), "rows": rows}))


if __name__ == "__main__":
    main()
