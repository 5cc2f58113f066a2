// The whole b2m flow without a Backblaze account: starts the bundled local B2 server (data kept in
// .tmp/demo), seeds a sample database the first time (a teammate published two versions; one more
// migration of yours is pending), and opens the demo workspace in VS Code (code-server) with the
// extension loaded. Prints the URL to open in a browser and saves screenshots as proof: the
// sidebar, and the "Get started with b2m" walkthrough, which the check opens.
//   npm run demo                 runs until Ctrl+C
//   npm run demo -- --check      exits after the screenshot (CI)
//   npm run demo -- --reset      starts from a fresh bucket and workspace
//   npm run demo -- --port=N     local B2 server port (default 8787)
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

register();
const { startLocalB2Server } = await import('../src/b2-server/index.ts');
const { locateVsCodeInstall } = await import('../test/support/vscode/install.ts');
const { startCodeServer } = await import('../test/support/vscode/code-server.ts');
const { openWorkbench } = await import('../test/support/vscode/workbench.ts');
const { openViewContainer, readTreeRows, runCommand, webviewFrame } = await import('../test/e2e/harness/workbench-ui.ts');
const { waitFor } = await import('../test/e2e/harness/wait.ts');

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const check = process.argv.includes('--check');
const port = Number(process.argv.find((a) => a.startsWith('--port='))?.slice('--port='.length) ?? 8787);
const demo = join(root, '.tmp', 'demo');
const workspace = join(demo, 'workspace');
const teammate = join(demo, 'teammate');
const bucket = 'b2m-demo';
const screenshotPath = join(root, 'artifacts', 'screenshots', 'demo.png');
const walkthroughScreenshotPath = join(root, 'artifacts', 'screenshots', 'demo-walkthrough.png');

if (process.argv.includes('--reset')) rmSync(demo, { recursive: true, force: true });
mkdirSync(demo, { recursive: true });
process.env.TMPDIR = join(demo, 'tmp');
mkdirSync(process.env.TMPDIR, { recursive: true });

const stops = [];
const stopAll = async () => {
  for (const stop of stops.reverse()) await stop().catch(() => {});
};

try {
  step('Building the extension and the CLI');
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });

  step(`Starting the local B2 server on port ${port} (data in ${join(demo, 'b2-data')})`);
  const b2 = await startLocalB2Server({ port, dataDir: join(demo, 'b2-data'), buckets: [bucket] });
  stops.push(() => b2.close());
  const env = { ...process.env, B2_APPLICATION_KEY_ID: b2.keyId, B2_APPLICATION_KEY: b2.key };
  delete env.B2M_ENDPOINT;

  if (!existsSync(join(demo, 'seeded'))) {
    step('Seeding: bob publishes app.db twice; your repository gets one more migration');
    await seed(b2.url, env);
    writeFileSync(join(demo, 'seeded'), `${new Date().toISOString()}\n`);
  }

  step('Starting VS Code (code-server; installs it on first use, a few minutes)');
  const install = locateVsCodeInstall();
  const server = await startCodeServer({
    install,
    dir: join(demo, 'code-server'),
    env: { B2_APPLICATION_KEY_ID: b2.keyId, B2_APPLICATION_KEY: b2.key, B2M_USER: 'you' },
  });
  stops.push(() => server.stop());
  const remote = (path) => `vscode-remote://${server.host}:${server.port}${path}`;
  const url = `${server.url}/?${new URLSearchParams({ folder: workspace, payload: JSON.stringify([['extensionDevelopmentPath', remote(root)]]) })}`;

  step('Checking it in headless Chromium');
  const workbench = await openWorkbench({ install, server, dir: join(demo, 'browser'), folder: workspace, extensionDevelopmentPath: root });
  try {
    const page = workbench.page;
    await openViewContainer(page, 'b2m');
    await waitFor('app.db in the Databases view', async () => (await readTreeRows(page)).some((row) => row.startsWith('app.db')), 120_000);
    const database = page.locator('.part.sidebar .monaco-list-row', { hasText: /^app\.db/ }).first();
    let clicked = 0;
    await waitFor('the versions of app.db', async () => {
      if ((await readTreeRows(page)).some((row) => row.startsWith('v2 (head'))) return true;
      // Expanded by a click; again if a click landed while the view was still settling and left it collapsed.
      if (Date.now() - clicked > 3000 && (await database.getAttribute('aria-expanded')) !== 'true') {
        clicked = Date.now();
        await database.click();
      }
      return false;
    }, 60_000);
    await waitFor('the pending migration', async () => (await readTreeRows(page)).some((row) => row.includes('add_discount')), 30_000);
    mkdirSync(join(root, 'artifacts', 'screenshots'), { recursive: true });
    await page.screenshot({ path: screenshotPath });
    await runCommand(page, 'b2m: Get Started');
    await page.locator('.gettingStartedContainer', { hasText: 'Get started with b2m' }).waitFor({ timeout: 30_000 });
    await waitFor("the first step's text", async () => (await webviewFrame(page).locator('body').innerText().catch(() => '')).includes('b2m.json'), 30_000);
    await page.screenshot({ path: walkthroughScreenshotPath });
  } finally {
    await workbench.close();
  }
  console.log(`\nScreenshots: ${screenshotPath}, ${walkthroughScreenshotPath} (the "Get started with b2m" walkthrough)`);
  if (check) {
    await stopAll();
    process.exit(0);
  }
  console.log(`\nOpen the demo workspace in your browser:\n\n  ${url}\n`);
  console.log('Start with the walkthrough: F1, "b2m: Get Started" (the Welcome page features it too).');
  console.log('Try: the b2m view in the activity bar; the status bar item; "b2m: Test Migrations", then "b2m: Sync".');
  console.log('Another developer: cd .tmp/demo/teammate && B2M_USER=bob B2_APPLICATION_KEY_ID=... node ../../../dist/cli.cjs lock app.db');
  console.log('Press Ctrl+C to stop.');
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stopAll();
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  await stopAll();
  process.exit(1);
}

