import type { Database } from 'sql.js';
import { BadInputError } from '../../errors';
import { assertSqliteFile } from '../../sqlite/header';
import { DatabaseFile } from './database-file';
import { scanFilePair } from './file-pair';
import { quotedString } from '../sql/identifiers';
import type { PagePair } from './shared-pages';
import type { TextEncoding } from '../types';
import { loadSqlJs } from '../sqljs-loader';

/** A opened as `main` and B attached as `aux` of one sql.js connection, plus both files' pages. */
export interface DatabasePair {
  db: Database;
  /** The text encoding of both (SQLite attaches only databases of one encoding). */
  encoding: TextEncoding;
  /** An empty in-memory database for trying out statements. */
  scratch: Database;
  pages: PagePair;
  /** Throws if either file changed since it was opened. */
  assertUnchanged(): void;
  close(): void;
}

// Page cache per attached database, in sql.js's memory: the engine looks rows of one file up by
// key while scanning the other. Misses cost a read of the file; fresh memory costs more.
const CACHE_KIB = 2048;

/** `names` name the files in errors. */
export async function openDatabasePair(aPath: string, bPath: string, names: { a: string; b: string }): Promise<DatabasePair> {
  await assertSqliteFile(aPath);
  await assertSqliteFile(bPath);
  const files: DatabaseFile[] = [];
  const opened: Database[] = [];
  const close = () => {
    opened.reverse().forEach((d) => d.close());
    files.forEach((f) => f.close());
  };
  try {
    const fileA = DatabaseFile.open(aPath, names.a);
    files.push(fileA);
    const fileB = DatabaseFile.open(bPath, names.b);
    files.push(fileB);
    const [pages, SQL] = await Promise.all([scanFilePair(fileA, fileB), loadSqlJs()]);
    const db = open(new SQL.Database(fileA.asSqlJsData()), names.a, opened);
    // Equal files are opened once and attached twice.
    const dbB = pages.same ? db : open(new SQL.Database(fileB.asSqlJsData()), names.b, opened);
    const scratch = new SQL.Database();
    opened.push(scratch);
    scratch.run('PRAGMA foreign_keys = OFF');
    db.run(`ATTACH ${quotedString(`/${(dbB as unknown as { filename: string }).filename}`)} AS aux`);
    db.run(`PRAGMA foreign_keys = OFF; PRAGMA main.cache_size = -${CACHE_KIB}; PRAGMA aux.cache_size = -${CACHE_KIB}`);
    return {
      db,
      encoding: db.exec('PRAGMA main.encoding')[0]!.values[0]![0] as TextEncoding,
      scratch,
      pages,
      assertUnchanged: () => files.forEach((f) => f.assertUnchanged()),
      close,
    };
  } catch (e) {
    close();
    throw e;
  }
}

function open(db: Database, name: string, opened: Database[]): Database {
  opened.push(db);
  try {
    db.exec('SELECT count(*) FROM sqlite_schema');
  } catch (e) {
    throw new BadInputError(
      `${name} is not a readable SQLite database (${e instanceof Error ? e.message : String(e)}).`,
      'Restore it from a backup or download it again.',
      { cause: e },
    );
  }
  return db;
}
