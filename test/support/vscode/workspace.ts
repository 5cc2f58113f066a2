import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The smallest b2m.json that makes the extension activate (`workspaceContains:b2m.json`). */
export const demoB2mConfig = { bucket: 'b2m-demo', databases: ['app.db'] };

/**
 * Creates a workspace folder at `dir` holding a b2m.json plus `files` (relative path → content;
 * a `b2m.json` entry replaces the default one).
 */
export function createB2mWorkspace(dir: string, files: Record<string, string> = {}): string {
  const all = { 'b2m.json': `${JSON.stringify(demoB2mConfig, null, 2)}\n`, ...files };
  for (const [relativePath, content] of Object.entries(all)) {
    const path = join(dir, relativePath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}
