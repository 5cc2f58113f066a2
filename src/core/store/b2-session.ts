import B2, { type B2RequestConfig, type B2Response } from 'backblaze-b2';
import { getInstance } from 'backblaze-b2/lib/request';
import { AuthError, BadInputError, B2mError, CancelledError, RemoteError } from '../errors';
import type { AuthorizeJson, BucketListJson, UploadUrlJson } from './b2-json';
import { describeFailure, isCertificateFailure, type Failure } from './b2-failure';
import { backoffDelayMs, sleep, type RetryPolicy } from './retry-policy';
import { ServerClock } from './server-clock';

export type StoreLogger = (message: string) => void;

export interface SessionOptions {
  keyId: string;
  key: string;
  bucket: string;
  /** Base URL of a B2-compatible server (e.g. the local one); B2 itself when absent. */
  endpoint?: string;
  retry: RetryPolicy;
  logger?: StoreLogger;
}

/** Per-call axios options; `axiosOverride` is merged last, so it can add to what the package sends. */
export interface CallArgs {
  axios: B2RequestConfig;
  axiosOverride?: B2RequestConfig;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** False for the calls that authorize: a rejected token there means bad credentials. */
  reauthorize?: boolean;
}

export interface CallOptions extends RunOptions {
  /** Merged over what the package sends (extra body fields such as `prefix` or `fileInfo`). */
  override?: B2RequestConfig;
}

interface Account {
  bucketId: string;
  allowedNamePrefix?: string;
  recommendedPartSize: number;
  minimumPartSize: number;
}

const CREDENTIALS_HINT =
  'Check B2_APPLICATION_KEY_ID and B2_APPLICATION_KEY (or the key stored by the extension); create a new application key in the Backblaze console if this one was deleted.';

/**
 * One authorized connection to one bucket: authorization (and re-authorization when the token
 * expires), retries with backoff, the pool of upload URLs, and the server's clock.
 */
export class B2Session {
  readonly clock = new ServerClock();
  private readonly uploadUrls: UploadUrlJson[] = [];
  private reauthorizing?: Promise<void>;

  private constructor(
    readonly client: B2,
    private readonly options: SessionOptions,
    private account: Account,
  ) {}

  static async open(options: SessionOptions, signal?: AbortSignal): Promise<B2Session> {
    const client = new B2({ applicationKeyId: options.keyId, applicationKey: options.key, retry: { retries: 0 } });
    const placeholder: Account = { bucketId: '', recommendedPartSize: 0, minimumPartSize: 0 };
    const session = new B2Session(client, options, placeholder);
    session.account = await session.authorize(signal);
    return session;
  }

  get bucketName(): string {
    return this.options.bucket;
  }
  get bucketId(): string {
    return this.account.bucketId;
  }
  get allowedNamePrefix(): string | undefined {
    return this.account.allowedNamePrefix;
  }
  get recommendedPartSize(): number {
    return this.account.recommendedPartSize;
  }
  get minimumPartSize(): number {
    return this.account.minimumPartSize;
  }

  /** Options every call carries: no retries inside axios (the package's instance is shared), no size limits. */
  args(signal: AbortSignal | undefined, override?: B2RequestConfig): CallArgs {
    const base: B2RequestConfig = {
      'axios-retry': { retries: 0 },
      maxRedirects: 0,
      maxContentLength: -1,
      maxBodyLength: -1,
    };
    if (signal) base.signal = signal;
    return override ? { axios: base, axiosOverride: override } : { axios: base };
  }

  /** One JSON call of the API, retried; returns the parsed body. */
  async api<T>(operation: string, call: (args: CallArgs) => Promise<B2Response<unknown>>, options: CallOptions = {}): Promise<T> {
    const { signal, override } = options;
    return this.run(operation, async () => this.observe(await call(this.args(signal, override))).data as T, options);
  }

  /** A JSON call that `backblaze-b2` has no method for, made through its HTTP client like the others. */
  async post<T>(operation: string, data: Record<string, unknown>, options: RunOptions = {}): Promise<T> {
    return this.api<T>(
      operation,
      (args) =>
        getInstance()({
          ...args.axios,
          method: 'POST',
          url: `${this.client.apiUrl ?? ''}/b2api/v2/${operation}`,
          headers: { Authorization: this.client.authorizationToken ?? '' },
          data,
        }),
      options,
    );
  }

  /** Notes the server's clock from a response and passes it on. */
  observe<T extends B2Response<unknown>>(response: T): T {
    this.clock.observe(response.headers['date']);
    return response;
  }

  /**
   * Runs `attempt` until it succeeds, retrying transient failures with backoff (honouring
   * Retry-After) and re-authorizing on an expired token, up to the policy's number of attempts.
   * `attempt` must be safe to repeat: uploads take a fresh upload URL each time.
   */
  async run<T>(operation: string, attempt: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    const { signal, reauthorize = true } = options;
    const { maxAttempts } = this.options.retry;
    for (let attemptNumber = 1; ; attemptNumber++) {
      if (signal?.aborted) throw new CancelledError(`Cancelled during ${operation}.`);
      const tokenUsed = this.client.authorizationToken;
      try {
        return await attempt();
      } catch (error) {
        if (error instanceof B2mError) throw error;
        const failure = await describeFailure(error, signal);
        if (!reauthorize && refusesCredentials(operation, failure)) {
          throw new AuthError(`B2 refused the application key ${this.options.keyId} (${describe(failure)}).`, CREDENTIALS_HINT, {
            cause: error,
          });
        }
        switch (failure.kind) {
          case 'cancelled':
            throw new CancelledError(`Cancelled during ${operation}.`, { cause: error });
          case 'local':
            throw error;
          case 'denied':
            throw this.deniedError(operation, failure);
          case 'fatal':
            throw remoteError(operation, failure, attemptNumber);
        }
        if (attemptNumber >= maxAttempts) throw remoteError(operation, failure, attemptNumber);
        if (failure.kind === 'reauthorize') {
          this.log(`${operation}: ${describe(failure)}; authorizing again.`);
          await this.reauthorize(tokenUsed);
          continue;
        }
        const delay = failure.retryAfterMs ?? backoffDelayMs(this.options.retry, attemptNumber);
        this.log(`${operation}: ${describe(failure)}; retry ${attemptNumber} of ${maxAttempts - 1} in ${(delay / 1000).toFixed(1)} s.`);
        await sleep(delay, signal);
      }
    }
  }

