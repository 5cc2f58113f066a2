// A team on a local B2 server (test/support/team.ts) and alice's workbench on a clone of its
// repository: bob published the first version of app.db with the command line before alice opens it.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, finished, Team, type RunResult } from '../../support/team.js';
import { startE2eSession, type E2eSession } from './session.js';

/** A team of one, bob, who published v1 of app.db: users ann (1) and bob (2). */
export async function teamWithUsers(): Promise<Team> {
  const team = await Team.start({ developers: ['bob'], lock: { leaseSeconds: 120, settleSeconds: 0.5, maxUploadSeconds: 0.3 } });
  const bob = team.dev('bob');
  bob.sql("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO users VALUES (1, 'ann'), (2, 'bob');");
  await expectOk(bob.run(['sync', 'app.db']));
  return team;
}

/** Alice's workbench on a clone of the repository: bob's b2m.json, plus `files`, and the team's key in the environment. */
export function aliceSession(team: Team, files: Record<string, string> = {}): Promise<E2eSession> {
  return startE2eSession({
    files: { 'b2m.json': readFileSync(join(team.dev('bob').dir, 'b2m.json'), 'utf8'), ...files },
    env: { B2_APPLICATION_KEY_ID: team.b2.keyId, B2_APPLICATION_KEY: team.b2.key, B2M_USER: 'alice' },
  });
}

/**
 * Runs the CLI as `user` in the workspace folder (as if in a clone of the same repository).
 * Asynchronously: the local B2 server it talks to runs in this process.
 */
export function cliAs(team: Team, session: E2eSession, user: string, args: string[]): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, B2_APPLICATION_KEY_ID: team.b2.keyId, B2_APPLICATION_KEY: team.b2.key, B2M_USER: user };
  delete env.B2M_ENDPOINT;
  return finished(spawn(process.execPath, [CLI, ...args], { cwd: session.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] }), 60_000);
}

export async function expectOk(run: Promise<RunResult>): Promise<RunResult> {
  const result = await run;
  assert.equal(result.code, 0, result.stderr || result.stdout);
  return result;
}
