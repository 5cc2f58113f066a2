import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkDatabases, formatCheckErrorMarkdown, formatCheckMarkdown, formatCheckText, warningCount, type CheckReport } from '../../core/check';
import { resolveDatabase } from '../../core/config';
import { BadInputError, isB2mError } from '../../core/errors';
import { JSON_OPTION, stringOption, type Command } from '../command';
import { cliContext } from '../engine-context';
import { EXIT, exitCodeFor } from '../exit-codes';
import { reportError } from '../output';

export const checkCommand: Command = {
  name: 'check',
  summary: 'run the scripts of this checkout that the head lacks on a copy of it, verify and report (read-only; for pull requests)',
  usage: 'b2m check [DB] [--markdown FILE] [--strict] [--json]',
  details: [
    'Per database (every one of b2m.json unless DB is given): the scripts run, rows inserted, updated',
    'and deleted per table, schema changes, the first rows of each change, and warnings: destructive',
    'changes, and scripts edited, renamed or missing since they were applied, or older than the head\'s',
    'newest (they run out of order). A database with no version in the bucket is checked on the local',
    'file, or skipped when there is none. Touches neither the local database, the bucket nor any lock;',
    'only the cache in .b2m/snapshots. --markdown FILE also writes the report as GitHub markdown.',
    'Exit codes: 0 passed or nothing to check (warnings included); 5 a script or the check script',
    'failed; 7 the result fails SQLite\'s integrity checks; 2 bad script names, or a --markdown FILE that',
    'cannot be written when the check passed; 4 with --strict when there are warnings. With several',
    'databases failing, the first one\'s code.',
  ].join('\n'),
  options: {
    ...JSON_OPTION,
    markdown: { type: 'string', value: 'FILE', description: 'also write the report as GitHub markdown to FILE (for a pull request comment)', default: 'no file' },
    strict: { type: 'boolean', description: 'exit 4 when the report has warnings', default: 'warnings leave the exit code 0' },
  },
  async run(args, io) {
    const markdownFile = stringOption(args, 'markdown');
    const markdownPath = markdownFile === undefined ? undefined : resolve(io.cwd, markdownFile);
    let report: CheckReport;
    try {
      const ctx = await cliContext(io);
      const databases = args.positionals[0] ? [resolveDatabase(ctx.ws.config, args.positionals[0])] : ctx.ws.config.databases;
      report = await checkDatabases(ctx, databases);
    } catch (e) {
      // The pull request still gets told why there is no report; a file that cannot be written leaves the error this one.
      if (markdownPath && isB2mError(e) && e.kind !== 'cancelled') {
        const unwritten = await writeMarkdown(markdownPath, formatCheckErrorMarkdown(e.message, e.hint));
        if (unwritten) io.output.warn(unwritten.message);
      }
      throw e;
    }
    // The report first: a markdown file that cannot be written loses neither it nor the check's own exit code.
    io.output.result(formatCheckText(report), report);
    const code = checkExitCode(report, args.values.strict === true);
    const unwritten = markdownPath === undefined ? undefined : await writeMarkdown(markdownPath, formatCheckMarkdown(report));
    if (!unwritten) return code;
    if (code === EXIT.ok) throw unwritten;
    reportError(unwritten, io.output);
    return code;
  },
};

/** Writes the markdown report; a failure comes back as an error naming the file, not thrown. */
async function writeMarkdown(path: string, markdown: string): Promise<BadInputError | undefined> {
  try {
    await writeFile(path, markdown);
    return undefined;
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (e as Error).message;
    return new BadInputError(`Could not write the markdown report to ${path}: ${reason}.`, 'Give --markdown a file in a folder that exists and that b2m may write.', { cause: e });
  }
}

function checkExitCode(report: CheckReport, strict: boolean): number {
  const failure = report.databases.find((d) => d.failure)?.failure;
  if (failure) return exitCodeFor(failure.kind);
  return strict && report.databases.some((d) => warningCount(d) > 0) ? EXIT.conflict : EXIT.ok;
}