  /** An upload URL for the bucket: reused from an earlier upload when one is free. */
  async takeUploadUrl(signal?: AbortSignal): Promise<UploadUrlJson> {
    return (
      this.uploadUrls.pop() ??
      (await this.api<UploadUrlJson>('b2_get_upload_url', (args) => this.client.getUploadUrl({ ...args, bucketId: this.bucketId }), { signal }))
    );
  }

  /** Gives back an upload URL whose last upload succeeded (B2: one URL per concurrent uploader). */
  returnUploadUrl(url: UploadUrlJson): void {
    this.uploadUrls.push(url);
  }

  private async reauthorize(tokenUsed: string | null): Promise<void> {
    if (this.client.authorizationToken !== tokenUsed) return; // another call already did it
    // Shared by every call that hit the expired token, so no single caller's signal cancels it.
    this.reauthorizing ??= this.authorize()
      .then((account) => {
        this.account = account;
        this.uploadUrls.length = 0;
      })
      .finally(() => {
        this.reauthorizing = undefined;
      });
    await this.reauthorizing;
  }

  private async authorize(signal?: AbortSignal): Promise<Account> {
    const override: B2RequestConfig | undefined = this.options.endpoint
      ? { url: `${this.options.endpoint.replace(/\/+$/, '')}/b2api/v2/b2_authorize_account` }
      : undefined;
    const auth = await this.api<AuthorizeJson>('b2_authorize_account', (args) => this.client.authorize(args), {
      signal,
      override,
      reauthorize: false,
    });
    return {
      bucketId: await this.findBucketId(auth, signal),
      allowedNamePrefix: auth.allowed?.namePrefix ?? undefined,
      recommendedPartSize: auth.recommendedPartSize ?? 100_000_000,
      minimumPartSize: auth.absoluteMinimumPartSize ?? 5_000_000,
    };
  }

  /** A key restricted to one bucket cannot list buckets: its bucket comes with the authorization. */
  private async findBucketId(auth: AuthorizeJson, signal?: AbortSignal): Promise<string> {
    const wanted = this.options.bucket;
    const allowed = auth.allowed;
    if (allowed?.bucketId) {
      if (allowed.bucketName !== wanted) {
        throw new AuthError(
          `The application key ${this.options.keyId} only gives access to bucket "${allowed.bucketName ?? allowed.bucketId}", not "${wanted}".`,
          'Use a key for this bucket, or set the bucket in b2m.json to the one the key allows.',
        );
      }
      return allowed.bucketId;
    }
    const list = await this.api<BucketListJson>('b2_list_buckets', (args) => this.client.getBucket({ ...args, bucketName: wanted }), {
      signal,
      reauthorize: false,
    });
    const bucket = list.buckets.find((b) => b.bucketName === wanted);
    if (!bucket) {
      throw new BadInputError(
        `The bucket "${wanted}" does not exist, or the application key ${this.options.keyId} cannot see it.`,
        'Check the bucket name in b2m.json and the buckets this key may access.',
      );
    }
    return bucket.bucketId;
  }

  private deniedError(operation: string, failure: Failure): AuthError {
    const scope = this.account.allowedNamePrefix
      ? ` This key may only use names starting with "${this.account.allowedNamePrefix}" in bucket "${this.bucketName}".`
      : '';
    return new AuthError(
      `B2 refused ${operation} (${describe(failure)}).${scope}`,
      `Use an application key with the capabilities b2m needs (listFiles, readFiles, writeFiles, deleteFiles) for this bucket and prefix. ${CREDENTIALS_HINT}`,
      { cause: failure.error },
    );
  }

  private log(message: string): void {
    this.options.logger?.(message);
  }
}

/** B2 answers a malformed key id with 400, a wrong or deleted key with 401. */
function refusesCredentials(operation: string, failure: Failure): boolean {
  if (failure.kind === 'reauthorize' || failure.kind === 'denied') return true;
  return operation === 'b2_authorize_account' && failure.status === 400;
}

function describe(failure: Failure): string {
  if (failure.status === undefined) return `network error ${failure.code ?? ''} ${failure.detail}`.replace(/\s+/g, ' ').trim();
  return `${failure.status}${failure.code ? ` ${failure.code}` : ''}: ${failure.detail}`;
}

function remoteError(operation: string, failure: Failure, attempts: number): RemoteError {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const hint = isCertificateFailure(failure)
    ? "The server's TLS certificate could not be verified. Behind a proxy that inspects TLS, give Node its certificate authority: NODE_EXTRA_CA_CERTS=/path/to/ca.pem."
    : failure.status === undefined
      ? 'Check the network connection and the endpoint (B2M_ENDPOINT), then try again.'
      : failure.kind === 'fatal'
        ? 'This request was refused as invalid; if it keeps happening, report it with the log.'
        : 'B2 is having trouble right now; try again in a few minutes (status: https://status.backblaze.com).';
  return new RemoteError(`B2 call ${operation} failed${tries}: ${describe(failure)}.`, operation, failure.status, failure.code, hint, {
    cause: failure.error,
  });
}
