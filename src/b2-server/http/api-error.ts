/**
 * An error answered to the client as B2 does: HTTP status plus JSON `{status, code, message}`.
 * These are protocol errors of the local server, not errors shown to b2m users.
 */
export class B2ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'B2ApiError';
  }
}

export const badRequest = (message: string): B2ApiError => new B2ApiError(400, 'bad_request', message);

export const unauthorized = (message: string): B2ApiError => new B2ApiError(401, 'unauthorized', message);

export const badBucketId = (bucketId: string): B2ApiError =>
  new B2ApiError(400, 'bad_bucket_id', `Invalid bucketId: ${bucketId}`);
