import type { Database } from 'sql.js';
import { BadInputError } from '../errors';
import { assertSqliteFile } from '../sqlite/header';
import { PageFile } from './btree-pages';
import { readFilePair } from './file-pair';
import { quotedString } from './identifiers';
import type { PagePair } from './shared-pages';
import { loadSqlJs } from './sqljs-loader';

/** A opened as `main` and B attached as `aux` of one sql.js connection, plus both files' pages. */
export interface DatabasePair {
  db: Database;
  /** An empty in-memory database for trying out statements. */
  scratch: Database;
  pages: PagePair;
  close(): void;
}

// Page cache per attached database: the engine looks rows of one file up by key while scanning the other.
const CACHE_KIB = 65536;

export async function openDatabasePair(aPath: string, bPath: string): Promise<DatabasePair> {
  await assertSqliteFile(aPath);
  await assertSqliteFile(bPath);
  const [files, SQL] = await Promise.all([readFilePair(aPath, bPath), loadSqlJs()]);
  const opened: Database[] = [];
  try {
    // sql.js keeps a view of a Buffer it is given (MEMFS stores `data.slice()`, which for a Buffer
    // shares memory), so each file is in memory once; equal files are loaded once and attached twice.
    const db = open(new SQL.Database(files.a), aPath, opened);
    const dbB = files.same ? db : open(new SQL.Database(files.b), bPath, opened);
    const scratch = new SQL.Database();
    opened.push(scratch);
    scratch.run('PRAGMA foreign_keys = OFF');
    db.run(`ATTACH ${quotedString(`/${(dbB as unknown as { filename: string }).filename}`)} AS aux`);
    db.run(`PRAGMA foreign_keys = OFF; PRAGMA main.cache_size = -${CACHE_KIB}; PRAGMA aux.cache_size = -${CACHE_KIB}`);
    return {
      db,
      scratch,
      pages: { a: new PageFile(files.a), b: new PageFile(files.b), same: files.same, pageDiffers: files.pageDiffers },
      close: () => opened.reverse().forEach((d) => d.close()),
    };
  } catch (e) {
    opened.reverse().forEach((d) => d.close());
    throw e;
  }
}

function open(db: Database, path: string, opened: Database[]): Database {
  opened.push(db);
  try {
    db.exec('SELECT count(*) FROM sqlite_schema');
  } catch (e) {
    throw new BadInputError(
      `${path} is not a readable SQLite database (${e instanceof Error ? e.message : String(e)}).`,
      'Restore it from a backup or download it again.',
      { cause: e },
    );
  }
  return db;
}
