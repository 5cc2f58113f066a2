import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A report with what changes from run to run replaced by placeholders: migration ids (23 digits,
 * made from the time a script was created) by <id>, and times by <time>.
 */
export function maskCheckReport(report: string): string {
  return report.replace(/\b\d{23}(?=_[a-z0-9_]+\.py)/g, '<id>').replace(/\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\b/g, '<time>');
}

/**
 * Compares text with the golden file of that name in this folder. B2M_UPDATE_GOLDEN=1 rewrites
 * the file instead (then read the diff in git before committing it).
 */
export function matchesGolden(name: string, actual: string): void {
  const path = join(import.meta.dirname, name);
  if (process.env.B2M_UPDATE_GOLDEN === '1' || !existsSync(path)) {
    writeFileSync(path, actual);
    if (process.env.B2M_UPDATE_GOLDEN !== '1') assert.fail(`${path} did not exist; it was written from this run: read it, then run again.`);
    return;
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `differs from ${path} (B2M_UPDATE_GOLDEN=1 rewrites it)`);
}
