// The local B2 server in a process of its own, as a remote server would be: its hashing and disk
// writes do not share the event loop of the b2m code being measured. Reached over HTTP only.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BUCKET, DEFAULT_KEY, DEFAULT_KEY_ID } from '../../src/b2-server/index';

const ROOT = join(import.meta.dirname, '..', '..');

export interface ServerProcess {
  endpoint: string;
  keyId: string;
  key: string;
  bucket: string;
  /** Limits the simulated link (both directions, all connections together); null lifts the limit. */
  setBandwidth(bytesPerSecond: number | null): Promise<void>;
  /** Stops the server and deletes its data. */
  close(): Promise<void>;
}

export async function startServerProcess(): Promise<ServerProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'b2m-bench-server-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'b2-server', 'main.ts'), '--port', '0', '--data', dataDir, '--test-control'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const endpoint = await listeningUrl(child);
    return {
      endpoint,
      keyId: DEFAULT_KEY_ID,
      key: DEFAULT_KEY,
      bucket: DEFAULT_BUCKET,
      setBandwidth: (bytesPerSecond) => postJson(`${endpoint}/__b2m_test/bandwidth`, { bytesPerSecond }),
      close: async () => {
        await stop(child);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stop(child);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match) {
        child.stdout?.off('data', onData);
        child.stdout?.resume(); // keep draining what it prints later
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the local B2 server exited with ${code} before listening: ${seen}`)));
    child.once('error', reject);
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A POST with a JSON body through node:http (no Origin header: the control API refuses web pages). */
function postJson(url: string, body: unknown): Promise<void> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url} answered ${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** The environment the b2m command line needs to reach this server. */
export function cliEnvironment(server: ServerProcess, user: string): NodeJS.ProcessEnv {
  return { ...process.env, B2_APPLICATION_KEY_ID: server.keyId, B2_APPLICATION_KEY: server.key, B2M_ENDPOINT: server.endpoint, B2M_USER: user };
}
