import { randomBytes, timingSafeEqual } from 'node:crypto';
import { B2ApiError, unauthorized } from '../http/api-error';

export interface ApplicationKey {
  keyId: string;
  key: string;
  /** Restriction to one bucket (by name) and a name prefix; absent for the master key. */
  bucketName?: string;
  namePrefix?: string;
}

export interface Session {
  appKey: ApplicationKey;
  expiresAt: number;
}

/** An upload token: valid for one upload URL, i.e. one bucket or one large file. */
export interface UploadSession extends Session {
  target: string;
}

const ALL_CAPABILITIES = [
  'listKeys', 'writeKeys', 'deleteKeys', 'listAllBucketNames', 'listBuckets', 'readBuckets', 'writeBuckets',
  'deleteBuckets', 'readBucketEncryption', 'writeBucketEncryption', 'readBucketRetentions', 'writeBucketRetentions',
  'readFileRetentions', 'writeFileRetentions', 'readFileLegalHolds', 'writeFileLegalHolds', 'bypassGovernance',
  'listFiles', 'readFiles', 'shareFiles', 'writeFiles', 'deleteFiles',
];
const RESTRICTED_CAPABILITIES = ['listBuckets', 'readBuckets', 'listFiles', 'readFiles', 'shareFiles', 'writeFiles', 'deleteFiles'];

/** Application keys and the tokens handed out for them; tokens live in memory only. */
export class Authenticator {
  private readonly sessions = new Map<string, Session>();
  private readonly uploadSessions = new Map<string, UploadSession>();

  constructor(
    private readonly keys: readonly ApplicationKey[],
    private readonly tokenLifetimeMs: number,
    private readonly now: () => number,
  ) {}

  /** Checks `Authorization: Basic base64(keyId:key)` and opens a session. */
  authorize(header: string | undefined): { token: string; session: Session } {
    const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
    if (!match?.[1]) throw unauthorized('Missing or malformed Basic authorization header');
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const keyId = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const appKey = this.keys.find((k) => k.keyId === keyId && colon !== -1 && sameSecret(k.key, secret));
    if (!appKey) throw unauthorized('The applicationKeyId and/or the applicationKey are wrong.');
    this.forgetLongExpired();
    const session: Session = { appKey, expiresAt: this.now() + this.tokenLifetimeMs };
    const token = newToken();
    this.sessions.set(token, session);
    return { token, session };
  }

  /** The session of an account authorization token (header `Authorization`). */
  session(token: string | undefined): Session {
    return this.check(token, this.sessions);
  }

  issueUploadToken(session: Session, target: string): string {
    const token = newToken();
    this.uploadSessions.set(token, { appKey: session.appKey, expiresAt: this.now() + this.tokenLifetimeMs, target });
    return token;
  }

  uploadSession(token: string | undefined, target: string): UploadSession {
    const session = this.check(token, this.uploadSessions);
    if (session.target !== target) throw new B2ApiError(401, 'bad_auth_token', 'Upload token does not match the upload URL');
    return session;
  }

  /** Makes every token issued so far expired (tests of re-authorization). */
  expireAll(): void {
    const past = this.now() - 1;
    for (const session of [...this.sessions.values(), ...this.uploadSessions.values()]) session.expiresAt = past;
  }

  capabilities(appKey: ApplicationKey): string[] {
    return appKey.bucketName === undefined ? ALL_CAPABILITIES : RESTRICTED_CAPABILITIES;
  }

  /** Drops tokens expired for longer than a lifetime (until then they still answer expired_auth_token). */
  private forgetLongExpired(): void {
    const horizon = this.now() - this.tokenLifetimeMs;
    for (const sessions of [this.sessions, this.uploadSessions] as Array<Map<string, Session>>) {
      for (const [token, session] of sessions) if (session.expiresAt < horizon) sessions.delete(token);
    }
  }

  private check<S extends Session>(token: string | undefined, sessions: Map<string, S>): S {
    if (!token) throw new B2ApiError(401, 'bad_auth_token', 'Missing Authorization header');
    const session = sessions.get(token);
    if (!session) throw new B2ApiError(401, 'bad_auth_token', 'Invalid authorization token');
    if (session.expiresAt <= this.now()) {
      throw new B2ApiError(401, 'expired_auth_token', 'Authorization token has expired');
    }
    return session;
  }
}

function newToken(): string {
  return `4_${randomBytes(24).toString('hex')}`;
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
