import type { EngineContext } from '../context';
import { BadInputError, throwIfAborted } from '../errors';
import { lintDatabases, type LintWarning } from '../lint';
import { workFolder } from './local/work-files';

/** Asks a person whether to publish changes that destroy data; true to go on. */
export type ConfirmDestructive = (warnings: readonly LintWarning[]) => Promise<boolean>;

/** Destructive changes that nobody confirmed: nothing is published. */
export class DestructiveChangesError extends BadInputError {
  constructor(
    readonly database: string,
    readonly warnings: readonly LintWarning[],
  ) {
    super(
      `Your migrations destroy data in ${database} (${warnings.length} warning${warnings.length === 1 ? '' : 's'}), and nobody confirmed it; nothing was published.`,
      'Check the warnings; if the changes are meant, confirm them (--yes on the command line).',
      { details: warnings.map((w) => `- ${w.message}`).join('\n') },
    );
    this.name = 'DestructiveChangesError';
  }
}

/**
 * The destructive changes of a candidate against the head it was built on (a table or column
 * dropped, a table rebuilt, every row deleted or updated, most rows deleted), measured on the
 * files; when there are any, `confirm` decides. Returns the warnings that were accepted.
 */
export async function checkDestructiveChanges(ctx: EngineContext, database: string, head: string, candidate: string, confirm: ConfirmDestructive | undefined): Promise<LintWarning[]> {
  const warnings = await lintDatabases(head, candidate, { python: ctx.ws.config.python, scratchDir: await workFolder(ctx.ws), ...(ctx.signal ? { signal: ctx.signal } : {}) });
  if (warnings.length === 0) return [];
  throwIfAborted(ctx.signal);
  if (!confirm || !(await confirm(warnings))) throw new DestructiveChangesError(database, warnings);
  return warnings;
}
