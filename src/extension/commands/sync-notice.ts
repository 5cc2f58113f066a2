import { describeTransfer, formatDuration } from '../../core/format';
import type { SyncOutcome } from '../../core/sync/sync';
import { versionLabel } from '../../core/versions/numbering';
import type { Notice } from '../notices/notice';

/**
 * What a finished sync says: what it published or installed and what it moved over the link, e.g.
 * "published app.db v8 with …: uploaded 9.8 MB of 1.0 GB (104× less)". A version published whose
 * local install failed is a success with a warning, and a button that downloads it.
 */
export function syncedNotice(o: SyncOutcome): Notice {
  const head = versionLabel(o.head.number);
  const downloaded = o.transfer.downloadedBytes > 0 ? `downloaded ${describeTransfer(o.transfer.downloadedBytes, o.head.size)}` : '';
  switch (o.result) {
    case 'up-to-date':
      return info(`b2m: ${o.database} is up to date (head ${head}); no migrations to push.`);
    case 'updated':
      return info(`b2m: ${o.database} had no migrations to push; your copy is now the head ${head}${downloaded ? ` (${downloaded})` : ''}.`);
    case 'published':
      break;
  }
  const how = o.scenario === 'first-version' ? ' as its first version' : o.scenario === 'rebase' ? ', rebased on a newer remote version' : '';
  const applied = o.applied.length > 0 ? ` with ${o.applied.map((m) => m.fileName).join(', ')}` : '';
  const moved = `uploaded ${describeTransfer(o.transfer.uploadedBytes, o.transfer.size)}${downloaded ? `, ${downloaded}` : ''}; lock held ${formatDuration(o.transfer.lockHeldMs)}`;
  const notes = [
    ...(o.conflicts ? [`Your migrations were applied on top of ${o.conflicts.report.conflicts.length} conflicting change(s) of theirs.`] : []),
    ...(o.baseOvertaken ? [`Your base ${versionLabel(o.baseOvertaken.overtaken.number)} had been overtaken; the migrations it carried were replayed.`] : []),
    ...(o.backup ? [`Your previous file is kept at ${o.backup}.`] : []),
  ];
  const message = `b2m: published ${o.database} ${head}${how}${applied}: ${moved}.${notes.map((n) => ` ${n}`).join('')}`;
  if (!o.installProblem) return info(message);
  return {
    severity: 'warning',
    message: `${message} Your local file was not replaced: ${o.installProblem} Download puts the new version in its place.`,
    actions: [{ label: 'Download', command: 'b2m.download', args: [o.database] }],
  };
}

function info(message: string): Notice {
  return { severity: 'info', message, actions: [] };
}
