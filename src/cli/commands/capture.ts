import { captureLocalEdits } from '../../core/sync/capture';
import { JSON_OPTION, type Command } from '../command';
import { databaseAndPhrase } from '../database-and-phrase';
import { cliContext } from '../engine-context';

export const captureCommand: Command = {
  name: 'capture',
  summary: 'turn local edits no migration explains into a migration script',
  usage: 'b2m capture [DB] PHRASE... [--json]',
  details: 'Writes scripts/<db>/<id>_<phrase>.py holding the SQL difference from the snapshot b2m last wrote.',
  options: { ...JSON_OPTION },
  async run(args, io) {
    const ctx = await cliContext(io);
    const { database, phrase } = databaseAndPhrase(ctx.ws.config, args.positionals, captureCommand.name);
    const outcome = await captureLocalEdits(ctx, database, phrase);
    io.output.result(
      outcome.script
        ? `Captured ${outcome.statements} statement(s) on ${outcome.tables.join(', ')} in ${outcome.script}\nReview it, commit it, then run "b2m sync ${database}".`
        : `${database} has no uncaptured edits.`,
      outcome,
    );
  },
};
