// The host side of the conflicts view, inside a real extension host: what the panel does with the
// view's buttons. A test cannot click in a webview, so the view's messages are handed to the panel
// directly, and what it posts back is recorded.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DiffPanel, type PublishAnywayResult } from '../../src/extension/webview/diff-panel';
import type { ConflictReport, HostMessage, WebviewMessage } from '../../webview-ui/src/protocol';

/** The panel's end of the connection with its webview. */
interface PanelInternals {
  onMessage(message: WebviewMessage): Promise<void>;
  post(messages: HostMessage[]): void;
}

const NOTHING = { tables: [], objectChanges: [] };
const REPORT: ConflictReport = {
  database: 'app.db',
  ancestor: { number: 1 },
  theirs: [{ number: 2, author: 'carol' }],
  yourScripts: ['20260102030405123456789_rename_ann.py'],
  conflicts: [],
  moreConflicts: 0,
  theirChanges: NOTHING,
  yourChanges: NOTHING,
  cleanlyMerged: 0,
};

function openConflicts(publishAnyway: () => Promise<PublishAnywayResult>): { panel: DiffPanel; view: PanelInternals; posted: HostMessage[] } {
  const extensionUri = vscode.extensions.getExtension('b2m.b2m')!.extensionUri;
  const panel = DiffPanel.open({ extensionUri, conflictActions: { publishAnyway, openMigration: async () => undefined } });
  const view = panel as unknown as PanelInternals;
  const posted: HostMessage[] = [];
  view.post = (messages) => posted.push(...messages);
  panel.showConflicts(REPORT);
  return { panel, view, posted };
}

const last = <T extends HostMessage['type']>(posted: HostMessage[], type: T): Extract<HostMessage, { type: T }> | undefined =>
  posted.filter((m): m is Extract<HostMessage, { type: T }> => m.type === type).at(-1);

describe('conflicts view, host side', () => {
  it('runs one "Publish anyway" at a time; a view shown again meanwhile is told a publish runs', async () => {
    let publishes = 0;
    let finish!: (result: PublishAnywayResult) => void;
    const { panel, view, posted } = openConflicts(() => {
      publishes++;
      return new Promise((resolve) => (finish = resolve));
    });
    try {
      const first = view.onMessage({ type: 'publishAnyway' });
      await view.onMessage({ type: 'ready' }); // hidden and shown again: a fresh view, its buttons enabled
      assert.equal(last(posted, 'showConflicts')?.publishing, true, 'the fresh view is told a publish runs');
      await view.onMessage({ type: 'publishAnyway' });
      assert.equal(publishes, 1, 'a second click while publishing starts nothing');
      finish('failed');
      await first;
      await view.onMessage({ type: 'ready' });
      assert.equal(last(posted, 'showConflicts')?.publishing, false);
      const second = view.onMessage({ type: 'publishAnyway' });
      assert.equal(publishes, 2, 'once it ended, the button works again');
      finish('failed');
      await second;
    } finally {
      panel.dispose();
    }
  });

  it('says why nothing was published: the answer to the destructive-changes question, or a notification', async () => {
    for (const [result, says] of [
      ['declined', /^Nothing was published: you chose not to publish changes that destroy data\.$/],
      ['failed', /^Nothing was published: the notification says why\.$/],
    ] as const) {
      const { panel, view, posted } = openConflicts(() => Promise.resolve(result));
      try {
        await view.onMessage({ type: 'publishAnyway' });
        assert.match(last(posted, 'error')?.message ?? '', says);
      } finally {
        panel.dispose();
      }
    }
  });
});
