import type { DatabaseEntry } from './status-model';

export interface StatusAction {
  label: string;
  detail?: string;
  command: string;
}

/** The commands that make sense for a database in its current state, most useful first. */
export function actionsFor(entry: DatabaseEntry): StatusAction[] {
  const status = entry.status;
  const actions: StatusAction[] = [];
  const add = (command: string, label: string, detail?: string): void => void actions.push({ command, label, ...(detail ? { detail } : {}) });
  if (!status) {
    add('b2m.refresh', '$(refresh) Refresh', 'Read the status again');
    add('b2m.showLog', '$(output) Show Log');
    return actions;
  }
  const holder = status.lockHolder;
  const lockedByOther = status.lock === 'locked-by-other' && holder;
  if (status.uncaptured) add('b2m.captureLocalEdits', '$(edit) Capture Local Edits as a Migration', 'Turn edits no migration explains into a script before syncing');
  if (['ahead', 'diverged', 'only-local'].includes(status.sync) && !status.uncaptured) {
    add('b2m.sync', '$(cloud-upload) Sync', lockedByOther ? `${holder.owner} holds the lock: sync offers to wait` : 'Apply your migrations to the newest version and publish it');
  }
  if (status.sync === 'behind' || status.sync === 'not-downloaded') add('b2m.download', '$(cloud-download) Download', 'Make your local copy the remote head');
  if (status.pending.length > 0 && status.localExists) add('b2m.testMigrations', '$(beaker) Test Pending Migrations', 'Run them on a copy and show what they change');
  add('b2m.createMigration', '$(new-file) Create Migration');
  if (status.lock === 'locked-by-me') add('b2m.unlock', '$(unlock) Unlock', 'Release the lock you hold');
  else if (lockedByOther) add('b2m.forceUnlock', '$(warning) Force Unlock…', `Remove ${holder.owner}'s lock (asks first)`);
  else add('b2m.lock', '$(lock) Lock', 'Hold the lock by hand until you unlock');
  if (status.head && status.localExists) add('b2m.diffWithLocal', '$(diff) Diff Head with Local');
  if (status.head) add('b2m.showHistory', '$(history) Show History');
  add('b2m.refresh', '$(refresh) Refresh');
  return actions;
}
