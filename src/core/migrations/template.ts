export interface TemplateOptions {
  /** The normalised phrase; it becomes the script's title. */
  phrase: string;
  /** SQL to embed (e.g. captured local edits); without it the script is a no-op to fill in. */
  sql?: string;
}

/** The Python source of a new migration script. As generated, it runs and is a valid migration. */
export function migrationTemplate({ phrase, sql = '' }: TemplateOptions): string {
  return `"""${phrase.replace(/_/g, ' ')}

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

SQL = ${pythonStringLiteral(sql)}


def migrate(conn: sqlite3.Connection) -> None:
    """Python steps, run after SQL inside the same transaction."""


def main(db_path: str) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.executescript("BEGIN IMMEDIATE;\\n" + SQL + "\\n;")
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
`;
}

/**
 * A Python string literal equal to `text`, kept readable: a triple-quoted string whose lines are
 * the text's lines. Backslashes, quotes that could end the literal, carriage returns (Python
 * would turn CR LF into LF), other control characters and lone surrogates are escaped.
 */
export function pythonStringLiteral(text: string): string {
  let body = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    const code = char.charCodeAt(0);
    if (char === '\\') body += '\\\\';
    else if (char === '"') body += i === text.length - 1 || text[i + 1] === '"' ? '\\"' : '"';
    else if (char === '\n' || char === '\t') body += char;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) body += char + text[++i];
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff) || code === 0x2028 || code === 0x2029 || code === 0xfeff) {
      body += `\\u${code.toString(16).padStart(4, '0')}`;
    } else body += char;
  }
  // A backslash-newline right after the opening and before the closing quotes adds no character.
  return `"""\\\n${body}\\\n"""`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
