import { execFileSync } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { randomBytes } from 'node:crypto';

/** Who is acting: recorded on lock attempts and on every uploaded version. */
export interface Identity {
  user: string;
  host: string;
  /** Distinguishes two processes of the same user on the same machine. */
  session: string;
}

/** The author: B2M_USER, else git's user.name, else the OS user. */
export function resolveUser(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const fromEnv = env.B2M_USER?.trim();
  if (fromEnv) return fromEnv;
  try {
    const fromGit = execFileSync('git', ['config', 'user.name'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    if (fromGit) return fromGit;
  } catch {
    // not a git checkout or git missing: fall through to the OS user
  }
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function newSessionId(): string {
  return `${process.pid.toString(36)}-${randomBytes(6).toString('hex')}`;
}

export function currentIdentity(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Identity {
  return { user: resolveUser(env, cwd), host: hostname(), session: newSessionId() };
}