function step(text) {
  console.log(`\n== ${text}`);
}

/**
 * bob publishes a first version and a migration; your clone has his scripts plus one pending of
 * yours. The CLI runs asynchronously: the local B2 server it talks to runs in this process.
 */
async function seed(endpoint, env) {
  const config = { bucket, databases: ['app.db'], endpoint, lock: { leaseSeconds: 60, settleSeconds: 1, maxUploadSeconds: 0.5 } };
  for (const dir of [teammate, workspace]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'scripts'), { recursive: true });
    writeFileSync(join(dir, 'b2m.json'), `${JSON.stringify(config, null, 2)}\n`);
    writeFileSync(join(dir, '.gitignore'), '.b2m/\n');
  }
  const cli = async (dir, user, args) =>
    (await promisify(execFile)(process.execPath, [join(root, 'dist', 'cli.cjs'), ...args], { cwd: dir, env: { ...env, B2M_USER: user }, encoding: 'utf8' })).stdout;
  const sql = (file, statements) =>
    execFileSync('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit(); c.close()', file, statements]);
  const migration = async (dir, user, phrase, statements) => {
    const { path } = JSON.parse(await cli(dir, user, ['migrations', 'create', phrase, '--json']));
    // A JSON string is also a valid Python string literal.
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^SQL = """[\s\S]*?^"""$/m, `SQL = ${JSON.stringify(statements)}`));
  };

  sql(
    join(teammate, 'app.db'),
    `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
     CREATE TABLE products (id INTEGER PRIMARY KEY, title TEXT NOT NULL, price REAL NOT NULL);
     INSERT INTO users VALUES (1, 'Ann', 'ann@example.com'), (2, 'Bob', 'bob@example.com'), (3, 'Chen', 'chen@example.com');
     INSERT INTO products VALUES (1, 'Notebook', 4.5), (2, 'Pencil', 0.8), (3, 'Backpack', 39.0);`,
  );
  await cli(teammate, 'bob', ['sync', 'app.db']);
  await migration(
    teammate,
    'bob',
    'add orders',
    `CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), product_id INTEGER NOT NULL REFERENCES products(id), quantity INTEGER NOT NULL);
INSERT INTO orders VALUES (1, 1, 1, 2), (2, 2, 3, 1);`,
  );
  await cli(teammate, 'bob', ['sync', 'app.db']);

  cpSync(join(teammate, 'scripts'), join(workspace, 'scripts'), { recursive: true });
  await cli(workspace, 'you', ['download', 'app.db']);
  await migration(workspace, 'you', 'add discount', `ALTER TABLE products ADD COLUMN discount REAL NOT NULL DEFAULT 0;\nUPDATE products SET discount = 0.1 WHERE id = 3;`);
  console.log(`  scripts in your workspace: ${readdirSync(join(workspace, 'scripts')).join(', ')}`);
}
