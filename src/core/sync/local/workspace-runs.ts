import { join } from 'node:path';
import type { EngineContext } from '../../context';
import type { ApplyMigrationsOptions } from '../../migrations/apply';
import { verifyDatabase } from '../../sqlite/verify';

/** How the workspace runs migration scripts: its Python, time limit, author and working folder. */
export function migrationRunOptions(ctx: EngineContext): ApplyMigrationsOptions {
  const { ws } = ctx;
  return {
    python: ws.config.python,
    timeoutMs: ws.config.migrationTimeoutSeconds * 1000,
    author: ctx.identity.user,
    cwd: ws.root,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
  };
}

/** Verifies a database as every publish does: SQLite's checks (b2m.json `verify`), foreign keys, the check script. */
export function verifyAsPublished(ctx: EngineContext, path: string): Promise<unknown> {
  const { ws } = ctx;
  return verifyDatabase(path, {
    python: ws.config.python,
    timeoutMs: ws.config.migrationTimeoutSeconds * 1000,
    cwd: ws.root,
    ...(ws.config.verify ? { mode: ws.config.verify } : {}),
    ...(ws.config.checkScript ? { checkScript: join(ws.root, ws.config.checkScript) } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
}
