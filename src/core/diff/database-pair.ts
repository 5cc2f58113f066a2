import { readFile } from 'node:fs/promises';
import type { Database } from 'sql.js';
import { BadInputError } from '../errors';
import { assertSqliteFile } from '../sqlite/header';
import { PageFile } from './btree-pages';
import { quotedString } from './identifiers';
import { loadSqlJs } from './sqljs-loader';

/** A opened as `main` and B attached as `aux` of one sql.js connection, plus both files' bytes. */
export interface DatabasePair {
  db: Database;
  /** An empty in-memory database for trying out statements. */
  scratch: Database;
  pagesA: PageFile;
  pagesB: PageFile;
  /** The two files hold the same bytes. */
  sameFiles: boolean;
  close(): void;
}

// Page cache per attached database: the engine looks rows of one file up by key while scanning the other.
const CACHE_KIB = 65536;

export async function openDatabasePair(aPath: string, bPath: string): Promise<DatabasePair> {
  await assertSqliteFile(aPath);
  await assertSqliteFile(bPath);
  const [bytesA, bytesB, SQL] = await Promise.all([readDatabaseFile(aPath), readDatabaseFile(bPath), loadSqlJs()]);
  const opened: Database[] = [];
  const sameFiles = bytesA.equals(bytesB);
  try {
    const db = open(new SQL.Database(bytesA), aPath, opened);
    // Equal files are loaded once (sql.js copies each file into its own memory) and attached twice.
    const dbB = sameFiles ? db : open(new SQL.Database(bytesB), bPath, opened);
    const scratch = new SQL.Database();
    opened.push(scratch);
    scratch.run('PRAGMA foreign_keys = OFF');
    db.run(`ATTACH ${quotedString(`/${(dbB as unknown as { filename: string }).filename}`)} AS aux`);
    db.run(`PRAGMA foreign_keys = OFF; PRAGMA main.cache_size = -${CACHE_KIB}; PRAGMA aux.cache_size = -${CACHE_KIB}`);
    return {
      db,
      scratch,
      pagesA: new PageFile(bytesA),
      pagesB: new PageFile(bytesB),
      sameFiles,
      close: () => opened.reverse().forEach((d) => d.close()),
    };
  } catch (e) {
    opened.reverse().forEach((d) => d.close());
    throw e;
  }
}

/**
 * The file's bytes, marked as a rollback-journal database: a WAL-mode file read on its own (as
 * sql.js does) would otherwise not open; the WAL file, if any, is not part of what is compared.
 */
async function readDatabaseFile(path: string): Promise<Buffer> {
  const bytes = await readFile(path);
  if (bytes.length >= 100 && (bytes[18] === 2 || bytes[19] === 2)) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return bytes;
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
