import type { LockHolder } from '../errors';
import { formatTime } from '../format';

/** "app.db held by alice@laptop (sync, lock 0123456789abcdef) since …, lease expires …". */
export function describeHolder(holder: LockHolder): string {
  return (
    `${holder.database} held by ${holder.owner}@${holder.host} (${holder.operation}, lock ${holder.lockId}) ` +
    `since ${formatTime(holder.since)}, lease expires ${formatTime(holder.expires)}`
  );
}
