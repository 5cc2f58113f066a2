import { AuthError } from '../errors';

export interface B2Credentials {
  keyId: string;
  key: string;
  /** A B2-compatible server to use instead of Backblaze (the local test server), from B2M_ENDPOINT. */
  endpoint?: string;
}

/** Reads the application key from `B2_APPLICATION_KEY_ID` / `B2_APPLICATION_KEY`, and `B2M_ENDPOINT`. */
export function resolveCredentials(env: Record<string, string | undefined>): B2Credentials {
  const keyId = env['B2_APPLICATION_KEY_ID']?.trim();
  const key = env['B2_APPLICATION_KEY']?.trim();
  const missing = [keyId ? undefined : 'B2_APPLICATION_KEY_ID', key ? undefined : 'B2_APPLICATION_KEY'].filter(Boolean);
  if (!keyId || !key) {
    throw new AuthError(
      `No B2 credentials: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set.`,
      'Create an application key for the bucket in the Backblaze console and set B2_APPLICATION_KEY_ID and B2_APPLICATION_KEY in the environment (in VS Code, store the key with the extension instead).',
    );
  }
  const endpoint = env['B2M_ENDPOINT']?.trim();
  return endpoint ? { keyId, key, endpoint } : { keyId, key };
}
