// The buttons of b2m's notifications, inside a real extension host. A click cannot be simulated
// on a real notification, so VS Code's showInformationMessage is replaced by one that answers.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Logger } from '../../src/extension/logger';
import { Notifier } from '../../src/extension/notices/notifier';

describe('notifications', () => {
  it('a button whose command fails is logged as an error, not left unhandled', async () => {
    const errors: string[] = [];
    const log = { info: () => undefined, error: (message: string, error?: unknown) => errors.push(`${message}: ${String(error)}`) } as unknown as Logger;
    const notifier = new Notifier(log);
    const window = vscode.window as { showInformationMessage: unknown };
    const original = window.showInformationMessage;
    window.showInformationMessage = () => Promise.resolve('Open');
    try {
      notifier.show({ severity: 'info', message: 'b2m: a notice', actions: [{ label: 'Open', command: 'b2m.test.noSuchCommand' }] });
      for (let waited = 0; errors.length === 0 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      window.showInformationMessage = original;
      notifier.dispose();
    }
    assert.equal(errors.length, 1, 'one error logged');
    assert.match(errors[0]!, /"Open".*b2m\.test\.noSuchCommand/);
  });
});
