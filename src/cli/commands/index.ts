import type { Command } from '../command';
import { captureCommand } from './capture';
import { checkCommand } from './check';
import { diffCommand } from './diff';
import { downloadCommand } from './download';
import { historyCommand } from './history';
import { initCommand } from './init';
import { forceUnlockCommand, lockCommand, unlockCommand } from './lock';
import { migrationsCreateCommand, migrationsListCommand, migrationsTestCommand } from './migrations';
import { restoreCommand } from './restore';
import { serverCommand } from './server';
import { statusCommand } from './status';
import { syncCommand } from './sync';

/** Every `b2m` command, in the order `b2m --help` lists them. */
export const commands: Command[] = [
  initCommand,
  statusCommand,
  downloadCommand,
  migrationsCreateCommand,
  migrationsListCommand,
  migrationsTestCommand,
  captureCommand,
  syncCommand,
  checkCommand,
  lockCommand,
  unlockCommand,
  forceUnlockCommand,
  historyCommand,
  restoreCommand,
  diffCommand,
  serverCommand,
];
