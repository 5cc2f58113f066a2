import { numberVersions } from './numbering';
import type { DatabaseVersion } from './version-info';

/** A version with its number in the history: v1 is the oldest upload, vN the newest. */
export interface NumberedVersion extends DatabaseVersion {
  number: number;
}

/**
 * A version that is not an ancestor of the head: someone else's upload overtook it (two versions
 * with one parent). Its migrations are pending again for its author, because pending is always
 * computed against the head.
 */
export interface Fork {
  overtaken: NumberedVersion;
  /** The newest ancestor of the overtaken version that is on the head's chain, if it is known. */
  forkPoint?: NumberedVersion;
  /** The version on the head's chain built on the fork point: the one that overtook it. */
  overtakenBy?: NumberedVersion;
}

/** The history of one database read as a chain from the head back through each version's parent. */
export interface HistoryChain {
  /** Every version, newest first. */
  versions: NumberedVersion[];
  head?: NumberedVersion;
  /** Ids of the head and all its known ancestors. */
  chain: ReadonlySet<string>;
  /** Versions newer than the oldest ancestor the chain reaches that are not on it, newest first. */
  forks: Fork[];
}

/**
 * Reads versions (newest first, as B2 lists them) as a chain. A version without a parent (the
 * first one, or one uploaded by another tool) is taken to follow the version uploaded before it.
 */
export function readChain(newestFirst: readonly DatabaseVersion[]): HistoryChain {
  const versions = numberVersions(newestFirst).map(({ version, number }): NumberedVersion => ({ ...version, number }));
  const byId = new Map(versions.map((v) => [v.id, v]));
  const head = versions[0];
  const chain = new Set<string>();
  for (let v: NumberedVersion | undefined = head; v && !chain.has(v.id); v = parentOf(v, versions, byId)) chain.add(v.id);
  const oldestOnChain = Math.min(...versions.filter((v) => chain.has(v.id)).map((v) => v.number));
  const forks = versions
    .filter((v) => !chain.has(v.id) && v.number > oldestOnChain)
    .map((overtaken) => describeFork(overtaken, versions, byId, chain));
  return { versions, ...(head ? { head } : {}), chain, forks };
}

/**
 * The newest version that is an ancestor of both `versionId` and the head (as `git merge-base`):
 * the version itself when it is on the head's chain, else the point where its branch left it.
 */
export function mergeBase(history: HistoryChain, versionId: string): NumberedVersion | undefined {
  const byId = new Map(history.versions.map((v) => [v.id, v]));
  const seen = new Set<string>();
  for (let v = byId.get(versionId); v && !seen.has(v.id); v = parentOf(v, history.versions, byId)) {
    if (history.chain.has(v.id)) return v;
    seen.add(v.id);
  }
  return undefined;
}

/** The fork that a version belongs to, when it is not on the head's chain. */
export function forkOf(history: HistoryChain, versionId: string): Fork | undefined {
  return history.forks.find((f) => f.overtaken.id === versionId);
}

function describeFork(overtaken: NumberedVersion, versions: readonly NumberedVersion[], byId: Map<string, NumberedVersion>, chain: ReadonlySet<string>): Fork {
  let forkPoint: NumberedVersion | undefined;
  const seen = new Set<string>();
  for (let v = parentOf(overtaken, versions, byId); v && !seen.has(v.id); v = parentOf(v, versions, byId)) {
    if (chain.has(v.id)) {
      forkPoint = v;
      break;
    }
    seen.add(v.id);
  }
  // The oldest chain version newer than the fork point: its child on the chain.
  const overtakenBy = forkPoint
    ? versions.filter((v) => chain.has(v.id) && v.number > forkPoint.number).at(-1)
    : undefined;
  return { overtaken, ...(forkPoint ? { forkPoint } : {}), ...(overtakenBy ? { overtakenBy } : {}) };
}

function parentOf(v: NumberedVersion, versions: readonly NumberedVersion[], byId: Map<string, NumberedVersion>): NumberedVersion | undefined {
  if (v.parent !== undefined) return byId.get(v.parent);
  // No parent recorded: the upload before it (B2 lists newest first, so it is the next entry).
  return versions[versions.length - v.number + 1];
}
