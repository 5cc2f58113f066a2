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
}

export interface MessageNode {
  kind: 'message';
  database: string;
  text: string;
  /** The rest of what it says, in its tooltip. */
  detail?: string;
  icon: string;
}

export type MigrationState = 'new' | 'tested' | 'failed' | 'changed';

export interface MigrationNode {
  kind: 'migration';
  database: string;
  id: string;
  fileName: string;
  path: string;
  state: MigrationState;
  /** Why the last test failed. */
  failure?: string;
}

export type B2mNode = DatabaseNode | VersionNode | MessageNode | MigrationNode;

export function isB2mNode(value: unknown): value is B2mNode {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string' && typeof (value as { database?: unknown }).database === 'string';
}
