import type { ErrorKind } from '../core/errors';

/** Documented exit codes of `b2m` (README: "Exit codes"). */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  badInput: 2,
  blocked: 3,
  conflict: 4,
  verification: 5,
  remote: 6,
  integrity: 7,
  lockLost: 8,
  cancelled: 130,
} as const;

export function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case 'bad-input':
      return EXIT.badInput;
    case 'blocked':
      return EXIT.blocked;
    case 'conflict':
      return EXIT.conflict;
    case 'verification':
      return EXIT.verification;
    case 'auth':
    case 'remote':
      return EXIT.remote;
    case 'integrity':
      return EXIT.integrity;
    case 'lock-lost':
      return EXIT.lockLost;
    case 'cancelled':
      return EXIT.cancelled;
  }
}
