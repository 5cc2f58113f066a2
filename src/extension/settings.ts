import * as vscode from 'vscode';

/** The extension's settings (contributed in package.json under "b2m."), read fresh each time. */
export interface Settings {
  pollIntervalMs: number;
  /** Overrides b2m.json's "python" on this machine; '' keeps the workspace's. */
  python: string;
  /** Author recorded on versions and locks; '' falls back to B2M_USER, git user.name, the OS user. */
  user: string;
  /** How many remote versions the Databases view lists per database. */
  historyLimit: number;
  /** How long "Wait and retry" waits for someone else's lock. */
  lockWaitMs: number;
}

export const SETTINGS_SECTION = 'b2m';

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    pollIntervalMs: Math.max(5, config.get<number>('pollIntervalSeconds', 60)) * 1000,
    python: config.get<string>('python', '').trim(),
    user: config.get<string>('user', '').trim(),
    historyLimit: Math.max(1, config.get<number>('historyLimit', 50)),
    lockWaitMs: Math.max(0, config.get<number>('lockWaitSeconds', 120)) * 1000,
  };
}

export function onDidChangeSettings(listener: (settings: Settings) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SETTINGS_SECTION)) listener(readSettings());
  });
}
