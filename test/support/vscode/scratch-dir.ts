import { mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { repoRoot } from './repo-root.js';

export interface ScratchDir {
  path: string;
  remove(): void;
}

/**
 * A fresh folder under the checkout's git-ignored `.tmp/`. Kept short because VS Code puts Unix
 * sockets below it and socket paths are limited to 107 bytes.
 */
export function createScratchDir(prefix: string): ScratchDir {
  const path = join(repoRoot, '.tmp', `${prefix}-${randomBytes(3).toString('hex')}`);
  mkdirSync(path, { recursive: true });
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
