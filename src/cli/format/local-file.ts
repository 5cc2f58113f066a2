import { relative } from 'node:path';

/** The one report of a routine backup: "previous local file kept at .b2m/backups/…". */
export function backupLine(backup: string | undefined, cwd: string): string[] {
  return backup ? [`  previous local file kept at ${relative(cwd, backup)}`] : [];
}
