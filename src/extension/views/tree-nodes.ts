import type { ScriptIssue } from '../../core/migrations/integrity';
import type { OvertakenVersion } from '../../core/versions/history-summary';
import type { DatabaseVersion } from '../../core/versions/version-info';

/** Elements of the b2m trees; commands run from a tree item receive one of these. */
export interface DatabaseNode {
  kind: 'database';
  database: string;
}

export interface VersionNode {
  kind: 'version';
  database: string;
  version: DatabaseVersion;
  /** v1 is the oldest version. */
  number: number;
  isHead: boolean;
  isBase: boolean;
  /** Phrase of the newest migration in the version, when its script is here. */
  migrationName?: string;
  /** Another version built on the same parent overtook it: it is not in the head's history. */
  overtaken?: OvertakenVersion;
}

export interface MessageNode {
  kind: 'message';
  database: string;
  text: string;
  /** The rest of what it says, in its tooltip. */
  detail?: string;
  icon: string;
}

/** A pending script's last test (new: none), or what is wrong with a script applied before. */
export type MigrationState = 'new' | 'tested' | 'failed' | 'changed' | 'renamed' | 'missing';

export interface MigrationNode {
  kind: 'migration';
  database: string;
  id: string;
  fileName: string;
  /** Absent for a script that is recorded but whose file is gone. */
  path?: string;
  state: MigrationState;
  /** Why the last test failed. */
  failure?: string;
  /** What is wrong with it and what to do (also for a pending script: out of order). */
  issue?: ScriptIssue;
}

export type B2mNode = DatabaseNode | VersionNode | MessageNode | MigrationNode;

export function isB2mNode(value: unknown): value is B2mNode {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string' && typeof (value as { database?: unknown }).database === 'string';
}
