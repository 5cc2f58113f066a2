import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repo-root.js';

export interface VsCodeInstall {
  /** The code-server launcher script. */
  codeServer: string;
  /** Folder holding the Node 24 binary code-server needs; goes first on its PATH. */
  node24Bin: string;
  /** Chromium executable driven by Playwright. */
  chromium: string;
}

/**
 * Where code-server, Node 24 and Chromium are, as printed by the install script. Once its cache is
 * complete the script only checks and prints (well under a second), so every caller just runs it.
 */
export function locateVsCodeInstall(): VsCodeInstall {
  const output = execFileSync(join(repoRoot, 'scripts/install-code-server.sh'), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const values = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.+)$/.exec(line.trim());
    if (match?.[1] && match[2]) values.set(match[1], match[2]);
  }
  const get = (key: string): string => {
    const value = values.get(key);
    if (!value) throw new Error(`scripts/install-code-server.sh did not print ${key}=…`);
    return value;
  };
  return { codeServer: get('CODE_SERVER'), node24Bin: get('NODE24_BIN'), chromium: get('CHROMIUM') };
}
