import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from '../../src/core/open-store';
import { openB2Store } from '../../src/core/store/b2-store';
import type { Store } from '../../src/core/store/store';
import { listDatabaseVersions } from '../../src/core/versions/history';
import type { DatabaseVersion } from '../../src/core/versions/version-info';
import { withLocalB2, type LocalB2 } from './local-b2';
import type { LocalB2ServerOptions } from '../../src/b2-server/index';

/** The built command line (run-unit-tests builds it first). */
export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.cjs');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TeamOptions {
  developers: string[];
  database?: string;
  lock?: { leaseSeconds: number; settleSeconds: number; maxUploadSeconds: number };
  migrationTimeoutSeconds?: number;
  extraConfig?: Record<string, unknown>;
  server?: Partial<LocalB2ServerOptions>;
}

/** One developer: a working folder (a clone of the team's repository) and their own identity. */
export class Developer {
  constructor(
    readonly name: string,
    readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly database: string,
  ) {}

  get dbPath(): string {
    return join(this.dir, this.database);
  }

  /** Runs `b2m ...args` in this developer's folder and waits for it. */
  run(args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
    const child = this.start(args, options.env);
    return finished(child, options.timeoutMs ?? 60_000);
  }

  /** Starts `b2m ...args` without waiting (for concurrency, locks held in the background, kills). */
  start(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    return spawn(process.execPath, [CLI, ...args], { cwd: this.dir, env: { ...this.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Runs SQL on the local database with the real sqlite3 shell and returns its output. */
  sql(statements: string): string {
    return execFileSync('sqlite3', [this.dbPath, statements], { encoding: 'utf8' });
  }

  /** Creates the local database with `statements` and publishes it as the first version with `b2m sync`. */
  async publishFirstVersion(statements: string): Promise<void> {
    this.sql(statements);
    const sync = await this.run(['sync']);
    if (sync.code !== 0) throw new Error(`the first sync of ${this.name} failed (exit ${sync.code}): ${sync.stderr}`);
  }

  /** Creates a migration through the CLI, then gives it a Python body. Returns its path. */
  async writeMigration(phrase: string, body: string): Promise<string> {
    const created = await this.run(['migrations', 'create', phrase, '--json']);
    if (created.code !== 0) throw new Error(`migrations create failed: ${created.stderr}`);
    const path = (JSON.parse(created.stdout) as { path: string }).path;
    writeFileSync(path, body);
    return path;
  }

  scripts(): string[] {
    const folder = join(this.dir, 'scripts');
    return existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.py')).sort() : [];
  }
}

/** A team sharing one bucket on a local B2 server, each developer in their own folder. */
export class Team {
  private constructor(
    readonly b2: LocalB2,
    readonly root: string,
    readonly developers: Map<string, Developer>,
    readonly database: string,
    /** Opened on first use: a team whose server sits behind TLS has no store in this process. */
    private readonly store: () => Promise<Store>,
  ) {}

  static async start(options: TeamOptions): Promise<Team> {
    const b2 = await withLocalB2(options.server);
    const root = mkdtempSync(join(tmpdir(), 'b2m-team-'));
    const database = options.database ?? 'app.db';
    const config = {
      bucket: b2.bucket,
      databases: [database],
      endpoint: b2.endpoint,
      migrationTimeoutSeconds: options.migrationTimeoutSeconds ?? 30,
      lock: options.lock ?? { leaseSeconds: 20, settleSeconds: 1.5, maxUploadSeconds: 1 },
      ...options.extraConfig,
    };
    const developers = new Map<string, Developer>();
    for (const name of options.developers) {
      const dir = join(root, name);
      mkdirSync(join(dir, 'scripts'), { recursive: true });
      writeFileSync(join(dir, 'b2m.json'), JSON.stringify(config, null, 2));
      const env: NodeJS.ProcessEnv = { ...process.env, B2_APPLICATION_KEY_ID: b2.keyId, B2_APPLICATION_KEY: b2.key, B2M_USER: name };
      delete env.B2M_ENDPOINT;
      developers.set(name, new Developer(name, dir, env, database));
    }
    const store = once(() => openB2Store({ keyId: b2.keyId, key: b2.key, bucket: b2.bucket, endpoint: b2.endpoint }));
    return new Team(b2, root, developers, database, store);
  }

  dev(name: string): Developer {
    const d = this.developers.get(name);
    if (!d) throw new Error(`no developer ${name}`);
    return d;
  }

  /** "git push" from one developer and "git pull" into others: copies the scripts folder. */
  share(from: string, ...to: string[]): void {
    const source = join(this.dev(from).dir, 'scripts');
    for (const name of to) cpSync(source, join(this.dev(name).dir, 'scripts'), { recursive: true });
  }

  versions(): Promise<DatabaseVersion[]> {
    return this.store().then((store) => listDatabaseVersions(store, this.database));
  }

  /** The head's recorded migrations (ids in the order applied), read from a downloaded copy. */
  async headMigrations(): Promise<string[]> {
    const [head] = await this.versions();
    if (!head) return [];
    const file = join(this.root, `head-${head.id.replace(/[^A-Za-z0-9]/g, "_")}.db`);
    await (await this.store()).downloadToFile(head, file);
    const out = execFileSync('sqlite3', [file, "SELECT id FROM _b2m_migrations ORDER BY rowid"], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean);
  }

  /** Rows of a query on the head version. */
  async headQuery(sql: string): Promise<string> {
    const [head] = await this.versions();
    if (!head) throw new Error('no head');
    const file = join(this.root, `query-${head.id.replace(/[^A-Za-z0-9]/g, "_")}.db`);
    if (!existsSync(file)) await (await this.store()).downloadToFile(head, file);
    return execFileSync('sqlite3', [file, sql], { encoding: 'utf8' });
  }

  /** Every lock file left in the bucket (must be empty after any command finished). */
  async lockFiles(): Promise<string[]> {
    const names: string[] = [];
    for await (const v of (await this.store()).listVersions('.b2m/locks/')) names.push(v.name);
    return names;
  }

  async close(): Promise<void> {
    await this.b2.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function finished(child: ChildProcess, timeoutMs: number): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`b2m did not finish within ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Waits until the child's stderr contains `text`. */
export function waitForOutput(child: ChildProcess, text: string | RegExp, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`never saw ${String(text)}; output: ${seen}`)), timeoutMs);
    const check = (c: Buffer): void => {
      seen += c.toString();
      if (typeof text === 'string' ? seen.includes(text) : text.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr?.on('data', check);
    child.stdout?.on('data', check);
  });
}

export function fileBytes(path: string): Buffer {
  return readFileSync(path);
}

/** A migration body: Python that runs the given SQL in one transaction. */
export function sqlMigration(sql: string): string {
  return [
    'import sqlite3, sys',
    'conn = sqlite3.connect(sys.argv[1])',
    'with conn:',
    `    conn.executescript(${JSON.stringify(sql)})`,
    'conn.close()',
    '',
  ].join('\n');
}
