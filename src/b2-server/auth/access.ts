import { badBucketId, unauthorized } from '../http/api-error';
import type { Session } from './authenticator';
import type { ServerContext } from '../context';
import type { BucketRecord } from '../storage/model';

/** Enforces the bucket and name-prefix restriction of the key behind a session, as B2 does. */
export function checkBucketAccess(session: Session, bucket: BucketRecord): void {
  const allowed = session.appKey.bucketName;
  if (allowed !== undefined && allowed !== bucket.bucketName) {
    throw unauthorized(`The application key is not allowed to access bucket ${bucket.bucketName}`);
  }
}

export function checkNameAccess(session: Session, fileName: string): void {
  const prefix = session.appKey.namePrefix ?? '';
  if (!fileName.startsWith(prefix)) throw unauthorized(`The application key is restricted to names starting with "${prefix}"`);
}

/** A bucket by id that the session may use. */
export function accessibleBucket(ctx: ServerContext, session: Session, bucketId: string): BucketRecord {
  const bucket = ctx.store.bucket(bucketId);
  if (!bucket) throw badBucketId(bucketId);
  checkBucketAccess(session, bucket);
  return bucket;
}
