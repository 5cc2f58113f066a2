import * as vscode from 'vscode';
import type { Workspace } from '../core/config';
import { resolveCredentials, type B2Credentials } from '../core/store/credentials';

export type CredentialsSource = 'environment' | 'secret-storage';

export interface FoundCredentials {
  credentials: B2Credentials;
  source: CredentialsSource;
}

const SECRET_PREFIX = 'b2m.applicationKey/';

/** One key per bucket and server, so a demo workspace's local key never replaces a real one. */
function secretKey(ws: Workspace): string {
  return `${SECRET_PREFIX}${ws.config.endpoint ?? 'backblaze'}/${ws.config.bucket}`;
}

/**
 * Where the B2 application key comes from: the environment (B2_APPLICATION_KEY_ID /
 * B2_APPLICATION_KEY, as for the CLI) when set, else VS Code's SecretStorage (per bucket and
 * server). Never settings, never the log.
 */
export class CredentialsStore implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith(SECRET_PREFIX)) this.changeEmitter.fire();
    });
  }

  async find(ws: Workspace): Promise<FoundCredentials | undefined> {
    if (process.env.B2_APPLICATION_KEY_ID?.trim() && process.env.B2_APPLICATION_KEY?.trim()) {
      return { credentials: resolveCredentials(process.env), source: 'environment' };
    }
    const stored = await this.secrets.get(secretKey(ws));
    if (!stored) return undefined;
    try {
      const { keyId, key } = JSON.parse(stored) as { keyId?: unknown; key?: unknown };
      if (typeof keyId !== 'string' || typeof key !== 'string') return undefined;
      const endpoint = process.env.B2M_ENDPOINT?.trim();
      return { credentials: { keyId, key, ...(endpoint ? { endpoint } : {}) }, source: 'secret-storage' };
    } catch {
      return undefined;
    }
  }

  async store(ws: Workspace, keyId: string, key: string): Promise<void> {
    await this.secrets.store(secretKey(ws), JSON.stringify({ keyId: keyId.trim(), key: key.trim() }));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
