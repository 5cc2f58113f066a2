// The three-way view of a sync stopped by conflicts: what happened and what "Publish anyway" does,
// the three buttons, every conflicting row with the ancestor, theirs and yours, and what each side
// changed besides.
import type { ChangeSummary } from '../../../src/core/merge/types';
import { renderConflictEntry, schemaLine, type SideNames } from './conflict-entry';
import { el } from '../dom';
import type { ConflictReport, VersionTag, WebviewMessage } from '../protocol';
import { errorBanner } from '../state-views';

const PUBLISHING = 'Publishing your migrations on top of theirs…';

export class ConflictView {
  readonly element: HTMLElement;
  private readonly banners = el('div', { class: 'banners' });
  private readonly status = el('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly buttons: HTMLButtonElement[];

  /** `publishing`: a "Publish anyway" clicked in an earlier view of this panel still runs. */
  constructor(
    report: ConflictReport,
    private readonly post: (message: WebviewMessage) => void,
    publishing = false,
  ) {
    const names = sideNames(report);
    const head = report.theirs[0];
    const publish = button('publish-anyway', 'Publish anyway', '', () => this.publish());
    const open = button('open-migration', report.yourScripts.length === 1 ? 'Open my migration' : 'Open my migrations', 'secondary', () => post({ type: 'openMigration' }));
    const cancel = button('cancel', 'Cancel', 'secondary', () => post({ type: 'cancel' }));
    this.buttons = [publish, open, cancel];
    const count = report.conflicts.length + report.moreConflicts;
    const header = el(
      'header',
      { class: 'conflicts-header' },
      el('h1', { class: 'title' }, `Conflicts: ${report.database}`),
      el(
        'p',
        { class: 'explain' },
        `${report.database} changed remotely since ${label(report.ancestor)} (${describeVersions(report.theirs)}) in the same place${count === 1 ? '' : 's'} as your migrations: ${count} conflict${count === 1 ? '' : 's'}. Nothing was published.`,
      ),
      el(
        'p',
        { class: 'explain replay' },
        `Your migrations are replayed on the newest version${head ? ` (${label(head)})` : ''}, so “Publish anyway” applies yours on top of theirs: your scripts run on their data as it is now. Or change your migration and sync again.`,
      ),
      el('div', { class: 'conflict-actions' }, publish, open, cancel, this.status),
    );
    const body = el(
      'div',
      { class: 'conflicts-body', tabindex: '0', role: 'region', 'aria-label': 'Conflicts and changes' },
      el('h2', {}, `${count} conflict${count === 1 ? '' : 's'}`),
      ...report.conflicts.map((entry) => renderConflictEntry(entry, names)),
      ...(report.moreConflicts > 0 ? [el('p', { class: 'more' }, `… and ${report.moreConflicts} more (the command line lists them all: b2m sync --json).`)] : []),
      el('h2', {}, 'What each side changed'),
      el(
        'div',
        { class: 'change-summaries' },
        changeSummary(`${names.theirs}`, report.theirChanges),
        changeSummary(`${names.yours}: ${report.yourScripts.join(', ') || 'no scripts'}`, report.yourChanges),
      ),
      el('p', { class: 'merged' }, `${report.cleanlyMerged.toLocaleString()} row${report.cleanlyMerged === 1 ? '' : 's'} changed on both sides merge without conflict.`),
    );
    this.element = el('div', { class: 'conflicts' }, header, this.banners, body);
    if (publishing) this.setBusy(true, PUBLISHING);
  }

  /** A failure from the host: shown above the conflicts, and the buttons work again. */
  showError(message: string): void {
    this.banners.replaceChildren(errorBanner(message));
    this.setBusy(false, '');
  }

  private publish(): void {
    this.setBusy(true, PUBLISHING);
    this.post({ type: 'publishAnyway' });
  }

  private setBusy(busy: boolean, text: string): void {
    for (const b of this.buttons) b.disabled = busy;
    this.status.textContent = text;
    this.element.setAttribute('aria-busy', String(busy));
  }
}

function button(id: string, text: string, kind: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { type: 'button', id, ...(kind ? { class: kind } : {}) }, text);
  b.addEventListener('click', onClick);
  return b;
}

function sideNames(report: ConflictReport): SideNames {
  const scripts = report.yourScripts.map((name) => name.replace(/^\d+_/, '').replace(/\.py$/, ''));
  return {
    ancestor: `Ancestor · ${label(report.ancestor)}`,
    theirs: `Theirs · ${describeVersions(report.theirs)}`,
    yours: `Yours · ${scripts.length === 1 ? scripts[0] : `${scripts.length} migrations`}`,
  };
}

/** "v5 by bob", or "v4–v6 by bob, carol". */
function describeVersions(versions: VersionTag[]): string {
  const newest = versions[0];
  const oldest = versions.at(-1);
  if (!newest || !oldest) return 'no versions';
  const span = newest === oldest ? label(newest) : `${label(oldest)}–${label(newest)}`;
  const authors = [...new Set(versions.map((v) => v.author ?? 'someone'))];
  return `${span} by ${authors.join(', ')}`;
}

function label(version: VersionTag): string {
  return `v${version.number}`;
}

function changeSummary(title: string, summary: ChangeSummary): HTMLElement {
  const lines = summary.tables.map((t) =>
    el(
      'li',
      {},
      el('span', { class: 'table-name' }, t.table),
      el('span', { class: 'count insert' }, `+${t.inserted.toLocaleString()}`),
      el('span', { class: 'count update' }, `~${t.updated.toLocaleString()}`),
      el('span', { class: 'count delete' }, `−${t.deleted.toLocaleString()}`),
      ...t.schemaChanges.map(schemaLine),
    ),
  );
  const objects = summary.objectChanges.map((change) => el('li', {}, schemaLine(change)));
  const items = [...lines, ...objects];
  return el('section', { class: 'change-summary' }, el('h3', {}, title), items.length > 0 ? el('ul', {}, ...items) : el('p', { class: 'nothing' }, 'Nothing.'));
}
